import { InvalidCalendarYearError, calendarRevision, replaceImportedYears } from '@zizhi/core';
import { asc, sql } from 'drizzle-orm';
import { AppError } from '../errors.js';
import { writeCalendarMirror } from './calendar-mirror.js';
import type { Database, Queryable } from './client.js';
import { calendarYears } from './schema.js';

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

/** Writes the embedded database's imported years beside it for the command line (calendar-mirror.ts). */
export async function mirrorImportedYears(database: Database, dataDir: string): Promise<void> {
  if (database.kind !== 'pglite') return;
  writeCalendarMirror(dataDir, await loadImportedYears(database.db));
}
