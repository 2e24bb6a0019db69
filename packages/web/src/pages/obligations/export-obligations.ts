// The obligations list as an Excel workbook, in the words the page shows.
import type { i18n as I18n } from 'i18next';
import { fetchAllObligations } from '../../api/obligations';
import type { ObligationQuery } from '../../api/types';
import { cancelReason, obligationBasis, obligationTitle } from '../../components/domain';
import { MAX_EXPORT_ROWS, saveWorkbook, TooManyRows } from '../../components/xlsx';

export { MAX_EXPORT_ROWS, TooManyRows };

/**
 * Fetches every obligation the filters match and saves them as .xlsx; progress as rows arrive.
 * Refuses more than MAX_EXPORT_ROWS (TooManyRows) before fetching them. Returns the row count.
 */
export async function exportObligations(
  workspaceId: string,
  query: Omit<ObligationQuery, 'cursor' | 'limit'>,
  i18n: I18n,
  levelLabel: (level: string) => string,
  onProgress: (done: number, total: number) => void,
): Promise<number> {
  const t = i18n.t.bind(i18n) as unknown as (key: string, options?: Record<string, unknown>) => string;
  const { items, total } = await fetchAllObligations(workspaceId, query, MAX_EXPORT_ROWS, onProgress);
  if (total > MAX_EXPORT_ROWS) throw new TooManyRows(total);
  if (items.length === 0) return 0;
  await saveWorkbook(
    t('obligations.sheet'),
    [
      { header: t('obligations.org'), key: 'org', width: 28 },
      { header: t('obligations.certificate'), key: 'certificate', width: 22 },
      { header: t('obligations.level'), key: 'level', width: 14 },
      { header: t('obligations.obligation'), key: 'title', width: 36, wrap: true },
      { header: t('obligations.due'), key: 'due', width: 18 },
      { header: t('obligations.status'), key: 'status', width: 10 },
      { header: t('obligations.overdue'), key: 'overdue', width: 8 },
      { header: t('obligations.assignee'), key: 'assignee', width: 12 },
      { header: t('obligations.completedOn'), key: 'completedOn', width: 12 },
      { header: t('obligations.note'), key: 'note', width: 40, wrap: true },
      { header: t('obligations.basis'), key: 'basis', width: 60, wrap: true },
    ],
    items.map((o) => ({
      org: o.orgName,
      certificate: o.certificateNumber,
      level: levelLabel(o.level),
      title: obligationTitle(o),
      due: o.dueAt ? o.dueAt.slice(0, 16).replace('T', ' ') : o.dueDate,
      status: t(`obligations.statuses.${o.status}`),
      overdue: o.overdue ? t('common.yes') : '',
      assignee: o.assigneeName ?? '',
      completedOn: o.completedOn ?? o.satisfiedOn ?? '',
      note: [o.note, o.waivedReason, o.status === 'cancelled' ? cancelReason(o) : null].filter(Boolean).join('；'),
      basis: obligationBasis(o),
    })),
  );
  return items.length;
}
