// One evaluator per requirement kind. Counting kinds turn evidence into spans of days (sweep.ts) so
// the forecast is one sorted pass; financial kinds change only when the window's years change, so
// they are re-evaluated on those few days; years in business only grows; the legal-entity
// condition does not change with time.
import { addMonthsToDay, civilFromDay, formatDay } from '../calendar/days.js';
import type {
  FinancialField,
  ProjectDateBasis,
  Requirement,
  RequirementOperator,
  RequirementUnit,
  RequirementWindow,
} from '../scheme/requirements.js';
import { FINANCIAL_FIELD_NAMES } from '../scheme/requirements.js';
import {
  ADVERSE_RECORD_KINDS,
  ADVERSE_RECORD_KIND_NAMES_EN,
  ADVERSE_RECORD_KIND_NAMES_ZH,
  IP_KINDS,
  IP_KIND_NAMES_ZH,
  MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH,
  QUALIFICATION_KIND_NAMES_ZH,
  type AdverseRecordKind,
  type Evidence,
  type EvidenceFinancialYear,
  type EvidenceProject,
  type EvidenceStaff,
  type IpKind,
  type QualificationKind,
} from './evidence.js';
import { formatAmountZh, formatYuan, formatYuanEn, formatYuanZh, parseYuan } from './money.js';
import { dayOf, fenOf, monthStart } from './parse.js';
import { describeChanges, reasonText } from './reason.js';
import { countAt, entriesAt, intersectSpans, sweep, unionSpans, type Cause, type Entry, type Span } from './sweep.js';
import { cat, nameList, percentText, plural, type Localized } from './text.js';
import type { EvidenceRef, RequirementForecast, RequirementStatus } from './types.js';
import { fullYearChangeDays, fullYearsAt, windowAt, windowLabel, windowName, windowSpan } from './window.js';

/** What an evaluator returns; the caller adds the requirement's own fields. */
export interface Outcome {
  status: RequirementStatus;
  value: number | string | null;
  unit: RequirementUnit;
  parts?: { numerator: number; denominator: number };
  summary: Localized;
  gap: Localized | null;
  missing: Localized | null;
  evidence: EvidenceRef[];
  forecast: RequirementForecast | null;
}

// ---------------------------------------------------------------------------------------------
// Prepared evidence, shared by every requirement of one evaluation

interface PreparedProject {
  p: EvidenceProject;
  ref: EvidenceRef;
  /** Fen; number or bigint, compared exactly either way. */
  amount: number | bigint | null;
  signed: number | null;
  accepted: number | null;
  /** Window spans by the set's date basis, filled on first use (see `Context.windowSpans`). */
  spans: Span[] | null | undefined;
}

interface PreparedStaff {
  s: EvidenceStaff;
  ref: EvidenceRef;
  insured: Span[];
}

interface PreparedQualification {
  id: string;
  /** "张三 PMP" */
  name: string;
  staffId: string;
  kind: QualificationKind;
  span: Span;
  /** Built when the qualification is listed as evidence. */
  ref?: EvidenceRef;
}

const ALWAYS: readonly Span[] = [{ start: -Infinity, end: Infinity, startCause: null, endCause: null }];

/** Day number of the first day after a `YYYY-MM` month, else null. */
function monthEnd(s: string | null | undefined): number | null {
  const start = monthStart(s);
  return start === null ? null : addMonthsToDay(start, 1);
}

/**
 * The evidence of one evaluation, read once (dates, amounts, spans) and shared by its
 * requirements; nothing outlives the call, so core keeps no state between evaluations.
 */
export class Context {
  private projectsCache: PreparedProject[] | null | undefined;
  private staffCache: PreparedStaff[] | null | undefined;
  private staffNames: Map<string, string> | undefined;
  private qualificationsCache: PreparedQualification[] | undefined;
  private qualificationsByStaff: Map<string, PreparedQualification[]> | undefined;
  private readonly qualificationSpansCache = new Map<string, Map<string, Span[]>>();
  private financialCache: Map<number, EvidenceFinancialYear> | undefined;

  constructor(
    readonly evidence: Evidence,
    readonly at: number,
    /** Last day the forecast looks at; -Infinity when no forecast is asked for. */
    readonly until: number,
    readonly window: RequirementWindow,
    /** Which project date counts a project in the window (the requirement set's choice). */
    readonly projectBasis: ProjectDateBasis,
  ) {}

  get forecasting(): boolean {
    return this.until > this.at;
  }

  /** Projects, or null when the evidence has no project list at all. */
  projects(): PreparedProject[] | null {
    if (this.projectsCache !== undefined) return this.projectsCache;
    const list = this.evidence.projects;
    this.projectsCache = list
      ? list.map((p) => ({
          p,
          ref: { type: 'project', id: p.id, label: p.name },
          amount: fenOf(p.amount),
          signed: dayOf(p.signedOn),
          accepted: dayOf(p.acceptedOn),
          // Declared up front so every prepared project keeps one object shape.
          spans: undefined,
        }))
      : null;
    return this.projectsCache;
  }

  /**
   * Evaluation days on which the project is in the window by the set's date basis. Null: the date
   * that decides is missing, so it may count. Empty: it never counts (by acceptance, a project not
   * yet accepted is not completed work, whatever its signing date).
   */
  windowSpans(pp: PreparedProject): Span[] | null {
    if (pp.spans !== undefined) return pp.spans;
    let out: Span[] | null;
    if (this.projectBasis === 'signed') {
      out = pp.signed === null ? null : [this.datedSpan('project', pp.p.name, pp.signed, 'signed')];
    } else if (pp.accepted !== null) {
      out = [this.datedSpan('project', pp.p.name, pp.accepted, 'accepted')];
    } else {
      out = pp.p.status === 'accepted' ? null : [];
    }
    pp.spans = out;
    return out;
  }

  /** Whether a project signed on `signed` is in the window by its signing on the evaluation day. */
  signedInWindow(signed: number): boolean {
    const [start, end] = windowSpan(this.window, signed);
    return start <= this.at && this.at < end;
  }

  /** The span of evaluation days on which an item dated `date` is inside the window. */
  datedSpan(noun: Cause['noun'], name: string, date: number, basis: NonNullable<Cause['basis']>): Span {
    const [start, end] = windowSpan(this.window, date);
    const cause: Cause = { kind: 'window', noun, name, start: date, end: date, basis };
    return { start, end, startCause: cause, endCause: cause };
  }

  staffName(id: string): string {
    if (!this.staffNames) this.staffNames = new Map((this.evidence.staff ?? []).map((s) => [s.id, s.name]));
    return this.staffNames.get(id) ?? id;
  }

  /** Staff with the days each is employed and insured, or null when there is no staff list. */
  staff(): PreparedStaff[] | null {
    if (this.staffCache !== undefined) return this.staffCache;
    const list = this.evidence.staff;
    this.staffCache = list
      ? list.map((s) => ({ s, ref: { type: 'staff', id: s.id, label: s.name }, insured: insuredSpans(s) }))
      : null;
    return this.staffCache;
  }

  qualifications(): PreparedQualification[] {
    if (this.qualificationsCache) return this.qualificationsCache;
    const out: PreparedQualification[] = [];
    for (const q of this.evidence.qualifications ?? []) {
      const issued = dayOf(q.issuedOn);
      const expires = dayOf(q.expiresOn);
      const start = issued ?? -Infinity;
      const end = expires === null ? Infinity : expires + 1;
      if (start >= end) continue;
      const kindName = q.kind === 'other' && q.name ? q.name : QUALIFICATION_KIND_NAMES_ZH[q.kind];
      const name = `${this.staffName(q.staffId)} ${kindName}`;
      const cause: Cause = { kind: 'qualification', noun: 'qualification', name, start, end: end - 1 };
      out.push({
        id: q.id,
        name,
        staffId: q.staffId,
        kind: q.kind,
        span: { start, end, startCause: issued === null ? null : cause, endCause: expires === null ? null : cause },
      });
    }
    this.qualificationsCache = out;
    return out;
  }

  /** Per staff id, the days on which they hold a valid qualification of one of `kinds`. */
  qualificationSpans(kinds: readonly QualificationKind[]): Map<string, Span[]> {
    const key = [...kinds].sort().join(',');
    const cached = this.qualificationSpansCache.get(key);
    if (cached) return cached;
    const raw = new Map<string, Span[]>();
    for (const q of this.qualifications()) {
      if (!kinds.includes(q.kind)) continue;
      const list = raw.get(q.staffId);
      if (list) list.push(q.span);
      else raw.set(q.staffId, [q.span]);
    }
    const out = new Map<string, Span[]>();
    for (const [id, spans] of raw) out.set(id, unionSpans(spans));
    this.qualificationSpansCache.set(key, out);
    return out;
  }

