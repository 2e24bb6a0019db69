import { InvalidCalendarYearError, publishedYears, validateCalendarYear, type CalendarYearFile } from '@zizhi/core';
import type { Db } from '../../db/client.js';
import { calendarYears } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../../access/audit.js';
import { recomputeAll } from '../obligations/api.js';
import { syncCalendar } from '../../db/calendar.js';

/**
 * Imports a holiday-cn year file (replacing an earlier import of the same year) and recomputes
 * every certificate, so deadlines in that year stop being provisional. Replacing a year this
 * release ships needs `replace`: a built-in year comes from the official notice already.
 */
export async function importCalendarYear(args: Parameters<typeof storeCalendarYear>[0]) {
  const stored = await storeCalendarYear(args);
  const recomputed = await recomputeAll(args.db);
  return { ...stored, recomputed };
}

/**
 * Stores a holiday-cn year file as `importCalendarYear` does, without the recompute: the
 * server runs that in the background (recompute-job.ts).
 */
export async function storeCalendarYear({
  db,
  file,
  actorId,
  ip,
  replace = false,
}: {
  db: Db;
  file: unknown;
  actorId: string | null;
  ip: string;
  replace?: boolean;
}) {
  let valid: CalendarYearFile;
  try {
    valid = validateCalendarYear(file);
  } catch (err) {
    if (!(err instanceof InvalidCalendarYearError)) throw err;
    throw new AppError('INVALID_INPUT', `日历年度文件有误：${err.problems.join('；')}`);
  }
  await syncCalendar(db);
  const replaced = publishedYears().find((y) => y.year === valid.year)?.source ?? null;
  if (replaced === 'builtin' && !replace) {
    throw new AppError(
      'CONFLICT',
      `${valid.year} 年的放假安排已内置于本版本 (a built-in published year)；确需替换请加 --replace（API：?replace=true）`,
      'year',
    );
  }
  await db.transaction(async (tx) => {
    await tx
      .insert(calendarYears)
      .values({ year: valid.year, data: valid, importedBy: actorId })
      .onConflictDoUpdate({
        target: calendarYears.year,
        set: { data: valid, importedBy: actorId, importedAt: new Date() },
      });
    await recordAudit(tx, {
      action: 'calendar.year-imported',
      actorId,
      targetType: 'calendar-year',
      targetId: String(valid.year),
      summary: { year: valid.year, papers: valid.papers, days: valid.days.length, replaced },
      ip,
    });
  });
  await syncCalendar(db);
  return { year: valid.year, papers: valid.papers, source: 'imported' as const, replaced, file: valid };
}
