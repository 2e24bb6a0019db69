// The obligation engine: certificate + events + calendar → what is due when, and why (pure).
// Rules come from the table in scheme/rules.ts; this file only knows how to count each unit.
import {
  addMonthsToDay,
  civilFromDay,
  dayFromCivil,
  daysInMonth,
  formatDay,
  parseDate,
  yearOfDay,
} from '../calendar/days.js';
import { getTables, isYearPublished, type CalendarTables } from '../calendar/registry.js';
import {
  CalendarContext,
  addDaysAt,
  addWorkdaysAt,
  lastWorkdayOfMonthAt,
  workdayOnOrAfter,
  workdayOnOrBefore,
} from '../calendar/workdays.js';
import { CalendarUnknownYearError, InvalidDateError, InvalidEventError } from '../errors.js';
import { canTransition, isTerminalState, type CertificateState } from '../lifecycle/states.js';
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
import { parseEvents, type CertificateEvent } from './events.js';
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
  /** Today (Asia/Shanghai), to infer `abandoned` from a missed supervision; omit to infer nothing. */
  asOf?: string;
  /**
   * Use the weekday rule for years without a published holiday notice and mark those obligations
   * provisional. Default false: such a year throws CalendarUnknownYearError naming it.
   */
  provisional?: boolean;
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
  /** Events that did not produce obligations, and why (not applicable to the level, outside validity …). */
  warnings: string[];
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

function eventDescription(d: DatedEvent): string {
  return `events[${d.index}]${d.ev.id ? ` (id ${d.ev.id})` : ''} ${d.ev.type} on ${formatDay(d.day)}`;
}