  /** Qualifications of `kinds` held by `staffId` and valid on `d`. */
  validQualifications(staffId: string, kinds: readonly QualificationKind[], d: number): EvidenceRef[] {
    if (!this.qualificationsByStaff) {
      this.qualificationsByStaff = new Map();
      for (const q of this.qualifications()) {
        const list = this.qualificationsByStaff.get(q.staffId);
        if (list) list.push(q);
        else this.qualificationsByStaff.set(q.staffId, [q]);
      }
    }
    const out: EvidenceRef[] = [];
    for (const q of this.qualificationsByStaff.get(staffId) ?? []) {
      if (kinds.includes(q.kind) && q.span.start <= d && d < q.span.end) {
        q.ref ??= {
          type: 'qualification',
          id: q.id,
          label: q.span.end === Infinity ? q.name : `${q.name}（有效期至 ${formatDay(q.span.end - 1)}）`,
        };
        out.push(q.ref);
      }
    }
    return out;
  }

  financialYear(year: number): EvidenceFinancialYear | undefined {
    if (!this.financialCache) {
      this.financialCache = new Map((this.evidence.financialYears ?? []).map((f) => [f.year, f]));
    }
    return this.financialCache.get(year);
  }
}

/** Days on which a person is employed and their social insurance is paid by the company. */
function insuredSpans(s: EvidenceStaff): Span[] {
  const siStart = monthStart(s.socialInsuranceFrom);
  if (siStart === null) return [];
  const siEnd = monthEnd(s.socialInsuranceUntil) ?? Infinity;
  const empStart = dayOf(s.employedFrom) ?? -Infinity;
  const until = dayOf(s.employedUntil);
  const empEnd = until === null ? Infinity : until + 1;
  const start = Math.max(siStart, empStart);
  const end = Math.min(siEnd, empEnd);
  if (start >= end) return [];
  const employment: Cause = { kind: 'employment', noun: 'staff', name: s.name, start: empStart, end: empEnd - 1 };
  const lastPaid = siEnd === Infinity ? Infinity : addMonthsToDay(siEnd, -1);
  const insurance: Cause = { kind: 'insurance', noun: 'staff', name: s.name, start: siStart, end: lastPaid };
  const startCause = empStart > siStart ? employment : insurance;
  const endCause = end === Infinity ? null : empEnd <= siEnd ? employment : insurance;
  return [{ start, end, startCause, endCause }];
}

// ---------------------------------------------------------------------------------------------
// Exact comparisons

type Op = RequirementOperator;

function holds(cmp: number, op: Op): boolean {
  return op === '>=' ? cmp >= 0 : cmp > 0;
}

function compareBig(a: bigint, b: bigint): number {
  return a === b ? 0 : a > b ? 1 : -1;
}

/** `x` (at most four decimals) as numerator / denominator integers, so thresholds compare exactly. */
function exact(x: number): [num: number, den: number] {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(x));
  if (!m) return [x, 1];
  const frac = m[3] ?? '';
  const den = 10 ** frac.length;
  const num = Number(m[2]) * den + Number(frac || '0');
  return [m[1] ? -num : num, den];
}

/** Smallest integer k with k·den (op) num, for non-negative counts. */
function smallestCount(op: Op, num: number, den: number): number {
  const q = Math.floor(num / den);
  const r = num - q * den;
  const k = op === '>=' ? (r === 0 ? q : q + 1) : q + 1;
  return Math.max(0, k);
}

/** The least numerator that meets a percent threshold over `denominator`. */
function ratioRequired(op: Op, percent: number, denominator: number): number {
  const [num, den] = exact(percent);
  return smallestCount(op, num * denominator, den * 100);
}

function percentValue(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.round((numerator * 10000) / denominator) / 100;
}

const OP_TEXT: Readonly<Record<Op, string>> = { '>=': '≥', '>': '>' };

// ---------------------------------------------------------------------------------------------
// Counting kinds

interface CountingSpec {
  counters: readonly (readonly Entry<unknown>[])[];
  status: (counts: readonly number[]) => RequirementStatus;
  describe: (counts: readonly number[], day: number) => Pick<Outcome, 'value' | 'summary' | 'gap' | 'parts'>;
}

function runCounting(
  ctx: Context,
  spec: CountingSpec,
): {
  status: RequirementStatus;
  counts: number[];
  described: ReturnType<CountingSpec['describe']>;
  forecast: RequirementForecast | null;
} {
  const counts = spec.counters.map((c) => countAt(c, ctx.at));
  const status = spec.status(counts);
  const described = spec.describe(counts, ctx.at);
  let forecast: RequirementForecast | null = null;
  if (ctx.forecasting) {
    const change = sweep(spec.counters, ctx.at, ctx.until, spec.status, status);
    if (change) {
      forecast = {
        date: formatDay(change.day),
        status: change.status,
        reason: reasonText(
          change.day,
          describeChanges(change.changes, ctx.window),
          spec.describe(change.counts, change.day).summary,
        ),
      };
    }
  }
  return { status, counts, described: status === 'met' ? { ...described, gap: null } : described, forecast };
}

/** Unknown because a whole list is absent (an empty list is data: nothing recorded). */
function missingList(what: Localized, unit: RequirementUnit): Outcome {
  return {
    status: 'unknown',
    value: null,
    unit,
    summary: what,
    gap: null,
    missing: what,
    evidence: [],
    forecast: null,
  };
}

const NO_PROJECTS: Localized = {
  zh: '缺少项目数据：请登记或导入项目案例',
  en: 'No projects recorded: record or import them',
};
const NO_STAFF: Localized = { zh: '缺少人员名单：请登记或导入人员', en: 'No staff recorded: record or import them' };

const BASIS_TEXT: Readonly<Record<ProjectDateBasis, Localized>> = {
  signed: { zh: '签约', en: 'signed' },
  accepted: { zh: '验收', en: 'accepted' },
};

/**
 * Projects that count (known amount and date), those that may (amount or deciding date missing):
 * the latter make the answer unknown when they could close the gap; and, counting by acceptance,
 * those signed in the window but not accepted, which the answer names as left out.
 */
function projectCounters(
  ctx: Context,
  projects: readonly PreparedProject[],
  minAmount: bigint | null,
  accept: (pp: PreparedProject) => boolean,
): { known: Entry<PreparedProject>[]; maybe: Entry<PreparedProject>[]; unaccepted: PreparedProject[] } {
  const known: Entry<PreparedProject>[] = [];
  const maybe: Entry<PreparedProject>[] = [];
  const unaccepted: PreparedProject[] = [];
  for (const pp of projects) {
    if (pp.p.status === 'terminated' || !accept(pp)) continue;
    let amountKnown = true;
    if (minAmount !== null) {
      if (pp.amount === null) amountKnown = false;
      else if (pp.amount < minAmount) continue;
    }
    const spans = ctx.windowSpans(pp);
    if (spans === null) maybe.push({ item: pp, spans: ALWAYS });
    else if (spans.length === 0) {
      if (pp.signed !== null && ctx.signedInWindow(pp.signed)) unaccepted.push(pp);
    } else if (!amountKnown) maybe.push({ item: pp, spans });
    else known.push({ item: pp, spans });
  }
  return { known, maybe, unaccepted };
}

/**
 * How projects were counted, for the summary: by acceptance, naming the projects signed in the
 * window but not accepted (they count once accepted); by signing, saying unaccepted ones count.
 */
function basisNote(ctx: Context, unaccepted: readonly PreparedProject[]): Localized {
  if (ctx.projectBasis === 'signed') {
    return { zh: '按合同签订日期计入，含尚未验收的项目', en: 'counted by signing date, unaccepted projects included' };
  }
  if (unaccepted.length === 0) return { zh: '按验收日期计入', en: 'counted by acceptance date' };
  const names = nameList(
    unaccepted.map((pp) => pp.ref.label),
    '个',
  );
  const w = windowName(ctx.window);
  return {
    zh: `按验收日期计入；另有 ${unaccepted.length} 个${w.zh}签约、尚未验收的项目不计入，验收后计入：${names.zh}`,
    en: `counted by acceptance date; ${plural(unaccepted.length, 'project')} signed in the window but not accepted ${unaccepted.length === 1 ? 'does' : 'do'} not count until accepted: ${names.en}`,
  };
}

