import { CalendarOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Calendar, DatePicker, Popover, Segmented, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMembers } from '../../api/members';
import { useWorkspaceObligations } from '../../api/obligations';
import { useOrgs } from '../../api/orgs';
import type { Obligation, ObligationQuery } from '../../api/types';
import {
  DueText,
  OBLIGATION_RULES,
  OBLIGATION_STATUSES,
  obligationBasis,
  obligationTitle,
  ProvisionalTag,
  ruleTitle,
  toDay,
} from '../../components/domain';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { BulkObligationActions, canWorkOnObligations } from './obligation-actions';
import { ObligationTable, StatusTag } from './obligation-table';

type View = 'list' | 'calendar';

const CALENDAR_LIMIT = 500;

/** Obligations across the workspace (or one organisation): a filtered list and a month calendar. */
export default function ObligationsPage() {
  const { t } = useTranslation();
  const { workspace, role } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const orgs = useOrgs(workspace?.id);
  const members = useMembers(workspace?.id);
  const view: View = params.get('view') === 'calendar' ? 'calendar' : 'list';
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const [selectedIds, setSelectedIds] = useState<string[]>([]);

  const filters: ObligationQuery = {};
  for (const key of ['orgId', 'rule', 'assigneeId', 'status', 'from', 'to'] as const) {
    const v = params.get(key);
    if (v) (filters as Record<string, string>)[key] = v;
  }
  const setFilter = (key: string, value: string | undefined | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  // The calendar shows the whole visible grid (6 weeks around the month), whatever the date range filter.
  const gridStart = month.startOf('month').startOf('week');
  // The calendar asks for its six weeks in one page of up to 500; the list, 100 rows at a time.
  const query: ObligationQuery =
    view === 'calendar'
      ? { ...filters, from: toDay(gridStart), to: toDay(gridStart.add(41, 'day')), limit: CALENDAR_LIMIT }
      : filters;
  const obligations = useWorkspaceObligations(workspace?.id, query);

  if (!workspace) return null;
  if (obligations.isError) return <PageError error={obligations.error} onRetry={() => void obligations.refetch()} />;
  const items = obligations.data?.items ?? [];
  const total = obligations.data?.total ?? 0;
  const overdue = obligations.data?.overdue ?? 0;

  return (
    <>
      <PageHeader
        title={t('obligations.title')}
        extra={
          <Space wrap>
            <Segmented<View>
              value={view}
              onChange={(v) => setFilter('view', v === 'calendar' ? 'calendar' : null)}
              options={[
                { value: 'list', label: t('obligations.listView') },
                { value: 'calendar', label: t('obligations.calendarView') },
              ]}
            />
            <Link to="/calendar-feeds">
              <Button icon={<CalendarOutlined />}>{t('feeds.title')}</Button>
            </Link>
          </Space>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('obligations.filterOrg')}
          placeholder={t('obligations.filterOrg')}
          allowClear
          value={filters.orgId}
          onChange={(v: string | undefined) => setFilter('orgId', v)}
          options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
          style={{ minWidth: 220 }}
          showSearch={{ optionFilterProp: 'label' }}
        />
        <Select
          aria-label={t('obligations.filterRule')}
          placeholder={t('obligations.filterRule')}
          allowClear
          value={filters.rule}
          onChange={(v: string | undefined) => setFilter('rule', v)}
          options={OBLIGATION_RULES.map((r) => ({ value: r.id, label: ruleTitle(r.id) }))}
          style={{ minWidth: 220 }}
          showSearch={{ optionFilterProp: 'label' }}
          popupMatchSelectWidth={false}
        />
        <Select
          aria-label={t('obligations.filterAssignee')}
          placeholder={t('obligations.filterAssignee')}
          allowClear
          value={filters.assigneeId}
          onChange={(v: string | undefined) => setFilter('assigneeId', v)}
          options={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
          style={{ minWidth: 160 }}
        />
        <Select
          aria-label={t('obligations.filterStatus')}
          placeholder={t('obligations.filterStatus')}
          allowClear
          value={filters.status}
          onChange={(v: ObligationQuery['status']) => setFilter('status', v)}
          options={[
            ...OBLIGATION_STATUSES.map((s) => ({ value: s, label: t(`obligations.statuses.${s}`) })),
            { value: 'overdue', label: t('obligations.overdue') },
          ]}
          style={{ minWidth: 140 }}
        />
        {view === 'list' ? (
          <DatePicker.RangePicker
            aria-label={t('obligations.filterDates')}
            value={filters.from && filters.to ? [dayjs(filters.from), dayjs(filters.to)] : null}
            onChange={(range) => {
              const next = new URLSearchParams(params);
              if (range?.[0] && range[1]) {
                next.set('from', toDay(range[0]));
                next.set('to', toDay(range[1]));
              } else {
                next.delete('from');
                next.delete('to');
              }
              setParams(next, { replace: true });
            }}
          />
        ) : null}
        <Typography.Text type="secondary">
          {t('obligations.count', { count: total })}
          {overdue > 0 ? (
            <Typography.Text type="danger">{` · ${t('obligations.overdueCount', { count: overdue })}`}</Typography.Text>
          ) : null}
        </Typography.Text>
      </Space>
      {view === 'list' ? (
        <>
          {selectedIds.length > 0 ? (
            <div style={{ marginBottom: 12 }}>
              <BulkObligationActions
                selected={items.filter((o) => selectedIds.includes(o.id))}
                onDone={() => setSelectedIds([])}
              />
            </div>
          ) : null}
          <ObligationTable
            items={items}
            loading={obligations.isPending}
            canAct={canWorkOnObligations(role)}
            selectedIds={selectedIds}
            onSelect={setSelectedIds}
          />
          {obligations.hasNextPage ? (
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              <Button loading={obligations.isFetchingNextPage} onClick={() => void obligations.fetchNextPage()}>
                {t('obligations.loadMore', { shown: items.length, total })}
              </Button>
            </div>
          ) : null}
        </>
      ) : (
        <>
          {total > items.length ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('obligations.calendarTruncated', { shown: items.length, total })}
            />
          ) : null}
          <ObligationCalendar items={items} month={month} onMonth={setMonth} />
        </>
      )}
    </>
  );
}