function describeLevels(levels: readonly Level[]): string {
  return levels.length === LEVELS.length ? 'all levels' : levels.join('/');
}

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
    if (withAssumption && rule.assumptionZh && rule.sources.includes('X')) {
      zh += `；假设（X）：${rule.assumptionZh}`;
      en += `; assumption (X): ${rule.assumptionEn ?? ''}`;
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
 * the China working-day calendar (§5), with a basis sentence for each, and its state timeline.
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
  const warnings: string[] = [];
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
          `events[${index}] (incident): date ${ev.date} is not the Asia/Shanghai date of at ${ev.at} (${formatDay(d)}); fix or omit date.`,
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
    if (d.day < issue) {
      warnings.push(`${eventDescription(d)} is before the issue date ${issueStr}: not used.`);
    } else if (d.day > expiry) {
      warnings.push(`${eventDescription(d)} is after the expiry date ${expiryStr}: not used.`);
    } else {
      valid.push(d);
    }
  }

  // ---- the certificate's states over events ------------------------------------------------------
  // Every state change is checked against CERTIFICATE_TRANSITIONS (lifecycle/states.ts): the table,
  // not this function, says which changes are allowed.
  interface Transition {
    day: number;
    state: CertificateState;
    reasonZh: string;
    reasonEn: string;
    eventId?: string;
    /** Continues the current state with a note instead of changing it. */
    note?: boolean;
  }
  const transitions: Transition[] = [
    { day: issue, state: 'active', reasonZh: `发证（${issueStr}）`, reasonEn: `issued ${issueStr}` },
  ];
  // Declared with `as` so that assignments in `move` do not fall foul of narrowing.
  let terminalDay = null as number | null; // first day of a terminal state (invalidated, abandoned)
  let state = 'active' as CertificateState;
  /** Moves to `to` on an event if the table allows it; false (with a warning) if it does not. */
  const move = (d: DatedEvent, to: CertificateState, reasonZh: string, reasonEn: string): boolean => {
    if (to === state) return true;
    if (!canTransition(state, to)) {
      warnings.push(`${eventDescription(d)}: a ${state} certificate cannot become ${to}: not used.`);
      return false;
    }
    state = to;
    transitions.push({ day: d.day, state: to, reasonZh, reasonEn, ...(d.ev.id ? { eventId: d.ev.id } : {}) });
    if (isTerminalState(to)) terminalDay = d.day;
    return true;
  };
  let supervisionCount = 0;
  let firstSupervision: DatedEvent | null = null;
  let secondSupervision: DatedEvent | null = null;
  /** The latest failed supervision not yet followed by a passed re-assessment. */
  let openFailure: DatedEvent | null = null;
  let renewalApplied: DatedEvent | null = null;
  /** Self-check notices in date order; a later accepted notice for the same year wins. */
  const notices: DatedEvent[] = [];
  const eventDriven: DatedEvent[] = [];
  const isHigh = level !== 'CS1' && level !== 'CS2';

  for (const d of valid) {
    const ev = d.ev;
    if (terminalDay !== null && d.day >= terminalDay) {
      warnings.push(
        `${eventDescription(d)} is after the certificate became ${state} on ${formatDay(terminalDay)}: not used.`,
      );
      continue;
    }
    const rules = RULES_BY_EVENT.get(ev.type) ?? [];
    switch (ev.type) {
      case 'self-check.notice':
        if (isHigh) {
          warnings.push(`${eventDescription(d)}: the annual self-check applies to CS1/CS2 only, not ${level}.`);
          continue;
        }
        notices.push(d);
        continue;
      case 'self-check.abnormal':
        if (isHigh) {
          warnings.push(`${eventDescription(d)}: the self-check re-check applies to CS1/CS2 only, not ${level}.`);
          continue;
        }
        break;
      case 'renewal.applied':
        if (renewalApplied === null) renewalApplied = d;
        continue;
      case 'supervision.done': {
        if (!isHigh) {
          warnings.push(`${eventDescription(d)}: supervision applies to CS3–CS5 only, not ${level}.`);
          continue;
        }
        if (openFailure !== null && ev.passed) {
          // The re-assessment after rectification.
          if (
            move(d, 'active', `整改后重新评估通过（${formatDay(d.day)}）`, `re-assessment passed ${formatDay(d.day)}`)
          ) {
            openFailure = null;
          }
          continue;
        }
        if (openFailure === null) {
          supervisionCount++;
          if (supervisionCount === 1) firstSupervision = d;
          else if (supervisionCount === 2) secondSupervision = d;
        }
        if (!ev.passed) {
          if (
            move(
              d,
              'suspended',
              `监督评估未通过（${formatDay(d.day)}），整改期 3 个月内暂停使用证书`,
              `supervision failed ${formatDay(d.day)}: suspended during the 3-month rectification`,
            )
          ) {
            openFailure = d;
          }
          eventDriven.push(d);
        }
        continue;
      }
      case 'acquired':
        if (
          !move(
            d,
            'invalidated',
            `企业被并购（${formatDay(d.day)}），原证书失效，新主体需重新申请`,
            `company acquired ${formatDay(d.day)}: certificate invalid, the new entity must apply again`,
          )
        ) {
          continue;
        }
        break;
      default:
        break;
    }
    if (rules.length > 0) eventDriven.push(d);
  }

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
    }
  }

  // ---- schedules ---------------------------------------------------------------------------------
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
          warnings.push(
            `${eventDescription(d)}: deadline ${ev.deadline} is outside the validity ${issueStr}…${expiryStr}: not used` +
              (kept ? ` (the ${y} self-check stays due ${formatDay(kept.due)}).` : '.'),
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
        out.add(
          rule,
          `${rule.id}:${y}`,
          v.due,
          v.basis,
          v.trigger,
          v.awaiting ? { awaitingNotice: true } : {},
          v.unknown,
          v.awaiting,
        );
      }
    }
  }

  // ---- event-driven ------------------------------------------------------------------------------
  /** Re-assessment due date (end of the rectification period) of the still open failed supervision. */
  let rectificationDue = null as number | null;
  for (const d of eventDriven) {
    const ev = d.ev;
    for (const rule of RULES_BY_EVENT.get(ev.type) ?? []) {
      if (rule.trigger.kind !== 'event') continue;
      if (rule.trigger.passed !== undefined && ev.type === 'supervision.done' && ev.passed !== rule.trigger.passed)
        continue;
      if (!rule.levels.includes(level)) {
        warnings.push(
          `${eventDescription(d)}: rule ${rule.id} applies to ${describeLevels(rule.levels)}, not ${level}.`,
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
          out.add(rule, keyBase, due, basisWorkdays(d.day, rule.count, due), trigger);
          break;
        }
        case 'days': {
          const raw = d.day + rule.count;
          const due = addDaysAt(ctx, d.day, rule.count, 'next');
          out.add(rule, keyBase, due, basisDays(d.day, rule.count, raw, due), trigger);
          break;
        }
        case 'months': {
          const raw = addMonthsToDay(d.day, rule.count);
          const due = workdayOnOrAfter(ctx, raw);
          const o = out.add(rule, keyBase, due, basisMonths(d.day, rule.count, raw, due), trigger, {
            windowStart: formatDay(d.day),
          });
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

  // ---- inferred abandonment (missed supervision), rectification end, expiry ---------------------
  /** The state on `day` per the transitions so far (pushed in day order). */
  const stateOn = (day: number): CertificateState => {
    let st: CertificateState = 'active';
    for (const t of transitions) if (t.day <= day) st = t.state;
    return st;
  };
  if (asOf !== undefined && isHigh && terminalDay === null) {
    const checks: [number | null, DatedEvent | null, string, string][] = [
      [supervisionFirstDue, firstSupervision, '第一次监督评估', 'first supervision'],
      [firstSupervision ? renewalDue : null, secondSupervision, '第二次监督评估', 'second supervision'],
    ];
    for (const [due, done, zh, en] of checks) {
      if (due !== null && done === null && due < asOf && due < expiry) {
        const from = stateOn(due + 1);
        if (!canTransition(from, 'abandoned')) {
          warnings.push(`${en} not done by ${formatDay(due)}, but a ${from} certificate cannot become abandoned.`);
          break;
        }
        terminalDay = due + 1;
        transitions.push({
          day: due + 1,
          state: 'abandoned',
          reasonZh: `${zh}未在 ${formatDay(due)} 前完成，视为放弃`,
          reasonEn: `${en} not done by ${formatDay(due)}: abandoned`,
        });
        break;
      }
    }
  }
  // A failed supervision with no passed re-assessment: the 3-month rectification period ends; the
  // certificate stays suspended (only the assessment body decides what follows), but say so.
  if (openFailure !== null && rectificationDue !== null) {
    const end = rectificationDue;
    const endStr = formatDay(end);
    const failedOn = formatDay(openFailure.day);
    const ended = asOf === undefined || end < asOf;
    if (ended && end < expiry && (terminalDay === null || end + 1 < terminalDay)) {
      warnings.push(
        `${eventDescription(openFailure)}: the 3-month rectification period ${asOf === undefined ? 'ends' : 'ended'} ` +
          `${endStr} (re-assessment due) and no passed re-assessment is recorded: the certificate stays suspended ` +
          `after ${endStr}. Record the re-assessment (supervision.done with passed: true) or what the assessment ` +
          `body decided (e.g. downgrade, revocation).`,
      );
      transitions.push({
        day: end + 1,
        state: 'suspended',
        note: true,
        reasonZh: `整改期已于 ${endStr} 届满（${failedOn} 监督评估未通过），未记录重新评估通过，仍暂停使用证书`,
        reasonEn: `rectification period ended ${endStr} (supervision failed ${failedOn}) with no passed re-assessment recorded: still suspended`,
        ...(openFailure.ev.id ? { eventId: openFailure.ev.id } : {}),
      });
    }
  }
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
    } else {
      warnings.push(`validity ends ${expiryStr}, but a ${state} certificate cannot become expired.`);
    }
  }
  transitions.sort((a, b) => a.day - b.day);
  const timeline: StateSegment[] = [];
  for (const t of transitions) {
    const prev = timeline[timeline.length - 1];
    if (prev) {
      if (t.note) {
        if (prev.state !== t.state) continue; // the state changed meanwhile: the note no longer applies
      } else {
        if (prev.state === t.state) continue;
        if (!canTransition(prev.state, t.state)) {
          warnings.push(`${t.reasonEn}: a ${prev.state} certificate cannot become ${t.state}: not shown.`);
          continue;
        }
      }
      const prevFrom = parseDate(prev.from);
      if (t.day <= prevFrom) {
        timeline.pop();
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
    if (isTerminalState(t.state)) break;
  }

  // ---- filter, strict check, sort ----------------------------------------------------------------
  const terminalStr = terminalDay === null ? null : formatDay(terminalDay);
  const terminalState = timeline[timeline.length - 1]?.state ?? state;
  const keptEntries = out.entries.filter(({ o, due }) => {
    // `until` bounds every due date when given; by default (the expiry) it bounds periodic and
    // certificate duties only: an event inside the validity keeps its deadline after expiry.
    if (due > until && (untilGiven !== undefined || !EVENT_RULES.has(o.rule))) return false;
    if (terminalDay === null) return true;
    if (o.trigger.kind !== 'event') return due < terminalDay;
    if (o.rule === 'change.acquired' || (terminalStr !== null && o.trigger.date < terminalStr)) return true;
    warnings.push(
      `${o.trigger.eventType ?? 'event'} on ${o.trigger.date}: after the certificate became ${terminalState} on ${terminalStr ?? ''}: not used.`,
    );
    return false;
  });
  // Native numeric sort of the ranks (their low digits are the index into out.entries).
  const ranks = new Float64Array(keptEntries.length);
  for (let i = 0; i < keptEntries.length; i++) ranks[i] = (keptEntries[i] as Entry).rank;
  ranks.sort();
  const kept: Obligation[] = new Array<Obligation>(ranks.length);
  // Days before 1970 are negative, and so are their ranks: normalise the remainder to 0…99999.
  for (let i = 0; i < ranks.length; i++) kept[i] = (out.entries[(((ranks[i] as number) % 1e5) + 1e5) % 1e5] as Entry).o;
  const unknownYears = new Set<number>();
  const untilUnknown = !isYearPublished(yearOfDay(until)); // then the cut at `until` itself is provisional
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
    provisional: kept.some((o) => o.provisional),
    unknownYears: sortedUnknown,
  };
}