/** The summary with the counting note after it. */
function withNote(summary: Localized, note: Localized): Localized {
  return { zh: `${summary.zh}；${note.zh}`, en: `${summary.en}; ${note.en}` };
}

function countStatus(required: number): (counts: readonly number[]) => RequirementStatus {
  return (c) =>
    (c[0] as number) >= required ? 'met' : (c[0] as number) + (c[1] ?? 0) >= required ? 'unknown' : 'not-met';
}

function maybeProjectsText(ctx: Context, items: readonly PreparedProject[]): Localized {
  const names = nameList(
    items.map((i) => i.ref.label),
    '个',
  );
  const date = ctx.projectBasis === 'signed' ? { zh: '签订', en: 'signing' } : { zh: '验收', en: 'acceptance' };
  return {
    zh: `${items.length} 个项目缺少合同金额或${date.zh}日期，无法判断是否计入：${names.zh}`,
    en: `${plural(items.length, 'project')} lack an amount or ${date.en === 'acceptance' ? 'an' : 'a'} ${date.en} date, so may count: ${names.en}`,
  };
}

function largeProjects(req: Extract<Requirement, { kind: 'large-projects' }>, ctx: Context): Outcome {
  const projects = ctx.projects();
  if (!projects) return missingList(NO_PROJECTS, 'projects');
  const min = parseYuan(req.params.minAmount) ?? 0n;
  const basis = BASIS_TEXT[ctx.projectBasis];
  const { known, maybe, unaccepted } = projectCounters(ctx, projects, min, () => true);
  const required = smallestCount(req.operator, req.threshold, 1);
  const op = OP_TEXT[req.operator];
  const amtZh = formatAmountZh(min);
  const amtEn = formatYuanEn(min);
  const r = runCounting(ctx, {
    counters: [known, maybe],
    status: countStatus(required),
    describe: (c, day) => {
      const k = c[0] as number;
      const w = windowLabel(ctx.window, day);
      return {
        value: k,
        summary: {
          zh: `${w.zh}${basis.zh}的 ${amtZh}以上项目 ${k} 个（需 ${op} ${req.threshold} 个）`,
          en: `${plural(k, 'project')} of ≥ ${amtEn} ${basis.en} in ${w.en}; need ${op} ${req.threshold}`,
        },
        gap: {
          zh: `还差 ${required - k} 个 ${amtZh}以上项目`,
          en: `${plural(required - k, 'more project')} of ≥ ${amtEn} needed`,
        },
      };
    },
  });
  return {
    status: r.status,
    unit: 'projects',
    ...r.described,
    summary: withNote(r.described.summary, basisNote(ctx, unaccepted)),
    missing: r.status === 'unknown' ? maybeProjectsText(ctx, entriesAt(maybe, ctx.at)) : null,
    evidence: entriesAt(known, ctx.at).map((pp) => pp.ref),
    forecast: r.forecast,
  };
}

function technologyProjects(req: Extract<Requirement, { kind: 'technology-projects' }>, ctx: Context): Outcome {
  const projects = ctx.projects();
  if (!projects) return missingList(NO_PROJECTS, 'projects');
  const min = req.params.minAmount === undefined ? null : (parseYuan(req.params.minAmount) ?? 0n);
  const wanted = new Set(req.params.technologies.map((t) => t.trim().toLowerCase()));
  const uses = (pp: PreparedProject) => (pp.p.technologies ?? []).some((t) => wanted.has(t.trim().toLowerCase()));
  const { known, maybe, unaccepted } = projectCounters(ctx, projects, min, uses);
  const required = smallestCount(req.operator, req.threshold, 1);
  const op = OP_TEXT[req.operator];
  const techs = req.params.technologies.slice(0, 3).join('/') + (req.params.technologies.length > 3 ? '等' : '');
  const techsEn = req.params.technologies.slice(0, 3).join('/') + (req.params.technologies.length > 3 ? ' …' : '');
  const amtZh = min === null ? '' : `${formatAmountZh(min)}以上`;
  const amtEn = min === null ? '' : ` of ≥ ${formatYuanEn(min)}`;
  const basis = BASIS_TEXT[ctx.projectBasis];
  const r = runCounting(ctx, {
    counters: [known, maybe],
    status: countStatus(required),
    describe: (c, day) => {
      const k = c[0] as number;
      const w = windowLabel(ctx.window, day);
      return {
        value: k,
        summary: {
          zh: cat(`${w.zh}${basis.zh}的`, amtZh, `项目中使用${techs}的 ${k} 个（需 ${op} ${req.threshold} 个）`),
          en: `${plural(k, 'project')}${amtEn} ${basis.en} in ${w.en} use ${techsEn}; need ${op} ${req.threshold}`,
        },
        gap: {
          zh: cat(`还差 ${required - k} 个使用${techs}的`, amtZh, '项目'),
          en: `${plural(required - k, 'more project')}${amtEn} using ${techsEn} needed`,
        },
      };
    },
  });
  return {
    status: r.status,
    unit: 'projects',
    ...r.described,
    summary: withNote(r.described.summary, basisNote(ctx, unaccepted)),
    missing: r.status === 'unknown' ? maybeProjectsText(ctx, entriesAt(maybe, ctx.at)) : null,
    evidence: entriesAt(known, ctx.at).map((pp) => pp.ref),
    forecast: r.forecast,
  };
}

function ipCount(req: Extract<Requirement, { kind: 'ip-count' }>, ctx: Context): Outcome {
  const list = ctx.evidence.ip;
  if (!list)
    return missingList(
      { zh: '缺少知识产权数据：请登记软件著作权和专利', en: 'No IP recorded: record software copyrights and patents' },
      'items',
    );
  const kinds: readonly IpKind[] = req.params.kinds ?? IP_KINDS;
  const known: Entry<EvidenceRef>[] = [];
  const maybe: Entry<EvidenceRef>[] = [];
  for (const ip of list) {
    if (!kinds.includes(ip.kind)) continue;
    const ref: EvidenceRef = { type: 'ip', id: ip.id, label: ip.name };
    const granted = dayOf(ip.grantedOn);
    if (granted === null) maybe.push({ item: ref, spans: ALWAYS });
    else known.push({ item: ref, spans: [ctx.datedSpan('ip', ip.name, granted, 'granted')] });
  }
  const w = ctx.window;
  const perYear = req.params.per === 'year';
  // Per year: count / years ≥ t, with years = N, or months / 12.
  const [tNum, tDen] = exact(req.threshold);
  const [yNum, yDen] = w.kind === 'calendar-years' ? [w.years, 1] : [w.months, 12];
  const required = perYear
    ? smallestCount(req.operator, tNum * yNum, tDen * yDen)
    : smallestCount(req.operator, tNum, tDen);
  const op = OP_TEXT[req.operator];
  const all = kinds.length === IP_KINDS.length;
  const what = all
    ? { zh: '知识产权（软著/专利）', en: 'IP items (software copyrights, patents)' }
    : { zh: kinds.map((k) => IP_KIND_NAMES_ZH[k]).join('、'), en: `IP items (${kinds.join(', ')})` };
  const r = runCounting(ctx, {
    counters: [known, maybe],
    status: countStatus(required),
    describe: (c, day) => {
      const k = c[0] as number;
      const wl = windowLabel(w, day);
      if (!perYear) {
        return {
          value: k,
          summary: {
            zh: `${wl.zh}取得${what.zh} ${k} 项（需 ${op} ${req.threshold} 项）`,
            en: `${k} ${what.en} granted in ${wl.en}; need ${op} ${req.threshold}`,
          },
          gap: { zh: `还差 ${required - k} 项${what.zh}`, en: `${required - k} more ${what.en} needed` },
        };
      }
      const avg = Math.round(((k * yDen) / yNum) * 100) / 100;
      return {
        value: avg,
        summary: {
          zh: `${wl.zh}年均取得${what.zh} ${avg} 项（共 ${k} 项，需年均 ${op} ${req.threshold} 项）`,
          en: `${avg} ${what.en} a year on average in ${wl.en} (${k} in all); need ${op} ${req.threshold} a year`,
        },
        gap: {
          zh: `还差 ${required - k} 项${what.zh}，窗口内合计需 ${required} 项`,
          en: `${required - k} more ${what.en} needed (${required} in the window)`,
        },
      };
    },
  });
  const undated = entriesAt(maybe, ctx.at);
  const names = nameList(
    undated.map((i) => i.label),
    '项',
  );
  return {
    status: r.status,
    unit: 'items',
    ...r.described,
    missing:
      r.status === 'unknown'
        ? {
            zh: `${undated.length} 项知识产权缺少取得日期：${names.zh}`,
            en: `${plural(undated.length, 'IP item')} without a grant date: ${names.en}`,
          }
        : null,
    evidence: entriesAt(known, ctx.at),
    forecast: r.forecast,
  };
}

