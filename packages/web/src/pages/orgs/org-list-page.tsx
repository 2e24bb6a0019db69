import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCreateOrg, useOrgOverview } from '../../api/orgs';
import { canEditOrgs, type OrgOverviewQuery, type OrgOverviewRow } from '../../api/types';
import { chinaToday, engineText, LEVELS, StateTag, useLevelLabel } from '../../components/domain';
import { useDebounced } from '../../components/use-debounced';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { ORG_FIELDS, OrgForm, toOrgFields, type OrgFormValues } from './org-form';

const SORTS = ['name', 'expiry', 'next', 'overdue'] as const;
const EXPIRY = ['expired', 'within90', 'within180', 'within365', 'none'] as const;
const DUE_WITHIN = [7, 30, 90] as const;
const READINESS = ['met', 'not-met', 'unknown'] as const;
const READINESS_COLORS = { met: 'success', 'not-met': 'error', unknown: 'default' } as const;

/**
 * The organisations (企业) of the current workspace as a consultancy with many clients works
 * through them: searched, filtered and sorted on the server, 50 at a time, each row with its
 * certificate, expiry, next deadline, late work and readiness. Filters live in the address, so a
 * filtered list can be bookmarked and the back button restores it.
 */
export default function OrgListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const levelLabel = useLevelLabel();
  const { workspace, role } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState(() => params.get('q') ?? '');
  const q = useDebounced(search.trim(), 300);

  const query: OrgOverviewQuery = {};
  const level = params.get('level');
  if (level && (LEVELS as readonly string[]).includes(level)) query.level = level;
  const expiry = params.get('expiry');
  if (expiry && (EXPIRY as readonly string[]).includes(expiry)) query.expiry = expiry as (typeof EXPIRY)[number];
  const due = Number(params.get('dueWithin'));
  if ((DUE_WITHIN as readonly number[]).includes(due)) query.dueWithin = due;
  if (params.get('overdueOnly') === 'true') query.overdueOnly = 'true';
  const readiness = params.get('readiness');
  if (readiness && (READINESS as readonly string[]).includes(readiness)) {
    query.readiness = readiness as (typeof READINESS)[number];
  }
  const sort = params.get('sort');
  if (sort && (SORTS as readonly string[]).includes(sort)) query.sort = sort as (typeof SORTS)[number];
  if (q) query.q = q;
  const overview = useOrgOverview(workspace?.id, query);

  const setFilter = (key: string, value: string | undefined | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const filtered = Object.keys(query).some((k) => k !== 'sort');

  if (overview.isError) return <PageError error={overview.error} onRetry={() => void overview.refetch()} />;
  const items = overview.data?.items ?? [];
  const total = overview.data ? overview.data.total : 0;
  const today = chinaToday();

  return (
    <>
      <PageHeader
        title={t('orgs.title')}
        extra={
          canEditOrgs(role) && workspace ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('orgs.create')}
            </Button>
          ) : undefined
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('orgs.search')}
          placeholder={t('orgs.search')}
          allowClear
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setFilter('q', event.target.value.trim() || null);
          }}
          style={{ width: 300, maxWidth: '100%' }}
        />
        <Select
          aria-label={t('orgs.filterLevel')}
          placeholder={t('orgs.filterLevel')}
          allowClear
          value={query.level}
          onChange={(v: string | undefined) => setFilter('level', v)}
          options={LEVELS.map((l) => ({ value: l, label: levelLabel(l) }))}
          style={{ minWidth: 140 }}
        />
        <Select
          aria-label={t('orgs.filterExpiry')}
          placeholder={t('orgs.filterExpiry')}
          allowClear
          value={query.expiry}
          onChange={(v: string | undefined) => setFilter('expiry', v)}
          options={EXPIRY.map((e) => ({ value: e, label: t(`orgs.expiryFilters.${e}`) }))}
          style={{ minWidth: 150 }}
        />
        <Select
          aria-label={t('orgs.filterDue')}
          placeholder={t('orgs.filterDue')}
          allowClear
          value={query.dueWithin}
          onChange={(v: number | undefined) => setFilter('dueWithin', v ? String(v) : null)}
          options={DUE_WITHIN.map((d) => ({ value: d, label: t('orgs.dueWithin', { days: d }) }))}
          style={{ minWidth: 150 }}
        />
        <Select
          aria-label={t('orgs.readiness')}
          placeholder={t('orgs.readiness')}
          allowClear
          value={query.readiness}
          onChange={(v: string | undefined) => setFilter('readiness', v)}
          options={READINESS.map((r) => ({ value: r, label: t(`orgs.readinessStatuses.${r}`) }))}
          style={{ minWidth: 120 }}
        />
        <Checkbox
          checked={query.overdueOnly === 'true'}
          onChange={(event) => setFilter('overdueOnly', event.target.checked ? 'true' : null)}
        >
          {t('orgs.overdueOnly')}
        </Checkbox>
        <Select
          aria-label={t('orgs.sort')}
          value={query.sort ?? 'name'}
          onChange={(v: string) => setFilter('sort', v === 'name' ? null : v)}
          options={SORTS.map((s) => ({ value: s, label: t(`orgs.sorts.${s}`) }))}
          style={{ minWidth: 150 }}
        />
        {filtered ? (
          <Button
            type="link"
            onClick={() => {
              setSearch('');
              setParams(query.sort ? { sort: query.sort } : {}, { replace: true });
            }}
          >
            {t('orgs.clearFilters')}
          </Button>
        ) : null}
        <Typography.Text type="secondary" data-testid="org-count">
          {total === null ? t('orgs.countFound', { count: items.length }) : t('orgs.count', { count: total })}
        </Typography.Text>
      </Space>
      <Table<OrgOverviewRow>
        aria-label={t('orgs.table')}
        rowKey="id"
        loading={overview.isFetching && !overview.isFetchingNextPage && Boolean(workspace)}
        dataSource={items}
        locale={{ emptyText: t('orgs.empty') }}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(org) => ({ onClick: () => void navigate(`/orgs/${org.id}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('orgs.name'),
            key: 'name',
            render: (_: unknown, org) => (
              <Space orientation="vertical" size={0}>
                <Link to={`/orgs/${org.id}`} onClick={(event) => event.stopPropagation()}>
                  {org.name}
                </Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {org.creditCode}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('orgs.certificate'),
            key: 'certificate',
            render: (_: unknown, org) =>
              org.certificate ? (
                <Space size={4} wrap>
                  <Typography.Text>{levelLabel(org.certificate.level)}</Typography.Text>
                  <StateTag state={org.certificate.state} />
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('orgs.noCertificate')}</Typography.Text>
              ),
          },
          {
            title: t('orgs.expiresOn'),
            key: 'expiresOn',
            render: (_: unknown, org) => {
              const c = org.certificate;
              if (!c) return t('common.none');
              const live = c.state === 'active' || c.state === 'suspended';
              const left = daysBetween(today, c.expiresOn);
              return (
                <Space orientation="vertical" size={0}>
                  <span style={{ whiteSpace: 'nowrap' }}>{c.expiresOn}</span>
                  {live ? (
                    <Typography.Text type={left <= 90 ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                      {t('orgs.daysLeft', { count: left })}
                    </Typography.Text>
                  ) : null}
                </Space>
              );
            },
          },
          {
            title: t('orgs.next'),
            key: 'next',
            render: (_: unknown, org) =>
              org.next ? (
                <Space orientation="vertical" size={0}>
                  <span style={{ whiteSpace: 'nowrap' }}>{org.next.dueDate}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {engineText(org.next.title)}
                  </Typography.Text>
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('orgs.nothingDue')}</Typography.Text>
              ),
          },
          {
            title: t('orgs.overdue'),
            key: 'overdue',
            align: 'right',
            render: (_: unknown, org) =>
              org.overdue > 0 ? (
                <Link to={`/obligations?orgId=${org.id}&status=overdue`} onClick={(event) => event.stopPropagation()}>
                  <Typography.Text type="danger" strong>
                    {org.overdue}
                  </Typography.Text>
                </Link>
              ) : (
                <Typography.Text type="secondary">0</Typography.Text>
              ),
          },
          {
            title: t('orgs.readiness'),
            key: 'readiness',
            render: (_: unknown, org) =>
              org.readiness ? (
                <Link to={`/orgs/${org.id}/evidence`} onClick={(event) => event.stopPropagation()}>
                  <Tag color={READINESS_COLORS[org.readiness.status]}>
                    {t(`orgs.readinessStatuses.${org.readiness.status}`)}{' '}
                    {t('orgs.readinessText', { met: org.readiness.met, total: org.readiness.total })}
                  </Tag>
                </Link>
              ) : (
                t('common.none')
              ),
          },
        ]}
      />
      {overview.hasNextPage ? (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button loading={overview.isFetchingNextPage} onClick={() => void overview.fetchNextPage()}>
            {total === null ? t('orgs.loadMoreFound') : t('orgs.loadMore', { shown: items.length, total })}
          </Button>
        </div>
      ) : null}
      {workspace && <CreateOrgModal workspaceId={workspace.id} open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}

/** Whole days from one calendar date to another (negative when `to` has passed). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function CreateOrgModal({ workspaceId, open, onClose }: { workspaceId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const createOrg = useCreateOrg();
  const { form, error, handleError, clearError } = useApiForm<OrgFormValues>(ORG_FIELDS);

  const onFinish = async (values: OrgFormValues) => {
    clearError();
    const { address, foundedOn, legalRepresentative, ...required } = toOrgFields(values);
    try {
      await createOrg.mutateAsync({
        workspaceId,
        ...required,
        ...(address ? { address } : {}),
        ...(foundedOn ? { foundedOn } : {}),
        ...(legalRepresentative ? { legalRepresentative } : {}),
      });
      void message.success(t('orgs.created'));
      form.resetFields();
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      title={t('orgs.create')}
      open={open}
      onCancel={() => {
        clearError();
        onClose();
      }}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={createOrg.isPending}
      forceRender
    >
      <OrgForm
        name="createOrg"
        form={form}
        onFinish={(values) => void onFinish(values)}
        disabled={createOrg.isPending}
      />
      <FormError message={error} />
    </Modal>
  );
}
