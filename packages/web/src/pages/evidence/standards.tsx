import { Col, DatePicker, Form, Input, Row, Select, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Standard, StandardInput, StandardRole } from '../../api/types';
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

export const STANDARD_ROLES = ['lead', 'participant', 'other'] as const satisfies readonly StandardRole[];
const STANDARD_FILE_ROLES = ['standard', 'other'] as const;

interface StandardValues {
  name: string;
  number?: string;
  role: StandardRole;
  publishedOn?: Dayjs | null;
  notes?: string;
  files?: AttachmentValue[];
}

const toValues = (s: Standard | undefined): StandardValues => ({
  name: s?.name ?? '',
  number: s?.number ?? '',
  role: s?.role ?? 'participant',
  publishedOn: dayValue(s?.publishedOn),
  notes: s?.notes ?? '',
  files: toAttachmentValues(s?.files),
});

const toInput = (v: StandardValues): StandardInput => ({
  name: (v.name ?? '').trim(),
  number: textOrNull(v.number),
  role: v.role,
  // The form requires the date; an empty one is left to the server to refuse in words.
  publishedOn: dayOrNull(v.publishedOn) ?? '',
  notes: textOrNull(v.notes),
  files: toAttachmentInputs(v.files),
});

function StandardFields() {
  const { t } = useTranslation();
  const rules = useEvidenceRules();
  return (
    <>
      <Form.Item
        name="name"
        label={t('evidence.standard.name')}
        rules={[rules.required(t('evidence.standard.name')), rules.max(200, t('evidence.standard.name'))]}
      >
        <Input />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="number"
            label={t('evidence.standard.number')}
            rules={[rules.max(100, t('evidence.standard.number'))]}
          >
            <Input autoComplete="off" placeholder="GB/T 28827.1-2022" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="publishedOn"
            label={t('evidence.standard.publishedOn')}
            extra={t('evidence.standard.publishedOnHelp')}
            rules={[
              { required: true, message: t('validation.required', { field: t('evidence.standard.publishedOn') }) },
            ]}
          >
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="role"
        label={t('evidence.standard.role')}
        rules={[{ required: true, message: t('validation.required', { field: t('evidence.standard.role') }) }]}
      >
        <Select options={STANDARD_ROLES.map((r) => ({ value: r, label: t(`evidence.standardRoles.${r}`) }))} />
      </Form.Item>
      <Form.Item name="notes" label={t('evidence.notes')} rules={[rules.max(2000, t('evidence.notes'))]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </>
  );
}

/** 标准制定: standards the organisation took part in drafting; one shows growth at renewal. */
export function StandardsList({ access }: { access: EvidenceAccess }) {
  const { t } = useTranslation();
  const editor = useMemo<EvidenceEditor<'standards', StandardValues>>(
    () => ({
      fields: ['name', 'number', 'role', 'publishedOn', 'notes'],
      fileRoles: STANDARD_FILE_ROLES,
      toValues,
      toInput,
      renderFields: () => <StandardFields />,
    }),
    [],
  );
  const columns: ColumnsType<Standard> = [
    {
      title: t('evidence.standard.name'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Link>{name}</Typography.Link>,
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
    },
    { title: t('evidence.standard.number'), dataIndex: 'number', render: (v: string | null) => v ?? t('common.none') },
    {
      title: t('evidence.standard.role'),
      dataIndex: 'role',
      render: (r: StandardRole) => t(`evidence.standardRoles.${r}`),
    },
    {
      title: t('evidence.standard.publishedOn'),
      dataIndex: 'publishedOn',
      sorter: (a, b) => a.publishedOn.localeCompare(b.publishedOn),
      defaultSortOrder: 'descend',
    },
    { title: t('evidence.files'), key: 'files', render: (_: unknown, s) => s.files.length || t('common.none') },
  ];
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 820 }}>
        {t('evidence.standard.intro')}
      </Typography.Paragraph>
      <EvidenceList<'standards', StandardValues>
        access={access}
        kind="standards"
        columns={columns}
        label={(s) => s.name}
        searchText={(s) => `${s.name} ${s.number ?? ''}`}
        editor={editor}
      />
    </>
  );
}
