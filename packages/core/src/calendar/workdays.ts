// China working days (工作日) over `YYYY-MM-DD` strings: Monday–Friday, minus the State Council's off
// days, plus its make-up working days. A date in a year without a published notice is unknown: it
// throws CalendarUnknownYearError unless the caller asks for a provisional answer (weekday rule).
// A date in the last weeks of the newest published year depends on the next year too: that year's
// notice (its New Year holiday) may still change it. See docs/domain.md, "Counting conventions".
import { CalendarUnknownYearError, InvalidDateError } from '../errors.js';
import { checkCount, checkDayInRange, daysInMonth, dayFromCivil, formatDay, parseDate, yearOfDay } from './days.js';
import { LISTED, TABLE_BASE, TABLE_SIZE, UNKNOWN, WORK, getTables, isYearPublished } from './registry.js';

export interface CalendarOptions {
  /** Answer with the weekday rule for unpublished years instead of throwing; the result is marked. */
  provisional?: boolean;
}

/** A result computed with `{ provisional: true }`: `provisional` tells whether an unpublished year was used. */
export interface ProvisionalResult<T> {
  value: T;
  provisional: boolean;
  /** The unpublished years the answer depends on, ascending. */
  unknownYears: number[];
}

/**
 * Collects the unpublished years a computation touches. Strict contexts throw at the first one.
 * The obligation engine shares one context across many calendar calls.
 */
export class CalendarContext {
  /** Every unpublished year touched so far, ascending. */
  readonly unknownYears: number[] = [];
  /** Unpublished years touched since the last `take()`. */
  private current: number[] = [];
  constructor(readonly provisional = false) {}

  /**
   * Records that the answer depends on days [a, b] (day numbers, a ≤ b): on the notice of each
   * unpublished year among them, and on the next year's notice for the last weeks of a published
   * year whose next year is not published (its New Year holiday may still move those days).
   */
  touch(a: number, b: number): void {
    const p = getTables().unknownPrefix;
    const lo = a - TABLE_BASE;
    const hi = b - TABLE_BASE;
    if ((p[hi + 1] ?? 0) - (p[lo] ?? 0) === 0) return;
    const y1 = yearOfDay(b);
    for (let y = yearOfDay(a); y <= y1; y++) {
      const from = Math.max(lo, dayFromCivil(y, 1, 1) - TABLE_BASE);
      const to = Math.min(hi, dayFromCivil(y + 1, 1, 1) - TABLE_BASE - 1);
      if ((p[to + 1] ?? 0) - (p[from] ?? 0) === 0) continue;
      // A published year's pending days are its last weeks: they wait for the next year's notice.
      this.note(isYearPublished(y) ? y + 1 : y);
    }
  }

  private note(y: number): void {
    if (!this.provisional) throw new CalendarUnknownYearError(y);
    if (!this.current.includes(y)) this.current.push(y);
    if (!this.unknownYears.includes(y)) {
      this.unknownYears.push(y);
      this.unknownYears.sort((p, q) => p - q);
    }
  }

  /** The unpublished years touched since the previous call, ascending; starts a new span. */
  take(): number[] {
    const r = this.current;
    if (r.length === 0) return r;
    this.current = [];
    return r.sort((p, q) => p - q);
  }
}

function offset(day: number): number {
  const i = day - TABLE_BASE;
  if (i < 0 || i >= TABLE_SIZE) checkDayInRange(day);
  return i;
}

/** Whether day number `day` is a working day. */
export function isWorkdayAt(ctx: CalendarContext, day: number): boolean {
  const i = offset(day);
  ctx.touch(day, day);
  return ((getTables().status[i] ?? 0) & WORK) !== 0;
}

/** The first working day on or after `day`. */
export function workdayOnOrAfter(ctx: CalendarContext, day: number): number {
  const t = getTables();
  const k = t.workPrefix[offset(day)] ?? 0;
  const idx = t.workIndex[k];
  if (idx === undefined) checkDayInRange(day + 7);
  const r = (idx as number) + TABLE_BASE;
  ctx.touch(day, r);
  return r;
}

/** The last working day on or before `day`. */
export function workdayOnOrBefore(ctx: CalendarContext, day: number): number {
  const t = getTables();
  const k = (t.workPrefix[offset(day) + 1] ?? 0) - 1;
  const idx = t.workIndex[k];
  if (idx === undefined) checkDayInRange(day - 7);
  const r = (idx as number) + TABLE_BASE;
  ctx.touch(r, day);
  return r;
}

/** The `n`-th working day after `day` (before it when n < 0); the start day is not counted. */
export function addWorkdaysAt(ctx: CalendarContext, day: number, n: number): number {
  if (n === 0) return day;
  const t = getTables();
  const i = offset(day);
  const k = n > 0 ? (t.workPrefix[i + 1] ?? 0) + n - 1 : (t.workPrefix[i] ?? 0) + n;
  const idx = t.workIndex[k];
  if (idx === undefined) {
    throw new InvalidDateError(
      `${formatDay(day)} ${n > 0 ? '+' : '−'} ${Math.abs(n)} working days is outside the supported years 1900–2199.`,
    );
  }
  const r = idx + TABLE_BASE;
  if (n > 0) ctx.touch(day + 1, r);
  else ctx.touch(r, day - 1);
  return r;
}

/** Working days in [a, b] (inclusive, a ≤ b). */
export function countWorkdaysAt(ctx: CalendarContext, a: number, b: number): number {
  const t = getTables();
  const lo = offset(a);
  const hi = offset(b);
  ctx.touch(a, b);
  return (t.workPrefix[hi + 1] ?? 0) - (t.workPrefix[lo] ?? 0);
}

