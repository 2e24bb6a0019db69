// The obligation engine: certificate + events + calendar → what is due when, and why (pure).
// Rules come from the table in scheme/rules.ts; this file only knows how to count each unit.
// See docs/domain.md, "Counting conventions" (units) and "Certificate states" (recorded vs inferred).
import {
  addMonthsToDay,
  civilFromDay,
  dayFromCivil,
  daysInMonth,
  formatDay,
  parseDate,
  yearOfDay,
} from '../calendar/days.js';
import { getTables, isDateSettled, type CalendarTables } from '../calendar/registry.js';
import {
  CalendarContext,
  addDaysAt,
  addWorkdaysAt,
  lastWorkdayOfMonthAt,
  workdayOnOrAfter,
  workdayOnOrBefore,
} from '../calendar/workdays.js';
import { CalendarUnknownYearError, InvalidDateError, InvalidEventError } from '../errors.js';
import {
  CERTIFICATE_STATE_LABELS,
  canTransition,
  isTerminalState,
  type CertificateState,
} from '../lifecycle/states.js';
import { LEVELS, isLevel, type Level } from '../scheme/levels.js';
import {
  OBLIGATION_RULES,
  RULE_IDS,
  getRule,
  type EventType,
  type ObligationRule,
  type RuleId,
  type SourceCode,
} from '../scheme/rules.js';
import { basisDays, basisMonths, basisPeriodEnd, basisUnknownYears, basisWorkdays, type Basis } from './basis.js';
import {
  ASSESSMENT_KIND_LABELS,
  ASSESSMENT_STEP_LABELS,
  EVENT_TYPE_LABELS,
  parseEvents,
  type CertificateEvent,
} from './events.js';
import { formatShanghaiInstant, parseInstant, shanghaiParts } from './instant.js';

export interface CertificateInput {
  level: Level;
  /** Issue date, YYYY-MM-DD. */
  issuedOn: string;
  /** Printed expiry date; default issue + 4 years − 1 day. */
  expiresOn?: string;
}

export interface ComputeObligationsInput {
  certificate: CertificateInput;
  /** Events (validated here; unknown types and missing fields throw InvalidEventError). */
  events?: readonly unknown[];
  /**
   * Last due date to include. Default: the expiry date for periodic and certificate duties, and no
   * limit for the obligations of events inside the validity (a complaint just before expiry still
   * has its deadline, even when that falls after expiry).
   */
  until?: string;
  /**
   * Today (Asia/Shanghai): deadlines passed without a recorded result become alerts, and events
   * dated later are flagged; omit to raise neither.
   */
  asOf?: string;
  /**
   * State changes people recorded (a suspension notice, a revocation, a confirmed abandonment …),
   * any order. Only these, the printed expiry and recorded events change the certificate's state:
   * what the engine merely infers from missing records is an alert, never a state.
   */
  recorded?: readonly RecordedTransition[];
  /**
   * Use the weekday rule for years without a published holiday notice and mark those obligations
   * provisional. Default false: such a year throws CalendarUnknownYearError naming it.
   */
  provisional?: boolean;
}

export interface RecordedTransition {
  state: CertificateState;
  /** The first day in the new state, YYYY-MM-DD. */
  on: string;
  /** Why, as recorded (shown in the timeline). */
  reason?: string;
}

/** Something the user should know, in both languages; `code` is stable for programs. */
export interface EngineMessage {
  code: string;
  zh: string;
  en: string;
  /** The event it is about, if any. */
  eventId?: string;
}

/**
 * An inference from what is missing (a deadline passed with no result recorded): shown with the
 * action to take, and never the certificate's state until someone records that state.
 */
export interface EngineAlert extends EngineMessage {
  /** What the certificate may have become if nothing was done. */
  possibleState: CertificateState;
  /** From when that would hold. */
  possibleFrom: string;
  /** The obligation the alert is about. */
  obligationKey?: string;
}

export interface ObligationTrigger {
  kind: 'issue' | 'expiry' | 'schedule' | 'event' | 'after-rule';
  /** The day the count starts from (event date, issue date, period start, expiry). */
  date: string;
  eventType?: EventType;
  eventId?: string;
}

export interface Obligation {
  /** Stable per certificate (e.g. `audit.internal:2026-03`, `complaint.response:<event id or date>`). */
  key: string;
  rule: RuleId;
  titleZh: string;
  titleEn: string;
  /** Due date (Asia/Shanghai). For hour deadlines, the date part of `dueAt`. */
  dueDate: string;
  /** Hour deadlines only: ISO instant with +08:00. */
  dueAt?: string;
  /** When the window opens / reminders start, if the rule has a window. */
  windowStart?: string;
  /** True when the date is not final: an unpublished calendar year, or awaiting the self-check notice. */
  provisional: boolean;
  /** Unpublished calendar years the date depends on (weekday rule used). */
  unknownYears?: number[];
  /** Self-check date is the assumed anniversary until the year's notice is entered. */
  awaitingNotice?: boolean;
  /** Source codes joined, e.g. "M, S". */
  source: string;
  sources: SourceCode[];
  /** How the date was counted (Chinese). */
  basis: string;
  basisEn: string;
  trigger: ObligationTrigger;
  /** Date of the event that fulfilled it (supervision done, renewal applied, re-assessment passed). */
  satisfiedOn?: string;
  /** A recorded state ended the duty: kept for the record, no longer to be done. */
  cancelled?: { on: string; state: CertificateState; reasonZh: string; reasonEn: string };
}

export interface StateSegment {
  state: CertificateState;
  from: string;
  /** Last day in this state; absent for the last segment. */
  to?: string;
  /**
   * Why the segment starts. A segment may continue the previous one's state with a note (e.g. the
   * rectification period ended without a passed re-assessment: still suspended).
   */
  reasonZh: string;
  reasonEn: string;
  eventId?: string;
}

export interface ObligationsResult {
  certificate: { level: Level; issuedOn: string; expiresOn: string; expiresOnDefaulted: boolean };
  /** Sorted by due date. */
  obligations: Obligation[];
  /** The certificate's states over time, in order. */
  timeline: StateSegment[];
  /**
   * Events that did not produce obligations and why (not applicable to the level, outside validity …),
   * and checks on recorded events (a date outside its window, a third supervision …).
   */
  warnings: EngineMessage[];
  /** Deadlines passed with no result recorded, and what the certificate may have become. */
  alerts: EngineAlert[];
  /** True when any obligation is provisional. */
  provisional: boolean;
  /** Unpublished calendar years used with the weekday rule. */
  unknownYears: number[];
}

interface DatedEvent {
  ev: CertificateEvent;
  day: number;
  /** Epoch ms of an incident's `at`. */
  atMs: number;
  index: number;
  ref: string;
}

