import { Col, DatePicker, Form, Input, Row, Select, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpAsset, IpInput, IpKind } from '../../api/types';
import { EvidenceList, type EvidenceAccess, type EvidenceEditor } from './evidence-list';
import {
  dayOrNull,
  dayValue,
  textOrNull,
  toAttachmentInputs,
  toAttachmentValues,
  useEvidenceRules,
  type AttachmentValue,
} from './fields';

export const IP_KINDS = [
  'software-copyright',
  'invention-patent',
  'utility-patent',
  'design-patent',
] as const satisfies readonly IpKind[];
const CERTIFICATE_FILE_ROLES = ['certificate', 'other'] as const;

interface IpValues {
  kind: IpKind;
  name: string;
  number?: string;
  grantedOn?: Dayjs | null;
  notes?: string;
  files?: AttachmentValue[];
}

const toValues = (i: IpAsset | undefined): IpValues => ({
  kind: i?.kind ?? 'software-copyright',
  name: i?.name ?? '',
  number: i?.number ?? '',
  grantedOn: dayValue(i?.grantedOn),
  notes: i?.notes ?? '',
  files: toAttachmentValues(i?.files),
});

const toInput = (v: IpValues): IpInput => ({
  kind: v.kind,
  name: (v.name ?? '').trim(),
  number: textOrNull(v.number),
  grantedOn: dayOrNull(v.grantedOn),
  notes: textOrNull(v.notes),
  files: toAttachmentInputs(v.files),
});

function IpFields() {
  const { t } = useTranslation();
  const rules = useEvidenceRules();
  return (
    <>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="kind"
            label={t('evidence.ip.kind')}
            rules={[{ required: true, message: t('validation.required', { field: t('evidence.ip.kind') }) }]}
          >
            <Select options={IP_KINDS.map((k) => ({ value: k, label: t(`evidence.ipKinds.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="grantedOn" label={t('evidence.ip.grantedOn')}>
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="name"
        label={t('evidence.ip.name')}
        rules={[rules.required(t('evidence.ip.name')), rules.max(200, t('evidence.ip.name'))]}
      >
        <Input />
      </Form.Item>
      <Form.Item name="number" label={t('evidence.ip.number')} rules={[rules.max(100, t('evidence.ip.number'))]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="notes" label={t('evidence.notes')} rules={[rules.max(2000, t('evidence.notes'))]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </>
  );
}

/** 知识产权: software copyrights and patents, counted by grant date. */
export function IpList({ access }: { access: EvidenceAccess }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<IpKind | undefined>();
  const editor = useMemo<EvidenceEditor<'ip', IpValues>>(
    () => ({
      fields: ['kind', 'name', 'number', 'grantedOn', 'notes'],
      fileRoles: CERTIFICATE_FILE_ROLES,
      toValues,
      toInput,
      renderFields: () => <IpFields />,
    }),
    [],
  );
  const columns: ColumnsType<IpAsset> = [
    {
      title: t('evidence.ip.name'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Link>{name}</Typography.Link>,
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
    },
    { title: t('evidence.ip.kind'), dataIndex: 'kind', render: (k: IpKind) => t(`evidence.ipKinds.${k}`) },
    { title: t('evidence.ip.number'), dataIndex: 'number', render: (v: string | null) => v ?? t('common.none') },
    {
      title: t('evidence.ip.grantedOn'),
      dataIndex: 'grantedOn',
      render: (v: string | null) => v ?? t('common.none'),
      sorter: (a, b) => (a.grantedOn ?? '').localeCompare(b.grantedOn ?? ''),
      defaultSortOrder: 'descend',
    },
    { title: t('evidence.files'), key: 'files', render: (_: unknown, i) => i.files.length || t('common.none') },
  ];
  return (
    <EvidenceList<'ip', IpValues>
      access={access}
      kind="ip"
      columns={columns}
      label={(i) => i.name}
      searchText={(i) => `${i.name} ${i.number ?? ''}`}
      filter={kind ? (i) => i.kind === kind : undefined}
      toolbar={
        <Select
          allowClear
          aria-label={t('evidence.ip.kind')}
          placeholder={t('evidence.ip.kind')}
          value={kind}
          onChange={setKind}
          options={IP_KINDS.map((k) => ({ value: k, label: t(`evidence.ipKinds.${k}`) }))}
          style={{ width: 160 }}
        />
      }
      editor={editor}
    />
  );
}
