// The in-memory registry of published calendar years (built-in data plus years imported at run time)
// and the lookup tables derived from it.
import { InvalidCalendarYearError } from '../errors.js';
import { BUILTIN_CALENDAR } from './holidays.generated.js';
import { MAX_YEAR, MIN_YEAR, dayFromCivil, isValidDate, parseDate, weekdayOfDay, yearOfDay } from './days.js';

/** One day of a State Council notice, as in the holiday-cn yearly files. */
export interface CalendarDay {
  name: string;
  date: string;
  /** true: off day (放假); false: make-up working day (调休上班). */
  isOffDay: boolean;
}

/** A yearly calendar file, same shape as the holiday-cn files (`$schema`/`$id` are optional). */
export interface CalendarYearFile {
  year: number;
  papers: string[];
  days: CalendarDay[];
}

export type CalendarYearSource = 'builtin' | 'imported';

export interface PublishedYear {
  year: number;
  papers: string[];
  source: CalendarYearSource;
}

interface YearEntry {
  file: CalendarYearFile;
  source: CalendarYearSource;
}

const years = new Map<number, YearEntry>();
/** Bumped at every change of `years`, so a holder of a copy (the server's sync) can tell it went stale. */
let revision = 0;

function changed(): void {
  tables = null;
  revision++;
}

function builtinFile(y: (typeof BUILTIN_CALENDAR)[number]): CalendarYearFile {
  const days: CalendarDay[] = [];
  const expand = (list: string, name: string, isOffDay: boolean): void => {
    for (const md of list.split(' ')) {
      if (md === '') continue;
      const first = md[0];
      const yy = first === '<' ? y.year - 1 : first === '>' ? y.year + 1 : y.year;
      const rest = first === '<' || first === '>' ? md.slice(1) : md;
      days.push({ name, date: `${yy}-${rest}`, isOffDay });
    }
  };
  for (const [name, off, work] of y.holidays) {
    expand(off, name, true);
    expand(work, name, false);
  }
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { year: y.year, papers: [...y.papers], days };
}

function loadBuiltin(): void {
  years.clear();
  for (const y of BUILTIN_CALENDAR) years.set(y.year, { file: builtinFile(y), source: 'builtin' });
  changed();
}

/**
 * Validates a yearly calendar file (same JSON shape as holiday-cn: `{ year, papers, days: [{ name,
 * date, isOffDay }] }`) and returns it typed, or throws `InvalidCalendarYearError` listing every
 * problem. Dates must lie in the year itself, its previous December (a January holiday's make-up
 * days, as in the 2007, 2008, 2012, 2019 and 2023 notices) or its next January; no date twice.
 */
export function validateCalendarYear(json: unknown): CalendarYearFile {
  const problems: string[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidCalendarYearError(['the file must be a JSON object { year, papers, days }']);
  }
  const o = json as Record<string, unknown>;
  const year = o['year'];
  const yearOk = typeof year === 'number' && Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR;
  if (!yearOk) problems.push(`"year" must be a whole number ${MIN_YEAR}–${MAX_YEAR}, got ${JSON.stringify(year)}`);
  const papers = o['papers'];
  if (!Array.isArray(papers) || !papers.every((p) => typeof p === 'string')) {
    problems.push('"papers" must be an array of the notice URLs (strings)');
  }
  const days = o['days'];
  const out: CalendarDay[] = [];
  if (!Array.isArray(days)) {
    problems.push('"days" must be an array of { name, date, isOffDay }');
  } else if (days.length === 0) {
    problems.push(`"days" is empty: the notice${yearOk ? ` for ${year}` : ''} is not published yet, nothing to import`);
  } else {
    const seen = new Set<string>();
    days.forEach((d: unknown, i) => {
      const where = `days[${i}]`;
      if (typeof d !== 'object' || d === null) {
        problems.push(`${where} must be an object { name, date, isOffDay }`);
        return;
      }
      const r = d as Record<string, unknown>;
      const { name, date, isOffDay } = r;
      let ok = true;
      if (typeof name !== 'string') {
        problems.push(`${where}.name must be a string (the holiday name)`);
        ok = false;
      }
      if (typeof isOffDay !== 'boolean') {
        problems.push(`${where}.isOffDay must be true (off day) or false (make-up working day)`);
        ok = false;
      }
      if (!isValidDate(date)) {
        problems.push(
          `${where}.date ${JSON.stringify(date)} is not a real date written YYYY-MM-DD in ${MIN_YEAR}–${MAX_YEAR}`,
        );
        ok = false;
      } else {
        if (yearOk) {
          const y = Number(date.slice(0, 4));
          const mo = date.slice(5, 7);
          const inside = y === year || (y === year - 1 && mo === '12') || (y === year + 1 && mo === '01');
          if (!inside) {
            problems.push(
              `${where}.date ${date} is outside ${year} (allowed: the year, the previous December, the next January)`,
            );
            ok = false;
          }
        }
        if (seen.has(date)) {
          problems.push(`${where}.date ${date} appears more than once`);
          ok = false;
        }
        seen.add(date);
      }
      if (ok) out.push({ name: name as string, date: date as string, isOffDay: isOffDay as boolean });
    });
  }
  if (problems.length > 0) throw new InvalidCalendarYearError(problems);
  out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { year: year as number, papers: [...(papers as string[])], days: out };
}

