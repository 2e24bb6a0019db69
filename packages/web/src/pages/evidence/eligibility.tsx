import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLegalEntity, useSaveLegalEntity } from '../../api/evidence';
import type { AdverseRecord, AdverseRecordInput, AdverseRecordKind, LegalEntity } from '../../api/types';
import { chinaToday, fromDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError, PageLoading } from '../../components/page-loading';
import { EvidenceList, type EvidenceAccess, type EvidenceEditor } from './evidence-list';
import {
  AttachmentsField,
  dayOrNull,
  dayValue,
  notBeforeRule,
  textOrNull,
  toAttachmentInputs,
  toAttachmentValues,
  useEvidenceRules,
  type AttachmentValue,
} from './fields';

export const ADVERSE_RECORD_KINDS = [
  'violation',
  'abnormal-operation',
  'serious-dishonesty',
] as const satisfies readonly AdverseRecordKind[];
const ADVERSE_RECORD_FILE_ROLES = ['listing-notice', 'removal-notice', 'other'] as const;
const LEGAL_ENTITY_FILE_ROLES = ['business-licence', 'articles', 'other'] as const;

/** 资格条件: what every applicant must be (an independent legal entity) and must not have (adverse records). */
export function EligibilityPanel({ access }: { access: EvidenceAccess }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={24} style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 820, margin: 0 }}>
        {t('evidence.eligibility.intro')}
      </Typography.Paragraph>
      <LegalEntityCard access={access} />
      <div>
        <Typography.Title level={5}>{t('evidence.sections.adverse-records')}</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ maxWidth: 820 }}>
          {t('evidence.adverse.intro')}
        </Typography.Paragraph>
        <AdverseRecordsList access={access} />
      </div>
    </Space>
  );
}

// ── Independent legal entity

interface LegalEntityValues {
  isIndependent?: boolean;
  confirmedOn?: Dayjs | null;
  notes?: string;
  files?: AttachmentValue[];
}

const LEGAL_ENTITY_FIELDS = ['isIndependent', 'confirmedOn', 'notes'] as const;

function LegalEntityCard({ access }: { access: EvidenceAccess }) {
  const entity = useLegalEntity(access.orgId);
  if (entity.isError) return <PageError error={entity.error} onRetry={() => void entity.refetch()} />;
  if (!entity.data) return <PageLoading />;
  // A fresh form whenever the stored confirmation changes.
  return <LegalEntityForm key={entity.data.updatedAt ?? 'new'} access={access} entity={entity.data} />;
}

function LegalEntityStatus({ entity }: { entity: LegalEntity }) {
  const { t } = useTranslation();
  if (entity.isIndependent === null) return <Tag>{t('evidence.legalEntity.unconfirmed')}</Tag>;
  return (
    <Space wrap>
      <Tag color={entity.isIndependent ? 'success' : 'error'}>
        {entity.isIndependent ? t('evidence.legalEntity.independent') : t('evidence.legalEntity.notIndependent')}
      </Tag>
      <Typography.Text type="secondary">
        {entity.confirmedByName
          ? t('evidence.legalEntity.confirmedBy', { name: entity.confirmedByName, date: entity.confirmedOn })
          : t('evidence.legalEntity.confirmedOnly', { date: entity.confirmedOn })}
      </Typography.Text>
    </Space>
  );
}