function insuredStaff(req: Extract<Requirement, { kind: 'insured-staff' }>, ctx: Context): Outcome {
  const staff = ctx.staff();
  if (!staff) return missingList(NO_STAFF, 'people');
  const insured: Entry<EvidenceRef>[] = [];
  for (const s of staff) if (s.insured.length > 0) insured.push({ item: s.ref, spans: s.insured });
  const required = smallestCount(req.operator, req.threshold, 1);
  const op = OP_TEXT[req.operator];
  const r = runCounting(ctx, {
    counters: [insured],
    status: (c) => ((c[0] as number) >= required ? 'met' : 'not-met'),
    describe: (c, day) => {
      const k = c[0] as number;
      return {
        value: k,
        summary: {
          zh: `${formatDay(day)} 在职并缴纳社保的人员 ${k} 人（需 ${op} ${req.threshold} 人）`,
          en: `${k} staff employed with social insurance on ${formatDay(day)}; need ${op} ${req.threshold}`,
        },
        gap: { zh: `还差 ${required - k} 人`, en: `${required - k} more insured staff needed` },
      };
    },
  });
  return {
    status: r.status,
    unit: 'people',
    ...r.described,
    missing: null,
    evidence: entriesAt(insured, ctx.at),
    forecast: r.forecast,
  };
}

function staffRatio(req: Extract<Requirement, { kind: 'rnd-ratio' | 'technical-ratio' }>, ctx: Context): Outcome {
  const staff = ctx.staff();
  if (!staff) return missingList(NO_STAFF, 'percent');
  const rnd = req.kind === 'rnd-ratio';
  const who = rnd ? { zh: '研发人员', en: 'R&D' } : { zh: '技术人员', en: 'technical' };
  const flagged: Entry<EvidenceRef>[] = [];
  const insured: Entry<EvidenceRef>[] = [];
  for (const s of staff) {
    if (s.insured.length === 0) continue;
    insured.push({ item: s.ref, spans: s.insured });
    if (rnd ? s.s.isRnd : s.s.isTechnical) flagged.push({ item: s.ref, spans: s.insured });
  }
  const [pNum, pDen] = exact(req.threshold);
  const op = OP_TEXT[req.operator];
  const status = (c: readonly number[]): RequirementStatus => {
    const t = c[1] as number;
    return t > 0 && (c[0] as number) >= ratioRequired(req.operator, req.threshold, t) ? 'met' : 'not-met';
  };
  /** Smallest n of insured people of the kind to add so that (r + n) / (t + n) meets the threshold. */
  const toAdd = (r: number, t: number): number | null => {
    const d = 100 * pDen - pNum; // (r+n)·100·den (op) p·(t+n)  ⇔  n·d (op) p·t − 100·den·r
    const x = pNum * t - 100 * pDen * r;
    let n: number;
    if (d <= 0) {
      if (x > 0 || (req.operator === '>' && x >= 0)) return null;
      n = 0;
    } else {
      n = smallestCount(req.operator, x, d);
    }
    return t + n === 0 ? Math.max(n, 1) : n;
  };
  const r = runCounting(ctx, {
    counters: [flagged, insured],
    status,
    describe: (c) => {
      const k = c[0] as number;
      const t = c[1] as number;
      const pct = percentText(k, t);
      const n = toAdd(k, t);
      return {
        value: percentValue(k, t),
        parts: { numerator: k, denominator: t },
        summary:
          t === 0
            ? { zh: `没有在职并缴纳社保的人员（需${who.zh}占比 ${op} ${req.threshold}%）`, en: 'No insured staff' }
            : {
                zh: `${who.zh}占比 ${pct}%（${k}/${t} 人，需 ${op} ${req.threshold}%）`,
                en: `${who.en} staff ${pct}% (${k}/${t}); need ${op} ${req.threshold}%`,
              },
        gap:
          n === null
            ? {
                zh: `${who.zh}占比 ${pct}%，需全部参保人员均为${who.zh}`,
                en: `${who.en} share ${pct}%: every insured person must be ${who.en} staff`,
              }
            : {
                zh: `${who.zh}占比 ${pct}%，需再增加 ${n} 人（缴纳社保的${who.zh}）`,
                en: `${who.en} share ${pct}%: ${n} more insured ${who.en} staff needed`,
              },
      };
    },
  });
  return {
    status: r.status,
    unit: 'percent',
    ...r.described,
    missing: null,
    evidence: entriesAt(flagged, ctx.at),
    forecast: r.forecast,
  };
}

const QUALIFICATION_KIND_NAMES_EN: Readonly<Record<QualificationKind, string>> = {
  pmp: 'PMP',
  'senior-pm': 'senior IS project manager (信息系统项目管理师)',
  'si-pm': 'SI project manager engineer (系统集成项目管理工程师)',
  other: 'other certificate',
};

function qualificationNames(kinds: readonly QualificationKind[]): Localized {
  return {
    zh: kinds.map((k) => QUALIFICATION_KIND_NAMES_ZH[k]).reduce((a, b) => cat(a, '或', b)),
    en: kinds.map((k) => QUALIFICATION_KIND_NAMES_EN[k]).join(' or '),
  };
}

function qualifiedPm(req: Extract<Requirement, { kind: 'qualified-pm' }>, ctx: Context): Outcome {
  const projects = ctx.projects();
  if (!projects) return missingList(NO_PROJECTS, 'percent');
  const min = req.params.minAmount === undefined ? null : (parseYuan(req.params.minAmount) ?? 0n);
  const held = ctx.qualificationSpans(req.params.kinds);
  // Only projects known to be in scope (amount and date known): the counting kinds report the rest.
  const scope: Entry<PreparedProject>[] = [];
  const qualified: Entry<PreparedProject>[] = [];
  const noManager: Entry<PreparedProject>[] = [];
  const unaccepted: PreparedProject[] = [];
  for (const pp of projects) {
    if (pp.p.status === 'terminated') continue;
    if (min !== null && (pp.amount === null || pp.amount < min)) continue;
    const spans = ctx.windowSpans(pp);
    if (spans === null) continue;
    if (spans.length === 0) {
      if (pp.signed !== null && ctx.signedInWindow(pp.signed)) unaccepted.push(pp);
      continue;
    }
    const managerId = pp.p.managerId ?? null;
    scope.push({ item: pp, spans });
    if (managerId === null) {
      noManager.push({ item: pp, spans });
      continue;
    }
    const q = held.get(managerId);
    if (q) {
      const both = intersectSpans(spans, q);
      if (both.length > 0) qualified.push({ item: pp, spans: both });
    }
  }
  const op = OP_TEXT[req.operator];
  const { zh: certs, en: certsEn } = qualificationNames(req.params.kinds);
  const amtZh = min === null ? '' : `${formatAmountZh(min)}以上`;
  const amtEn = min === null ? '' : ` of ≥ ${formatYuanEn(min)}`;
  const status = (c: readonly number[]): RequirementStatus => {
    const t = c[1] as number;
    if (t === 0) return 'not-met';
    const need = ratioRequired(req.operator, req.threshold, t);
    const q = c[0] as number;
    return q >= need ? 'met' : q + (c[2] as number) >= need ? 'unknown' : 'not-met';
  };
  const r = runCounting(ctx, {
    counters: [qualified, scope, noManager],
    status,
    describe: (c, day) => {
      const q = c[0] as number;
      const t = c[1] as number;
      const w = windowLabel(ctx.window, day);
      if (t === 0) {
        const none = {
          zh: cat(`${w.zh}没有`, amtZh, '项目可核对项目经理证书'),
          en: `No project${amtEn} in ${w.en} whose manager could be checked`,
        };
        return { value: 0, parts: { numerator: 0, denominator: 0 }, summary: none, gap: none };
      }
      const k = ratioRequired(req.operator, req.threshold, t) - q;
      return {
        value: percentValue(q, t),
        parts: { numerator: q, denominator: t },
        summary: {
          zh: cat(
            `${w.zh}${amtZh}项目 ${t} 个，其中 ${q} 个的项目经理持有效`,
            certs,
            `证书（${percentText(q, t)}%，需 ${op} ${req.threshold}%）`,
          ),
          en: `${q} of ${plural(t, 'project')}${amtEn} in ${w.en} have a manager with a valid ${certsEn} (${percentText(q, t)}%); need ${op} ${req.threshold}%`,
        },
        gap: {
          zh: cat(`还需 ${k} 个项目的项目经理持有效`, certs, '证书'),
          en: `${plural(k, 'more project')} need a manager with a valid ${certsEn}`,
        },
      };
    },
  });
  // Name the projects that fail today, with their manager, so the gap says whom to certify.
  const failing: string[] = [];
  const qualifiedNow = new Set(entriesAt(qualified, ctx.at).map((i) => i.ref.id));
  for (const it of entriesAt(scope, ctx.at)) {
    if (qualifiedNow.has(it.ref.id)) continue;
    const managerId = it.p.managerId ?? null;
    failing.push(`${it.ref.label}（${managerId === null ? '未填写项目经理' : ctx.staffName(managerId)}）`);
  }
  let gap = r.described.gap;
  if (gap && failing.length > 0) {
    const names = nameList(failing, '个', 5);
    gap = { zh: `${gap.zh}：${names.zh}`, en: `${gap.en}: ${names.en}` };
  }
  const evidence: EvidenceRef[] = [];
  const seenQualifications = new Set<string>();
  for (const it of entriesAt(qualified, ctx.at)) {
    evidence.push(it.ref);
    for (const q of ctx.validQualifications(it.p.managerId as string, req.params.kinds, ctx.at)) {
      if (!seenQualifications.has(q.id)) {
        seenQualifications.add(q.id);
        evidence.push(q);
      }
    }
  }
  const unnamed = entriesAt(noManager, ctx.at);
  const unnamedList = nameList(
    unnamed.map((i) => i.ref.label),
    '个',
  );
  return {
    status: r.status,
    unit: 'percent',
    ...r.described,
    summary: withNote(r.described.summary, basisNote(ctx, unaccepted)),
    gap: r.status === 'met' ? null : gap,
    missing:
      r.status === 'unknown'
        ? {
            zh: `${unnamed.length} 个项目未填写项目经理：${unnamedList.zh}`,
            en: `${plural(unnamed.length, 'project')} without a project manager: ${unnamedList.en}`,
          }
        : null,
    evidence,
    forecast: r.forecast,
  };
}

