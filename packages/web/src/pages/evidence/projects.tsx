import { Col, DatePicker, Form, Input, Row, Select, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEvidenceList } from '../../api/evidence';
import type { Project, ProjectInput, ProjectStatus } from '../../api/types';
import { formatMoney, parseMoneyInput } from '../../components/domain';
import { MoneyInput } from '../../components/money-input';
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

export const PROJECT_STATUSES = [
  'signed',
  'in-progress',
  'accepted',
  'terminated',
] as const satisfies readonly ProjectStatus[];
const STATUS_COLORS: Record<ProjectStatus, string> = {
  signed: 'blue',
  'in-progress': 'processing',
  accepted: 'success',
  terminated: 'default',
};
const PROJECT_FILE_ROLES = ['contract', 'acceptance-report', 'invoice', 'feedback', 'other'] as const;

interface ProjectValues {
  name: string;
  client?: string;
  contractNumber?: string;
  amount?: string | null;
  signedOn?: Dayjs | null;
  acceptedOn?: Dayjs | null;
  status?: ProjectStatus;
  managerId?: string | null;
  technologies?: string[];
  notes?: string;
  files?: AttachmentValue[];
}

const toValues = (p: Project | undefined): ProjectValues => ({
  name: p?.name ?? '',
  client: p?.client ?? '',
  contractNumber: p?.contractNumber ?? '',
  amount: p?.amount ?? '',
  signedOn: dayValue(p?.signedOn),
  acceptedOn: dayValue(p?.acceptedOn),
  status: p?.status ?? 'signed',
  managerId: p?.managerId ?? null,
  technologies: p?.technologies ?? [],
  notes: p?.notes ?? '',
  files: toAttachmentValues(p?.files),
});

const toInput = (v: ProjectValues): ProjectInput => ({
  name: (v.name ?? '').trim(),
  client: textOrNull(v.client),
  contractNumber: textOrNull(v.contractNumber),
  amount: parseMoneyInput(v.amount),
  signedOn: dayOrNull(v.signedOn),
  acceptedOn: dayOrNull(v.acceptedOn),
  ...(v.status ? { status: v.status } : {}),
  managerId: v.managerId ?? null,
  technologies: (v.technologies ?? []).map((s) => s.trim()).filter(Boolean),
  notes: textOrNull(v.notes),
  files: toAttachmentInputs(v.files),
});

const FIELDS = [
  'name',
  'client',
  'contractNumber',
  'amount',
  'signedOn',
  'acceptedOn',
  'status',
  'managerId',
  'technologies',
  'notes',
];

function ProjectFields({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const rules = useEvidenceRules();
  const staff = useEvidenceList(orgId, 'staff');
  return (
    <>
      <Form.Item
        name="name"
        label={t('evidence.project.name')}
        rules={[rules.required(t('evidence.project.name')), rules.max(200, t('evidence.project.name'))]}
      >
        <Input />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="client"
            label={t('evidence.project.client')}
            rules={[rules.max(200, t('evidence.project.client'))]}
          >
            <Input />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="contractNumber"
            label={t('evidence.project.contractNumber')}
            rules={[rules.max(100, t('evidence.project.contractNumber'))]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="amount" label={t('evidence.project.amount')} rules={[rules.money()]}>
            <MoneyInput />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="status" label={t('evidence.project.status')}>
            <Select options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(`evidence.projectStatuses.${s}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="signedOn" label={t('evidence.project.signedOn')}>
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="acceptedOn"
            label={t('evidence.project.acceptedOn')}
            extra={t('evidence.project.acceptedOnHelp')}
          >
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="managerId" label={t('evidence.project.manager')} extra={t('evidence.project.managerHelp')}>
        <Select
          allowClear
          loading={staff.isPending}
          showSearch={{ optionFilterProp: 'label' }}
          options={(staff.data ?? []).map((s) => ({ value: s.id, label: s.role ? `${s.name}（${s.role}）` : s.name }))}
        />
      </Form.Item>
      <Form.Item
        name="technologies"
        label={t('evidence.project.technologies')}
        extra={t('evidence.project.technologiesHelp')}
      >
        <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} />
      </Form.Item>
      <Form.Item name="notes" label={t('evidence.notes')} rules={[rules.max(2000, t('evidence.notes'))]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </>
  );
}

/** 项目案例: contracts with amount, signing and acceptance, manager and technology. */
export function ProjectsList({ access }: { access: EvidenceAccess }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ProjectStatus | undefined>();
  const editor = useMemo<EvidenceEditor<'projects', ProjectValues>>(
    () => ({
      fields: FIELDS,
      fileRoles: PROJECT_FILE_ROLES,
      toValues,
      toInput,
      renderFields: () => <ProjectFields orgId={access.orgId} />,
    }),
    [access.orgId],
  );
  const columns: ColumnsType<Project> = [
    {
      title: t('evidence.project.name'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Link>{name}</Typography.Link>,
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
    },
    { title: t('evidence.project.client'), dataIndex: 'client', render: (v: string | null) => v ?? t('common.none') },
    {
      title: t('evidence.project.contractNumber'),
      dataIndex: 'contractNumber',
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('evidence.project.amountShort'),
      dataIndex: 'amount',
      align: 'right',
      render: (v: string | null) => (v ? formatMoney(v) : t('common.none')),
      sorter: (a, b) => Number(a.amount ?? 0) - Number(b.amount ?? 0),
    },
    {
      title: t('evidence.project.signedOn'),
      dataIndex: 'signedOn',
      render: (v: string | null) => v ?? t('common.none'),
      sorter: (a, b) => (a.signedOn ?? '').localeCompare(b.signedOn ?? ''),
      defaultSortOrder: 'descend',
    },
    {
      title: t('evidence.project.acceptedOn'),
      dataIndex: 'acceptedOn',
      render: (v: string | null) => v ?? t('common.none'),
      sorter: (a, b) => (a.acceptedOn ?? '').localeCompare(b.acceptedOn ?? ''),
    },
    {
      title: t('evidence.project.status'),
      dataIndex: 'status',
      render: (s: ProjectStatus) => <Tag color={STATUS_COLORS[s]}>{t(`evidence.projectStatuses.${s}`)}</Tag>,
    },
    {
      title: t('evidence.project.manager'),
      dataIndex: 'managerName',
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('evidence.files'),
      key: 'files',
      render: (_: unknown, p) => p.files.length || t('common.none'),
    },
  ];
  return (
    <EvidenceList<'projects', ProjectValues>
      access={access}
      kind="projects"
      columns={columns}
      label={(p) => p.name}
      searchText={(p) => [p.name, p.client, p.contractNumber, p.managerName, ...p.technologies].join(' ')}
      filter={status ? (p) => p.status === status : undefined}
      toolbar={
        <Select
          allowClear
          aria-label={t('evidence.project.status')}
          placeholder={t('evidence.project.status')}
          value={status}
          onChange={setStatus}
          options={PROJECT_STATUSES.map((s) => ({ value: s, label: t(`evidence.projectStatuses.${s}`) }))}
          style={{ width: 140 }}
        />
      }
      editor={editor}
      imports={['projects']}
    />
  );
}
