// The audit log as an Excel workbook, written in the browser: each row in the same words the page
// shows (format-summary.ts), so the file reads as the log does.
import dayjs from 'dayjs';
import { api, call } from '../../api/client';
import type { AuditEntry, AuditQuery } from '../../api/types';
import { MAX_EXPORT_ROWS, saveWorkbook, TooManyRows } from '../../components/xlsx';
import { actionLabel, describeTarget, formatSummary, type AuditContext } from './format-summary';

export { MAX_EXPORT_ROWS, TooManyRows };
const PAGE = 500;

/**
 * Fetches every row the filters match, page by page (each request bounded), and saves them as
 * .xlsx. Reports progress as rows arrive; refuses more than MAX_EXPORT_ROWS before fetching them.
 */
export async function exportAuditLog(
  query: Omit<AuditQuery, 'limit' | 'offset'>,
  ctx: AuditContext & { orgName: (id: string) => string | undefined },
  onProgress: (done: number, total: number) => void,
): Promise<number> {
  const t = ctx.i18n.t.bind(ctx.i18n) as unknown as (key: string) => string;
  const rows: AuditEntry[] = [];
  let total = Infinity;
  while (rows.length < total) {
    const page = await call(
      api.GET('/api/audit-log', { params: { query: { ...query, limit: PAGE, offset: rows.length } } }),
    );
    total = page.total;
    if (total > MAX_EXPORT_ROWS) throw new TooManyRows(total);
    if (page.items.length === 0) break;
    rows.push(...page.items);
    onProgress(rows.length, total);
  }
  if (rows.length === 0) return 0;

  await saveWorkbook(
    t('audit.sheet'),
    [
      { header: t('audit.at'), key: 'at', width: 20 },
      { header: t('audit.actor'), key: 'actor', width: 14 },
      { header: t('audit.email'), key: 'email', width: 26 },
      { header: t('audit.action'), key: 'action', width: 18 },
      { header: t('audit.target'), key: 'target', width: 32 },
      { header: t('audit.org'), key: 'org', width: 28 },
      { header: t('audit.summary'), key: 'summary', width: 80, wrap: true },
      { header: t('audit.ip'), key: 'ip', width: 16 },
    ],
    rows.map((row) => ({
      at: dayjs(row.at).format('YYYY-MM-DD HH:mm:ss'),
      actor: row.actor?.name ?? t('audit.system'),
      email: row.actor?.email ?? '',
      action: actionLabel(row.action, ctx),
      target: describeTarget(row, ctx),
      org: (row.orgId && ctx.orgName(row.orgId)) || '',
      summary: formatSummary(row, ctx),
      ip: row.ip ?? '',
    })),
  );
  return rows.length;
}