function qualifiedStaff(req: Extract<Requirement, { kind: 'qualified-staff' }>, ctx: Context): Outcome {
  const staff = ctx.staff();
  if (!staff) return missingList(NO_STAFF, 'people');
  const held = ctx.qualificationSpans(req.params.kinds);
  const counted: Entry<PreparedStaff>[] = [];
  for (const s of staff) {
    const q = held.get(s.s.id);
    if (!q || s.insured.length === 0) continue;
    const both = intersectSpans(s.insured, q);
    if (both.length > 0) counted.push({ item: s, spans: both });
  }
  const required = smallestCount(req.operator, req.threshold, 1);
  const op = OP_TEXT[req.operator];
  const { zh: certs, en: certsEn } = qualificationNames(req.params.kinds);
  const r = runCounting(ctx, {
    counters: [counted],
    status: (c) => ((c[0] as number) >= required ? 'met' : 'not-met'),
    describe: (c) => {
      const k = c[0] as number;
      return {
        value: k,
        summary: {
          zh: cat('持有效', certs, `证书并缴纳社保的人员 ${k} 人（需 ${op} ${req.threshold} 人）`),
          en: `${k} insured staff hold a valid ${certsEn}; need ${op} ${req.threshold}`,
        },
        gap: {
          zh: cat(`还差 ${required - k} 名持有效`, certs, '证书的参保人员'),
          en: `${required - k} more insured staff with a valid ${certsEn} needed`,
        },
      };
    },
  });
  const evidence: EvidenceRef[] = [];
  for (const s of entriesAt(counted, ctx.at)) {
    evidence.push(s.ref, ...ctx.validQualifications(s.s.id, req.params.kinds, ctx.at));
  }
  return { status: r.status, unit: 'people', ...r.described, missing: null, evidence, forecast: r.forecast };
}

function managementCertificate(req: Extract<Requirement, { kind: 'management-certificate' }>, ctx: Context): Outcome {
  const list = ctx.evidence.managementCertificates;
  if (!list) {
    return missingList(
      { zh: '缺少管理体系证书数据：请登记 ISO、CMMI、ITSS 等证书', en: 'No management certificates recorded' },
      'certificates',
    );
  }
  const valid: Entry<EvidenceRef>[] = [];
  for (const c of list) {
    if (!req.params.kinds.includes(c.kind)) continue;
    const issued = dayOf(c.issuedOn);
    const expires = dayOf(c.expiresOn);
    const start = issued ?? -Infinity;
    const end = expires === null ? Infinity : expires + 1;
    if (start >= end) continue;
    const name = c.kind === 'other' && c.name ? c.name : MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH[c.kind];
    const cause: Cause = { kind: 'certificate', noun: 'management-certificate', name, start, end: end - 1 };
    valid.push({
      item: {
        type: 'management-certificate',
        id: c.id,
        label: expires === null ? name : `${name}（有效期至 ${formatDay(expires)}）`,
      },
      spans: [
        {
          start,
          end,
          startCause: issued === null ? null : cause,
          endCause: expires === null ? null : cause,
        },
      ],
    });
  }
  const required = smallestCount(req.operator, req.threshold, 1);
  const op = OP_TEXT[req.operator];
  const names = req.params.kinds.map((k) => MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH[k]).join('/');
  const r = runCounting(ctx, {
    counters: [valid],
    status: (c) => ((c[0] as number) >= required ? 'met' : 'not-met'),
    describe: (c, day) => {
      const k = c[0] as number;
      return {
        value: k,
        summary: {
          zh: cat(`${formatDay(day)} 有效的`, names, `证书 ${k} 张（需 ${op} ${req.threshold} 张）`),
          en: `${plural(k, 'valid certificate')} (${names}) on ${formatDay(day)}; need ${op} ${req.threshold}`,
        },
        gap: {
          zh: cat(`还差 ${required - k} 张有效的`, names, '证书'),
          en: `${plural(required - k, 'more valid certificate')} (${names}) needed`,
        },
      };
    },
  });
  return {
    status: r.status,
    unit: 'certificates',
    ...r.described,
    missing: null,
    evidence: entriesAt(valid, ctx.at),
    forecast: r.forecast,
  };
}

// ---------------------------------------------------------------------------------------------
// Growth at renewal: new IP per year on average, or a standard the organisation helped draft

