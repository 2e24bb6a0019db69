// Calendar-date arithmetic on day numbers (days since 1970-01-01), with no JavaScript Date, so the
// results never depend on the process time zone.
import { InvalidDateError } from '../errors.js';

/** First and last year the calendar functions accept (inclusive). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Number of days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Day number of a civil date (proleptic Gregorian), after H. Hinnant's days_from_civil. */
export function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date `[y, m, d]` of a day number. */
export function civilFromDay(n: number): [y: number, m: number, d: number] {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Year of a day number. */
export function yearOfDay(n: number): number {
  return civilFromDay(n)[0];
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
export function weekdayOfDay(n: number): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

function pad2(v: number): string {
  return v < 10 ? `0${v}` : `${v}`;
}

const CACHE_BASE = dayFromCivil(MIN_YEAR, 1, 1);
const CACHE_SIZE = dayFromCivil(MAX_YEAR + 1, 1, 1) - CACHE_BASE;
const formatCache: (string | undefined)[] = new Array<string | undefined>(CACHE_SIZE);

/** `YYYY-MM-DD` of a day number (memoised: the engine formats the same days many times). */
export function formatDay(n: number): string {
  const i = n - CACHE_BASE;
  if (i >= 0 && i < CACHE_SIZE) {
    const c = formatCache[i];
    if (c !== undefined) return c;
  }
  const [y, m, d] = civilFromDay(n);
  const s = `${y}-${pad2(m)}-${pad2(d)}`;
  if (i >= 0 && i < CACHE_SIZE) formatCache[i] = s;
  return s;
}

/** `MM-DD` of a day number (for basis sentences). */
export function formatMonthDay(n: number): string {
  const [, m, d] = civilFromDay(n);
  return `${pad2(m)}-${pad2(d)}`;
}

/**
 * Day number of `s` when it is a real calendar date written `YYYY-MM-DD` in the supported years
 * (MIN_YEAR–MAX_YEAR), else NaN (not -1: that is the day number of 1969-12-31). The one date
 * check behind `isValidDate` and `parseDate`.
 */
function dayOfValidDate(s: unknown): number {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  return dayFromCivil(y, mo, d);
}

/**
 * Whether `s` is a real calendar date written `YYYY-MM-DD` in the supported years MIN_YEAR–MAX_YEAR
 * (1900–2199): exactly the dates `parseDate` and every calendar function accept.
 */
export function isValidDate(s: unknown): s is string {
  return !Number.isNaN(dayOfValidDate(s));
}

/**
 * Parses a `YYYY-MM-DD` date into a day number; throws `InvalidDateError` saying what is wrong.
 * `what` names the value in the message (e.g. "issue date").
 */
export function parseDate(s: unknown, what = 'date'): number {
  const day = dayOfValidDate(s);
  return Number.isNaN(day) ? invalidDate(s, what) : day;
}

/** Value of `n` decimal digits of `s` from `at`, or -1 if any is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Throws the `InvalidDateError` that says what is wrong with `s` (which `dayOfValidDate` refused). */
function invalidDate(s: unknown, what: string): never {
  if (typeof s !== 'string' || s === '') {
    throw new InvalidDateError(`The ${what} is empty: give a date as YYYY-MM-DD, e.g. 2026-09-28.`, s);
  }
  const m = DATE_RE.exec(s);
  if (!m) {
    throw new InvalidDateError(
      `The ${what} "${s}" is not written YYYY-MM-DD (four-digit year, two-digit month and day, e.g. 2026-02-03).`,
      s,
    );
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12) throw new InvalidDateError(`The ${what} "${s}" has month ${m[2]}: use 01–12.`, s);
  const dim = daysInMonth(y, mo);
  if (d < 1 || d > dim) {
    throw new InvalidDateError(`The ${what} "${s}" does not exist: ${y}-${m[2]} has days 01–${dim}.`, s);
  }
  throw new InvalidDateError(`The ${what} "${s}" is outside the supported years ${MIN_YEAR}–${MAX_YEAR}.`, s);
}

/** Checks that a day number is inside the supported years; returns it. */
export function checkDayInRange(n: number, what = 'result'): number {
  const y = yearOfDay(n);
  if (y < MIN_YEAR || y > MAX_YEAR) {
    throw new InvalidDateError(`The ${what} ${formatDay(n)} is outside the supported years ${MIN_YEAR}–${MAX_YEAR}.`);
  }
  return n;
}

/**
 * Day number `n` months after (or before, when negative) day `day`: the corresponding day of the
 * final month, or that month's last day when it has none (Civil Code art. 201; 2025-08-31 + 18 mo =
 * 2027-02-28).
 */
export function addMonthsToDay(day: number, n: number): number {
  const [y, m, d] = civilFromDay(day);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return dayFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Checks `n` is a safe integer (a count of days, working days or months). */
export function checkCount(n: unknown, what = 'count'): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new InvalidDateError(`The ${what} must be a whole number, got ${String(n)}.`, n);
  }
  return n;
}

/**
 * `YYYY-MM-DD` `n` months after `date` (negative: before): the corresponding day, else the last day
 * of that month. Pure calendar arithmetic: no working-day adjustment, so it needs no holiday data.
 */
export function addMonths(date: string, n: number): string {
  const day = parseDate(date);
  checkCount(n, 'number of months');
  return formatDay(checkDayInRange(addMonthsToDay(day, n)));
}

/**
 * `YYYY-MM-DD` `n` calendar days after `date` (negative: before). Plain calendar arithmetic: no
 * working-day adjustment (use `addDays` for a Civil Code deadline) and no JavaScript Date, so the
 * result does not depend on the process time zone.
 */
export function addCalendarDays(date: string, n: number): string {
  const day = parseDate(date);
  checkCount(n, 'number of days');
  return formatDay(checkDayInRange(day + n));
}
