import { CalendarOutlined, DownloadOutlined, LeftOutlined, PrinterOutlined, RightOutlined } from '@ant-design/icons';
import { noticeDay } from '@zizhi/core';
import {
  Alert,
  App,
  Badge,
  Button,
  Calendar,
  DatePicker,
  Popover,
  Segmented,
  Select,
  Space,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMembers } from '../../api/members';
import { useWorkspaceObligations } from '../../api/obligations';
import { useOrgs } from '../../api/orgs';
import { describeError } from '../../api/errors';
import type { Obligation, ObligationQuery } from '../../api/types';
import { currentLanguage } from '../../i18n';
import {
  chinaToday,
  DueText,
  OBLIGATION_RULES,
  OBLIGATION_STATUSES,
  obligationBasis,
  obligationTitle,
  ProvisionalTag,
  ruleTitle,
  toDay,
  useLevelLabel,
} from '../../components/domain';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { BulkObligationActions, canWorkOnObligations, ObligationActions } from './obligation-actions';
import { filtersOf } from './obligation-filters';
import { ObligationTable, StatusTag } from './obligation-table';

type View = 'list' | 'calendar';

const CALENDAR_LIMIT = 500;

/** Obligations across the workspace (or one organisation): a filtered list and a month calendar. */
export default function ObligationsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const levelLabel = useLevelLabel();
  const { workspace, role } = useWorkspace();
  const [params, setParams] = useSearchParams();
  const orgs = useOrgs(workspace?.id);
  const members = useMembers(workspace?.id);
  const view: View = params.get('view') === 'calendar' ? 'calendar' : 'list';
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const [selectedIds, setSelectedIds] = useState<string[]>([]);

  const filters = filtersOf(params);
  const [pageSize, setPageSize] = useStoredPageSize();
  const [exporting, setExporting] = useState(false);
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

  const onExport = async () => {
    if (!workspace) return;
    const key = 'obligations-export';
    setExporting(true);
    try {
      const { exportObligations, TooManyRows, MAX_EXPORT_ROWS } = await import('./export-obligations');
      try {
        const count = await exportObligations(workspace.id, filters, i18n, levelLabel, (done, total) => {
          void message.loading({ key, content: t('obligations.exporting', { done, total }), duration: 0 });
        });
        if (count === 0) void message.info({ key, content: t('obligations.exportEmpty') });
        else void message.success({ key, content: t('obligations.exported', { count }) });
      } catch (err) {
        if (!(err instanceof TooManyRows)) throw err;
        void message.warning({
          key,
          content: t('obligations.exportTooMany', { total: err.total, max: MAX_EXPORT_ROWS }),
          duration: 8,
        });
      }
    } catch (err) {
      void message.error({ key, content: describeError(err) });
    } finally {
      setExporting(false);
    }
  };

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
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void onExport()}>
              {t('obligations.export')}
            </Button>
            <Link to={`/obligations/print?${params.toString()}`}>
              <Button icon={<PrinterOutlined />}>{t('obligations.print')}</Button>
            </Link>
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
            pageSize={pageSize}
            onPageSize={setPageSize}
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
          <ObligationCalendar items={items} month={month} onMonth={setMonth} canAct={canWorkOnObligations(role)} />
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

const PAGE_SIZES = [20, 50, 100] as const;

/** The list's page size, remembered in this browser. */
function useStoredPageSize(): [number, (size: number) => void] {
  const [size, setSize] = useState(() => {
    const stored = Number(localStorage.getItem('zizhi.obligations.pageSize'));
    return (PAGE_SIZES as readonly number[]).includes(stored) ? stored : 20;
  });
  return [
    size,
    (next) => {
      localStorage.setItem('zizhi.obligations.pageSize', String(next));
      setSize(next);
    },
  ];
}

/** 休 on a holiday's off days, 班 on its make-up working days (the State Council notice). */
function DayMark({ date }: { date: string }) {
  const { t } = useTranslation();
  const day = noticeDay(date);
  if (!day) return null;
  const name = currentLanguage() === 'en' ? (HOLIDAY_NAMES_EN[day.name] ?? day.name) : day.name;
  return (
    <Tooltip title={t(day.isOffDay ? 'obligations.offDayTitle' : 'obligations.workDayTitle', { name })}>
      <Tag
        color={day.isOffDay ? 'green' : 'orange'}
        style={{ marginInlineEnd: 0, fontSize: 11, lineHeight: '16px', paddingInline: 3 }}
        data-testid={`day-mark-${date}`}
      >
        {t(day.isOffDay ? 'obligations.offDay' : 'obligations.workDay')}
      </Tag>
    </Tooltip>
  );
}

const HOLIDAY_NAMES_EN: Record<string, string> = {
  元旦: 'New Year',
  春节: 'Spring Festival',
  清明节: 'Qingming',
  劳动节: 'Labour Day',
  端午节: 'Dragon Boat Festival',
  中秋节: 'Mid-Autumn Festival',
  国庆节: 'National Day',
  '国庆节、中秋节': 'National Day and Mid-Autumn Festival',
  '中秋节、国庆节': 'Mid-Autumn Festival and National Day',
  '“五一”': 'Labour Day',
  '“五一”国际劳动节': 'Labour Day',
  '“十一”': 'National Day',
  抗日战争暨世界反法西斯战争胜利70周年纪念日: 'Victory Day (70th anniversary)',
};

/**
 * A month calendar whose cells list what is due that day, coloured by status and overdue, with
 * the holidays' 休 and 班 marked; a click on an item opens it with its actions.
 */
function ObligationCalendar({
  items,
  month,
  onMonth,
  canAct,
}: {
  items: Obligation[];
  month: Dayjs;
  onMonth: (m: Dayjs) => void;
  canAct: boolean;
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
      headerRender={({ value, onChange }) => (
        <Space wrap style={{ padding: '8px 0', justifyContent: 'space-between', width: '100%' }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="calendar-month">
            {value.format(currentLanguage() === 'en' ? 'MMMM YYYY' : 'YYYY年M月')}
          </Typography.Title>
          <Space.Compact>
            <Button
              icon={<LeftOutlined />}
              aria-label={t('obligations.prevMonth')}
              onClick={() => onChange(value.subtract(1, 'month'))}
            />
            <Button onClick={() => onChange(dayjs(chinaToday()))}>{t('obligations.today')}</Button>
            <Button
              icon={<RightOutlined />}
              aria-label={t('obligations.nextMonth')}
              onClick={() => onChange(value.add(1, 'month'))}
            />
          </Space.Compact>
          <DatePicker
            picker="month"
            allowClear={false}
            value={value}
            onChange={(v) => {
              if (v) onChange(v);
            }}
            aria-label={t('obligations.calendarView')}
          />
        </Space>
      )}
      cellRender={(date, info) => {
        if (info.type !== 'date') return info.originNode;
        const day = date.format('YYYY-MM-DD');
        const list = byDay.get(day) ?? [];
        return (
          <>
            <DayMark date={day} />
            <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={day}>
              {list.map((o) => (
                <li key={o.id} style={{ lineHeight: '18px' }}>
                  <Popover
                    trigger="click"
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
                        {canAct ? <ObligationActions obligation={o} /> : null}
                      </Space>
                    }
                  >
                    <button
                      type="button"
                      onClick={(event) => event.stopPropagation()}
                      style={{ all: 'unset', cursor: 'pointer', display: 'block' }}
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
                    </button>
                  </Popover>
                </li>
              ))}
            </ul>
          </>
        );
      }}
    />
  );
}