function growth(req: Extract<Requirement, { kind: 'growth' }>, ctx: Context): Outcome {
  const ipList = ctx.evidence.ip;
  const standardList = ctx.evidence.standards;
  if (!ipList && !standardList) {
    return missingList(
      {
        zh: '缺少知识产权和标准制定数据：请登记软件著作权、专利或参与制定的标准',
        en: 'No IP or standards recorded: record software copyrights, patents or standards taken part in',
      },
      'items',
    );
  }
  const kinds: readonly IpKind[] = req.params.kinds ?? IP_KINDS;
  const ipKnown: Entry<EvidenceRef>[] = [];
  const ipMaybe: Entry<EvidenceRef>[] = [];
  for (const ip of ipList ?? []) {
    if (!kinds.includes(ip.kind)) continue;
    const ref: EvidenceRef = { type: 'ip', id: ip.id, label: ip.name };
    const granted = dayOf(ip.grantedOn);
    if (granted === null) ipMaybe.push({ item: ref, spans: ALWAYS });
    else ipKnown.push({ item: ref, spans: [ctx.datedSpan('ip', ip.name, granted, 'granted')] });
  }
  const stdKnown: Entry<EvidenceRef>[] = [];
  const stdMaybe: Entry<EvidenceRef>[] = [];
  for (const st of standardList ?? []) {
    const label = st.number ? `${st.name}（${st.number}）` : st.name;
    const ref: EvidenceRef = { type: 'standard', id: st.id, label };
    const published = dayOf(st.publishedOn);
    if (published === null) stdMaybe.push({ item: ref, spans: ALWAYS });
    else stdKnown.push({ item: ref, spans: [ctx.datedSpan('standard', label, published, 'published')] });
  }
  const w = ctx.window;
  const [tNum, tDen] = exact(req.threshold);
  const [yNum, yDen] = w.kind === 'calendar-years' ? [w.years, 1] : [w.months, 12];
  const needIp = smallestCount(req.operator, tNum * yNum, tDen * yDen);
  const needStd = req.params.standards;
  const op = OP_TEXT[req.operator];
  const what =
    kinds.length === IP_KINDS.length
      ? { zh: '知识产权', en: 'IP items' }
      : { zh: kinds.map((k) => IP_KIND_NAMES_ZH[k]).join('、'), en: `IP items (${kinds.join(', ')})` };
  const status = (c: readonly number[]): RequirementStatus => {
    const [ip = 0, ipM = 0, std = 0, stdM = 0] = c;
    if (ip >= needIp || std >= needStd) return 'met';
    return ip + ipM >= needIp || std + stdM >= needStd ? 'unknown' : 'not-met';
  };
  const r = runCounting(ctx, {
    counters: [ipKnown, ipMaybe, stdKnown, stdMaybe],
    status,
    describe: (c, day) => {
      const k = c[0] as number;
      const n = c[2] as number;
      const wl = windowLabel(w, day);
      const avg = Math.round(((k * yDen) / yNum) * 100) / 100;
      const ipPart = {
        zh: `${wl.zh}年均取得${what.zh} ${avg} 项（共 ${k} 项，需年均 ${op} ${req.threshold} 项）`,
        en: `${avg} ${what.en} a year on average in ${wl.en} (${k} in all; need ${op} ${req.threshold} a year)`,
      };
      const stdPart = {
        zh: `发布的参与制定标准 ${n} 项（需 ≥ ${needStd} 项）`,
        en: `${plural(n, 'standard')} taken part in published (need ≥ ${needStd})`,
      };
      return {
        value: avg,
        summary: {
          zh: `${ipPart.zh}，${stdPart.zh}，满足其一即可`,
          en: `${ipPart.en}, ${stdPart.en}; either will do`,
        },
        gap: {
          zh: `还差 ${needIp - k} 项${what.zh}（窗口内合计需 ${needIp} 项），或再参与制定 ${needStd - n} 项在窗口内发布的标准`,
          en: `${needIp - k} more ${what.en} needed (${needIp} in the window), or ${plural(needStd - n, 'more standard')} taken part in and published in the window`,
        },
      };
    },
  });
  const undatedIp = entriesAt(ipMaybe, ctx.at);
  const undatedStd = entriesAt(stdMaybe, ctx.at);
  const missing: string[] = [];
  const missingEn: string[] = [];
  if (undatedIp.length > 0) {
    const names = nameList(
      undatedIp.map((i) => i.label),
      '项',
    );
    missing.push(`${undatedIp.length} 项知识产权缺少取得日期：${names.zh}`);
    missingEn.push(`${plural(undatedIp.length, 'IP item')} without a grant date: ${names.en}`);
  }
  if (undatedStd.length > 0) {
    const names = nameList(
      undatedStd.map((i) => i.label),
      '项',
    );
    missing.push(`${undatedStd.length} 项标准缺少发布日期：${names.zh}`);
    missingEn.push(`${plural(undatedStd.length, 'standard')} without a publication date: ${names.en}`);
  }
  return {
    status: r.status,
    unit: 'items',
    ...r.described,
    missing: r.status === 'unknown' ? { zh: missing.join('；'), en: missingEn.join('; ') } : null,
    evidence: [...entriesAt(ipKnown, ctx.at), ...entriesAt(stdKnown, ctx.at)],
    forecast: r.forecast,
  };
}

// ---------------------------------------------------------------------------------------------
// Eligibility: an independent legal entity, and no adverse record in the window

function legalEntity(ctx: Context): Outcome {
  const le = ctx.evidence.legalEntity;
  if (!le) {
    return missingList(
      {
        zh: '尚未确认企业是否为独立法人：请确认，并可附营业执照',
        en: 'Nobody has confirmed whether the organisation is an independent legal entity: confirm it, with the business licence if at hand',
      },
      'confirmation',
    );
  }
  const on = le.confirmedOn ? { zh: `（${le.confirmedOn} 确认）`, en: ` (confirmed on ${le.confirmedOn})` } : null;
  const ref: EvidenceRef = {
    type: 'legal-entity',
    id: 'legal-entity',
    label: `${le.isIndependent ? '独立法人' : '非独立法人'}${on?.zh ?? ''}`,
  };
  const base = { value: null, unit: 'confirmation' as const, missing: null, evidence: [ref], forecast: null };
  if (!le.isIndependent) {
    return {
      ...base,
      status: 'not-met',
      summary: {
        zh: `已确认企业不是独立法人${on?.zh ?? ''}`,
        en: `Confirmed not to be an independent legal entity${on?.en ?? ''}`,
      },
      gap: {
        zh: '须由具有独立法人资格的企业申请，分支机构不能单独申请',
        en: 'An independent legal entity must apply; a branch cannot apply on its own',
      },
    };
  }
  const noFile = (le.files ?? 0) === 0;
  return {
    ...base,
    status: 'met',
    summary: {
      zh: `已确认企业为独立法人${on?.zh ?? ''}${noFile ? '；尚未附营业执照' : ''}`,
      en: `Confirmed to be an independent legal entity${on?.en ?? ''}${noFile ? '; no business licence attached yet' : ''}`,
    },
    gap: null,
  };
}

function adverseKindsText(kinds: readonly AdverseRecordKind[]): Localized {
  return kinds.length === ADVERSE_RECORD_KINDS.length
    ? { zh: '违法违规、经营异常或严重失信记录', en: 'violation, abnormal-operation or serious-dishonesty records' }
    : {
        zh: kinds.map((k) => ADVERSE_RECORD_KIND_NAMES_ZH[k]).join('、'),
        en: kinds.map((k) => `${ADVERSE_RECORD_KIND_NAMES_EN[k]}s`).join(', '),
      };
}

/**
 * A record counts against the organisation from the day it is listed until the window no longer
 * reaches the day it was cleared. The period looked at runs from the window's first day to the
 * evaluation day, so a listing of this year counts although a calendar-years window ends last year.
 */
function noAdverseRecords(req: Extract<Requirement, { kind: 'no-adverse-records' }>, ctx: Context): Outcome {
  const kinds: readonly AdverseRecordKind[] = req.params.kinds ?? ADVERSE_RECORD_KINDS;
  const what = adverseKindsText(kinds);
  const list = ctx.evidence.adverseRecords;
  if (!list) {
    return missingList(
      {
        zh: `缺少不良记录数据：请核查并登记${what.zh}（没有则无需登记）`,
        en: `Adverse records unknown: check for ${what.en} and record any (none: nothing to record)`,
      },
      'records',
    );
  }
  const known: Entry<EvidenceRef>[] = [];
  const maybe: Entry<EvidenceRef>[] = [];
  for (const rec of list) {
    if (!kinds.includes(rec.kind)) continue;
    const listed = dayOf(rec.listedOn);
    const cleared = dayOf(rec.clearedOn);
    const kindName = ADVERSE_RECORD_KIND_NAMES_ZH[rec.kind];
    const when =
      listed === null
        ? '列入日期未填'
        : `${formatDay(listed)} 列入${cleared === null ? '' : `，${formatDay(cleared)} 移出`}`;
    const name = `${kindName}（${when}）`;
    const ref: EvidenceRef = { type: 'adverse-record', id: rec.id, label: name };
    if (listed === null) {
      maybe.push({ item: ref, spans: ALWAYS });
      continue;
    }
    const end = cleared === null ? Infinity : windowSpan(ctx.window, cleared)[1];
    if (listed >= end) continue;
    const listing: Cause = { kind: 'listing', noun: 'adverse-record', name, start: listed, end: cleared ?? Infinity };
    const exit: Cause | null =
      cleared === null
        ? null
        : { kind: 'window', noun: 'adverse-record', name, start: cleared, end: cleared, basis: 'cleared' };
    known.push({ item: ref, spans: [{ start: listed, end, startCause: listing, endCause: exit }] });
  }
  const r = runCounting(ctx, {
    counters: [known, maybe],
    status: (c) => ((c[0] as number) > 0 ? 'not-met' : (c[1] as number) > 0 ? 'unknown' : 'met'),
    describe: (c, day) => {
      const k = c[0] as number;
      const from = formatDay(windowAt(ctx.window, day).from);
      const to = formatDay(day);
      return {
        value: k,
        summary:
          k === 0
            ? { zh: `${from} 至 ${to} 期间无${what.zh}`, en: `No ${what.en} between ${from} and ${to}` }
            : {
                zh: `${from} 至 ${to} 期间有 ${k} 条不良记录`,
                en: `${plural(k, 'adverse record')} between ${from} and ${to}`,
              },
        gap: {
          zh: `${from} 至 ${to} 期间有 ${k} 条不良记录；记录移出名录后，待统计窗口不再包含移出日期才不再计入`,
          en: `${plural(k, 'adverse record')} between ${from} and ${to}; a record stops counting once the window no longer reaches the day it was cleared`,
        },
      };
    },
  });
  const counted = entriesAt(known, ctx.at);
  let gap = r.described.gap;
  if (gap && counted.length > 0) {
    const names = nameList(
      counted.map((i) => i.label),
      '条',
    );
    gap = { zh: `${gap.zh}：${names.zh}`, en: `${gap.en}: ${names.en}` };
  }
  let summary = r.described.summary;
  if (list.length === 0) {
    summary = withNote(summary, {
      zh: '未登记任何不良记录，请以国家企业信用信息公示系统和“信用中国”的查询结果为准',
      en: 'none recorded here: check the National Enterprise Credit Information Publicity System and Credit China',
    });
  }
  const undated = entriesAt(maybe, ctx.at);
  const undatedNames = nameList(
    undated.map((i) => i.label),
    '条',
  );
  return {
    status: r.status,
    unit: 'records',
    ...r.described,
    summary,
    gap: r.status === 'not-met' ? gap : null,
    missing:
      r.status === 'unknown'
        ? {
            zh: `${undated.length} 条不良记录缺少列入日期，无法判断是否在期间内：${undatedNames.zh}`,
            en: `${plural(undated.length, 'adverse record')} without a listing date, so may count: ${undatedNames.en}`,
          }
        : null,
    evidence: counted,
    forecast: r.forecast,
  };
}