/** Events per certificate; keeps the sort ranks exact (their low five digits are an index). */
export const MAX_EVENTS = 20_000;

const RULE_ORDER = new Map<string, number>(RULE_IDS.map((id, i) => [id, i]));
const RULES_BY_EVENT = new Map<EventType, ObligationRule[]>();
for (const r of OBLIGATION_RULES) {
  if (r.trigger.kind !== 'event') continue;
  const list = RULES_BY_EVENT.get(r.trigger.event) ?? [];
  list.push(r);
  RULES_BY_EVENT.set(r.trigger.event, list);
}

/**
 * The event that does what a duty asks (an application, a re-issued certificate): recording it
 * settles the duty, so a case's steps and the obligations list agree.
 */
const SETTLED_BY: Partial<Record<RuleId, (ev: CertificateEvent) => boolean>> = {
  'license.mismatch': (ev) => ev.type === 'change.applied',
  'change.general': (ev) => ev.type === 'change.applied',
  'change.general.reissue': (ev) => ev.type === 'certificate.reissued' && ev.cause === 'change',
  'change.major': (ev) => ev.type === 'certificate.reissued' && ev.cause === 'major-change',
  'lost.replace': (ev) => ev.type === 'lost.applied',
  'lost.replace.collect': (ev) => ev.type === 'certificate.reissued' && ev.cause === 'loss',
};

/** An event as the user knows it: its kind and date, in both languages. */
function eventName(d: DatedEvent): { zh: string; en: string } {
  const label =
    d.ev.type === 'assessment.step'
      ? {
          zh: `${ASSESSMENT_STEP_LABELS[d.ev.step].zh}（${ASSESSMENT_KIND_LABELS[d.ev.assessment].zh}）`,
          en: `${ASSESSMENT_STEP_LABELS[d.ev.step].en} (${ASSESSMENT_KIND_LABELS[d.ev.assessment].en})`,
        }
      : EVENT_TYPE_LABELS[d.ev.type];
  return { zh: `${formatDay(d.day)} 的「${label.zh}」`, en: `the ${label.en} of ${formatDay(d.day)}` };
}

function describeLevels(levels: readonly Level[]): string {
  return levels.length === LEVELS.length ? 'all levels' : levels.join('/');
}

const stateZh = (s: CertificateState) => CERTIFICATE_STATE_LABELS[s].zh;
const stateEn = (s: CertificateState) => CERTIFICATE_STATE_LABELS[s].en;

const unknownSuffixMemo = new Map<string, Basis>();
function unknownSuffix(years: readonly number[]): Basis {
  const k = years.join(',');
  let b = unknownSuffixMemo.get(k);
  if (b === undefined) {
    b = basisUnknownYears(years);
    unknownSuffixMemo.set(k, b);
  }
  return b;
}

/** Rules triggered by an event: their obligations are kept when due after expiry. */
const EVENT_RULES = new Set<RuleId>(OBLIGATION_RULES.filter((r) => r.trigger.kind === 'event').map((r) => r.id));

const SOURCE_TEXT = new Map<string, string>(OBLIGATION_RULES.map((r) => [r.id, r.sources.join(', ')]));
const NO_YEARS: number[] = [];

interface Entry {
  o: Obligation;
  due: number;
  /** Sort key: due day, then the minute of hour deadlines, rule order, insertion order. */
  rank: number;
}

class Collector {
  readonly list: Obligation[] = [];
  readonly entries: Entry[] = [];
  private readonly keys = new Map<string, number>();
  constructor(private readonly ctx: CalendarContext) {}

  /** Starts a computation whose unknown-year use is attributed to the next `add`. */
  begin(): void {
    this.ctx.take();
  }

  add(
    rule: ObligationRule,
    keyBase: string,
    due: number,
    basis: Basis,
    trigger: ObligationTrigger,
    extra: Partial<Pick<Obligation, 'dueAt' | 'windowStart' | 'awaitingNotice' | 'satisfiedOn'>> = {},
    unknownOverride?: number[],
    withAssumption = true,
  ): Obligation {
    const taken = this.ctx.take();
    const chosen = unknownOverride ?? taken;
    const unknownYears = chosen.length === 0 ? NO_YEARS : chosen.slice();
    // Periodic and single keys are unique by construction; event keys may repeat (same date, no id).
    let key = keyBase;
    if (trigger.kind === 'event') {
      const seen = this.keys.get(keyBase) ?? 0;
      this.keys.set(keyBase, seen + 1);
      if (seen > 0) key = `${keyBase}#${seen + 1}`;
    }
    let zh = basis.zh;
    let en = basis.en;
    if (unknownYears.length > 0) {
      const u = unknownSuffix(unknownYears);
      zh += u.zh;
      en += u.en;
    }
    if (withAssumption && rule.assumptionZh) {
      zh += `；本产品假设：${rule.assumptionZh}`;
      en += `; our assumption: ${rule.assumptionEn ?? ''}`;
    }
    const o: Obligation = {
      key,
      rule: rule.id,
      titleZh: rule.titleZh,
      titleEn: rule.titleEn,
      dueDate: formatDay(due),
      provisional: unknownYears.length > 0 || extra.awaitingNotice === true,
      source: SOURCE_TEXT.get(rule.id) ?? '',
      sources: [...rule.sources],
      basis: zh,
      basisEn: en,
      trigger,
    };
    if (unknownYears.length > 0) o.unknownYears = unknownYears;
    if (extra.dueAt !== undefined) o.dueAt = extra.dueAt;
    if (extra.windowStart !== undefined) o.windowStart = extra.windowStart;
    if (extra.awaitingNotice) o.awaitingNotice = true;
    if (extra.satisfiedOn !== undefined) o.satisfiedOn = extra.satisfiedOn;
    this.list.push(o);
    // Within a day: hour deadlines by minute, then rule order, then insertion order.
    const minute =
      extra.dueAt === undefined ? 0 : Number(extra.dueAt.slice(11, 13)) * 60 + Number(extra.dueAt.slice(14, 16));
    const rank = due * 1e11 + minute * 1e7 + (RULE_ORDER.get(rule.id) ?? 0) * 1e5 + this.entries.length;
    this.entries.push({ o, due, rank });
    return o;
  }
}

/** A period's due date, key and basis: the same for every certificate, so computed once. */
interface PeriodInfo {
  key: string;
  due: number;
  basis: Basis;
  unknown: number[];
  periodStartStr: string;
}
const periodMemo = new Map<number, PeriodInfo>();
let periodMemoTables: CalendarTables | null = null;

