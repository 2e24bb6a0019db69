// The calendar years imported into an embedded database, kept as a file beside it so that
// `zizhi calendar …` and `zizhi obligations …` count with them without starting the database.
// Opening the folder deletes the file (whatever the opener changes, the file cannot be trusted
// after it), and a serving process writes it again from the database at start and after each
// import; a command that finds no file reads the database once and writes it.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE = 'calendar-years.json';

export const calendarMirrorPath = (dataDir: string) => path.join(dataDir, FILE);

export function dropCalendarMirror(dataDir: string): void {
  rmSync(calendarMirrorPath(dataDir), { force: true });
}

export function writeCalendarMirror(dataDir: string, years: readonly unknown[]): void {
  const file = calendarMirrorPath(dataDir);
  writeFileSync(`${file}.partial`, `${JSON.stringify({ years })}\n`);
  renameSync(`${file}.partial`, file);
}

/** The mirrored years, or null when there is no readable file (read the database instead). */
export function readCalendarMirror(dataDir: string): unknown[] | null {
  try {
    const parsed = JSON.parse(readFileSync(calendarMirrorPath(dataDir), 'utf8')) as { years?: unknown };
    return Array.isArray(parsed.years) ? parsed.years : null;
  } catch {
    return null;
  }
}
