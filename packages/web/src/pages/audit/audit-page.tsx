import { Button, DatePicker, Form, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuditLog } from '../../api/audit';
import { useMembers } from '../../api/members';
import { canManageWorkspace, type AuditEntry, type AuditQuery } from '../../api/types';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import NotFoundPage from '../not-found/not-found-page';
import { useWorkspace } from '../../state/workspace';
import { translateDynamic } from '../../i18n';
import { formatSummary } from './format-summary';

const PAGE_SIZE = 20;

/** Actions the server records (its AuditAction union); others still show, by their code. */
const AUDIT_ACTIONS = [
  'setup.completed',
  'user.created',
  'user.password-changed',
  'user.password-reset-requested',
  'user.password-reset',
  'auth.login',
  'auth.login-failed',
  'auth.logout',
  'workspace.created',
  'member.invited',
  'member.joined',
  'invitation.revoked',
  'invitation.renewed',
  'member.added',
  'member.updated',
  'member.removed',
  'org.created',
  'org.updated',
  'org.deleted',
  'token.created',
  'token.revoked',
  'calendar.year-imported',
  'feed.created',
  'feed.revoked',
  'certificate.created',
  'certificate.updated',
  'certificate.transition',
  'event.recorded',
  'event.corrected',
  'event.withdrawn',
  'obligation.updated',
  'file.uploaded',
  'evidence.created',
  'evidence.updated',
  'evidence.deleted',
  'staff.id-number-revealed',
  'requirements.updated',
  'requirements.reset',
  'import.completed',
  'import.mapping-saved',
  'channel.created',
  'channel.updated',
  'channel.deleted',
  'channel.tested',
] as const;

function actionLabel(action: string): string {
  return translateDynamic(`audit.actions.${action}`) ?? action;
}

interface Filters {
  action?: string;
  actorId?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

/** The audit log of the current workspace (owners and admins), filtered and paginated on the server. */
export default function AuditPage() {
  const { t } = useTranslation();
  const { workspace, role } = useWorkspace();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const allowed = canManageWorkspace(role);
  const members = useMembers(allowed ? workspace?.id : undefined);

  const [from, to] = filters.dates ?? [null, null];
  const query: AuditQuery | undefined =
    workspace && allowed
      ? {
          workspaceId: workspace.id,
          ...(filters.action?.trim() ? { action: filters.action.trim() } : {}),
          ...(filters.actorId ? { actorId: filters.actorId } : {}),
          ...(from ? { from: from.format('YYYY-MM-DD') } : {}),
          ...(to ? { to: to.format('YYYY-MM-DD') } : {}),
          limit: PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
        }
      : undefined;
  const log = useAuditLog(query);

  if (!allowed) return <NotFoundPage />;

  return (
    <>
      <PageHeader title={t('audit.title')} />
      <Form
        form={form}
        name="auditFilters"
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(values) => {
          setFilters(values);
          setPage(1);
        }}
      >
        <Form.Item name="action">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t('audit.action')}
            placeholder={t('audit.filterAction')}
            style={{ width: 200 }}
            options={AUDIT_ACTIONS.map((action) => ({ value: action, label: actionLabel(action) }))}
          />
        </Form.Item>
        <Form.Item name="actorId">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t('audit.actor')}
            placeholder={t('audit.filterActor')}
            style={{ width: 200 }}
            options={(members.data ?? []).map((m) => ({ value: m.userId, label: `${m.name} <${m.email}>` }))}
          />
        </Form.Item>
        <Form.Item name="dates">
          <DatePicker.RangePicker aria-label={t('audit.filterDates')} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
                setPage(1);
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {log.isError ? (
        <PageError error={log.error} onRetry={() => void log.refetch()} />
      ) : (
        <Table<AuditEntry>
          aria-label={t('audit.table')}
          rowKey="id"
          size="middle"
          loading={log.isFetching}
          dataSource={log.data?.items ?? []}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: log.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: setPage,
          }}
          columns={[
            {
              title: t('audit.at'),
              dataIndex: 'at',
              width: 170,
              render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss'),
            },
            {
              title: t('audit.actor'),
              dataIndex: 'actor',
              width: 120,
              render: (actor: AuditEntry['actor']) =>
                actor ? (
                  <span title={actor.email}>{actor.name}</span>
                ) : (
                  <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>
                ),
            },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              width: 140,
              render: (v: string) => <Tag title={v}>{actionLabel(v)}</Tag>,
            },
            {
              title: t('audit.target'),
              key: 'target',
              width: 150,
              render: (_: unknown, entry) =>
                entry.targetId ? `${entry.targetType} ${entry.targetId.slice(0, 8)}` : entry.targetType,
            },
            { title: t('audit.summary'), dataIndex: 'summary', render: (v: unknown) => formatSummary(v) },
            { title: t('audit.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? t('common.none') },
          ]}
        />
      )}
    </>
  );
}