function LegalEntityForm({ access, entity }: { access: EvidenceAccess; entity: LegalEntity }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSaveLegalEntity(access.orgId);
  const { form, error, handleError, clearError } = useApiForm<LegalEntityValues>(LEGAL_ENTITY_FIELDS);
  const rules = useEvidenceRules();
  const initialValues = useMemo<LegalEntityValues>(
    () => ({
      isIndependent: entity.isIndependent ?? undefined,
      confirmedOn: fromDay(entity.confirmedOn ?? chinaToday()),
      notes: entity.notes ?? '',
      files: toAttachmentValues(entity.files),
    }),
    [entity],
  );
  const readOnly = !access.canEdit;

  const onFinish = async () => {
    clearError();
    const v = { ...initialValues, ...(form.getFieldsValue(true) as LegalEntityValues) };
    try {
      await save.mutateAsync({
        isIndependent: v.isIndependent === true,
        ...(v.confirmedOn ? { confirmedOn: dayOrNull(v.confirmedOn)! } : {}),
        notes: textOrNull(v.notes),
        files: toAttachmentInputs(v.files),
      });
      void message.success(t('evidence.legalEntity.saved'));
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Card size="small" title={t('evidence.legalEntity.title')} extra={<LegalEntityStatus entity={entity} />}>
      {entity.isIndependent === false ? (
        <Alert
          type="error"
          showIcon
          title={t('evidence.legalEntity.notIndependentHelp')}
          style={{ marginBottom: 16 }}
        />
      ) : entity.isIndependent && entity.files.length === 0 ? (
        <Alert type="info" showIcon title={t('evidence.legalEntity.noLicence')} style={{ marginBottom: 16 }} />
      ) : null}
      <Form<LegalEntityValues>
        form={form}
        name="legal-entity"
        layout="vertical"
        requiredMark="optional"
        initialValues={initialValues}
        onFinish={() => void onFinish()}
        disabled={readOnly || save.isPending}
      >
        <Row gutter={16}>
          <Col xs={24} md={14}>
            <Form.Item
              name="isIndependent"
              label={t('evidence.legalEntity.isIndependent')}
              rules={[
                {
                  required: true,
                  message: t('validation.required', { field: t('evidence.legalEntity.isIndependent') }),
                },
              ]}
            >
              <Radio.Group
                options={[
                  { value: true, label: t('evidence.legalEntity.independent') },
                  { value: false, label: t('evidence.legalEntity.notIndependent') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="confirmedOn" label={t('evidence.legalEntity.confirmedOn')}>
              <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} allowClear={false} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="notes" label={t('evidence.notes')} rules={[rules.max(2000, t('evidence.notes'))]}>
          <Input.TextArea rows={2} placeholder={t('evidence.legalEntity.notesPlaceholder')} />
        </Form.Item>
        <AttachmentsField orgId={access.orgId} roles={LEGAL_ENTITY_FILE_ROLES} disabled={readOnly || save.isPending} />
        <FormError message={error} />
        {readOnly ? null : (
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {entity.isIndependent === null ? t('evidence.legalEntity.confirm') : t('evidence.legalEntity.update')}
            </Button>
          </Flex>
        )}
      </Form>
    </Card>
  );
}

// ── Adverse records

interface AdverseValues {
  kind: AdverseRecordKind;
  listedOn?: Dayjs | null;
  clearedOn?: Dayjs | null;
  notes?: string;
  files?: AttachmentValue[];
}

const toValues = (r: AdverseRecord | undefined): AdverseValues => ({
  kind: r?.kind ?? 'abnormal-operation',
  listedOn: dayValue(r?.listedOn),
  clearedOn: dayValue(r?.clearedOn),
  notes: r?.notes ?? '',
  files: toAttachmentValues(r?.files),
});

const toInput = (v: AdverseValues): AdverseRecordInput => ({
  kind: v.kind,
  // The form requires the date; an empty one is left to the server to refuse in words.
  listedOn: dayOrNull(v.listedOn) ?? '',
  clearedOn: dayOrNull(v.clearedOn),
  notes: textOrNull(v.notes),
  files: toAttachmentInputs(v.files),
});

function AdverseFields() {
  const { t } = useTranslation();
  const rules = useEvidenceRules();
  return (
    <>
      <Form.Item
        name="kind"
        label={t('evidence.adverse.kind')}
        rules={[{ required: true, message: t('validation.required', { field: t('evidence.adverse.kind') }) }]}
      >
        <Select options={ADVERSE_RECORD_KINDS.map((k) => ({ value: k, label: t(`evidence.adverseKinds.${k}`) }))} />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            name="listedOn"
            label={t('evidence.adverse.listedOn')}
            rules={[{ required: true, message: t('validation.required', { field: t('evidence.adverse.listedOn') }) }]}
          >
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="clearedOn"
            label={t('evidence.adverse.clearedOn')}
            extra={t('evidence.adverse.clearedOnHelp')}
            dependencies={['listedOn']}
            rules={[notBeforeRule('listedOn', t('evidence.adverse.clearedBeforeListed'))]}
          >
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="notes" label={t('evidence.notes')} rules={[rules.max(2000, t('evidence.notes'))]}>
        <Input.TextArea rows={2} placeholder={t('evidence.adverse.notesPlaceholder')} />
      </Form.Item>
    </>
  );
}

function AdverseRecordsList({ access }: { access: EvidenceAccess }) {
  const { t } = useTranslation();
  const editor = useMemo<EvidenceEditor<'adverse-records', AdverseValues>>(
    () => ({
      fields: ['kind', 'listedOn', 'clearedOn', 'notes'],
      fileRoles: ADVERSE_RECORD_FILE_ROLES,
      toValues,
      toInput,
      renderFields: () => <AdverseFields />,
    }),
    [],
  );
  const label = (r: AdverseRecord) => `${t(`evidence.adverseKinds.${r.kind}`)}（${r.listedOn}）`;
  const columns: ColumnsType<AdverseRecord> = [
    {
      title: t('evidence.adverse.kind'),
      dataIndex: 'kind',
      render: (k: AdverseRecordKind) => <Typography.Link>{t(`evidence.adverseKinds.${k}`)}</Typography.Link>,
    },
    {
      title: t('evidence.adverse.listedOn'),
      dataIndex: 'listedOn',
      sorter: (a, b) => a.listedOn.localeCompare(b.listedOn),
      defaultSortOrder: 'descend',
    },
    {
      title: t('evidence.adverse.clearedOn'),
      dataIndex: 'clearedOn',
      render: (v: string | null) => (v ? v : <Tag color="error">{t('evidence.adverse.stillListed')}</Tag>),
    },
    {
      title: t('evidence.notes'),
      dataIndex: 'notes',
      render: (v: string | null) => (
        <Typography.Text ellipsis style={{ maxWidth: 280 }}>
          {v ?? t('common.none')}
        </Typography.Text>
      ),
    },
    { title: t('evidence.files'), key: 'files', render: (_: unknown, r) => r.files.length || t('common.none') },
  ];
  return (
    <EvidenceList<'adverse-records', AdverseValues>
      access={access}
      kind="adverse-records"
      columns={columns}
      label={label}
      searchText={(r) => `${t(`evidence.adverseKinds.${r.kind}`)} ${r.notes ?? ''}`}
      editor={editor}
    />
  );
}
