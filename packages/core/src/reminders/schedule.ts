// The reminder schedule of one obligation, as pure data: when each step of its rule's ladder is due,
// as an instant. The server stores the next step's instant (`next_reminder_at`) and claims it
// atomically; everything it needs to know about "which step, when" is computed here, so a restart,
// a second instance or a re-dated obligation all see the same answer.
//
// Counting conventions (as the rules count): days are Asia/Shanghai calendar days handled as day numbers,
// never as JavaScript Date at local midnight, so the result does not depend on the process time zone.
// See docs/domain.md, "Reminders".
import { addWorkdaysAt, CalendarContext, workdayOnOrAfter, workdayOnOrBefore } from '../calendar/workdays.js';
import { formatDay, parseDate } from '../calendar/days.js';
import { InvalidDateError } from '../errors.js';
import { formatShanghaiInstant, parseInstant, shanghaiParts } from '../obligations/instant.js';
import type { ReminderLadder } from '../scheme/rules.js';

/** Hour of the day (Asia/Shanghai) at which date reminders go out: the start of a working morning. */
export const REMINDER_HOUR = 9;
/** Hour deadlines (the 48-hour incident report) are reminded this many hours before the instant. */
export const DEFAULT_HOURS_BEFORE: readonly number[] = [24, 4, 1];
/** Overdue obligations are reminded (and escalated) every this many working days after the due date. */
export const OVERDUE_EVERY_WORKDAYS = 3;
/**
 * Overdue reminders stop after this many, or once they would fall more than OVERDUE_MAX_DAYS calendar
 * days after the due date, whichever comes first: an obligation nobody acts on for four months needs
 * a person, not a 30th message, and the cap keeps the lazy generation finite.
 */
export const OVERDUE_MAX_STEPS = 20;
export const OVERDUE_MAX_DAYS = 120;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** `before`: ahead of the deadline; `due`: on the due day (or at the due instant); `overdue`: after it. */
export type ReminderKind = 'before' | 'due' | 'overdue';

/** One reminder of an obligation. */
export interface ReminderStep {
  /**
   * Stable key: `before-30d`, `on-day` (date deadlines), `before-24h`, `at-due` (hour deadlines),
   * `overdue-1`, `overdue-2` … Stored as the last step sent; order them with `compareStepKeys`.
   */
  step: string;
  /** When to send: ISO instant with +08:00 (09:00 Asia/Shanghai on a working day for date steps). */
  at: string;
  kind: ReminderKind;
  /** Copy the organisation's managers (overdue steps of a ladder with `overdueEscalation: 'manager'`). */
  escalate: boolean;
  /** True when the obligation is provisional or this step's day was counted in an unpublished year. */
  provisional: boolean;
  /** Unpublished calendar years this step's day depends on (weekday rule used); absent when none. */
  unknownYears?: number[];
}

/** What the schedule is computed from: the rule's ladder and the obligation's dates (engine output). */
export interface ReminderInput {
  /** The rule's ladder (`rule.reminders`). For hour deadlines `daysBefore` is not used: see `hoursBefore`. */
  ladder: ReminderLadder;
  /** Due date `YYYY-MM-DD` (Asia/Shanghai). */
  dueDate: string;
  /** Hour deadlines only: the due instant (ISO with offset). Its Shanghai date wins over `dueDate`. */
  dueAt?: string;
  /** The obligation's window start `YYYY-MM-DD`; only used when the ladder says `fromWindowStart`. */
  windowStart?: string;
  /** The obligation itself is provisional (unpublished year, awaiting notice): every step inherits it. */
  provisional?: boolean;
  /** Hours before `dueAt` for hour deadlines; default DEFAULT_HOURS_BEFORE (24, 4, 1). */
  hoursBefore?: readonly number[];
}

/** A step key that is not one of the forms `reminderSteps` produces. */
export class InvalidReminderStepError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(readonly step: string) {
    super(
      `"${step}" is not a reminder step: expected before-<n>d, before-<n>h, on-day, at-due or overdue-<n> ` +
        `(e.g. before-30d, overdue-2).`,
    );
    this.name = 'InvalidReminderStepError';
  }
}

const STEP_RE = /^(?:before-([1-9]\d{0,5})([dh])|on-day|at-due|overdue-([1-9]\d{0,5}))$/;

/**
 * Position of a step key on one scale shared by every ladder: minutes before the deadline, negated
 * (so later steps rank higher), with the due step at 0 and `overdue-n` at n. Ranking by key rather
 * than by stored instant keeps "what was already sent" meaningful when the dates move.
 */
function stepRank(step: string): number {
  const m = STEP_RE.exec(step);
  if (!m) throw new InvalidReminderStepError(step);
  if (m[1] !== undefined) return -Number(m[1]) * (m[2] === 'd' ? 1440 : 60);
  if (m[3] !== undefined) return Number(m[3]);
  return 0;
}