// ---------------------------------------------------------------------------------------------
// Years in business

function yearsInBusiness(req: Extract<Requirement, { kind: 'years-in-business' }>, ctx: Context): Outcome {
  let start = dayOf(ctx.evidence.organisation?.businessSince);
  let first: PreparedProject | null = null;
  if (start === null) {
    for (const pp of ctx.projects() ?? []) {
      if (pp.signed !== null && (start === null || pp.signed < start)) {
        start = pp.signed;
        first = pp;
      }
    }
  }
  if (start === null) {
    const what = {
      zh: '缺少从业起始日期：请登记项目及其合同签订日期（从首个相关合同起算）',
      en: 'No start date: enter organisation.businessSince or the projects’ signing dates',
    };
    return missingList(what, 'years');
  }
  const at = ctx.at;
  let years = civilFromDay(at)[0] - civilFromDay(start)[0];
  if (addMonthsToDay(start, 12 * years) > at) years--;
  years = Math.max(0, years);
  const required = smallestCount(req.operator, req.threshold, 1);
  const reached = addMonthsToDay(start, 12 * required);
  const met = reached <= at;
  const op = OP_TEXT[req.operator];
  const since = formatDay(start);
  const fromProject = first
    ? { zh: `，首个项目“${first.p.name}”签约日`, en: `, signing of the first project “${first.p.name}”` }
    : { zh: '', en: '' };
  let forecast: RequirementForecast | null = null;
  if (ctx.forecasting && !met && reached <= ctx.until) {
    forecast = {
      date: formatDay(reached),
      status: 'met',
      reason: {
        zh: `${formatDay(reached)} 起从业满 ${required} 年`,
        en: `From ${formatDay(reached)}: ${required} years in business`,
      },
    };
  }
  return {
    status: met ? 'met' : 'not-met',
    value: years,
    unit: 'years',
    summary: {
      zh: `从业 ${years} 年（自 ${since} 起算${fromProject.zh}，需 ${op} ${req.threshold} 年）`,
      en: `${plural(years, 'year')} in business (since ${since}${fromProject.en}); need ${op} ${req.threshold}`,
    },
    gap: met
      ? null
      : {
          zh: `还需 ${required - years} 年，${formatDay(reached)} 起满 ${required} 年`,
          en: `${plural(required - years, 'more year')}: ${required} years reached on ${formatDay(reached)}`,
        },
    missing: null,
    evidence: first ? [first.ref] : [],
    forecast,
  };
}

// ---------------------------------------------------------------------------------------------
// Financial kinds: they change only when the window's set of full years changes

type FinancialEval = Omit<Outcome, 'forecast'>;

function yearsText(years: readonly number[]): Localized {
  return { zh: years.join('、'), en: years.join(', ') };
}

/** Values of `fields` per window year on day `d`, or the years and fields that are missing. */
function financialValues(
  ctx: Context,
  d: number,
  fields: readonly FinancialField[],
): { years: number[]; values: Map<FinancialField, bigint[]> } | { years: number[]; missing: Localized } {
  const years = fullYearsAt(ctx.window, d);
  if (years.length === 0) {
    return { years, missing: { zh: '统计窗口内没有完整的财务年度', en: 'The window holds no full financial year' } };
  }
  const values = new Map<FinancialField, bigint[]>(fields.map((f) => [f, []]));
  const missingYears: number[] = [];
  const missingFields = new Set<FinancialField>();
  for (const y of years) {
    const fy = ctx.financialYear(y);
    let complete = true;
    for (const f of fields) {
      const v = fy ? parseYuan(fy[f]) : null;
      if (v === null) {
        complete = false;
        missingFields.add(f);
      } else values.get(f)?.push(v);
    }
    if (!complete) missingYears.push(y);
  }
  if (missingYears.length > 0) {
    const ys = yearsText(missingYears);
    const names = [...missingFields].map((f) => FINANCIAL_FIELD_NAMES[f]);
    return {
      years,
      missing: {
        zh: `缺少 ${ys.zh} 年财务数据（${names.map((n) => n.zh).join('、')}）`,
        en: `Financial data missing for ${ys.en} (${names.map((n) => n.en).join(', ')})`,
      },
    };
  }
  return { years, values };
}

function financialRefs(ctx: Context, years: readonly number[]): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  for (const y of years) {
    const fy = ctx.financialYear(y);
    if (fy) out.push({ type: 'financial-year', id: String(y), label: `${y} 年${fy.audited ? '（已审计）' : ''}` });
  }
  return out;
}

/**
 * The window's values of `fields` on day `d`, with the years that count and how the window is
 * called; or, when a year or field is missing, the "data missing" answer to return as it is.
 */
function financialInput(
  ctx: Context,
  d: number,
  fields: readonly FinancialField[],
  unit: RequirementUnit,
):
  | { result: FinancialEval }
  | { values: Map<FinancialField, bigint[]>; years: number[]; evidence: EvidenceRef[]; wl: Localized } {
  const fv = financialValues(ctx, d, fields);
  const evidence = financialRefs(ctx, fv.years);
  if ('missing' in fv) {
    return {
      result: { status: 'unknown', value: null, unit, summary: fv.missing, gap: null, missing: fv.missing, evidence },
    };
  }
  return { values: fv.values, years: fv.years, evidence, wl: windowLabel(ctx.window, d) };
}

function sum(xs: readonly bigint[]): bigint {
  let s = 0n;
  for (const x of xs) s += x;
  return s;
}

/** `a / n` rounded down (towards −∞) to the fen: a shown average never reaches a threshold it misses. */
function divDown(a: bigint, n: bigint): bigint {
  return a >= 0n ? a / n : -((-a + n - 1n) / n);
}

/** `a / n` rounded up (towards +∞) to the fen, for amounts still needed. */
function divUp(a: bigint, n: bigint): bigint {
  return a <= 0n ? -(-a / n) : (a + n - 1n) / n;
}

function shortText(op: Op, fen: bigint): Localized {
  return op === '>='
    ? { zh: `还差 ${formatYuanZh(fen, 'up')}`, en: `${formatYuanEn(fen, 'up')} short` }
    : { zh: `还需增加超过 ${formatYuanZh(fen, 'up')}`, en: `more than ${formatYuanEn(fen, 'up')} short` };
}