function dotStatus(o: Obligation): 'error' | 'processing' | 'success' | 'default' | 'warning' {
  if (o.overdue) return 'error';
  if (o.status === 'done') return 'success';
  if (o.status === 'waived' || o.status === 'cancelled') return 'default';
  if (o.status === 'in_progress') return 'processing';
  return o.provisional ? 'warning' : 'default';
}

/** A month calendar whose cells list what is due that day, coloured by status and overdue. */
function ObligationCalendar({
  items,
  month,
  onMonth,
}: {
  items: Obligation[];
  month: Dayjs;
  onMonth: (m: Dayjs) => void;
}) {
  const { t } = useTranslation();
  const byDay = new Map<string, Obligation[]>();
  for (const o of items) {
    const list = byDay.get(o.dueDate) ?? [];
    list.push(o);
    byDay.set(o.dueDate, list);
  }
  return (
    <Calendar
      value={month}
      onPanelChange={(value) => onMonth(value)}
      onSelect={(value, info) => {
        if (info.source !== 'date') onMonth(value);
      }}
      cellRender={(date, info) => {
        if (info.type !== 'date') return info.originNode;
        const list = byDay.get(date.format('YYYY-MM-DD')) ?? [];
        return (
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={date.format('YYYY-MM-DD')}>
            {list.map((o) => (
              <li key={o.id} style={{ lineHeight: '18px' }}>
                <Popover
                  title={obligationTitle(o)}
                  content={
                    <Space orientation="vertical" size={4} style={{ maxWidth: 360 }}>
                      <Typography.Text>
                        <Link to={`/orgs/${o.orgId}/certificates/${o.certificateId}`}>{o.certificateNumber}</Link> ·{' '}
                        {o.orgName}
                      </Typography.Text>
                      <Typography.Text>
                        {t('obligations.due')}: <DueText o={o} />
                      </Typography.Text>
                      <Space>
                        <StatusTag status={o.status} obligation={o} />
                        {o.overdue ? <Badge status="error" text={t('obligations.overdue')} /> : null}
                        <ProvisionalTag obligation={o} />
                      </Space>
                      <Typography.Text type="secondary">{obligationBasis(o)}</Typography.Text>
                    </Space>
                  }
                >
                  <Badge
                    status={dotStatus(o)}
                    text={
                      <Typography.Text
                        style={{ fontSize: 12 }}
                        type={o.overdue ? 'danger' : undefined}
                        delete={o.status === 'done' || o.status === 'waived' || o.status === 'cancelled'}
                      >
                        {obligationTitle(o)}
                      </Typography.Text>
                    }
                  />
                </Popover>
              </li>
            ))}
          </ul>
        );
      }}
    />
  );
}