/**
 * Orders two step keys as a schedule sends them: negative when `a` comes before `b`, 0 when they are
 * the same point of the ladder. Throws InvalidReminderStepError for a key of another form.
 */
export function compareStepKeys(a: string, b: string): number {
  return stepRank(a) - stepRank(b);
}

/** Epoch ms of 09:00 Asia/Shanghai on day number `day`. */
function morningOf(day: number): number {
  return day * DAY_MS + REMINDER_HOUR * HOUR_MS - SHANGHAI_OFFSET_MS;
}

function toMs(value: string | number, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidDateError(`The ${what} must be a finite epoch time in ms.`, value);
    return value;
  }
  const ms = parseInstant(value);
  if (ms === null) {
    throw new InvalidDateError(
      `The ${what} "${value}" is not an ISO instant with an offset, e.g. 2026-05-01T09:00:00+08:00.`,
      value,
    );
  }
  return ms;
}

interface Prepared {
  input: ReminderInput;
  /** Day number the overdue count starts from (the due date, or the Shanghai date of `dueAt`). */
  dueDay: number;
  dueAtMs: number | null;
  windowDay: number | null;
  ctx: CalendarContext;
}

function prepare(input: ReminderInput): Prepared {
  const dueAtMs = input.dueAt === undefined ? null : toMs(input.dueAt, 'due instant');
  const dueDay = dueAtMs === null ? parseDate(input.dueDate, 'due date') : shanghaiParts(dueAtMs)[0];
  const windowDay =
    input.ladder.fromWindowStart === true && input.windowStart !== undefined
      ? parseDate(input.windowStart, 'window start')
      : null;
  // Provisional mode: a step in a year without a published notice is computed by the weekday rule
  // and flagged, so one obligation in 2027 never stops the sweep for everybody.
  return { input, dueDay, dueAtMs, windowDay, ctx: new CalendarContext(true) };
}

function makeStep(p: Prepared, step: string, ms: number, kind: ReminderKind, escalate: boolean): ReminderStep {
  const years = p.ctx.take();
  const s: ReminderStep = {
    step,
    at: formatShanghaiInstant(ms),
    kind,
    escalate,
    provisional: p.input.provisional === true || years.length > 0,
  };
  if (years.length > 0) s.unknownYears = [...years];
  return s;
}

function uniqueDescending(values: readonly number[]): number[] {
  return [...new Set(values.filter((n) => Number.isSafeInteger(n) && n >= 0))].sort((a, b) => b - a);
}

/** The steps up to and including the due step, in order, before de-duplication. */
function ladderSteps(p: Prepared): ReminderStep[] {
  const out: ReminderStep[] = [];
  p.ctx.take();
  if (p.dueAtMs !== null) {
    // Hour deadlines are counted in hours, not working days: an incident report due on a Sunday
    // afternoon is still due then, so these steps are never moved to a working day.
    const windowMs = p.windowDay === null ? null : p.windowDay * DAY_MS - SHANGHAI_OFFSET_MS;
    const hours = uniqueDescending(p.input.hoursBefore ?? DEFAULT_HOURS_BEFORE).filter((h) => h > 0);
    for (const h of hours) {
      const ms = p.dueAtMs - h * HOUR_MS;
      if (windowMs !== null && ms < windowMs) continue;
      out.push(makeStep(p, `before-${h}h`, ms, 'before', false));
    }
    out.push(makeStep(p, 'at-due', p.dueAtMs, 'due', false));
    return out;
  }
  for (const n of uniqueDescending(p.input.ladder.daysBefore)) {
    const nominal = p.dueDay - n;
    if (p.windowDay !== null && nominal < p.windowDay) continue;
    // A reminder never goes out on an off day: it moves to the previous working day, so it arrives
    // early rather than after a long holiday.
    let day = workdayOnOrBefore(p.ctx, nominal);
    // …unless that would put it before the window opens (nothing to do yet): then the window's first
    // working day.
    if (p.windowDay !== null && day < p.windowDay) day = workdayOnOrAfter(p.ctx, p.windowDay);
    out.push(makeStep(p, n === 0 ? 'on-day' : `before-${n}d`, morningOf(day), n === 0 ? 'due' : 'before', false));
  }
  return out;
}

/**
 * Keeps one step per instant. Moving off-day steps to the previous working day can stack two of them
 * (7 days and 1 day before 2026-10-08 both land on 2026-09-30, before 国庆): sending both at once is
 * sending twice, so only the one nearest the deadline, the most urgent wording, stays.
 */
