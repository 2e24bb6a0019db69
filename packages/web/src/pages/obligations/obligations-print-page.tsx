import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Progress, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMembers } from '../../api/members';
import { queryKeys } from '../../api/keys';
import { fetchAllObligations } from '../../api/obligations';
import { useOrgs } from '../../api/orgs';
import { cancelReason, obligationBasis, obligationTitle, ruleTitle, useLevelLabel } from '../../components/domain';
import { PageError } from '../../components/page-loading';
import { useWorkspace } from '../../state/workspace';
import { filtersOf } from './obligation-filters';

/** Rows one print may hold: some sixty pages of paper. */
export const MAX_PRINT_ROWS = 2_000;

/**
 * The obligations the list's filters match, all of them on one page laid out for paper: a plain
 * table with the filters and the time it was printed, opened from the list's 打印 button.
 */
export default function ObligationsPrintPage() {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const { workspace } = useWorkspace();
  const [params] = useSearchParams();
  const orgs = useOrgs(workspace?.id);
  const members = useMembers(workspace?.id);
  const filters = filtersOf(params);
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const all = useQuery({
    queryKey: queryKeys.obligations({ workspaceId: workspace?.id, print: filters }),
    queryFn: () =>
      fetchAllObligations(workspace!.id, filters, MAX_PRINT_ROWS, (done, total) => setProgress({ done, total })),
    enabled: Boolean(workspace),
    staleTime: 0,
  });

  if (!workspace) return null;
  if (all.isError) return <PageError error={all.error} onRetry={() => void all.refetch()} />;
  const state = !all.data
    ? ({ kind: 'loading', ...progress } as const)
    : all.data.total > MAX_PRINT_ROWS
      ? ({ kind: 'too-many', total: all.data.total } as const)
      : ({ kind: 'ready', items: all.data.items } as const);

  const described = [
    filters.orgId ? orgs.data?.find((o) => o.id === filters.orgId)?.name : null,
    filters.rule ? ruleTitle(filters.rule) : null,
    filters.assigneeId ? members.data?.find((m) => m.userId === filters.assigneeId)?.name : null,
    filters.status
      ? filters.status === 'overdue'
        ? t('obligations.overdue')
        : t(`obligations.statuses.${filters.status}`)
      : null,
    filters.from && filters.to ? `${filters.from} ~ ${filters.to}` : null,
  ].filter(Boolean);

  return (
    <>
      <Space className="no-print" style={{ marginBottom: 16 }} wrap>
        <Link to={`/obligations?${params.toString()}`}>
          <Button>{t('obligations.printBack')}</Button>
        </Link>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          disabled={state.kind !== 'ready'}
          onClick={() => window.print()}
        >
          {t('obligations.print')}
        </Button>
      </Space>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {workspace.name} · {t('obligations.printTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('obligations.printFilters')}：{described.length > 0 ? described.join('，') : t('obligations.printAll')}
        {' · '}
        {t('obligations.printedAt', { time: dayjs().format('YYYY-MM-DD HH:mm') })}
        {state.kind === 'ready' ? ` · ${t('obligations.count', { count: state.items.length })}` : ''}
      </Typography.Paragraph>
      {state.kind === 'loading' ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('obligations.loadingAll', { done: state.done, total: state.total })}</Typography.Text>
          <Progress percent={state.total > 0 ? Math.round((state.done / state.total) * 100) : 0} />
        </Space>
      ) : state.kind === 'too-many' ? (
        <Alert
          type="warning"
          showIcon
          title={t('obligations.printTooMany', { total: state.total, max: MAX_PRINT_ROWS })}
        />
      ) : state.items.length === 0 ? (
        <Typography.Text>{t('obligations.empty')}</Typography.Text>
      ) : (
        <table className="print-table" aria-label={t('obligations.printTitle')}>
          <thead>
            <tr>
              <th>{t('obligations.org')}</th>
              <th>{t('obligations.certificate')}</th>
              <th>{t('obligations.obligation')}</th>
              <th>{t('obligations.due')}</th>
              <th>{t('obligations.status')}</th>
              <th>{t('obligations.assignee')}</th>
              <th>{t('obligations.note')}</th>
            </tr>
          </thead>
          <tbody>
            {state.items.map((o) => (
              <tr key={o.id}>
                <td>{o.orgName}</td>
                <td>
                  {o.certificateNumber}
                  <br />
                  {levelLabel(o.level)}
                </td>
                <td>
                  <strong>{obligationTitle(o)}</strong>
                  <br />
                  <span style={{ color: '#595959' }}>{obligationBasis(o)}</span>
                </td>
                <td style={{ whiteSpace: 'nowrap', color: o.overdue ? '#a8071a' : undefined }}>
                  {o.dueAt ? o.dueAt.slice(0, 16).replace('T', ' ') : o.dueDate}
                  {o.overdue ? ` ${t('obligations.overdue')}` : ''}
                </td>
                <td style={{ whiteSpace: 'nowrap' }}>
                  {t(`obligations.statuses.${o.status}`)}
                  {o.completedOn ? <br /> : null}
                  {o.completedOn ?? ''}
                </td>
                <td>{o.assigneeName ?? ''}</td>
                <td>
                  {[o.note, o.waivedReason, o.status === 'cancelled' ? cancelReason(o) : null]
                    .filter(Boolean)
                    .join('；')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
