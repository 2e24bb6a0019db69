import { Col, DatePicker, Form, Input, Row, Select, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ManagementCertificate, ManagementCertificateInput, ManagementCertificateKind } from '../../api/types';
import { chinaToday } from '../../components/domain';
import { EvidenceList, type EvidenceAccess, type EvidenceEditor } from './evidence-list';
import {
  dayOrNull,
  dayValue,
  notBeforeRule,
  textOrNull,
  toAttachmentInputs,
  toAttachmentValues,
  useEvidenceRules,
  type AttachmentValue,
} from './fields';

export const MANAGEMENT_CERTIFICATE_KINDS = [
  'iso9001',
  'iso20000',
  'iso27001',
  'cmmi',
  'itss',
  'other',
] as const satisfies readonly ManagementCertificateKind[];
const CERTIFICATE_FILE_ROLES = ['certificate', 'other'] as const;

interface CertificateValues {
  kind: ManagementCertificateKind;
  name?: string;
  number?: string;
  issuedOn?: Dayjs | null;
  expiresOn?: Dayjs | null;
  notes?: string;
  files?: AttachmentValue[];
}

const toValues = (c: ManagementCertificate | undefined): CertificateValues => ({
  kind: c?.kind ?? 'iso9001',
  name: c?.name ?? '',
  number: c?.number ?? '',
  issuedOn: dayValue(c?.issuedOn),
  expiresOn: dayValue(c?.expiresOn),
  notes: c?.notes ?? '',
  files: toAttachmentValues(c?.files),
});

const toInput = (v: CertificateValues): ManagementCertificateInput => ({
  kind: v.kind,
  name: textOrNull(v.name),
  number: textOrNull(v.number),
  issuedOn: dayOrNull(v.issuedOn),
  expiresOn: dayOrNull(v.expiresOn),
  notes: textOrNull(v.notes),
  files: toAttachmentInputs(v.files),
});

function CertificateFields() {
  const { t } = useTranslation();
  const rules = useEvidenceRules();
  return (
    <>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="kind"
            label={t('evidence.managementCertificate.kind')}
            rules={[
              {
                required: true,
                message: t('validation.required', { field: t('evidence.managementCertificate.kind') }),
              },
            ]}
          >
            <Select
              options={MANAGEMENT_CERTIFICATE_KINDS.map((k) => ({
                value: k,
                label: t(`evidence.managementCertificateKinds.${k}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="number"
            label={t('evidence.managementCertificate.number')}
            rules={[rules.max(100, t('evidence.managementCertificate.number'))]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="name"
        label={t('evidence.managementCertificate.name')}
        rules={[rules.max(200, t('evidence.managementCertificate.name'))]}
      >
        <Input />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="issuedOn" label={t('evidence.issuedOn')}>
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="expiresOn"
            label={t('evidence.expiresOn')}
            dependencies={['issuedOn']}
            rules={[notBeforeRule('issuedOn', t('evidence.validation.expiresBeforeIssued'))]}
          >
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="notes" label={t('evidence.notes')} rules={[rules.max(2000, t('evidence.notes'))]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </>
  );
}

/** 管理体系证书: ISO, CMMI, ITSS … with their validity. */
export function ManagementCertificatesList({ access }: { access: EvidenceAccess }) {
  const { t } = useTranslation();
  const today = chinaToday();
  const editor = useMemo<EvidenceEditor<'management-certificates', CertificateValues>>(
    () => ({
      fields: ['kind', 'name', 'number', 'issuedOn', 'expiresOn', 'notes'],
      fileRoles: CERTIFICATE_FILE_ROLES,
      toValues,
      toInput,
      renderFields: () => <CertificateFields />,
    }),
    [],
  );
  const kindLabel = (c: ManagementCertificate) => t(`evidence.managementCertificateKinds.${c.kind}`);
  const columns: ColumnsType<ManagementCertificate> = [
    {
      title: t('evidence.managementCertificate.kind'),
      dataIndex: 'kind',
      render: (_: unknown, c) => <Typography.Link>{kindLabel(c)}</Typography.Link>,
    },
    {
      title: t('evidence.managementCertificate.name'),
      dataIndex: 'name',
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('evidence.managementCertificate.number'),
      dataIndex: 'number',
      render: (v: string | null) => v ?? t('common.none'),
    },
    { title: t('evidence.issuedOn'), dataIndex: 'issuedOn', render: (v: string | null) => v ?? t('common.none') },
    {
      title: t('evidence.expiresOn'),
      dataIndex: 'expiresOn',
      render: (v: string | null) =>
        v ? v < today ? <Tag color="red">{t('evidence.expiredOn', { date: v })}</Tag> : v : t('evidence.noExpiry'),
      sorter: (a, b) => (a.expiresOn ?? '9999').localeCompare(b.expiresOn ?? '9999'),
    },
    { title: t('evidence.files'), key: 'files', render: (_: unknown, c) => c.files.length || t('common.none') },
  ];
  return (
    <EvidenceList<'management-certificates', CertificateValues>
      access={access}
      kind="management-certificates"
      columns={columns}
      label={(c) => [kindLabel(c), c.number].filter(Boolean).join(' ')}
      searchText={(c) => `${kindLabel(c)} ${c.name ?? ''} ${c.number ?? ''}`}
      editor={editor}
    />
  );
}
