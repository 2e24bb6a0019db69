import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { validateIdNumber } from '@zizhi/core';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useRevealIdNumber } from '../../api/evidence';
import { canEditOrgs, type QualificationKind, type Staff, type StaffInput } from '../../api/types';
import { chinaToday } from '../../components/domain';
import { useWorkspace } from '../../state/workspace';
import { EvidenceList, type EvidenceAccess, type EvidenceEditor } from './evidence-list';
import {
  dayOrNull,
  dayValue,
  monthOrNull,
  notBeforeRule,
  textOrNull,
  toAttachmentInputs,
  toAttachmentValues,
  useEvidenceRules,
  type AttachmentValue,
} from './fields';

export const QUALIFICATION_KINDS = [
  'pmp',
  'senior-pm',
  'si-pm',
  'other',
] as const satisfies readonly QualificationKind[];
const STAFF_FILE_ROLES = ['id-card', 'social-insurance', 'qualification', 'labour-contract', 'other'] as const;

interface QualificationValues {
  id?: string;
  kind: QualificationKind;
  name?: string;
  number?: string;
  issuedOn?: Dayjs | null;
  expiresOn?: Dayjs | null;
}

interface StaffValues {
  name: string;
  idNumber?: string;
  role?: string;
  isRnd?: boolean;
  isTechnical?: boolean;
  employedFrom?: Dayjs | null;
  employedUntil?: Dayjs | null;
  socialInsuranceFrom?: Dayjs | null;
  socialInsuranceUntil?: Dayjs | null;
  qualifications?: QualificationValues[];
  notes?: string;
  files?: AttachmentValue[];
}

const monthValue = (value: string | null | undefined) => (value ? dayjs(`${value}-01`, 'YYYY-MM-DD') : null);

const toValues = (s: Staff | undefined): StaffValues => ({
  name: s?.name ?? '',
  idNumber: s?.idNumber ?? '',
  role: s?.role ?? '',
  isRnd: s?.isRnd ?? false,
  isTechnical: s?.isTechnical ?? false,
  employedFrom: dayValue(s?.employedFrom),
  employedUntil: dayValue(s?.employedUntil),
  socialInsuranceFrom: monthValue(s?.socialInsuranceFrom),
  socialInsuranceUntil: monthValue(s?.socialInsuranceUntil),
  qualifications: (s?.qualifications ?? []).map((q) => ({
    id: q.id,
    kind: q.kind,
    name: q.name ?? '',
    number: q.number ?? '',
    issuedOn: dayValue(q.issuedOn),
    expiresOn: dayValue(q.expiresOn),
  })),
  notes: s?.notes ?? '',
  files: toAttachmentValues(s?.files),
});

const toInput = (v: StaffValues): StaffInput => ({
  name: (v.name ?? '').trim(),
  idNumber: textOrNull(v.idNumber)?.toUpperCase() ?? null,
  role: textOrNull(v.role),
  isRnd: Boolean(v.isRnd),
  isTechnical: Boolean(v.isTechnical),
  employedFrom: dayOrNull(v.employedFrom),
  employedUntil: dayOrNull(v.employedUntil),
  socialInsuranceFrom: monthOrNull(v.socialInsuranceFrom),
  socialInsuranceUntil: monthOrNull(v.socialInsuranceUntil),
  qualifications: (v.qualifications ?? []).map((q) => ({
    ...(q.id ? { id: q.id } : {}),
    kind: q.kind,
    name: textOrNull(q.name),
    number: textOrNull(q.number),
    issuedOn: dayOrNull(q.issuedOn),
    expiresOn: dayOrNull(q.expiresOn),
  })),
  notes: textOrNull(v.notes),
  files: toAttachmentInputs(v.files),
});

const FIELDS = [
  'name',
  'idNumber',
  'role',
  'isRnd',
  'isTechnical',
  'employedFrom',
  'employedUntil',
  'socialInsuranceFrom',
  'socialInsuranceUntil',
  'notes',
];

