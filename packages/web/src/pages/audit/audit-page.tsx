import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuditLog } from '../../api/audit';
import { describeError } from '../../api/errors';
import { useMembers } from '../../api/members';
import { canManageWorkspace, type AuditEntry, type AuditQuery } from '../../api/types';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import NotFoundPage from '../not-found/not-found-page';
import { useOrgs } from '../../api/orgs';
import { useWorkspace } from '../../state/workspace';
import { actionLabel, AUDIT_ACTIONS, describeTarget, formatSummary, type AuditContext } from './format-summary';

const PAGE_SIZE = 20;

interface Filters {
  action?: string;
  actorId?: string;
  orgId?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

/** The audit log of the current workspace (owners and admins), filtered and paginated on the server. */
export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const { workspace, role } = useWorkspace();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const allowed = canManageWorkspace(role);
  const members = useMembers(allowed ? workspace?.id : undefined);
  const orgs = useOrgs(allowed ? workspace?.id : undefined);
  const orgNames = new Map((orgs.data ?? []).map((o) => [o.id, o.name]));
  const memberNames = new Map((members.data ?? []).map((m) => [m.userId, m.name]));
  const context: AuditContext = {
    i18n,
    orgName: (id) => orgNames.get(id),
    personName: (id) => memberNames.get(id),
  };

  const [from, to] = filters.dates ?? [null, null];
  const filterQuery: Omit<AuditQuery, 'limit' | 'offset'> | undefined =
    workspace && allowed
      ? {
          workspaceId: workspace.id,
          ...(filters.action?.trim() ? { action: filters.action.trim() } : {}),
          ...(filters.actorId ? { actorId: filters.actorId } : {}),
          ...(filters.orgId ? { orgId: filters.orgId } : {}),
          ...(from ? { from: from.format('YYYY-MM-DD') } : {}),
          ...(to ? { to: to.format('YYYY-MM-DD') } : {}),
        }
      : undefined;
  const query: AuditQuery | undefined = filterQuery
    ? { ...filterQuery, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }
    : undefined;
  const log = useAuditLog(query);

  const onExport = async () => {
    if (!filterQuery) return;
    const key = 'audit-export';
    setExporting(true);
    try {
      const { exportAuditLog, TooManyRows, MAX_EXPORT_ROWS } = await import('./export-audit');
      try {
        const count = await exportAuditLog(
          filterQuery,
          { ...context, orgName: (id) => orgNames.get(id) },
          (done, total) => void message.loading({ key, content: t('audit.exporting', { done, total }), duration: 0 }),
        );
        if (count === 0) void message.info({ key, content: t('audit.exportEmpty') });
        else void message.success({ key, content: t('audit.exported', { count }) });
      } catch (err) {
        if (err instanceof TooManyRows) {
          void message.warning({
            key,
            content: t('audit.exportTooMany', { total: err.total, max: MAX_EXPORT_ROWS }),
            duration: 8,
          });
        } else throw err;
      }
    } catch (err) {
      void message.error({ key, content: describeError(err) });
    } finally {
      setExporting(false);
    }
  };

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
            options={AUDIT_ACTIONS.map((action) => ({ value: action, label: actionLabel(action, context) }))}
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
        <Form.Item name="orgId">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t('audit.org')}
            placeholder={t('audit.filterOrg')}
            style={{ width: 220 }}
            options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
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
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void onExport()}>
              {t('audit.export')}
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
              render: (v: string) => <Tag>{actionLabel(v, context)}</Tag>,
            },
            {
              title: t('audit.target'),
              key: 'target',
              width: 150,
              render: (_: unknown, entry) => describeTarget(entry, context),
            },
            { title: t('audit.summary'), key: 'summary', render: (_: unknown, entry) => formatSummary(entry, context) },
            { title: t('audit.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? t('common.none') },
          ]}
        />
      )}
    </>
  );
}
