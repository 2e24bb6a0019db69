// The audit log as an Excel workbook, written in the browser: each row in the same words the page
// shows (format-summary.ts), so the file reads as the log does. Loaded only when someone exports:
// the workbook writer is large and most visits never need it.
import ExcelJS from 'exceljs';
import dayjs from 'dayjs';
import { api, call } from '../../api/client';
import { saveBlob } from '../../api/download';
import type { AuditEntry, AuditQuery } from '../../api/types';
import { actionLabel, describeTarget, formatSummary, type AuditContext } from './format-summary';

/** Rows one export may hold: enough for a year of a busy workspace, small enough for a browser. */
export const MAX_EXPORT_ROWS = 20_000;
const PAGE = 500;

/** Text a spreadsheet would run as a formula (= + - @) stays text. */
const asText = (value: string) => (/^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export class TooManyRows extends Error {
  constructor(readonly total: number) {
    super(`${total} rows`);
  }
}

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

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(t('audit.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: t('audit.at'), key: 'at', width: 20 },
    { header: t('audit.actor'), key: 'actor', width: 14 },
    { header: t('audit.email'), key: 'email', width: 26 },
    { header: t('audit.action'), key: 'action', width: 18 },
    { header: t('audit.target'), key: 'target', width: 32 },
    { header: t('audit.org'), key: 'org', width: 28 },
    { header: t('audit.summary'), key: 'summary', width: 80 },
    { header: t('audit.ip'), key: 'ip', width: 16 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow({
      at: dayjs(row.at).format('YYYY-MM-DD HH:mm:ss'),
      actor: asText(row.actor?.name ?? t('audit.system')),
      email: asText(row.actor?.email ?? ''),
      action: actionLabel(row.action, ctx),
      target: asText(describeTarget(row, ctx)),
      org: asText((row.orgId && ctx.orgName(row.orgId)) || ''),
      summary: asText(formatSummary(row, ctx)),
      ip: row.ip ?? '',
    });
  }
  sheet.getColumn('summary').alignment = { wrapText: true, vertical: 'top' };
  const buffer = await workbook.xlsx.writeBuffer();
  saveBlob(
    new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
    `${t('audit.sheet')}-${dayjs().format('YYYYMMDD-HHmm')}.xlsx`,
  );
  return rows.length;
}