function avgAnnualRevenue(
  req: Extract<Requirement, { kind: 'avg-annual-revenue' }>,
  ctx: Context,
  d: number,
): FinancialEval {
  const field = req.params.field;
  const name = FINANCIAL_FIELD_NAMES[field];
  const threshold = parseYuan(req.threshold) ?? 0n;
  const op = OP_TEXT[req.operator];
  const fv = financialInput(ctx, d, [field], 'yuan');
  if ('result' in fv) return fv.result;
  const { wl, evidence } = fv;
  const total = sum(fv.values.get(field) ?? []);
  const n = BigInt(fv.years.length);
  const avg = divDown(total, n);
  const met = holds(compareBig(total, threshold * n), req.operator);
  const short = threshold * n - total;
  const perYear = shortText(req.operator, divUp(short, n));
  const all = shortText(req.operator, short);
  return {
    status: met ? 'met' : 'not-met',
    value: formatYuan(avg),
    unit: 'yuan',
    summary: {
      zh: `${wl.zh}年均${name.zh} ${formatYuanZh(avg, 'down')}（需 ${op} ${formatYuanZh(threshold)}）`,
      en: `Average annual ${name.en} ${formatYuanEn(avg, 'down')} over ${wl.en}; need ${op} ${formatYuanEn(threshold)}`,
    },
    gap: met
      ? null
      : {
          zh: `年均${perYear.zh}` + (n > 1n ? `（${n} 年合计${all.zh}）` : ''),
          en: `${perYear.en} a year` + (n > 1n ? ` (${all.en} over ${n} years)` : ''),
        },
    missing: null,
    evidence,
  };
}

function financialTotal(
  req: Extract<Requirement, { kind: 'financial-total' }>,
  ctx: Context,
  d: number,
): FinancialEval {
  const field = req.params.field;
  const name = FINANCIAL_FIELD_NAMES[field];
  const threshold = parseYuan(req.threshold) ?? 0n;
  const op = OP_TEXT[req.operator];
  const fv = financialInput(ctx, d, [field], 'yuan');
  if ('result' in fv) return fv.result;
  const { wl, evidence } = fv;
  const values = fv.values.get(field) ?? [];
  if (req.params.aggregate === 'sum') {
    const total = sum(values);
    const met = holds(compareBig(total, threshold), req.operator);
    const short = shortText(req.operator, threshold - total);
    return {
      status: met ? 'met' : 'not-met',
      value: formatYuan(total),
      unit: 'yuan',
      summary: {
        zh: `${wl.zh}${name.zh}合计 ${formatYuanZh(total, 'down')}（需 ${op} ${formatYuanZh(threshold)}）`,
        en: `Total ${name.en} over ${wl.en} ${formatYuanEn(total, 'down')}; need ${op} ${formatYuanEn(threshold)}`,
      },
      gap: met ? null : short,
      missing: null,
      evidence,
    };
  }
  let min = values[0] as bigint;
  let minYear = fv.years[0] as number;
  const failing: string[] = [];
  const failingEn: string[] = [];
  values.forEach((v, i) => {
    const y = fv.years[i] as number;
    if (v < min) {
      min = v;
      minYear = y;
    }
    if (!holds(compareBig(v, threshold), req.operator)) {
      failing.push(`${y} 年 ${formatYuanZh(v, 'down')}`);
      failingEn.push(`${y}: ${formatYuanEn(v, 'down')}`);
    }
  });
  const met = failing.length === 0;
  return {
    status: met ? 'met' : 'not-met',
    value: formatYuan(min),
    unit: 'yuan',
    summary: {
      zh: `${wl.zh}各年${name.zh}最低为 ${formatYuanZh(min, 'down')}（${minYear} 年，需每年 ${op} ${formatYuanZh(threshold)}）`,
      en: `Lowest yearly ${name.en} over ${wl.en} ${formatYuanEn(min, 'down')} (${minYear}); need ${op} ${formatYuanEn(threshold)} each year`,
    },
    gap: met
      ? null
      : {
          zh: `${name.zh}未达到 ${op} ${formatYuanZh(threshold)} 的年份：${failing.join('、')}`,
          en: `Years with ${name.en} not ${op} ${formatYuanEn(threshold)}: ${failingEn.join(', ')}`,
        },
    missing: null,
    evidence,
  };
}

function netProfitMargin(
  req: Extract<Requirement, { kind: 'net-profit-margin' }>,
  ctx: Context,
  d: number,
): FinancialEval {
  const revenueField = req.params.revenueField;
  const rev = FINANCIAL_FIELD_NAMES[revenueField];
  const op = OP_TEXT[req.operator];
  const fv = financialInput(ctx, d, ['netProfit', revenueField], 'percent');
  if ('result' in fv) return fv.result;
  const { wl, evidence } = fv;
  const net = sum(fv.values.get('netProfit') ?? []);
  const revenue = sum(fv.values.get(revenueField) ?? []);
  if (revenue <= 0n) {
    const none = {
      zh: `${wl.zh}${rev.zh}合计不为正，无法计算净利润率`,
      en: `Total ${rev.en} over ${wl.en} is not positive: no net profit margin`,
    };
    return { status: 'not-met', value: null, unit: 'percent', summary: none, gap: none, missing: null, evidence };
  }
  const [pNum, pDen] = exact(req.threshold);
  // net / revenue (op) p / 100  ⇔  net · 100 · den (op) p · revenue
  const met = holds(compareBig(net * 100n * BigInt(pDen), BigInt(pNum) * revenue), req.operator);
  const pct = Number((net * 1_000_000n) / revenue) / 10_000;
  const shown = `${Math.floor(pct * 10) / 10}`;
  const needed = divUp(BigInt(pNum) * revenue, 100n * BigInt(pDen)) - net;
  const short = shortText(req.operator, needed);
  return {
    status: met ? 'met' : 'not-met',
    value: Math.round(pct * 100) / 100,
    unit: 'percent',
    summary: {
      zh: `${wl.zh}净利润率 ${shown}%（净利润 ${formatYuanZh(net)} / ${rev.zh} ${formatYuanZh(revenue)}，需 ${op} ${req.threshold}%）`,
      en: `Net profit margin over ${wl.en} ${shown}% (${formatYuanEn(net)} / ${formatYuanEn(revenue)} ${rev.en}); need ${op} ${req.threshold}%`,
    },
    gap: met
      ? null
      : {
          zh: `净利润率 ${shown}%，按${wl.zh}${rev.zh}计净利润${short.zh}`,
          en: `Net profit margin ${shown}%: net profit ${short.en} at this revenue`,
        },
    missing: null,
    evidence,
  };
}

/** A financial kind on `at`, and the first window change within the horizon that changes its status. */
function financialKind(ctx: Context, evalAt: (d: number) => FinancialEval): Outcome {
  const now = evalAt(ctx.at);
  let forecast: RequirementForecast | null = null;
  if (ctx.forecasting) {
    for (const day of fullYearChangeDays(ctx.window, ctx.at, ctx.until)) {
      const later = evalAt(day);
      if (later.status === now.status) continue;
      const years = fullYearsAt(ctx.window, day);
      const span =
        years.length === 0 ? '' : years.length === 1 ? `${years[0]}` : `${years[0]}–${years[years.length - 1]}`;
      forecast = {
        date: formatDay(day),
        status: later.status,
        reason: reasonText(
          day,
          { zh: `统计窗口变为 ${span} 年`, en: `the window becomes ${span}` },
          later.missing ?? later.summary,
        ),
      };
      break;
    }
  }
  return { ...now, forecast };
}

// ---------------------------------------------------------------------------------------------

/** Evaluates one requirement on `ctx.at`, with its forecast when `ctx` looks ahead. */
export function evaluateRequirement(req: Requirement, ctx: Context): Outcome {
  switch (req.kind) {
    case 'years-in-business':
      return yearsInBusiness(req, ctx);
    case 'avg-annual-revenue':
      return financialKind(ctx, (d) => avgAnnualRevenue(req, ctx, d));
    case 'financial-total':
      return financialKind(ctx, (d) => financialTotal(req, ctx, d));
    case 'net-profit-margin':
      return financialKind(ctx, (d) => netProfitMargin(req, ctx, d));
    case 'ip-count':
      return ipCount(req, ctx);
    case 'insured-staff':
      return insuredStaff(req, ctx);
    case 'large-projects':
      return largeProjects(req, ctx);
    case 'technology-projects':
      return technologyProjects(req, ctx);
    case 'rnd-ratio':
    case 'technical-ratio':
      return staffRatio(req, ctx);
    case 'qualified-pm':
      return qualifiedPm(req, ctx);
    case 'qualified-staff':
      return qualifiedStaff(req, ctx);
    case 'management-certificate':
      return managementCertificate(req, ctx);
    case 'growth':
      return growth(req, ctx);
    case 'legal-entity':
      return legalEntity(ctx);
    case 'no-adverse-records':
      return noAdverseRecords(req, ctx);
  }
}