function QualificationsField() {
  const { t } = useTranslation();
  const rules = useEvidenceRules();
  return (
    <Form.Item label={t('evidence.staff.qualifications')}>
      <Form.List name="qualifications">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((field, index) => (
              <Card
                key={field.key}
                size="small"
                title={t('evidence.staff.qualificationN', { n: index + 1 })}
                extra={
                  <Button
                    type="text"
                    danger
                    size="small"
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t('evidence.staff.removeQualification', { n: index + 1 })}
                  />
                }
              >
                <Row gutter={12}>
                  <Col span={12}>
                    <Form.Item
                      name={[field.name, 'kind']}
                      label={t('evidence.staff.qualificationKind')}
                      rules={[
                        {
                          required: true,
                          message: t('validation.required', { field: t('evidence.staff.qualificationKind') }),
                        },
                      ]}
                    >
                      <Select
                        options={QUALIFICATION_KINDS.map((k) => ({
                          value: k,
                          label: t(`evidence.qualificationKinds.${k}`),
                        }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item
                      name={[field.name, 'name']}
                      label={t('evidence.staff.qualificationName')}
                      rules={[rules.max(100, t('evidence.staff.qualificationName'))]}
                    >
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item
                      name={[field.name, 'number']}
                      label={t('evidence.staff.qualificationNumber')}
                      rules={[rules.max(100, t('evidence.staff.qualificationNumber'))]}
                    >
                      <Input autoComplete="off" />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item name={[field.name, 'issuedOn']} label={t('evidence.issuedOn')}>
                      <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item
                      name={[field.name, 'expiresOn']}
                      label={t('evidence.expiresOn')}
                      dependencies={[['qualifications', field.name, 'issuedOn']]}
                      rules={[
                        notBeforeRule(
                          ['qualifications', field.name, 'issuedOn'],
                          t('evidence.validation.expiresBeforeIssued'),
                        ),
                      ]}
                    >
                      <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'pmp' })}>
              {t('evidence.staff.addQualification')}
            </Button>
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
}

/**
 * The ID number as the form holds it. A recorded number arrives masked and stays so, read-only,
 * until the person chooses “修改” (which empties the field for a new number); an untouched masked
 * value is never sent, since a save sends only changed fields. Managers and above may show the
 * full number (the server records that in the audit log) without it entering the form.
 */
function IdNumberInput({
  id,
  value,
  onChange,
  disabled,
  orgId,
  staffId,
  stored,
}: {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
  disabled?: boolean;
  orgId: string;
  staffId: string | undefined;
  /** The masked number as loaded; undefined for a new record or one without a number. */
  stored: string | undefined;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { role } = useWorkspace();
  const reveal = useRevealIdNumber(orgId, staffId ?? '');
  const canReveal = canEditOrgs(role) && Boolean(staffId);
  const untouched = stored !== undefined && value === stored;

  if (!untouched) {
    return (
      <Flex vertical gap={4}>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            id={id}
            value={value}
            onChange={(e) => onChange?.(e.target.value)}
            disabled={disabled}
            autoComplete="off"
            maxLength={18}
            autoFocus={stored !== undefined}
            style={{ fontFamily: 'monospace' }}
          />
          {stored !== undefined ? (
            <Button onClick={() => onChange?.(stored)} disabled={disabled}>
              {t('evidence.staff.cancelChange')}
            </Button>
          ) : null}
        </Space.Compact>
        {stored !== undefined ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('evidence.staff.changeHelp')}
          </Typography.Text>
        ) : null}
      </Flex>
    );
  }

  const revealed = reveal.data?.idNumber ?? null;
  const onReveal = () => reveal.mutate(undefined, { onError: (err) => void message.error(describeError(err)) });
  return (
    <Flex vertical gap={4}>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          id={id}
          readOnly
          value={revealed ?? value}
          style={{ fontFamily: 'monospace' }}
          data-testid={revealed ? 'id-number-revealed' : 'id-number-masked'}
        />
        <Button onClick={() => onChange?.('')} disabled={disabled}>
          {t('evidence.staff.changeIdNumber')}
        </Button>
        {canReveal && !revealed ? (
          <Button onClick={onReveal} loading={reveal.isPending}>
            {t('evidence.staff.revealIdNumber')}
          </Button>
        ) : null}
      </Space.Compact>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {revealed
          ? t('evidence.staff.revealedNote')
          : canReveal
            ? `${t('evidence.staff.idNumberMasked')}${t('evidence.staff.revealHelp')}`
            : t('evidence.staff.idNumberMasked')}
      </Typography.Text>
    </Flex>
  );
}

function StaffFields({ orgId, staff }: { orgId: string; staff: Staff | undefined }) {
  const { t } = useTranslation();
  const rules = useEvidenceRules();
  const stored = staff?.idNumber ?? undefined;
  return (
    <>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="name"
            label={t('evidence.staff.name')}
            rules={[rules.required(t('evidence.staff.name')), rules.max(200, t('evidence.staff.name'))]}
          >
            <Input />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="idNumber"
            label={t('evidence.staff.idNumber')}
            rules={[
              {
                validator: (_, value: string | undefined) => {
                  // The masked number as loaded is not checked: it is not sent unless changed.
                  if (stored !== undefined && value === stored) return Promise.resolve();
                  const v = value?.trim();
                  const check = v ? validateIdNumber(v, { today: chinaToday() }) : null;
                  return check && !check.valid
                    ? Promise.reject(new Error(t(`evidence.idNumberProblems.${check.problem}`)))
                    : Promise.resolve();
                },
              },
            ]}
          >
            <IdNumberInput orgId={orgId} staffId={staff?.id} stored={stored} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="role" label={t('evidence.staff.role')} rules={[rules.max(100, t('evidence.staff.role'))]}>
            <Input placeholder={t('evidence.staff.rolePlaceholder')} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label={t('evidence.staff.category')}>
            <Space>
              <Form.Item name="isRnd" valuePropName="checked" noStyle>
                <Checkbox>{t('evidence.staff.isRnd')}</Checkbox>
              </Form.Item>
              <Form.Item name="isTechnical" valuePropName="checked" noStyle>
                <Checkbox>{t('evidence.staff.isTechnical')}</Checkbox>
              </Form.Item>
            </Space>
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="employedFrom" label={t('evidence.staff.employedFrom')}>
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="employedUntil"
            label={t('evidence.staff.employedUntil')}
            extra={t('evidence.staff.employedUntilHelp')}
            dependencies={['employedFrom']}
            rules={[notBeforeRule('employedFrom', t('evidence.validation.leftBeforeJoined'))]}
          >
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="socialInsuranceFrom" label={t('evidence.staff.socialInsuranceFrom')}>
            <DatePicker picker="month" format="YYYY-MM" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="socialInsuranceUntil"
            label={t('evidence.staff.socialInsuranceUntil')}
            extra={t('evidence.staff.socialInsuranceUntilHelp')}
            dependencies={['socialInsuranceFrom']}
            rules={[notBeforeRule('socialInsuranceFrom', t('evidence.validation.insuranceEndBeforeStart'), 'month')]}
          >
            <DatePicker picker="month" format="YYYY-MM" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <QualificationsField />
      <Form.Item name="notes" label={t('evidence.notes')} rules={[rules.max(2000, t('evidence.notes'))]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </>
  );
}

type Employment = 'current' | 'left';

/** 人员: staff with social insurance and qualifications; ID numbers masked in the list. */
export function StaffList({ access }: { access: EvidenceAccess }) {
  const { t } = useTranslation();
  const today = chinaToday();
  const [employment, setEmployment] = useState<Employment | undefined>();
  const editor = useMemo<EvidenceEditor<'staff', StaffValues>>(
    () => ({
      fields: FIELDS,
      fileRoles: STAFF_FILE_ROLES,
      toValues,
      toInput,
      renderFields: (_form, { item, access }) => <StaffFields orgId={access.orgId} staff={item} />,
    }),
    [],
  );
  const isCurrent = (s: Staff) => !s.employedUntil || s.employedUntil >= today;
  const columns: ColumnsType<Staff> = [
    {
      title: t('evidence.staff.name'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Link>{name}</Typography.Link>,
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
    },
    {
      title: t('evidence.staff.idNumber'),
      dataIndex: 'idNumber',
      render: (v: string | null) =>
        v ? <Typography.Text style={{ fontFamily: 'monospace' }}>{v}</Typography.Text> : t('common.none'),
    },
    { title: t('evidence.staff.role'), dataIndex: 'role', render: (v: string | null) => v ?? t('common.none') },
    {
      title: t('evidence.staff.category'),
      key: 'category',
      render: (_: unknown, s) => (
        <Space size={4}>
          {s.isRnd ? <Tag color="purple">{t('evidence.staff.isRnd')}</Tag> : null}
          {s.isTechnical ? <Tag color="geekblue">{t('evidence.staff.isTechnical')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('evidence.staff.employment'),
      key: 'employment',
      render: (_: unknown, s) =>
        s.employedFrom || s.employedUntil
          ? `${s.employedFrom ?? '?'} ~ ${s.employedUntil ?? t('evidence.staff.present')}`
          : t('common.none'),
    },
    {
      title: t('evidence.staff.socialInsurance'),
      key: 'socialInsurance',
      render: (_: unknown, s) =>
        s.socialInsuranceFrom
          ? `${s.socialInsuranceFrom} ~ ${s.socialInsuranceUntil ?? t('evidence.staff.present')}`
          : t('common.none'),
    },
    {
      title: t('evidence.staff.qualifications'),
      key: 'qualifications',
      render: (_: unknown, s) => (
        <Space size={4} wrap>
          {s.qualifications.map((q) => {
            const expired = Boolean(q.expiresOn && q.expiresOn < today);
            const title = q.kind === 'other' && q.name ? q.name : t(`evidence.qualificationKinds.${q.kind}`);
            return (
              <Tag key={q.id} color={expired ? 'red' : 'green'}>
                {expired ? t('evidence.staff.expiredTag', { name: title }) : title}
              </Tag>
            );
          })}
        </Space>
      ),
    },
    { title: t('evidence.files'), key: 'files', render: (_: unknown, s) => s.files.length || t('common.none') },
  ];
  return (
    <EvidenceList<'staff', StaffValues>
      access={access}
      kind="staff"
      columns={columns}
      label={(s) => s.name}
      searchText={(s) =>
        [s.name, s.role, s.idNumber, ...s.qualifications.map((q) => `${q.name ?? ''} ${q.number ?? ''}`)].join(' ')
      }
      filter={employment ? (s) => (employment === 'current') === isCurrent(s) : undefined}
      toolbar={
        <Select
          allowClear
          aria-label={t('evidence.staff.employment')}
          placeholder={t('evidence.staff.employment')}
          value={employment}
          onChange={setEmployment}
          options={[
            { value: 'current', label: t('evidence.staff.current') },
            { value: 'left', label: t('evidence.staff.left') },
          ]}
          style={{ width: 120 }}
        />
      }
      editor={editor}
      imports={['staff', 'qualifications']}
      exports={['staff', 'qualifications']}
    />
  );
}