/**
 * Adds or replaces a year in the registry used by every calendar function (validated first). The
 * server calls it at start-up with the years imported into its database.
 */
export function registerCalendarYear(file: CalendarYearFile, source: CalendarYearSource = 'imported'): void {
  const valid = validateCalendarYear(file);
  years.set(valid.year, { file: valid, source });
  changed();
}

/**
 * Makes the imported years exactly `files`, over the built-in ones: a server mirrors its database
 * with it, so a year removed or replaced there is dropped here too. All files are validated
 * first, so an invalid one changes nothing; its problems are prefixed with its year.
 */
export function replaceImportedYears(files: readonly unknown[]): void {
  const valid = files.map((f, i) => {
    try {
      return validateCalendarYear(f);
    } catch (e) {
      if (!(e instanceof InvalidCalendarYearError)) throw e;
      const year = typeof f === 'object' && f !== null ? (f as { year?: unknown }).year : undefined;
      const label = typeof year === 'number' ? `year ${year}` : `file ${i + 1}`;
      throw new InvalidCalendarYearError(e.problems.map((p) => `${label}: ${p}`));
    }
  });
  loadBuiltin();
  for (const v of valid) years.set(v.year, { file: v, source: 'imported' });
}

/** Restores the built-in years only (drops imported years). Meant for tests. */
export function resetCalendarYears(): void {
  loadBuiltin();
}

/** A number that changes whenever the published years change (import, replacement, reset). */
export function calendarRevision(): number {
  return revision;
}

/** The published years, ascending, with their notice URLs and where the data came from. */
export function publishedYears(): PublishedYear[] {
  return [...years.values()]
    .map((e) => ({ year: e.file.year, papers: [...e.file.papers], source: e.source }))
    .sort((a, b) => a.year - b.year);
}

/**
 * The notice's entry for a date: a holiday's off day (休) or a make-up working day (班), with the
 * holiday's name; null for an ordinary day or a year whose notice is not in the registry. A date
 * can be set by the notice of its own year or of the next (late December) or previous one.
 */
export function noticeDay(date: string): CalendarDay | null {
  const year = Number(date.slice(0, 4));
  for (const y of [year, year + 1, year - 1]) {
    const hit = years.get(y)?.file.days.find((d) => d.date === date);
    if (hit) return { ...hit };
  }
  return null;
}

/** Whether the holiday notice of `year` is in the registry. */
export function isYearPublished(year: number): boolean {
  return years.has(year);
}

/**
 * Day of December from which a day may still be governed by the next year's notice. That notice
 * sets the New Year holiday, and with it off days and make-up working days in late December: the
 * earliest ever is the 29th (the 2008 and 2019 notices; 2007 starts on the 30th, 2012 and 2023 on
 * the 31st). The 15th leaves two weeks' margin, room for a make-up weekend a week earlier than any
 * seen. The Spring Festival, the other holiday near the turn of the year, never reaches December.
 */
export const NEXT_NOTICE_FROM_DECEMBER = 15;

/**
 * Whether every notice that can govern `date` is published: its year's and, in the year's last
 * weeks (from December 15), the next year's. A date stored as provisional for which this now
 * holds was counted before the last of those notices arrived: recomputing it makes it final.
 */
export function isDateSettled(date: string): boolean {
  const day = parseDate(date);
  const y = yearOfDay(day);
  if (!years.has(y)) return false;
  return day < dayFromCivil(y, 12, NEXT_NOTICE_FROM_DECEMBER) || y === MAX_YEAR || years.has(y + 1);
}