function dedupe(steps: ReminderStep[]): ReminderStep[] {
  const out: ReminderStep[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last !== undefined && last.at === s.at) out[out.length - 1] = s;
    else out.push(s);
  }
  return out;
}

/** The `n`-th overdue step (1-based), or null past the cap. */
function overdueStep(p: Prepared, n: number): ReminderStep | null {
  if (n < 1 || n > OVERDUE_MAX_STEPS) return null;
  let day: number;
  try {
    day = addWorkdaysAt(p.ctx, p.dueDay, n * OVERDUE_EVERY_WORKDAYS);
  } catch (e) {
    if (e instanceof InvalidDateError) return null; // past the calendar's last supported year
    throw e;
  }
  if (day - p.dueDay > OVERDUE_MAX_DAYS) {
    p.ctx.take();
    return null;
  }
  return makeStep(p, `overdue-${n}`, morningOf(day), 'overdue', p.input.ladder.overdueEscalation === 'manager');
}

/** Iterates the whole schedule in order: the ladder, then overdue steps on demand until the cap. */
function* iterateSteps(p: Prepared): Generator<ReminderStep> {
  yield* dedupe(ladderSteps(p));
  for (let n = 1; ; n++) {
    const s = overdueStep(p, n);
    if (s === null) return;
    yield s;
  }
}

/**
 * The reminder schedule of an obligation, in sending order: the ladder's steps before the deadline
 * and the due step, then the first `overdueCount` overdue steps (default none: they are open-ended,
 * use `nextReminder` / `dueSteps` to walk them). Date steps are at 09:00 Asia/Shanghai on a working
 * day (an off day moves to the previous working day); hour deadlines step at `dueAt` − 24 h, − 4 h,
 * − 1 h and `dueAt`; overdue steps every 3 working days after the due date at 09:00, escalating.
 * With a `fromWindowStart` ladder, steps before the window opens are left out. Steps in the past are
 * listed too: the schedule is absolute, `dueSteps` decides what to send.
 */
export function reminderSteps(input: ReminderInput & { overdueCount?: number }): ReminderStep[] {
  const p = prepare(input);
  const limit = Math.min(Math.max(0, Math.floor(input.overdueCount ?? 0)), OVERDUE_MAX_STEPS);
  const out = dedupe(ladderSteps(p));
  for (let n = 1; n <= limit; n++) {
    const s = overdueStep(p, n);
    if (s === null) break;
    out.push(s);
  }
  return out;
}

/**
 * The first step strictly after `after` (ISO instant with offset, or epoch ms), computing overdue
 * steps on demand; null when the schedule is exhausted (the overdue cap is reached).
 */
export function nextReminder(input: ReminderInput & { after: string | number }): ReminderStep | null {
  const after = toMs(input.after, '"after" instant');
  for (const s of iterateSteps(prepare(input))) {
    if (toMs(s.at, 'step instant') > after) return s;
  }
  return null;
}

/** What `dueSteps` decides for one obligation at one moment. */
export interface DueSteps {
  /** The step to send now, or null when nothing is due. Never more than one. */
  send: ReminderStep | null;
  /** Steps also due and not yet sent but skipped in favour of `send` (to record, not to send). */
  superseded: ReminderStep[];
  /** The first unsent step after `now`: store its `at` as the next reminder time; null when none. */
  next: ReminderStep | null;
}

/**
 * Which step of an obligation to send at `now`, given the last step already sent.
 *
 * On catch-up (after an outage, or for an obligation created late) several steps can be due at once.
 * Only the LATEST of them is sent, the others are returned as `superseded`: a burst of "30 days
 * left", "15 days left", "due today" at the same minute says nothing the last one does not, and
 * reads like a bug. Steps count as sent by their position in the ladder (`compareStepKeys`), not by
 * instant, so a re-dated obligation does not resend what it already said; the caller resets
 * `lastSentStep` when a re-dating should start the ladder over.
 */
export function dueSteps(input: ReminderInput & { now: string | number; lastSentStep?: string }): DueSteps {
  const now = toMs(input.now, '"now" instant');
  const sent = input.lastSentStep === undefined ? null : stepRank(input.lastSentStep);
  const due: ReminderStep[] = [];
  let next: ReminderStep | null = null;
  for (const s of iterateSteps(prepare(input))) {
    if (sent !== null && stepRank(s.step) <= sent) continue;
    if (toMs(s.at, 'step instant') <= now) {
      due.push(s);
      continue;
    }
    next = s;
    break;
  }
  const send = due.pop() ?? null;
  return { send, superseded: due, next };
}

/** The Asia/Shanghai date `YYYY-MM-DD` of a step (for grouping daily or weekly digests). */
export function stepDate(step: Pick<ReminderStep, 'at'>): string {
  return formatDay(shanghaiParts(toMs(step.at, 'step instant'))[0]);
}
