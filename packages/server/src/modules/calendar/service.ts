import { registerCalendarYear, validateCalendarYear, type CalendarYearFile } from '@zizhi/core';
import { asc } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { calendarYears } from '../../db/schema.js';
import { recordAudit } from '../audit/service.js';

/**
 * The calendar years imported into this installation (notices published after the release),
 * as stored; registering them validates them again, so a hand-edited row cannot bend the
 * calendar silently.
 */
export async function loadImportedYears(db: Queryable): Promise<unknown[]> {
  const rows = await db.select({ data: calendarYears.data }).from(calendarYears).orderBy(asc(calendarYears.year));
  return rows.map((r) => r.data);
}

/** Registers the stored years with the calendar; the server calls this at start-up. */
export async function applyImportedYears(db: Db): Promise<void> {
  for (const file of await loadImportedYears(db)) registerCalendarYear(file as CalendarYearFile, 'imported');
}

/**
 * Stores a year file (replacing an earlier import of the same year) and registers it, so
 * deadlines in that year stop being provisional.
 */
export async function importCalendarYear({
  db,
  file,
  actorId,
  ip,
}: {
  db: Db;
  file: unknown;
  actorId: string | null;
  ip: string;
}): Promise<CalendarYearFile> {
  const valid = validateCalendarYear(file);
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
      summary: { year: valid.year, papers: valid.papers, days: valid.days.length },
      ip,
    });
  });
  registerCalendarYear(valid, 'imported');
  return valid;
}