/**
 * The year whose holiday notice a provisional `date` waits for: its own year's when that is not
 * published, else (in the year's last weeks) the next year's; null when the date is settled.
 */
export function awaitedNoticeYear(date: string): number | null {
  if (isDateSettled(date)) return null;
  const y = yearOfDay(parseDate(date));
  return years.has(y) ? y + 1 : y;
}

// ---- lookup tables -------------------------------------------------------------------------------

/** Day number of the first day covered by the tables (1900-01-01). */
export const TABLE_BASE = dayFromCivil(MIN_YEAR, 1, 1);
/** Number of days covered (through 2199-12-31). */
export const TABLE_SIZE = dayFromCivil(MAX_YEAR + 1, 1, 1) - TABLE_BASE;

export const WORK = 1;
export const UNKNOWN = 2;
export const LISTED = 4;
/** A last-weeks day of a published year whose next year is not published: it may still change. */
export const PENDING = 8;

export interface CalendarTables {
  /** Per day offset: WORK bit (working day, weekday rule for unknown years), UNKNOWN, LISTED, PENDING bits. */
  status: Uint8Array;
  /** workPrefix[i] = working days among offsets [0, i). */
  workPrefix: Int32Array;
  /**
   * unknownPrefix[i] = days among offsets [0, i) whose answer waits for an unpublished notice: the
   * days of unpublished years (UNKNOWN) and the last weeks of a published year before the next (PENDING).
   */
  unknownPrefix: Int32Array;
  /** workIndex[k] = offset of the k-th working day (0-based). */
  workIndex: Int32Array;
  /** Holiday name of each listed day (off day or make-up working day), by day number. */
  names: Map<number, string>;
}

let tables: CalendarTables | null = null;

function buildTables(): CalendarTables {
  const status = new Uint8Array(TABLE_SIZE);
  for (let y = MIN_YEAR; y <= MAX_YEAR; y++) {
    const start = dayFromCivil(y, 1, 1) - TABLE_BASE;
    const end = dayFromCivil(y + 1, 1, 1) - TABLE_BASE;
    const unknown = years.has(y) ? 0 : UNKNOWN;
    for (let i = start; i < end; i++) {
      const wd = weekdayOfDay(i + TABLE_BASE);
      status[i] = (wd <= 5 ? WORK : 0) | unknown;
    }
  }
  const names = new Map<number, string>();
  const ordered = [...years.values()].sort((a, b) => a.file.year - b.file.year);
  for (const { file } of ordered) {
    for (const d of file.days) {
      const n = dayFromCivil(Number(d.date.slice(0, 4)), Number(d.date.slice(5, 7)), Number(d.date.slice(8, 10)));
      const i = n - TABLE_BASE;
      // A listed day is known even in an unpublished year (a December day in the next year's notice).
      status[i] = LISTED | (d.isOffDay ? 0 : WORK);
      names.set(n, d.name);
    }
  }
  for (const { file } of ordered) {
    const y = file.year;
    if (y === MAX_YEAR || years.has(y + 1)) continue;
    const end = dayFromCivil(y + 1, 1, 1) - TABLE_BASE;
    for (let i = dayFromCivil(y, 12, NEXT_NOTICE_FROM_DECEMBER) - TABLE_BASE; i < end; i++) {
      status[i] = (status[i] ?? 0) | PENDING;
    }
  }
  const workPrefix = new Int32Array(TABLE_SIZE + 1);
  const unknownPrefix = new Int32Array(TABLE_SIZE + 1);
  let w = 0;
  let u = 0;
  for (let i = 0; i < TABLE_SIZE; i++) {
    const s = status[i] ?? 0;
    if (s & WORK) w++;
    if (s & (UNKNOWN | PENDING)) u++;
    workPrefix[i + 1] = w;
    unknownPrefix[i + 1] = u;
  }
  const workIndex = new Int32Array(w);
  for (let i = 0, k = 0; i < TABLE_SIZE; i++) if ((status[i] ?? 0) & WORK) workIndex[k++] = i;
  return { status, workPrefix, unknownPrefix, workIndex, names };
}

/** The lookup tables, rebuilt lazily after the registry changed. */
export function getTables(): CalendarTables {
  if (tables === null) tables = buildTables();
  return tables;
}

loadBuiltin();
