import { ArrowLeftOutlined, FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { auditReportUrl, useAudit, useChecklist, useCloseAudit, useUpdateItem } from '../../api/audits';
import { describeError } from '../../api/errors';
import { useOrg } from '../../api/orgs';
import type { Audit, ChecklistItem } from '../../api/types';
import { canEditOrgs } from '../../api/types';
import { chinaToday, fromDay, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError, PageLoading } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';

type Result = NonNullable<ChecklistItem['result']>;
const RESULTS: Result[] = ['conform', 'nonconform', 'observation'];

/** One internal audit: its checklist with each line's result and corrective action, the report, closing it. */
export default function AuditPage() {
  const { orgId = '', auditId = '' } = useParams();
  const audit = useAudit(orgId, auditId);
  if (audit.isPending) return <PageLoading />;
  if (audit.isError) return <PageError error={audit.error} onRetry={() => void audit.refetch()} />;
  return <AuditView orgId={orgId} audit={audit.data} />;
}

function AuditView({ orgId, audit }: { orgId: string; audit: Audit }) {
  const { t } = useTranslation();
  const org = useOrg(orgId);
  const { workspaces } = useWorkspace();
  const role = workspaces.find((w) => w.id === org.data?.workspaceId)?.role;
  const open = audit.status === 'open';
  const canEdit = canEditOrgs(role) && open;
  const checklist = useChecklist(orgId, audit.id);
  const [nonconform, setNonconform] = useState<ChecklistItem | null>(null);
  const [closing, setClosing] = useState(false);
  const update = useUpdateItem(orgId, audit.id);
  const { message } = App.useApp();

  const setResult = async (item: ChecklistItem, result: Result) => {
    if (result === 'nonconform') {
      setNonconform(item);
      return;
    }
    try {
      await update.mutateAsync({ itemId: item.id, body: { result } });
    } catch (err) {
      void message.error(describeError(err));
    }
  };

  return (
    <>
      <Link to={`/orgs/${orgId}/certificates/${audit.certificateId}`}>
        <ArrowLeftOutlined /> {t('audits.backToCertificate')}
      </Link>
      <PageHeader
        title={
          <Space>
            {t('audits.heading', { from: audit.periodStart, to: audit.periodEnd })}
            {open ? (
              <Tag color="processing">{t('audits.open')}</Tag>
            ) : (
              <Tag color="success">{t('audits.closedOn', { date: audit.closedOn })}</Tag>
            )}
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<FileWordOutlined />} href={auditReportUrl(orgId, audit.id, 'docx')}>
              {t('audits.reportWord')}
            </Button>
            <Button icon={<FilePdfOutlined />} href={auditReportUrl(orgId, audit.id, 'pdf')}>
              {t('audits.reportPdf')}
            </Button>
            {canEdit ? (
              <Button type="primary" onClick={() => setClosing(true)}>
                {t('audits.close')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('audits.org')}>{org.data?.name ?? '…'}</Descriptions.Item>
          <Descriptions.Item label={t('audits.auditors')}>{audit.auditors.join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('audits.findings')}>
            <span data-testid="audit-counts">
              {t('audits.countsLong', {
                items: audit.counts.items,
                conform: audit.counts.conform,
                nonconform: audit.counts.nonconform,
                observation: audit.counts.observation,
                undecided: audit.counts.undecided,
              })}
            </span>
          </Descriptions.Item>
          {audit.scope ? <Descriptions.Item label={t('audits.scope')}>{audit.scope}</Descriptions.Item> : null}
          {audit.conclusion ? (
            <Descriptions.Item label={t('audits.conclusion')}>{audit.conclusion}</Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      <Card title={t('audits.checklist')} style={{ marginTop: 16 }}>
        <Table<ChecklistItem>
          rowKey="id"
          size="small"
          loading={checklist.isPending}
          dataSource={checklist.data ?? []}
          pagination={false}
          aria-label={t('audits.checklist')}
          columns={[
            { title: t('audits.position'), dataIndex: 'position', width: 60 },
            { title: t('audits.point'), dataIndex: 'text' },
            {
              title: t('audits.result'),
              key: 'result',
              width: 130,
              render: (_: unknown, item) =>
                canEdit ? (
                  <Select<Result>
                    aria-label={t('audits.resultOf', { position: item.position })}
                    value={item.result ?? undefined}
                    placeholder={t('audits.choose')}
                    style={{ width: 110 }}
                    onChange={(r) => void setResult(item, r)}
                    options={RESULTS.map((r) => ({ value: r, label: t(`audits.results.${r}`) }))}
                  />
                ) : item.result ? (
                  <ResultTag result={item.result} />
                ) : (
                  <Typography.Text type="secondary">{t('audits.undecided')}</Typography.Text>
                ),
            },
            {
              title: t('audits.action'),
              key: 'action',
              width: 260,
              render: (_: unknown, item) =>
                item.action ? (
                  <Space direction="vertical" size={0}>
                    <span>{item.action.title}</span>
                    <Typography.Text type="secondary">
                      {t('audits.actionLine', {
                        owner: item.action.assigneeName ?? t('common.none'),
                        due: item.action.dueDate,
                        status: t(`audits.actionStatus.${item.action.status}`, { defaultValue: item.action.status }),
                      })}
                    </Typography.Text>
                  </Space>
                ) : item.note ? (
                  <Typography.Text type="secondary">{item.note}</Typography.Text>
                ) : null,
            },
          ]}
        />
      </Card>
      {nonconform ? (
        <NonconformityModal orgId={orgId} auditId={audit.id} item={nonconform} onClose={() => setNonconform(null)} />
      ) : null}
      {closing ? <CloseModal orgId={orgId} audit={audit} onClose={() => setClosing(false)} /> : null}
    </>
  );
}

function ResultTag({ result }: { result: Result }) {
  const { t } = useTranslation();
  const color = result === 'conform' ? 'success' : result === 'nonconform' ? 'error' : 'warning';
  return <Tag color={color}>{t(`audits.results.${result}`)}</Tag>;
}

interface NonconformValues {
  note?: string;
  title: string;
  dueDate: Dayjs;
}

function NonconformityModal({
  orgId,
  auditId,
  item,
  onClose,
}: {
  orgId: string;
  auditId: string;
  item: ChecklistItem;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateItem(orgId, auditId);
  const { form, error, handleError, clearError } = useApiForm<NonconformValues>([
    'note',
    'action.title',
    'action.dueDate',
  ]);
  const onFinish = async (values: NonconformValues) => {
    clearError();
    try {
      await update.mutateAsync({
        itemId: item.id,
        body: {
          result: 'nonconform',
          ...(values.note?.trim() ? { note: values.note.trim() } : {}),
          action: { title: values.title.trim(), dueDate: toDay(values.dueDate) },
        },
      });
      void message.success(t('audits.actionCreated'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={t('audits.nonconformTitle', { position: item.position })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
    >
      <Alert type="info" showIcon title={item.text} style={{ marginBottom: 16 }} />
      <FormError message={error} />
      <Form<NonconformValues>
        form={form}
        name="nonconformity"
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        initialValues={{ title: item.text.slice(0, 180), dueDate: dayjs(chinaToday()).add(30, 'day') }}
      >
        <Form.Item name="note" label={t('audits.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('audits.actionTitle')}
          extra={t('audits.actionHelp')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required', { field: t('audits.actionTitle') }) },
          ]}
        >
          <Input maxLength={180} />
        </Form.Item>
        <Form.Item
          name="dueDate"
          label={t('audits.actionDue')}
          rules={[{ required: true, message: t('validation.required', { field: t('audits.actionDue') }) }]}
        >
          <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface CloseValues {
  conclusion: string;
  closedOn: Dayjs;
}

function CloseModal({ orgId, audit, onClose }: { orgId: string; audit: Audit; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const close = useCloseAudit(orgId, audit.id);
  const { form, error, handleError, clearError } = useApiForm<CloseValues>(['conclusion', 'closedOn']);
  const onFinish = async (values: CloseValues) => {
    clearError();
    try {
      const closed = await close.mutateAsync({
        conclusion: values.conclusion.trim(),
        closedOn: toDay(values.closedOn),
      });
      void message.success(closed.obligationId ? t('audits.closedDuty') : t('audits.closed'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={t('audits.closeTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('audits.closeOk')}
      cancelText={t('common.cancel')}
      confirmLoading={close.isPending}
    >
      <Typography.Paragraph type="secondary">{t('audits.closeHelp')}</Typography.Paragraph>
      <FormError message={error} />
      <Form<CloseValues>
        form={form}
        name="close-audit"
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        initialValues={{ closedOn: fromDay(chinaToday()) }}
      >
        <Form.Item
          name="conclusion"
          label={t('audits.conclusion')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required', { field: t('audits.conclusion') }) },
          ]}
        >
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
        <Form.Item
          name="closedOn"
          label={t('audits.closedOnLabel')}
          rules={[{ required: true, message: t('validation.required', { field: t('audits.closedOnLabel') }) }]}
        >
          <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