function periodInfo(rule: ObligationRule, y: number, m: number, quarter: boolean): PeriodInfo {
  const t = getTables();
  if (t !== periodMemoTables) {
    periodMemo.clear();
    periodMemoTables = t;
  }
  const id = (((RULE_ORDER.get(rule.id) ?? 0) * 4000 + y) * 12 + (m - 1)) * 2 + (quarter ? 1 : 0);
  let p = periodMemo.get(id);
  if (p === undefined) {
    const c = new CalendarContext(true);
    const endM = quarter ? m + 2 : m;
    const due = lastWorkdayOfMonthAt(c, y, endM);
    const lastDay = dayFromCivil(y, endM, daysInMonth(y, endM));
    const period = quarter ? `${y}-Q${(m - 1) / 3 + 1}` : `${y}-${String(m).padStart(2, '0')}`;
    p = {
      key: `${rule.id}:${period}`,
      due,
      basis: basisPeriodEnd(y, m, quarter, lastDay, due),
      unknown: c.take(),
      periodStartStr: formatDay(dayFromCivil(y, m, 1)),
    };
    periodMemo.set(id, p);
  }
  return p;
}

/** Validity is 4 years from the issue date (the scheme's rule): issue + 48 months − 1 day. */
function defaultExpiryDay(issue: number): number {
  return addMonthsToDay(issue, 48) - 1;
}

/**
 * The expiry to propose when none was entered from the certificate: issue + 4 years − 1 day
 * (2025-03-15 → 2029-03-14). The printed date wins when known.
 */
export function defaultExpiry(issuedOn: string): string {
  return formatDay(defaultExpiryDay(parseDate(issuedOn, 'issue date')));
}