/**
 * Day `day` + `n` calendar days; when that day is not a working day it moves to the next working day
 * (Civil Code art. 203), or to the previous one with `roll: 'previous'` (deadlines counted back).
 */
export function addDaysAt(ctx: CalendarContext, day: number, n: number, roll: 'next' | 'previous' = 'next'): number {
  const e = day + n;
  offset(e);
  return roll === 'next' ? workdayOnOrAfter(ctx, e) : workdayOnOrBefore(ctx, e);
}

/** The last working day of month `m` of year `y`. */
export function lastWorkdayOfMonthAt(ctx: CalendarContext, y: number, m: number): number {
  return workdayOnOrBefore(ctx, dayFromCivil(y, m, daysInMonth(y, m)));
}

/** A run of consecutive listed days (off days or make-up working days) inside a range. */
export interface CalendarRun {
  from: number;
  to: number;
  isOffDay: boolean;
  name: string;
}

/**
 * The listed days (holiday off days and make-up working days) in [a, b], grouped into runs of
 * consecutive days with the same kind and name. Used to explain a count in a basis sentence.
 */
export function listedRunsAt(a: number, b: number): CalendarRun[] {
  const t = getTables();
  const runs: CalendarRun[] = [];
  const lo = Math.max(a, TABLE_BASE);
  const hi = Math.min(b, TABLE_BASE + TABLE_SIZE - 1);
  for (let d = lo; d <= hi; d++) {
    const s = t.status[d - TABLE_BASE] ?? 0;
    if ((s & LISTED) === 0) continue;
    const isOffDay = (s & WORK) === 0;
    const name = t.names.get(d) ?? '';
    const last = runs[runs.length - 1];
    if (last && last.to === d - 1 && last.isOffDay === isOffDay && last.name === name) last.to = d;
    else runs.push({ from: d, to: d, isOffDay, name });
  }
  return runs;
}

/** Whether day `day` lies in a year without a published notice. */
export function isUnknownDay(day: number): boolean {
  return ((getTables().status[offset(day)] ?? 0) & UNKNOWN) !== 0;
}

/** Strict contexts keep no state (they throw at the first unknown year), so one is shared. */
const STRICT = new CalendarContext(false);

function run<T>(opts: CalendarOptions | undefined, fn: (ctx: CalendarContext) => T): T | ProvisionalResult<T> {
  if (opts?.provisional) {
    const ctx = new CalendarContext(true);
    const value = fn(ctx);
    return { value, provisional: ctx.unknownYears.length > 0, unknownYears: [...ctx.unknownYears] };
  }
  return fn(STRICT);
}

/** Whether `date` is a working day in China (工作日). */
export function isWorkday(date: string, opts?: { provisional?: false }): boolean;
export function isWorkday(date: string, opts: { provisional: true }): ProvisionalResult<boolean>;
export function isWorkday(date: string, opts?: CalendarOptions): boolean | ProvisionalResult<boolean>;
export function isWorkday(date: string, opts?: CalendarOptions): boolean | ProvisionalResult<boolean> {
  const day = parseDate(date);
  return run(opts, (ctx) => isWorkdayAt(ctx, day));
}

/**
 * The `n`-th working day after `date` (n < 0: before it). The start day is not counted, so
 * 2026-09-28 + 7 = 2026-10-13 (Oct 1–7 off, Saturday Oct 10 a make-up working day). n = 0 returns `date`.
 */
export function addWorkdays(date: string, n: number, opts?: { provisional?: false }): string;
export function addWorkdays(date: string, n: number, opts: { provisional: true }): ProvisionalResult<string>;
export function addWorkdays(date: string, n: number, opts?: CalendarOptions): string | ProvisionalResult<string>;
export function addWorkdays(date: string, n: number, opts?: CalendarOptions): string | ProvisionalResult<string> {
  const day = parseDate(date);
  checkCount(n, 'number of working days');
  return run(opts, (ctx) => formatDay(addWorkdaysAt(ctx, day, n)));
}

/** Number of working days from `from` to `to`, both included. `from` must not be after `to`. */
export function countWorkdays(from: string, to: string, opts?: { provisional?: false }): number;
export function countWorkdays(from: string, to: string, opts: { provisional: true }): ProvisionalResult<number>;
export function countWorkdays(from: string, to: string, opts?: CalendarOptions): number | ProvisionalResult<number>;
export function countWorkdays(from: string, to: string, opts?: CalendarOptions): number | ProvisionalResult<number> {
  const a = parseDate(from, 'start date');
  const b = parseDate(to, 'end date');
  if (a > b) throw new InvalidDateError(`The start date ${from} is after the end date ${to}: swap them.`);
  return run(opts, (ctx) => countWorkdaysAt(ctx, a, b));
}

/**
 * `date` + `n` calendar days (Civil Code art. 203): a last day that is not a working day moves to the
 * next working day (2026-09-30 + 1 = 2026-10-08). For n < 0 it moves to the previous working day,
 * so a deadline counted back never lands later than the period allows.
 */
export function addDays(date: string, n: number, opts?: { provisional?: false }): string;
export function addDays(date: string, n: number, opts: { provisional: true }): ProvisionalResult<string>;
export function addDays(date: string, n: number, opts?: CalendarOptions): string | ProvisionalResult<string>;
export function addDays(date: string, n: number, opts?: CalendarOptions): string | ProvisionalResult<string> {
  const day = parseDate(date);
  checkCount(n, 'number of days');
  return run(opts, (ctx) => formatDay(addDaysAt(ctx, day, n, n < 0 ? 'previous' : 'next')));
}
