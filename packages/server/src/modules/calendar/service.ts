import {
  InvalidCalendarYearError,
  calendarRevision,
  publishedYears,
  replaceImportedYears,
  validateCalendarYear,
  type CalendarYearFile,
} from '@zizhi/core';
import { asc, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { calendarYears } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/service.js';
import { recomputeAll } from '../obligations/recompute.js';

/**
 * The calendar years imported into this installation (notices published after the release),
 * as stored; registering them validates them again, so a hand-edited row cannot bend the
 * calendar silently.
 */
export async function loadImportedYears(db: Queryable): Promise<unknown[]> {
  const rows = await db.select({ data: calendarYears.data }).from(calendarYears).orderBy(asc(calendarYears.year));
  return rows.map((r) => r.data);
}

// Which rows exist and when each was last written: an import, a replacement and a removal each
// change it. Written in UTC so the session time zone cannot change the text.
const storedVersion = sql<string>`coalesce(string_agg(${calendarYears.year}::text || '@' || to_char(${calendarYears.importedAt} at time zone 'UTC', 'YYYYMMDDHH24MISSUS'), ',' order by ${calendarYears.year}), '')`;

/** The stored version this process's calendar mirrors, and the core registry revision it left. */
let mirrored: { version: string; revision: number } | null = null;
/** Reloads are numbered as they start: one that started earlier never overwrites a later one. */
let reloadsStarted = 0;
let reloadApplied = 0;

/**
 * Brings this process's calendar in line with the years stored in the database: one small query
 * when nothing changed, a reload when another process (a server, the command line) imported,
 * replaced or removed a year since. Every calculation that reads the calendar calls it first, so
 * a process never counts a published year provisionally and writes those dates back.
 * Returns whether the calendar changed.
 */
export async function syncCalendar(q: Queryable): Promise<boolean> {
  const [current] = await q.select({ version: storedVersion }).from(calendarYears);
  if (mirrored && current?.version === mirrored.version && mirrored.revision === calendarRevision()) return false;
  const ticket = ++reloadsStarted;
  const rows = await q
    // The version comes from the same snapshot as the rows, so it describes exactly what is loaded.
    .select({ data: calendarYears.data, version: sql<string>`(select ${storedVersion} from ${calendarYears})` })
    .from(calendarYears)
    .orderBy(asc(calendarYears.year));
  if (ticket < reloadApplied) return false;
  try {
    replaceImportedYears(rows.map((r) => r.data));
  } catch (err) {
    if (!(err instanceof InvalidCalendarYearError)) throw err;
    throw new AppError('INTERNAL', {
      zh: `数据库中的日历年度数据有误（${err.problems.join('；')}），请管理员用 npx zizhi calendar import FILE 重新导入该年度`,
      en: `A calendar year stored in the database is invalid (${err.problems.join('; ')}): re-import it with npx zizhi calendar import FILE`,
    });
  }
  reloadApplied = ticket;
  mirrored = { version: rows[0]?.version ?? '', revision: calendarRevision() };
  return true;
}

/**
 * Imports a holiday-cn year file (replacing an earlier import of the same year) and recomputes
 * every certificate, so deadlines in that year stop being provisional. Replacing a year this
 * release ships needs `replace`: a built-in year comes from the official notice already.
 */
export async function importCalendarYear({
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
  const recomputed = await recomputeAll(db);
  return { year: valid.year, papers: valid.papers, source: 'imported' as const, replaced, recomputed, file: valid };
}