function parseCertificate(c: unknown): { level: Level; issue: number; expiry: number; defaulted: boolean } {
  if (typeof c !== 'object' || c === null) {
    throw new InvalidEventError('certificate must be an object { level, issuedOn, expiresOn? }.');
  }
  const r = c as Record<string, unknown>;
  const problems: string[] = [];
  const level = r['level'];
  if (!isLevel(level))
    problems.push(`certificate.level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  let issue = 0;
  let expiry = 0;
  let defaulted = false;
  try {
    issue = parseDate(r['issuedOn'], 'issue date (certificate.issuedOn)');
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (r['expiresOn'] === undefined || r['expiresOn'] === null) {
    expiry = defaultExpiryDay(issue);
    defaulted = true;
  } else {
    try {
      expiry = parseDate(r['expiresOn'], 'expiry date (certificate.expiresOn)');
      if (problems.length === 0 && expiry <= issue) {
        problems.push(`certificate.expiresOn ${formatDay(expiry)} must be after the issue date ${formatDay(issue)}`);
      }
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length > 0) throw new InvalidEventError(`Invalid certificate: ${problems.join('; ')}`, problems);
  return { level: level as Level, issue, expiry, defaulted };
}

function optionalDate(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  try {
    return parseDate(v, what);
  } catch (e) {
    if (e instanceof InvalidDateError) throw new InvalidEventError(e.message);
    throw e;
  }
}

/**
 * Computes a certificate's obligations (the duties of the scheme's rules table) over its validity (or up to `until`), counted on
 * the China working-day calendar, with a basis sentence for each, and its state timeline.
 */
export function computeObligations(input: ComputeObligationsInput): ObligationsResult {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidEventError('computeObligations needs { certificate, events?, until? }.');
  }
  const cert = parseCertificate(input.certificate);
  const { level, issue, expiry } = cert;
  const untilGiven = optionalDate(input.until, 'until date');
  const until = untilGiven ?? expiry;
  const asOf = optionalDate(input.asOf, 'asOf date');
  if (Array.isArray(input.events) && input.events.length > MAX_EVENTS) {
    throw new InvalidEventError(`Too many events (${input.events.length}): at most ${MAX_EVENTS} per certificate.`);
  }
  const events = parseEvents(input.events ?? []);
  const strict = input.provisional !== true;
  // Always count provisionally, then refuse in strict mode only if a kept obligation needed an
  // unpublished year: obligations after `until` must not make the answer fail.
  const ctx = new CalendarContext(true);
  const out = new Collector(ctx);
  const warnings: EngineMessage[] = [];
  const alerts: EngineAlert[] = [];
  const warn = (code: string, zh: string, en: string, d?: DatedEvent): void => {
    warnings.push({ code, zh, en, ...(d?.ev.id ? { eventId: d.ev.id } : {}) });
  };
  const issueStr = formatDay(issue);
  const expiryStr = formatDay(expiry);

  // ---- events: date them, sort, drop those outside validity (with a warning) -------------------
  const dated: DatedEvent[] = [];
  events.forEach((ev, index) => {
    let day: number;
    let atMs = 0;
    if (ev.type === 'incident') {
      atMs = parseInstant(ev.at) as number;
      const [d] = shanghaiParts(atMs);
      day = d;
      if (ev.date !== undefined && ev.date !== formatDay(d)) {
        throw new InvalidEventError(
          `第 ${index + 1} 条事件（重大事件）：日期 ${ev.date} 不是发生时间 ${ev.at} 在北京时间的日期（${formatDay(d)}），请更正或不填日期`,
        );
      }
    } else {
      day = parseDate(ev.date);
    }
    const ref = ev.id ?? (ev.type === 'incident' ? ev.at : formatDay(day));
    dated.push({ ev, day, atMs, index, ref });
  });
  dated.sort((a, b) => a.day - b.day || a.index - b.index);

  const valid: DatedEvent[] = [];
  for (const d of dated) {
    const n = eventName(d);
    // A scheduled assessment step is announced ahead; only what has happened must not be in the future.
    if (asOf !== undefined && d.day > asOf && d.ev.type !== 'assessment.step') {
      warn(
        'event-in-future',
        `${n.zh}晚于今天：请核对日期（尚未发生的事请到时再记录）`,
        `${n.en} is later than today: check the date (record what has not happened yet when it happens)`,
        d,
      );
    }
    if (d.day < issue) {
      warn(
        'event-before-issue',
        `${n.zh}早于发证日期 ${issueStr}，不计入这张证书`,
        `${n.en} is before the issue date ${issueStr}: not counted for this certificate`,
        d,
      );
    } else if (d.day > expiry) {
      warn(
        'event-after-expiry',
        `${n.zh}晚于到期日 ${expiryStr}，不计入这张证书`,
        `${n.en} is after the expiry date ${expiryStr}: not counted for this certificate`,
        d,
      );
    } else {
      valid.push(d);
    }
  }

  // ---- recorded state changes --------------------------------------------------------------------
  interface Recorded {
    day: number;
    state: CertificateState;
    reason: string | undefined;
  }
  const recorded: Recorded[] = [];
  for (const [i, r] of (input.recorded ?? []).entries()) {
    if (typeof r !== 'object' || r === null || !(r.state in CERTIFICATE_STATE_LABELS)) {
      throw new InvalidEventError(`第 ${i + 1} 条状态记录无效：应为 { state, on }`);
    }
    recorded.push({ day: parseDate(r.on, 'state change date'), state: r.state, reason: r.reason });
  }
  recorded.sort((a, b) => a.day - b.day);

  // ---- the certificate's states over events and recorded changes --------------------------------
  // Every state change is checked against CERTIFICATE_TRANSITIONS (lifecycle/states.ts): the table,
  // not this function, says which changes are allowed.
  interface Transition {
    day: number;
    state: CertificateState;
    reasonZh: string;
    reasonEn: string;
    eventId?: string;
  }
  const transitions: Transition[] = [
    { day: issue, state: 'active', reasonZh: `发证（${issueStr}）`, reasonEn: `issued ${issueStr}` },
  ];
  // Declared with `as` so that assignments in `move` do not fall foul of narrowing.
  let terminalDay = null as number | null; // first day of a terminal state
  let state = 'active' as CertificateState;
  const move = (day: number, to: CertificateState, reasonZh: string, reasonEn: string, eventId?: string): boolean => {
    if (to === state) return true;
    if (!canTransition(state, to)) return false;
    state = to;
    transitions.push({ day, state: to, reasonZh, reasonEn, ...(eventId ? { eventId } : {}) });
    if (isTerminalState(to)) terminalDay = day;
    return true;
  };
  let supervisionCount = 0;
  let firstSupervision: DatedEvent | null = null;
  let secondSupervision: DatedEvent | null = null;
  /** The first supervision was completed by a re-assessment after a failure (its own timing). */
  let firstIsReassessment = false;
  /** The latest failed supervision not yet followed by a passed re-assessment. */
  let openFailure: DatedEvent | null = null;
  /** Recorded suspension start per failed supervision: its rectification period counts from there. */
  const suspensionOf = new Map<DatedEvent, number>();
  let suspendedFrom = null as number | null;
  let renewalApplied: DatedEvent | null = null;
  /** Self-check notices in date order; a later accepted notice for the same year wins. */
  const notices: DatedEvent[] = [];
  /** Self-check reports submitted, by year (the first one counts). */
  const submitted = new Map<number, DatedEvent>();
  const eventDriven: DatedEvent[] = [];
  const isHigh = level !== 'CS1' && level !== 'CS2';
  const lowOnly = (d: DatedEvent, zh: string, en: string): void =>
    warn(
      'level-not-applicable',
      `${eventName(d).zh}：${zh}只适用于 CS1/CS2，不适用于 ${level}`,
      `${eventName(d).en}: ${en} applies to CS1/CS2 only, not ${level}`,
      d,
    );

  const applyRecorded = (r: Recorded): void => {
    const label = r.reason ? `：${r.reason}` : '';
    if (r.state === state) return;
    const ok = move(
      r.day,
      r.state,
      `记录为「${stateZh(r.state)}」（${formatDay(r.day)}）${label}`,
      `recorded as ${stateEn(r.state)} on ${formatDay(r.day)}${r.reason ? `: ${r.reason}` : ''}`,
    );
    if (!ok) {
      warn(
        'recorded-state-not-possible',
        `记录的状态变更（${formatDay(r.day)} 起为「${stateZh(r.state)}」）与此前的状态「${stateZh(state)}」不相符，未采用：请核对状态记录`,
        `the recorded change to ${stateEn(r.state)} on ${formatDay(r.day)} does not follow from ${stateEn(state)}: not used; check the state records`,
      );
      return;
    }
    if (r.state === 'suspended') {
      suspendedFrom = r.day;
      if (openFailure !== null && !suspensionOf.has(openFailure)) suspensionOf.set(openFailure, r.day);
    } else if (r.state === 'active') {
      suspendedFrom = null;
    }
  };

  let ri = 0;
  for (const d of valid) {
    // Recorded changes apply after the events of their own day: an event of the revocation day
    // still happened while the certificate was held.
    while (ri < recorded.length && (recorded[ri] as Recorded).day < d.day) applyRecorded(recorded[ri++] as Recorded);
    const ev = d.ev;
    if (terminalDay !== null && d.day >= terminalDay) {
      warn(
        'event-after-terminal',
        `${eventName(d).zh}在证书「${stateZh(state)}」（${formatDay(terminalDay)} 起）之后，不再产生需办理的事项`,
        `${eventName(d).en} is after the certificate became ${stateEn(state)} on ${formatDay(terminalDay)}: it creates no duty`,
        d,
      );
      continue;
    }
    const rules = RULES_BY_EVENT.get(ev.type) ?? [];
    switch (ev.type) {
      case 'self-check.notice':
        if (isHigh) {
          lowOnly(d, '年度自查', 'the annual self-check');
          continue;
        }
        notices.push(d);
        continue;
      case 'self-check.submitted':
        if (isHigh) {
          lowOnly(d, '年度自查', 'the annual self-check');
          continue;
        }
        if (submitted.has(ev.year)) {
          warn(
            'self-check-duplicate',
            `${eventName(d).zh}：${ev.year} 年度的自查报告已于 ${formatDay((submitted.get(ev.year) as DatedEvent).day)} 记录提交，请核对是否重复记录`,
            `${eventName(d).en}: the ${ev.year} self-check was already recorded as submitted on ${formatDay((submitted.get(ev.year) as DatedEvent).day)}; check for a duplicate`,
            d,
          );
        } else {
          submitted.set(ev.year, d);
        }
        if (ev.result === 'abnormal') eventDriven.push(d);
        continue;
      case 'self-check.abnormal':
        if (isHigh) {
          lowOnly(d, '自查异常复核', 'the self-check re-check');
          continue;
        }
        break;
      case 'renewal.applied':
        if (renewalApplied === null) renewalApplied = d;
        continue;
      case 'upgrade.applied': {
        const yearOn = addMonthsToDay(issue, 12);
        if (d.day < yearOn) {
          warn(
            'upgrade-too-early',
            `${eventName(d).zh}：距取得当前等级（${issueStr}）不足 1 年；升级通常要求当前等级运营满 1 年（${formatDay(yearOn)} 起），请核对`,
            `${eventName(d).en}: less than a year after the current level was granted (${issueStr}); an upgrade usually needs a year at the current level (from ${formatDay(yearOn)})`,
            d,
          );
        }
        continue;
      }
      case 'supervision.done': {
        if (!isHigh) {
          warn(
            'level-not-applicable',
            `${eventName(d).zh}：监督评估只适用于 CS3–CS5，不适用于 ${level}`,
            `${eventName(d).en}: supervision applies to CS3–CS5 only, not ${level}`,
            d,
          );
          continue;
        }
        if (ev.passed) {
          const reassessment = openFailure !== null;
          if (openFailure !== null) {
            // The re-assessment after rectification: it ends a recorded suspension.
            if (state === 'suspended') {
              move(
                d.day,
                'active',
                `整改后重新评估通过（${formatDay(d.day)}）`,
                `re-assessment passed ${formatDay(d.day)}`,
                ev.id,
              );
              suspendedFrom = null;
            }
            openFailure = null;
          }
          supervisionCount++;
          if (supervisionCount === 1) {
            firstSupervision = d;
            firstIsReassessment = reassessment;
          } else if (supervisionCount === 2) secondSupervision = d;
          else {
            warn(
              'supervision-third',
              `${eventName(d).zh}：这是第 ${supervisionCount} 次通过的监督评估，而一个有效期内只有两次；请核对是否重复记录，或是否应为整改后的重新评估`,
              `${eventName(d).en}: this is passed supervision number ${supervisionCount}, but a validity period has two; check for a duplicate or a re-assessment`,
              d,
            );
          }
          continue;
        }
        if (supervisionCount < 2) {
          const which = supervisionCount === 0 ? '第一次' : '第二次';
          const whichEn = supervisionCount === 0 ? 'first' : 'second';
          warn(
            'supervision-failed-not-done',
            `${eventName(d).zh}未通过：不算完成${which}监督评估，整改后重新评估通过时才算完成`,
            `${eventName(d).en} was not passed: it does not complete the ${whichEn} supervision; the passed re-assessment after rectification does`,
            d,
          );
        }
        openFailure = d;
        eventDriven.push(d);
        continue;
      }
      case 'assessment.step':
        if (!isHigh && ev.assessment === 'supervision') {
          warn(
            'level-not-applicable',
            `${eventName(d).zh}：监督评估只适用于 CS3–CS5，不适用于 ${level}`,
            `${eventName(d).en}: supervision applies to CS3–CS5 only, not ${level}`,
            d,
          );
        }
        continue;
      case 'acquired':
        if (
          !move(
            d.day,
            'invalidated',
            `企业被并购（${formatDay(d.day)}），原证书失效，新主体需重新申请`,
            `company acquired ${formatDay(d.day)}: certificate invalid, the new entity must apply again`,
            ev.id,
          )
        ) {
          warn(
            'event-state-not-possible',
            `${eventName(d).zh}：「${stateZh(state)}」的证书不能再变为「${stateZh('invalidated')}」，未计入`,
            `${eventName(d).en}: a ${stateEn(state)} certificate cannot become ${stateEn('invalidated')}: not counted`,
            d,
          );
          continue;
        }
        break;
      default:
        break;
    }
    if (rules.length > 0) eventDriven.push(d);
  }
  while (ri < recorded.length) applyRecorded(recorded[ri++] as Recorded);

  // ---- expiry-based ------------------------------------------------------------------------------
  const ruleExpiry = getRule('expiry');
  out.begin();
  out.add(
    ruleExpiry,
    'expiry',
    expiry,
    cert.defaulted
      ? {
          zh: `未填写到期日，按发证日 ${issueStr} + 4 年 − 1 日 = ${expiryStr}（请按证书核对）`,
          en: `no expiry entered: issue ${issueStr} + 4 years − 1 day = ${expiryStr} (check against the certificate)`,
        }
      : { zh: `证书所印到期日 ${expiryStr}`, en: `printed expiry date ${expiryStr}` },
    { kind: 'expiry', date: expiryStr },
  );

  const ruleRenewal = getRule('renewal.apply');
  out.begin();
  const renewalRaw = addMonthsToDay(expiry, ruleRenewal.count);
  const renewalDue = workdayOnOrBefore(ctx, renewalRaw);
  const renewalWindow = addMonthsToDay(expiry, ruleRenewal.window?.count ?? 0);
  let renewalObligation: Obligation | null = null;
  {
    const b = basisMonths(expiry, ruleRenewal.count, renewalRaw, renewalDue, '（到期日）', ' (expiry)');
    b.zh += `；自 ${formatDay(renewalWindow)}（到期前 ${-(ruleRenewal.window?.count ?? 0)} 个月）起提醒`;
    b.en += `; reminders from ${formatDay(renewalWindow)}`;
    renewalObligation = out.add(
      ruleRenewal,
      'renewal.apply',
      renewalDue,
      b,
      { kind: 'expiry', date: expiryStr },
      {
        windowStart: formatDay(renewalWindow),
        ...(renewalApplied ? { satisfiedOn: formatDay(renewalApplied.day) } : {}),
      },
    );
    if (renewalApplied !== null && renewalApplied.day < renewalWindow) {
      warn(
        'renewal-early',
        `${eventName(renewalApplied).zh}：早于到期前 6 个月（${formatDay(renewalWindow)}）；再评估申请通常在到期前 6 个月内提交，请核对日期`,
        `${eventName(renewalApplied).en}: earlier than 6 months before expiry (${formatDay(renewalWindow)}); renewal applications are usually made within the last 6 months, check the date`,
        renewalApplied,
      );
    } else if (renewalApplied !== null && renewalApplied.day > renewalDue) {
      warn(
        'renewal-late',
        `${eventName(renewalApplied).zh}：晚于再评估申请截止日 ${formatDay(renewalDue)}；请确认评估机构已受理，以免证书到期失效`,
        `${eventName(renewalApplied).en}: after the renewal deadline ${formatDay(renewalDue)}; make sure the assessment body accepted it before the certificate expires`,
        renewalApplied,
      );
    }
  }

  // ---- issue-based: supervision ------------------------------------------------------------------
  let supervisionFirstDue: number | null = null;
  if (isHigh) {
    const r = getRule('supervision.first');
    out.begin();
    const raw = addMonthsToDay(issue, r.count);
    const due = workdayOnOrAfter(ctx, raw);
    supervisionFirstDue = due;
    const win = addMonthsToDay(issue, r.window?.count ?? 0);
    const b = basisMonths(issue, r.count, raw, due, '（发证日）', ' (issue)');
    b.zh = `窗口 ${formatDay(win)} 至 ${formatDay(due)}：${r.window?.count ?? 0}–${b.zh}`;
    b.en = `window ${formatDay(win)} to ${formatDay(due)}: ${b.en}`;
    out.add(
      r,
      'supervision.first',
      due,
      b,
      { kind: 'issue', date: issueStr },
      {
        windowStart: formatDay(win),
        ...(firstSupervision ? { satisfiedOn: formatDay(firstSupervision.day) } : {}),
      },
    );
    const fs = firstSupervision;
    if (fs !== null && !firstIsReassessment && (fs.day < win || fs.day > due)) {
      warn(
        'supervision-outside-window',
        `${eventName(fs).zh}不在第一次监督评估的 12–18 个月窗口（${formatDay(win)} 至 ${formatDay(due)}）内，请核对日期`,
        `${eventName(fs).en} is outside the 12–18-month window of the first supervision (${formatDay(win)} to ${formatDay(due)}); check the date`,
        fs,
      );
    }
    if (firstSupervision) {
      const r2 = getRule('supervision.second');
      out.begin();
      const start = firstSupervision.day + 1;
      const due2 = renewalDue;
      out.add(
        r2,
        'supervision.second',
        due2,
        {
          zh: `第一次监督评估于 ${formatDay(firstSupervision.day)} 完成；须在再评估申请截止日 ${formatDay(renewalDue)} 前完成`,
          en: `first supervision done ${formatDay(firstSupervision.day)}; due by the renewal application deadline ${formatDay(renewalDue)}`,
        },
        {
          kind: 'after-rule',
          date: formatDay(firstSupervision.day),
          eventType: 'supervision.done',
          ...(firstSupervision.ev.id ? { eventId: firstSupervision.ev.id } : {}),
        },
        {
          windowStart: formatDay(start),
          ...(secondSupervision ? { satisfiedOn: formatDay(secondSupervision.day) } : {}),
        },
        renewalObligation?.unknownYears ?? [],
      );
      const ss = secondSupervision;
      if (ss !== null && ss.day > due2) {
        warn(
          'supervision-outside-window',
          `${eventName(ss).zh}晚于第二次监督评估的期限 ${formatDay(due2)}（再评估申请截止日），请核对日期`,
          `${eventName(ss).en} is after the second supervision's deadline ${formatDay(due2)} (the renewal deadline); check the date`,
          ss,
        );
      }
    }
  }

  // ---- schedules ---------------------------------------------------------------------------------
  /** The self-check duties per year, for the satisfied check and the missed-deadline alerts. */
  const selfChecks: { year: number; o: Obligation; due: number }[] = [];
  const lastScheduled = Math.min(expiry, until);
  for (const rule of OBLIGATION_RULES) {
    if (rule.trigger.kind !== 'schedule' || !rule.levels.includes(level)) continue;
    const every = rule.trigger.every[level];
    if (every === 'month' || every === 'quarter') {
      const step = every === 'month' ? 1 : 3;
      const [iy, im] = civilFromDay(issue);
      let y = iy;
      let m = every === 'month' ? im : im - ((im - 1) % 3);
      for (;;) {
        const periodStart = dayFromCivil(y, m, 1);
        if (periodStart > lastScheduled) break;
        const p = periodInfo(rule, y, m, every === 'quarter');
        if (p.due >= issue && p.due <= expiry) {
          out.begin();
          out.add(
            rule,
            p.key,
            p.due,
            p.basis,
            { kind: 'schedule', date: p.periodStartStr },
            { windowStart: periodStart >= issue ? p.periodStartStr : issueStr },
            p.unknown,
          );
        }
        m += step;
        if (m > 12) {
          m -= 12;
          y++;
        }
      }
    } else if (every === 'certificate-year') {
      // Self-check: one per calendar year; the notice's deadline once the notice is accepted, else
      // the anniversary of issue (X). A rejected notice leaves the anniversary in place.
      const byYear = new Map<
        number,
        { due: number; basis: Basis; awaiting: boolean; trigger: ObligationTrigger; unknown: number[] }
      >();
      for (let k = 1; ; k++) {
        const anniversary = addMonthsToDay(issue, rule.count * k);
        if (anniversary > expiry || anniversary > lastScheduled) break;
        const y = yearOfDay(anniversary);
        // Computed even when the year has a notice: the notice replaces it only once accepted below.
        out.begin();
        const due = workdayOnOrAfter(ctx, anniversary);
        const b = basisMonths(issue, rule.count * k, anniversary, due, '（发证日）', ' (issue)');
        b.zh = `待评估工作部 ${y} 年度自查通知；暂按获证周年日计：${b.zh}`;
        b.en = `awaiting the ${y} self-check notice; anniversary of issue used: ${b.en}`;
        const trigger: ObligationTrigger = { kind: 'schedule', date: formatDay(anniversary) };
        byYear.set(y, { due, basis: b, awaiting: true, trigger, unknown: ctx.take().slice() });
      }
      for (const d of notices) {
        const ev = d.ev as Extract<CertificateEvent, { type: 'self-check.notice' }>;
        const y = ev.year;
        const deadline = parseDate(ev.deadline);
        if (deadline < issue || deadline > expiry) {
          const kept = byYear.get(y);
          warn(
            'notice-outside-validity',
            `${eventName(d).zh}：截止日期 ${ev.deadline} 不在证书有效期（${issueStr} 至 ${expiryStr}）内，未采用` +
              (kept ? `（${y} 年度自查仍按 ${formatDay(kept.due)} 计）` : ''),
            `${eventName(d).en}: its deadline ${ev.deadline} is outside the validity ${issueStr} to ${expiryStr}: not used` +
              (kept ? ` (the ${y} self-check stays due ${formatDay(kept.due)})` : ''),
            d,
          );
          continue;
        }
        byYear.set(y, {
          due: deadline,
          basis: {
            zh: `评估工作部 ${y} 年度自查通知（${formatDay(d.day)} 录入）规定截止 ${ev.deadline}`,
            en: `the ${y} self-check notice (entered ${formatDay(d.day)}) sets the deadline ${ev.deadline}`,
          },
          awaiting: false,
          trigger: {
            kind: 'event',
            date: formatDay(d.day),
            eventType: 'self-check.notice',
            ...(ev.id ? { eventId: ev.id } : {}),
          },
          unknown: [],
        });
      }
      for (const [y, v] of [...byYear].sort((a, b) => a[0] - b[0])) {
        out.begin();
        const done = submitted.get(y);
        const o = out.add(
          rule,
          `${rule.id}:${y}`,
          v.due,
          v.basis,
          v.trigger,
          { ...(v.awaiting ? { awaitingNotice: true } : {}), ...(done ? { satisfiedOn: formatDay(done.day) } : {}) },
          v.unknown,
          v.awaiting,
        );
        selfChecks.push({ year: y, o, due: v.due });
      }
      for (const [y, d] of submitted) {
        if (byYear.has(y)) continue;
        warn(
          'self-check-year-unknown',
          `${eventName(d).zh}：这张证书在有效期内没有 ${y} 年度的自查，请核对年度`,
          `${eventName(d).en}: this certificate has no ${y} self-check within its validity; check the year`,
          d,
        );
      }
    }
  }

  // ---- event-driven ------------------------------------------------------------------------------
  /** A duty is done once the event that does what it asks is recorded, on or after its trigger. */
  const settle = (o: Obligation, rule: RuleId, d: DatedEvent): void => {
    const done = SETTLED_BY[rule];
    if (!done) return;
    const next = valid.find((x) => x !== d && x.day >= d.day && done(x.ev));
    if (next) o.satisfiedOn = formatDay(next.day);
  };
  /** Re-assessment due date (end of the rectification period) of the still open failed supervision. */
  let rectificationDue = null as number | null;
  for (const d of eventDriven) {
    const ev = d.ev;
    // An abnormal self-check result starts the same duties as a self-check marked abnormal.
    const triggerType: EventType = ev.type === 'self-check.submitted' ? 'self-check.abnormal' : ev.type;
    for (const rule of RULES_BY_EVENT.get(triggerType) ?? []) {
      if (rule.trigger.kind !== 'event') continue;
      if (rule.trigger.passed !== undefined && ev.type === 'supervision.done' && ev.passed !== rule.trigger.passed)
        continue;
      if (!rule.levels.includes(level)) {
        warn(
          'level-not-applicable',
          `${eventName(d).zh}：「${rule.titleZh}」只适用于 ${describeLevels(rule.levels)}，不适用于 ${level}`,
          `${eventName(d).en}: “${rule.titleEn}” applies to ${describeLevels(rule.levels)}, not ${level}`,
          d,
        );
        continue;
      }
      const trigger: ObligationTrigger = {
        kind: 'event',
        date: formatDay(d.day),
        eventType: ev.type,
        ...(ev.id ? { eventId: ev.id } : {}),
      };
      const keyBase = `${rule.id}:${d.ref}`;
      out.begin();
      switch (rule.unit) {
        case 'workdays': {
          const due = addWorkdaysAt(ctx, d.day, rule.count);
          settle(out.add(rule, keyBase, due, basisWorkdays(d.day, rule.count, due), trigger), rule.id, d);
          break;
        }
        case 'days': {
          const raw = d.day + rule.count;
          const due = addDaysAt(ctx, d.day, rule.count, 'next');
          settle(out.add(rule, keyBase, due, basisDays(d.day, rule.count, raw, due), trigger), rule.id, d);
          break;
        }
        case 'months': {
          // The rectification period runs from the recorded suspension when there is one.
          const suspended = rule.id === 'supervision.failed.reassess' ? suspensionOf.get(d) : undefined;
          const from = suspended ?? d.day;
          const raw = addMonthsToDay(from, rule.count);
          const due = workdayOnOrAfter(ctx, raw);
          const b =
            suspended === undefined
              ? basisMonths(from, rule.count, raw, due)
              : basisMonths(
                  from,
                  rule.count,
                  raw,
                  due,
                  '（记录的暂停使用起始日）',
                  ' (recorded start of the suspension)',
                );
          const o = out.add(rule, keyBase, due, b, trigger, { windowStart: formatDay(from) });
          if (rule.id === 'supervision.failed.reassess') {
            const next = valid.find((x) => x.day > d.day && x.ev.type === 'supervision.done');
            if (next && next.ev.type === 'supervision.done' && next.ev.passed) o.satisfiedOn = formatDay(next.day);
            if (d === openFailure) rectificationDue = due;
          }
          break;
        }
        case 'hours': {
          const at = d.atMs;
          const dueMs = at + rule.count * 3600_000;
          const [dueDay, dueHm] = shanghaiParts(dueMs);
          const [, atHm] = shanghaiParts(at);
          out.add(
            rule,
            keyBase,
            dueDay,
            {
              zh: `${rule.count} 小时，自 ${formatDay(d.day)} ${atHm}（北京时间）起算，截止 ${formatDay(dueDay)} ${dueHm}`,
              en: `${rule.count} hours from ${formatDay(d.day)} ${atHm} (Beijing time): due ${formatDay(dueDay)} ${dueHm}`,
            },
            trigger,
            { dueAt: formatShanghaiInstant(dueMs) },
          );
          break;
        }
        case 'on-trigger':
          out.add(
            rule,
            keyBase,
            d.day,
            { zh: `${formatDay(d.day)} 起立即生效`, en: `effective at once from ${formatDay(d.day)}` },
            trigger,
          );
          break;
        case 'period-end':
          break;
      }
    }
  }

  // ---- expiry, the timeline ---------------------------------------------------------------------
  if (terminalDay === null) {
    if (canTransition(state, 'expired')) {
      transitions.push({
        day: expiry + 1,
        state: 'expired',
        reasonZh: renewalApplied
          ? `有效期届满（${expiryStr}）；已于 ${formatDay(renewalApplied.day)} 提交再评估申请，新证书接续`
          : `有效期届满（${expiryStr}），未记录再评估申请`,
        reasonEn: renewalApplied
          ? `validity ended ${expiryStr}; renewal applied ${formatDay(renewalApplied.day)}, a new certificate continues`
          : `validity ended ${expiryStr} with no renewal application recorded`,
      });
    }
  }
  transitions.sort((a, b) => a.day - b.day);
  const timeline: StateSegment[] = [];
  /** First day of each timeline segment as a day number (the day after 2199-12-31 has no date form to parse). */
  const segmentDays: number[] = [];
  for (const t of transitions) {
    const prev = timeline[timeline.length - 1];
    if (prev) {
      if (prev.state === t.state) continue;
      const prevFrom = segmentDays[segmentDays.length - 1] as number;
      if (t.day <= prevFrom) {
        timeline.pop();
        segmentDays.pop();
      } else {
        prev.to = formatDay(t.day - 1);
      }
    }
    timeline.push({
      state: t.state,
      from: formatDay(t.day),
      reasonZh: t.reasonZh,
      reasonEn: t.reasonEn,
      ...(t.eventId ? { eventId: t.eventId } : {}),
    });
    segmentDays.push(t.day);
    if (isTerminalState(t.state)) break;
  }
  /** The state on `day` per the timeline (recorded facts only). */
  const stateOn = (day: number): CertificateState => {
    let st: CertificateState = 'active';
    timeline.forEach((seg, i) => {
      if ((segmentDays[i] as number) <= day) st = seg.state;
    });
    return st;
  };

  // ---- alerts: deadlines passed with nothing recorded -------------------------------------------
  // Only about a certificate still held: after its end nothing more can be lost.
  if (asOf !== undefined && !isTerminalState(stateOn(asOf))) {
    const held = (day: number) => !isTerminalState(stateOn(day));
    const anyFailure = valid.some((x) => x.ev.type === 'supervision.done' && !x.ev.passed);
    if (isHigh && !anyFailure) {
      const checks: [number | null, DatedEvent | null, string, string, string][] = [
        [supervisionFirstDue, firstSupervision, '第一次监督评估', 'first supervision', 'supervision.first'],
        [
          firstSupervision ? renewalDue : null,
          secondSupervision,
          '第二次监督评估',
          'second supervision',
          'supervision.second',
        ],
      ];
      for (const [due, done, zh, en, key] of checks) {
        if (due === null || done !== null || due >= asOf || due >= expiry || !held(due + 1)) continue;
        alerts.push({
          code: 'supervision-missed',
          zh: `${zh}期限（${formatDay(due)}）已过，尚未记录结果：如已完成请补录；否则证书可能被视为放弃`,
          en: `The ${en} deadline (${formatDay(due)}) has passed and no result is recorded: record it if it took place; otherwise the certificate may be deemed abandoned`,
          possibleState: 'abandoned',
          possibleFrom: formatDay(due + 1),
          obligationKey: key,
        });
      }
    }
    for (const { year, o, due } of selfChecks) {
      if (o.satisfiedOn !== undefined || due >= asOf || !held(due + 1)) continue;
      alerts.push({
        code: 'self-check-missed',
        zh: `${year} 年度自查期限（${formatDay(due)}）已过，尚未记录提交：如已提交请补录；否则证书可能被视为放弃`,
        en: `The ${year} self-check deadline (${formatDay(due)}) has passed and no submission is recorded: record it if it was submitted; otherwise the certificate may be deemed abandoned`,
        possibleState: 'abandoned',
        possibleFrom: formatDay(due + 1),
        obligationKey: o.key,
      });
    }
    const failure = openFailure;
    if (failure !== null) {
      const failedOn = formatDay(failure.day);
      const end = rectificationDue;
      if (end !== null && end < asOf) {
        alerts.push({
          code: 'rectification-ended',
          zh: `整改期已于 ${formatDay(end)} 届满（${failedOn} 监督评估未通过），尚未记录重新评估结果：如已通过请补录；否则请记录评估机构的决定（如降级、撤销）`,
          en: `The rectification period ended ${formatDay(end)} (supervision failed ${failedOn}) and no re-assessment result is recorded: record it if it was passed; otherwise record what the assessment body decided (e.g. downgrade, revocation)`,
          possibleState: 'downgraded',
          possibleFrom: formatDay(end + 1),
          ...(failure.ev.id ? { eventId: failure.ev.id } : {}),
        });
      } else if (!suspensionOf.has(failure)) {
        alerts.push({
          code: 'supervision-failed',
          zh: `${failedOn} 监督评估未通过：请在 15 日内提交书面整改计划，并申请 3 个月整改期（整改期内暂停使用证书）。获准后请记录状态「${stateZh('suspended')}」；评估机构另有决定的（如降级），请记录该决定`,
          en: `The supervision of ${failedOn} was not passed: submit a written rectification plan within 15 days and apply for a 3-month rectification period (the certificate is suspended during it). Once granted, record the state “${stateEn('suspended')}”; record any other decision of the assessment body (e.g. downgrade)`,
          possibleState: 'suspended',
          possibleFrom: failedOn,
          ...(failure.ev.id ? { eventId: failure.ev.id } : {}),
        });
      }
    }
  }

  // ---- cancelled by a recorded state --------------------------------------------------------------
  // The first terminal state other than the printed expiry ends every duty due from that day on;
  // an open recorded suspension replaces the regular supervision with the re-assessment.
  const endIndex = timeline.findIndex(
    (seg, i) => isTerminalState(seg.state) && !(seg.state === 'expired' && segmentDays[i] === expiry + 1),
  );
  const end = endIndex < 0 ? undefined : timeline[endIndex];
  const endDay = endIndex < 0 ? null : (segmentDays[endIndex] as number);
  for (const o of out.list) {
    if (o.satisfiedOn !== undefined) continue;
    const due = parseDate(o.dueDate);
    if (end && endDay !== null && due >= endDay && !(o.rule === 'change.acquired' && o.trigger.date === end.from)) {
      o.cancelled = {
        on: end.from,
        state: end.state,
        reasonZh: `证书自 ${end.from} 起${stateZh(end.state)}，此项不再需要办理`,
        reasonEn: `the certificate is ${stateEn(end.state)} from ${end.from}: no longer required`,
      };
    } else if (
      suspendedFrom !== null &&
      due >= suspendedFrom &&
      (o.rule === 'supervision.first' || o.rule === 'supervision.second')
    ) {
      const from = formatDay(suspendedFrom);
      o.cancelled = {
        on: from,
        state: 'suspended',
        reasonZh: `证书自 ${from} 起暂停使用（整改期），此次监督评估由整改期满前的重新评估代替`,
        reasonEn: `the certificate is suspended for rectification from ${from}: the re-assessment replaces this supervision`,
      };
    }
  }

  // ---- filter, strict check, sort ----------------------------------------------------------------
  const keptEntries = out.entries.filter(({ o, due }) => {
    // `until` bounds every due date when given; by default (the expiry) it bounds periodic and
    // certificate duties only: an event inside the validity keeps its deadline after expiry.
    return !(due > until && (untilGiven !== undefined || !EVENT_RULES.has(o.rule)));
  });
  // Native numeric sort of the ranks (their low digits are the index into out.entries).
  const ranks = new Float64Array(keptEntries.length);
  for (let i = 0; i < keptEntries.length; i++) ranks[i] = (keptEntries[i] as Entry).rank;
  ranks.sort();
  const kept: Obligation[] = new Array<Obligation>(ranks.length);
  // Days before 1970 are negative, and so are their ranks: normalise the remainder to 0…99999.
  for (let i = 0; i < ranks.length; i++) kept[i] = (out.entries[(((ranks[i] as number) % 1e5) + 1e5) % 1e5] as Entry).o;
  const unknownYears = new Set<number>();
  const untilUnknown = !isDateSettled(formatDay(until)); // then the cut at `until` itself is provisional
  for (const o of untilUnknown ? out.list : kept) {
    if (o.unknownYears === undefined) continue;
    for (const y of o.unknownYears) unknownYears.add(y);
  }
  const sortedUnknown = [...unknownYears].sort((a, b) => a - b);
  if (strict && sortedUnknown.length > 0) throw new CalendarUnknownYearError(sortedUnknown[0] as number);
  return {
    certificate: { level, issuedOn: issueStr, expiresOn: expiryStr, expiresOnDefaulted: cert.defaulted },
    obligations: kept,
    timeline,
    warnings,
    alerts,
    provisional: kept.some((o) => o.provisional),
    unknownYears: sortedUnknown,
  };
}
