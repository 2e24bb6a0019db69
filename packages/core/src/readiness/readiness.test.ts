import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsToDay, dayFromCivil, formatDay } from '../calendar/days.js';
import {
  DEFAULT_REQUIREMENT_SETS,
  EvidenceSchema,
  InvalidEvidenceError,
  InvalidReadinessInputError,
  InvalidRequirementSetError,
  LEVELS,
  RequirementSetSchema,
  evaluateReadiness,
  evidenceProblems,
  forecastReadiness,
  formatYuan,
  formatYuanEn,
  formatYuanZh,
  parseEvidence,
  parseRequirementSet,
  parseYuan,
  type Evidence,
  type EvidenceFinancialYear,
  type EvidenceProject,
  type EvidenceQualification,
  type EvidenceStaff,
  type ProjectDateBasis,
  type ReadinessResult,
  type Requirement,
  type RequirementResult,
  type RequirementSet,
  type RequirementWindow,
} from '../index.js';
import { fenOf } from './parse.js';

// ---------------------------------------------------------------------------------------------
// Factories

let seq = 0;
function project(over: Partial<EvidenceProject> = {}): EvidenceProject {
  const id = over.id ?? `p${++seq}`;
  return { id, name: `项目${id}`, status: 'accepted', amount: '12000000', signedOn: '2024-05-01', ...over };
}

function person(over: Partial<EvidenceStaff> = {}): EvidenceStaff {
  const id = over.id ?? `s${++seq}`;
  return { id, name: `员工${id}`, employedFrom: '2020-01-01', socialInsuranceFrom: '2020-01', ...over };
}

function staffOf(n: number, over: Partial<EvidenceStaff> = {}): EvidenceStaff[] {
  return Array.from({ length: n }, () => person(over));
}

function qualification(staffId: string, over: Partial<EvidenceQualification> = {}): EvidenceQualification {
  return { id: `q${++seq}`, staffId, kind: 'pmp', issuedOn: '2020-01-01', expiresOn: null, ...over };
}

function year(y: number, over: Partial<EvidenceFinancialYear> = {}): EvidenceFinancialYear {
  return {
    year: y,
    revenue: '300000000',
    systemIntegrationRevenue: '90000000',
    netProfit: '1000000',
    operatingCashFlow: '500000',
    ...over,
  };
}

const CALENDAR_3: RequirementWindow = { kind: 'calendar-years', years: 3 };

/**
 * A set holding just `req`, for the level CS3. Most cases date projects by signing (one date per
 * project keeps them short); counting by acceptance, the shipped default, has its own cases.
 */
function setOf(
  req: Requirement,
  window: RequirementWindow = CALENDAR_3,
  projectDateBasis: ProjectDateBasis = 'signed',
): RequirementSet {
  return { id: 'test', level: 'CS3', window, projectDateBasis, source: 'test', requirements: [req] };
}

const base = { operator: '>=' as const, label: { zh: '测试', en: 'test' }, source: 'test', advisory: true };

type Counted = Extract<Requirement, { threshold: unknown }>;

function req<K extends Counted['kind']>(
  kind: K,
  threshold: Extract<Counted, { kind: K }>['threshold'],
  params: Extract<Counted, { kind: K }>['params'],
  over: Partial<Counted> = {},
): Requirement {
  return { id: `t.${kind}`, kind, threshold, params, ...base, ...over } as Requirement;
}

/** A condition (no threshold): independent legal entity, no adverse records. */
function condition<K extends Exclude<Requirement, Counted>['kind']>(
  kind: K,
  params: Extract<Requirement, { kind: K }>['params'],
  over: Partial<Requirement> = {},
): Requirement {
  const { operator: _op, ...rest } = base;
  return { id: `t.${kind}`, kind, params, ...rest, ...over } as Requirement;
}

function evaluate(
  r: Requirement,
  evidence: Evidence,
  at: string,
  options: { window?: RequirementWindow; horizonMonths?: number; forecast?: boolean; basis?: ProjectDateBasis } = {},
): RequirementResult {
  const result = evaluateReadiness({
    level: 'CS3',
    at,
    evidence,
    requirements: setOf(r, options.window, options.basis),
    horizonMonths: options.horizonMonths,
    forecast: options.forecast,
  });
  return result.requirements[0] as RequirementResult;
}

const LARGE = req('large-projects', 3, { minAmount: '10000000' });

// ---------------------------------------------------------------------------------------------

describe('requirement sets', () => {
  it('ships a valid advisory default set for every level', () => {
    for (const level of LEVELS) {
      const set = DEFAULT_REQUIREMENT_SETS[level];
      expect(RequirementSetSchema.safeParse(set).success).toBe(true);
      expect(set.level).toBe(level);
      expect(set.window).toEqual({ kind: 'calendar-years', years: 3 });
      expect(set.requirements.every((r) => r.advisory)).toBe(true);
    }
  });

  it('uses the values of the consultancies’ advisory table', () => {
    const th = (level: (typeof LEVELS)[number], kind: string) =>
      DEFAULT_REQUIREMENT_SETS[level].requirements.find(
        (r): r is Counted => r.kind === kind && !r.appliesTo && 'threshold' in r,
      )?.threshold;
    expect([th('CS1', 'years-in-business'), th('CS1', 'avg-annual-revenue'), th('CS1', 'insured-staff')]).toEqual([
      1,
      '1500000',
      15,
    ]);
    expect(th('CS1', 'ip-count')).toBeUndefined();
    expect([th('CS2', 'avg-annual-revenue'), th('CS2', 'ip-count'), th('CS2', 'insured-staff')]).toEqual([
      '15000000',
      3,
      50,
    ]);
    expect([th('CS3', 'years-in-business'), th('CS3', 'avg-annual-revenue'), th('CS3', 'ip-count')]).toEqual([
      3,
      '80000000',
      10,
    ]);
    expect([th('CS4', 'avg-annual-revenue'), th('CS4', 'ip-count'), th('CS4', 'insured-staff')]).toEqual([
      '250000000',
      20,
      250,
    ]);
  });

  it('adds the guidance extras to CS3, carries them to CS4 and CS5, and says CS5 is our assumption', () => {
    const ids = DEFAULT_REQUIREMENT_SETS.CS3.requirements.map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'cs3.large-projects',
        'cs3.rnd-ratio',
        'cs3.qualified-pm',
        'cs3.technology-projects',
        'cs3.growth',
        'cs3.net-profit',
      ]),
    );
    const large = DEFAULT_REQUIREMENT_SETS.CS3.requirements.find((r) => r.id === 'cs3.large-projects');
    expect(large).toMatchObject({ threshold: 3, params: { minAmount: '10000000' } });
    expect(large?.source).toContain('1000 万以上项目不少于 3 个');
    expect(DEFAULT_REQUIREMENT_SETS.CS3.requirements.find((r) => r.id === 'cs3.growth')).toMatchObject({
      kind: 'growth',
      threshold: 3,
      params: { standards: 1 },
      appliesTo: ['renewal'],
    });
    expect(DEFAULT_REQUIREMENT_SETS.CS2.requirements.some((r) => r.kind === 'large-projects')).toBe(false);
    expect(DEFAULT_REQUIREMENT_SETS.CS4.requirements.some((r) => r.kind === 'rnd-ratio')).toBe(true);
    expect(DEFAULT_REQUIREMENT_SETS.CS5.requirements.every((r) => r.source.includes('本产品假设'))).toBe(true);
    expect(DEFAULT_REQUIREMENT_SETS.CS5.requirements.find((r) => r.kind === 'insured-staff')?.threshold).toBe(250);
  });

  it('asks every applicant of every level to be an independent legal entity without adverse records', () => {
    for (const level of LEVELS) {
      const set = DEFAULT_REQUIREMENT_SETS[level];
      expect(set.projectDateBasis).toBe('accepted');
      const [first, second] = set.requirements;
      expect(first).toMatchObject({ kind: 'legal-entity', id: `${level.toLowerCase()}.legal-entity` });
      expect(second).toMatchObject({ kind: 'no-adverse-records', id: `${level.toLowerCase()}.no-adverse-records` });
      expect(first?.appliesTo).toBeUndefined();
      expect(first?.source).toContain('所有申请企业须为独立法人');
      expect(second?.source).toContain('近三年无违法违规、经营异常或严重失信记录');
      // Sources are words a person reads, never a document's section number.
      expect(set.requirements.every((r) => !/§|\.md/.test(r.source))).toBe(true);
    }
  });

  it('validates an edited copy, in Chinese, pointing at the field', () => {
    const edited = structuredClone(DEFAULT_REQUIREMENT_SETS.CS3) as unknown as {
      requirements: Record<string, unknown>[];
      window: unknown;
    };
    expect(edited.requirements.slice(2, 5).map((r) => r['kind'])).toEqual([
      'years-in-business',
      'avg-annual-revenue',
      'ip-count',
    ]);
    (edited.requirements[2] as Record<string, unknown>)['threshold'] = -1;
    (edited.requirements[3] as Record<string, unknown>)['threshold'] = '8000 万';
    (edited.requirements[4] as Record<string, unknown>)['kind'] = 'revenue';
    (edited.requirements[6] as Record<string, unknown>)['id'] = 'cs3.years-in-business';
    edited.window = { kind: 'months', months: 0 };
    let problems: readonly string[] = [];
    try {
      parseRequirementSet(edited);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidRequirementSetError);
      problems = (e as InvalidRequirementSetError).problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^requirements\[2\]\.threshold：不能为负数/),
        expect.stringMatching(/^requirements\[3\]\.threshold：应为以元为单位的金额/),
        expect.stringMatching(/^requirements\[4\]\.kind：要求类型 kind 应为/),
        expect.stringMatching(/^window\.months：至少 1 个月/),
      ]),
    );
  });

  it('reports duplicate requirement ids', () => {
    const set = structuredClone(DEFAULT_REQUIREMENT_SETS.CS2);
    const dup = { ...(set.requirements[0] as Requirement) };
    const broken = { ...set, requirements: [...set.requirements, dup] };
    expect(() => parseRequirementSet(broken)).toThrow(/requirements\[6\]\.id：要求编号 cs2\.legal-entity 重复/);
  });

  it('accepts a valid edited copy and returns it typed', () => {
    const set = structuredClone(DEFAULT_REQUIREMENT_SETS.CS3);
    const edited = { ...set, window: { kind: 'months', months: 36 } };
    expect(parseRequirementSet(edited).window).toEqual({ kind: 'months', months: 36 });
  });
});

describe('money', () => {
  it('parses decimal yuan into exact fen', () => {
    expect(parseYuan('12345.67')).toBe(1234567n);
    expect(parseYuan('-0.5')).toBe(-50n);
    expect(parseYuan('10000000')).toBe(1000000000n);
    expect(parseYuan('1.234')).toBeNull();
    expect(parseYuan('1e6')).toBeNull();
    expect(parseYuan(null)).toBeNull();
  });

  it('reads amounts as exact numbers, or bigints beyond 15 digits', () => {
    expect(fenOf('12000000.5')).toBe(1200000050);
    expect(fenOf('-3')).toBe(-300);
    expect(fenOf('99999999999999999.99')).toBe(9999999999999999999n);
    expect(fenOf('1.')).toBeNull();
    expect(fenOf('.5')).toBeNull();
    expect(fenOf('1.234')).toBeNull();
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (fen) => {
        const s = formatYuan(fen);
        expect(parseYuan(s)).toBe(fen);
        expect(BigInt(fenOf(s) as number | bigint)).toBe(fen);
      }),
    );
  });

  it('formats amounts for people', () => {
    expect(formatYuan(8000000000n)).toBe('80000000.00');
    expect(formatYuanZh(8000000000n)).toBe('8000 万元');
    expect(formatYuanZh(25000000000n)).toBe('2.5 亿元');
    expect(formatYuanZh(35000n)).toBe('350 元');
    expect(formatYuanZh(123456789n, 'up')).toBe('123.46 万元');
    expect(formatYuanZh(-12000000n)).toBe('-12 万元');
    expect(formatYuanEn(1000000000n)).toBe('¥10 m');
    expect(formatYuanEn(150000000n)).toBe('¥1.5 m');
    expect(formatYuanEn(1234567n)).toBe('¥12,345.67');
  });

  it('rounds shortfalls up and measured values down, also below zero', () => {
    expect(formatYuanZh(7999999999n, 'nearest')).toBe('8000 万元');
    expect(formatYuanZh(7999999999n, 'down')).toBe('7999.99 万元');
    expect(formatYuanZh(123450001n, 'up')).toBe('123.46 万元');
    expect(formatYuanZh(-123450001n, 'down')).toBe('-123.46 万元');
    expect(formatYuanZh(-123459999n, 'up')).toBe('-123.45 万元');
    expect(formatYuanEn(-123456789n, 'down')).toBe('-¥1.24 m');
    expect(formatYuanEn(-123456789n, 'up')).toBe('-¥1.23 m');
  });
});

describe('years-in-business', () => {
  const r = req('years-in-business', 3, {});

  it('counts full years from organisation.businessSince', () => {
    const res = evaluate(r, { organisation: { businessSince: '2021-03-16' } }, '2026-03-15');
    expect(res).toMatchObject({ status: 'met', value: 4, unit: 'years', gap: null, forecast: null });
  });

  it('is not met before the anniversary and forecasts the day it is', () => {
    const res = evaluate(r, { organisation: { businessSince: '2023-03-16' } }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.value).toBe(2);
    expect(res.gap?.zh).toBe('还需 1 年，2026-03-16 起满 3 年');
    expect(res.forecast).toEqual({
      date: '2026-03-16',
      status: 'met',
      reason: { zh: '2026-03-16 起从业满 3 年', en: 'From 2026-03-16: 3 years in business' },
    });
    expect(evaluate(r, { organisation: { businessSince: '2023-03-16' } }, '2026-03-16').status).toBe('met');
  });

  it('falls back to the earliest project signing, citing it', () => {
    const evidence = {
      projects: [project({ id: 'late', signedOn: '2024-01-01' }), project({ id: 'first', signedOn: '2022-06-30' })],
    };
    const res = evaluate(r, evidence, '2026-03-15');
    expect(res.value).toBe(3);
    expect(res.summary.zh).toContain('首个项目“项目first”签约日');
    expect(res.evidence).toEqual([{ type: 'project', id: 'first', label: '项目first' }]);
  });

  it('is unknown without any start date', () => {
    const res = evaluate(r, { projects: [project({ signedOn: null })] }, '2026-03-15');
    expect(res.status).toBe('unknown');
    expect(res.missing?.zh).toContain('合同签订日期');
  });

  it('counts a 29 February start as a full year on 28 February (month-end rule)', () => {
    const one = req('years-in-business', 1, {});
    expect(evaluate(one, { organisation: { businessSince: '2024-02-29' } }, '2025-02-27').status).toBe('not-met');
    expect(evaluate(one, { organisation: { businessSince: '2024-02-29' } }, '2025-02-28').status).toBe('met');
  });

  it('needs one more year for ">"', () => {
    const strict = req('years-in-business', 3, {}, { operator: '>' });
    const res = evaluate(strict, { organisation: { businessSince: '2023-01-01' } }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.gap?.zh).toBe('还需 1 年，2027-01-01 起满 4 年');
  });
});

describe('avg-annual-revenue', () => {
  const r = req('avg-annual-revenue', '80000000', { field: 'systemIntegrationRevenue' });
  const years = (a: string, b: string, c: string) => [
    year(2023, { systemIntegrationRevenue: a }),
    year(2024, { systemIntegrationRevenue: b }),
    year(2025, { systemIntegrationRevenue: c }),
  ];

  it('averages the last three full years exactly, to the fen', () => {
    const exact = evaluate(r, { financialYears: years('80000000.01', '79999999.99', '80000000') }, '2026-03-15');
    expect(exact.status).toBe('met');
    expect(exact.value).toBe('80000000.00');
    const short = evaluate(r, { financialYears: years('80000000', '79999999.99', '80000000') }, '2026-03-15');
    expect(short.status).toBe('not-met');
    expect(short.value).toBe('79999999.99'); // 239999999.99 / 3, rounded to the fen
  });

  it('says how much is short per year and in all', () => {
    const res = evaluate(r, { financialYears: years('60000000', '65000000', '70000000') }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.summary.zh).toBe('近三年（2023–2025 年）年均系统集成收入 6500 万元（需 ≥ 8000 万元）');
    expect(res.gap?.zh).toBe('年均还差 1500 万元（3 年合计还差 4500 万元）');
    expect(res.gap?.en).toBe('¥15 m short a year (¥45 m short over 3 years)');
    expect(res.evidence.map((e) => e.id)).toEqual(['2023', '2024', '2025']);
  });

  it('is unknown when a year of the window is missing, naming it', () => {
    const res = evaluate(r, { financialYears: [year(2023), year(2025)] }, '2026-03-15');
    expect(res.status).toBe('unknown');
    expect(res.missing?.zh).toBe('缺少 2024 年财务数据（系统集成收入）');
    const noField = evaluate(
      r,
      {
        financialYears: years('90000000', '90000000', '90000000').map((y) => ({
          ...y,
          systemIntegrationRevenue: null,
        })),
      },
      '2026-03-15',
    );
    expect(noField.missing?.zh).toBe('缺少 2023、2024、2025 年财务数据（系统集成收入）');
  });

  it('reads the revenue field the requirement names', () => {
    const total = req('avg-annual-revenue', '250000000', { field: 'revenue' });
    expect(evaluate(total, { financialYears: [year(2023), year(2024), year(2025)] }, '2026-03-15').status).toBe('met');
  });

  it('forecasts that the next January brings a year without data', () => {
    const res = evaluate(r, { financialYears: years('90000000', '90000000', '90000000') }, '2026-03-15');
    expect(res.forecast).toEqual({
      date: '2027-01-01',
      status: 'unknown',
      reason: {
        zh: '2027-01-01 起统计窗口变为 2024–2026 年，缺少 2026 年财务数据（系统集成收入）',
        en: 'From 2027-01-01: the window becomes 2024–2026; financial data missing for 2026 (system-integration revenue)',
      },
    });
  });

  it('forecasts a fall below the threshold when a strong year leaves', () => {
    const data = [...years('200000000', '50000000', '50000000'), year(2026, { systemIntegrationRevenue: '50000000' })];
    const res = evaluate(r, { financialYears: data }, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.forecast?.date).toBe('2027-01-01');
    expect(res.forecast?.status).toBe('not-met');
    expect(res.forecast?.reason.zh).toContain('年均系统集成收入 5000 万元');
  });

  it('uses the full calendar years inside a months window', () => {
    const months = { kind: 'months', months: 36 } as const;
    // 2023-03-16 … 2026-03-15 holds 2024 and 2025 only.
    const res = evaluate(r, { financialYears: years('1', '80000000', '80000000') }, '2026-03-15', { window: months });
    expect(res.status).toBe('met');
    expect(res.evidence.map((e) => e.id)).toEqual(['2024', '2025']);
    // On 2026-12-31 the window is 2024-01-01 … 2026-12-31: 2026 joins, with no data.
    expect(res.forecast?.date).toBe('2026-12-31');
    expect(res.forecast?.status).toBe('unknown');
  });
});

describe('ip-count', () => {
  const ip = (
    id: string,
    grantedOn: string | null,
    kind: 'software-copyright' | 'invention-patent' = 'software-copyright',
  ) => ({
    id,
    kind,
    name: `软著${id}`,
    grantedOn,
  });
  const r = req('ip-count', 3, { per: 'window' });

  it('counts IP granted in the window', () => {
    const evidence = {
      ip: [ip('a', '2023-01-01'), ip('b', '2024-06-30'), ip('c', '2025-12-31'), ip('d', '2022-12-31')],
    };
    const res = evaluate(r, evidence, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.value).toBe(3);
    expect(res.evidence.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(res.forecast?.date).toBe('2027-01-01');
    expect(res.forecast?.reason.zh).toBe(
      '2027-01-01 起 2023 年取得的知识产权（软著a）移出近三年窗口，近三年（2024–2026 年）取得知识产权（软著/专利） 2 项（需 ≥ 3 项）',
    );
  });

  it('is not met with a gap, and unknown when an undated item could close it', () => {
    const two = { ip: [ip('a', '2023-01-01'), ip('b', '2024-06-30')] };
    expect(evaluate(r, two, '2026-03-15').gap?.zh).toBe('还差 1 项知识产权（软著/专利）');
    const res = evaluate(r, { ip: [...two.ip, ip('x', null)] }, '2026-03-15');
    expect(res.status).toBe('unknown');
    expect(res.missing?.zh).toBe('1 项知识产权缺少取得日期：软著x');
    expect(evaluate(r, {}, '2026-03-15').status).toBe('unknown');
  });

  it('filters by kind', () => {
    const patents = req('ip-count', 1, { per: 'window', kinds: ['invention-patent'] });
    expect(evaluate(patents, { ip: [ip('a', '2024-01-01')] }, '2026-03-15').status).toBe('not-met');
    expect(evaluate(patents, { ip: [ip('a', '2024-01-01', 'invention-patent')] }, '2026-03-15').status).toBe('met');
  });

  it('averages per year: 3 a year over 3 years needs 9', () => {
    const growth = req('ip-count', 3, { per: 'year' });
    const items = Array.from({ length: 8 }, (_, i) => ip(`g${i}`, '2024-05-01'));
    const res = evaluate(growth, { ip: items }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.value).toBe(2.67);
    expect(res.gap?.zh).toBe('还差 1 项知识产权（软著/专利），窗口内合计需 9 项');
    expect(evaluate(growth, { ip: [...items, ip('g9', '2025-01-01')] }, '2026-03-15').status).toBe('met');
  });

  it('averages per year over a months window (18 months = 1.5 years)', () => {
    const growth = req('ip-count', 2, { per: 'year' });
    const items = [ip('a', '2025-01-01'), ip('b', '2025-02-01')];
    const window = { kind: 'months', months: 18 } as const;
    expect(evaluate(growth, { ip: items }, '2026-03-15', { window }).status).toBe('not-met');
    expect(evaluate(growth, { ip: [...items, ip('c', '2025-03-01')] }, '2026-03-15', { window }).status).toBe('met');
  });
});

describe('insured-staff', () => {
  const r = req('insured-staff', 2, {});

  it('counts staff employed with social insurance paid for the month of the date', () => {
    const staff = [
      person({ id: 'a' }),
      person({ id: 'b', socialInsuranceUntil: '2026-02' }),
      person({ id: 'c', employedUntil: '2026-03-14' }),
      person({ id: 'd', socialInsuranceFrom: null }),
      person({ id: 'e', socialInsuranceFrom: '2026-04' }),
      person({ id: 'f', employedFrom: '2026-03-16', socialInsuranceFrom: '2026-03' }),
      person({ id: 'g', socialInsuranceFrom: '2026-03' }),
    ];
    const res = evaluate(r, { staff }, '2026-03-15');
    expect(res.value).toBe(2);
    expect(res.evidence.map((e) => e.id)).toEqual(['a', 'g']);
    expect(evaluate(r, { staff }, '2026-02-28').evidence.map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it('forecasts the day a person leaves or their insurance stops', () => {
    const staff = [person({ id: 'a', name: '张三' }), person({ id: 'b', name: '李四', employedUntil: '2026-06-30' })];
    const res = evaluate(r, { staff }, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.forecast).toMatchObject({ date: '2026-07-01', status: 'not-met' });
    expect(res.forecast?.reason.zh).toBe(
      '2026-07-01 起李四离职（最后工作日 2026-06-30），2026-07-01 在职并缴纳社保的人员 1 人（需 ≥ 2 人）',
    );
    const insurance = [person({ id: 'a' }), person({ id: 'b', name: '王五', socialInsuranceUntil: '2026-05' })];
    const res2 = evaluate(r, { staff: insurance }, '2026-03-15');
    expect(res2.forecast?.date).toBe('2026-06-01');
    expect(res2.forecast?.reason.zh).toContain('王五社保停缴（最后缴费月份 2026-05）');
  });

  it('says how many people are short, and is unknown without a staff list', () => {
    expect(evaluate(req('insured-staff', 150, {}), { staff: staffOf(140) }, '2026-03-15').gap?.zh).toBe('还差 10 人');
    expect(evaluate(r, {}, '2026-03-15')).toMatchObject({
      status: 'unknown',
      missing: { zh: '缺少人员名单：请登记或导入人员' },
    });
    expect(evaluate(r, { staff: [] }, '2026-03-15').status).toBe('not-met');
  });
});

describe('large-projects', () => {
  it('says how many projects are short', () => {
    const evidence = { projects: [project(), project({ signedOn: '2023-02-01' })] };
    const res = evaluate(LARGE, evidence, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.gap).toEqual({ zh: '还差 1 个 1000 万以上项目', en: '1 more project of ≥ ¥10 m needed' });
    expect(res.summary.zh).toBe(
      '近三年（2023–2025 年）签约的 1000 万以上项目 2 个（需 ≥ 3 个）；按合同签订日期计入，含尚未验收的项目',
    );
  });

  it('counts by signing in the window when the set says so, leaving out small and terminated projects', () => {
    const evidence = {
      projects: [
        project({ id: 'a', signedOn: '2023-01-01', acceptedOn: null, status: 'in-progress' }),
        project({ id: 'b', signedOn: '2025-12-31', acceptedOn: null }),
        project({ id: 'c', amount: '10000000' }),
        project({ id: 'small', amount: '9999999.99' }),
        project({ id: 'stopped', status: 'terminated' }),
        project({ id: 'old', signedOn: '2022-12-31', acceptedOn: '2023-06-30' }),
        project({ id: 'future', signedOn: '2026-01-05' }),
      ],
    };
    const res = evaluate(LARGE, evidence, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.evidence.map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it('is unknown when projects without an amount or dates could close the gap', () => {
    const evidence = {
      projects: [
        project(),
        project(),
        project({ id: 'nodate', signedOn: null }),
        project({ id: 'noamt', amount: null }),
      ],
    };
    const res = evaluate(LARGE, evidence, '2026-03-15');
    expect(res.status).toBe('unknown');
    expect(res.missing?.zh).toBe('2 个项目缺少合同金额或签订日期，无法判断是否计入：项目nodate、项目noamt');
    expect(evaluate(LARGE, {}, '2026-03-15').status).toBe('unknown');
  });

  it('forecasts when a project ages out of the calendar-years window', () => {
    const evidence = {
      projects: [
        project({ id: 'A', name: '智慧城市', signedOn: '2023-06-01' }),
        project({ id: 'B', signedOn: '2024-01-01' }),
        project({ id: 'C', signedOn: '2025-01-01' }),
      ],
    };
    const res = evaluate(LARGE, evidence, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.forecast).toEqual({
      date: '2027-01-01',
      status: 'not-met',
      reason: {
        zh: '2027-01-01 起 2023 年签约的项目（智慧城市）移出近三年窗口，近三年（2024–2026 年）签约的 1000 万以上项目 2 个（需 ≥ 3 个）',
        en: 'From 2027-01-01: projects signed in 2023 (智慧城市) leave the window of the last 3 full years; 2 projects of ≥ ¥10 m signed in the last 3 full years (2024–2026); need ≥ 3',
      },
    });
  });

  it('keeps a project in the window by its later acceptance when counting by acceptance', () => {
    const evidence = {
      projects: [
        project({ signedOn: '2022-06-01', acceptedOn: '2024-02-01' }),
        project({ signedOn: '2023-01-01', acceptedOn: '2024-03-01' }),
        project({ signedOn: '2024-01-01', acceptedOn: '2025-01-01' }),
      ],
    };
    expect(evaluate(LARGE, evidence, '2026-03-15', { basis: 'accepted' }).forecast?.date).toBe('2028-01-01');
    expect(evaluate(LARGE, evidence, '2026-03-15', { basis: 'signed' }).status).toBe('not-met');
  });

  it('forecasts by the day in a months window', () => {
    const window = { kind: 'months', months: 36 } as const;
    const evidence = {
      projects: [project({ id: 'A', signedOn: '2023-06-01' }), project({ signedOn: '2024-01-01' }), project()],
    };
    const res = evaluate(LARGE, evidence, '2026-03-15', { window });
    expect(res.summary.zh).toContain('近 36 个月（2023-03-16 至 2026-03-15）');
    expect(res.forecast?.date).toBe('2026-06-01');
    expect(res.forecast?.reason.zh).toContain('2023-06-01 签约的项目（项目A）移出近 36 个月窗口');
    expect(evaluate(LARGE, evidence, '2026-05-31', { window }).status).toBe('met');
    expect(evaluate(LARGE, evidence, '2026-06-01', { window }).status).toBe('not-met');
  });

  it('handles a 29 February signing in a months window (leaves on 1 March three years on)', () => {
    const window = { kind: 'months', months: 36 } as const;
    const evidence = {
      projects: [
        project({ signedOn: '2024-02-29' }),
        project({ signedOn: '2025-01-01' }),
        project({ signedOn: '2025-06-01' }),
      ],
    };
    expect(evaluate(LARGE, evidence, '2027-02-28', { window }).status).toBe('met');
    expect(evaluate(LARGE, evidence, '2027-03-01', { window }).status).toBe('not-met');
    expect(evaluate(LARGE, evidence, '2026-03-15', { window }).forecast?.date).toBe('2027-03-01');
  });

  it('handles month-end signings in an 18-month window', () => {
    const window = { kind: 'months', months: 18 } as const;
    const one = req('large-projects', 1, { minAmount: '10000000' });
    const evidence = { projects: [project({ signedOn: '2023-08-31' })] };
    // 2023-08-31 + 18 months = 2025-02-28 (month end), yet the window of 2025-02-28 starts 2023-08-29.
    expect(evaluate(one, evidence, '2025-02-28', { window }).status).toBe('met');
    expect(evaluate(one, evidence, '2025-03-01', { window }).status).toBe('not-met');
    expect(evaluate(one, evidence, '2024-01-01', { window }).forecast?.date).toBe('2025-03-01');
  });

  it('reports no change beyond the horizon', () => {
    const evidence = { projects: [project({ signedOn: '2025-01-01' })] };
    const one = req('large-projects', 1, { minAmount: '10000000' });
    expect(evaluate(one, evidence, '2026-03-15', { horizonMonths: 33 }).forecast).toBeNull();
    expect(evaluate(one, evidence, '2026-03-15', { horizonMonths: 34 }).forecast?.date).toBe('2029-01-01');
  });
});

describe('project date basis (the set counts completed work by default)', () => {
  const at = '2026-03-15';

  it('counts a project by its acceptance; a signing alone does not count, and the summary says which are left out', () => {
    const evidence = {
      projects: [
        project({ id: 'a', name: '已验收甲', signedOn: '2022-05-01', acceptedOn: '2023-03-01' }),
        project({ id: 'b', name: '已验收乙', signedOn: '2024-01-10', acceptedOn: '2025-06-30' }),
        project({ id: 'c', name: '实施中丙', signedOn: '2025-02-01', acceptedOn: null, status: 'in-progress' }),
        project({ id: 'd', name: '旧项目', signedOn: '2019-02-01', acceptedOn: '2022-12-31' }),
      ],
    };
    const res = evaluate(LARGE, evidence, at, { basis: 'accepted' });
    expect(res.status).toBe('not-met');
    expect(res.value).toBe(2);
    expect(res.evidence.map((e) => e.id)).toEqual(['a', 'b']);
    expect(res.summary.zh).toBe(
      '近三年（2023–2025 年）验收的 1000 万以上项目 2 个（需 ≥ 3 个）；按验收日期计入；另有 1 个近三年签约、尚未验收的项目不计入，验收后计入：实施中丙',
    );
    expect(res.summary.en).toContain('signed in the window but not accepted does not count until accepted: 实施中丙');
    // The same evidence counted by signing: the unaccepted project counts, the one signed in 2022 not.
    const bySigning = evaluate(LARGE, evidence, at, { basis: 'signed' });
    expect(bySigning.evidence.map((e) => e.id)).toEqual(['b', 'c']);
    expect(bySigning.summary.zh).toContain('按合同签订日期计入，含尚未验收的项目');
  });

  it('is unknown when a project marked accepted has no acceptance date, naming the date to enter', () => {
    const evidence = {
      projects: [
        project({ acceptedOn: '2024-01-01' }),
        project({ acceptedOn: '2025-01-01' }),
        project({ id: 'x', name: '缺验收日期', acceptedOn: null, status: 'accepted' }),
      ],
    };
    const res = evaluate(LARGE, evidence, at, { basis: 'accepted' });
    expect(res.status).toBe('unknown');
    expect(res.missing?.zh).toBe('1 个项目缺少合同金额或验收日期，无法判断是否计入：缺验收日期');
  });

  it('forecasts the January after an acceptance, and when an accepted project ages out', () => {
    const evidence = {
      projects: [
        project({ name: '甲', signedOn: '2021-01-01', acceptedOn: '2023-05-01' }),
        project({ name: '乙', acceptedOn: '2024-05-01' }),
        project({ name: '丙', signedOn: '2025-06-01', acceptedOn: '2026-02-01', status: 'accepted' }),
      ],
    };
    const two = req('large-projects', 2, { minAmount: '10000000' });
    const res = evaluate(two, evidence, at, { basis: 'accepted' });
    expect(res.status).toBe('met');
    // On 2027-01-01 丙 (accepted 2026) enters as 甲 (accepted 2023) leaves: still two; a year later 乙 leaves.
    expect(res.forecast?.date).toBe('2028-01-01');
    expect(res.forecast?.reason.zh).toMatch(/^2028-01-01 起 2024 年验收的项目（乙）移出近三年窗口，/);
  });

  it('checks project managers only on accepted projects when counting by acceptance', () => {
    const r = req('qualified-pm', 100, { kinds: ['pmp'], minAmount: '10000000' });
    const evidence: Evidence = {
      staff: [person({ id: 'zs', name: '张三' }), person({ id: 'ls', name: '李四' })],
      qualifications: [qualification('zs')],
      projects: [
        project({ managerId: 'zs', acceptedOn: '2024-06-01' }),
        project({ name: '在建', managerId: 'ls', acceptedOn: null, status: 'in-progress' }),
      ],
    };
    const res = evaluate(r, evidence, at, { basis: 'accepted' });
    expect(res).toMatchObject({ status: 'met', parts: { numerator: 1, denominator: 1 } });
    expect(res.summary.zh).toContain('另有 1 个近三年签约、尚未验收的项目不计入，验收后计入：在建');
    expect(evaluate(r, evidence, at, { basis: 'signed' }).status).toBe('not-met');
  });
});

describe('rnd-ratio and technical-ratio', () => {
  const r = req('rnd-ratio', 30, {});

  it('computes how many R&D staff to add: smallest n with (r+n)/(t+n) ≥ 30 %', () => {
    const staff = [...staffOf(20, { isRnd: true }), ...staffOf(54, { isRnd: false })];
    const res = evaluate(r, { staff }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.value).toBe(27.03);
    expect(res.parts).toEqual({ numerator: 20, denominator: 74 });
    expect(res.gap?.zh).toBe('研发人员占比 27%，需再增加 4 人（缴纳社保的研发人员）');
  });

  it('agrees with brute force for any staff mix and threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 99 }),
        fc.constantFrom('>=' as const, '>' as const),
        (rnd, other, pct, operator) => {
          const staff = [...staffOf(rnd, { isRnd: true }), ...staffOf(other)];
          const res = evaluate(req('rnd-ratio', pct, {}, { operator }), { staff }, '2026-03-15', { forecast: false });
          const ok = (x: number, t: number) => t > 0 && (operator === '>=' ? x * 100 >= pct * t : x * 100 > pct * t);
          expect(res.status).toBe(ok(rnd, rnd + other) ? 'met' : 'not-met');
          if (res.status === 'not-met') {
            let n = 0;
            while (!ok(rnd + n, rnd + other + n)) n++;
            expect(res.gap?.zh).toContain(`需再增加 ${n} 人`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('needs one person when nobody is insured, and all-R&D at 100 %', () => {
    expect(evaluate(r, { staff: [] }, '2026-03-15').gap?.zh).toBe(
      '研发人员占比 0%，需再增加 1 人（缴纳社保的研发人员）',
    );
    const all = evaluate(req('rnd-ratio', 100, {}), { staff: [person({ isRnd: true }), person()] }, '2026-03-15');
    expect(all.gap?.zh).toBe('研发人员占比 50%，需全部参保人员均为研发人员');
  });

  it('counts only insured staff, and forecasts an R&D person leaving', () => {
    const staff = [
      person({ isRnd: true, name: '赵六', employedUntil: '2026-08-31' }),
      person({ isRnd: true, socialInsuranceFrom: null }),
      ...staffOf(2),
    ];
    const res = evaluate(r, { staff }, '2026-03-15');
    expect(res.parts).toEqual({ numerator: 1, denominator: 3 });
    expect(res.status).toBe('met');
    expect(res.forecast?.date).toBe('2026-09-01');
    expect(res.forecast?.reason.zh).toContain('赵六离职（最后工作日 2026-08-31）');
  });

  it('reads isTechnical for the technical ratio', () => {
    const staff = [person({ isTechnical: true }), person({ isRnd: true })];
    const res = evaluate(req('technical-ratio', 50, {}), { staff }, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.summary.zh).toBe('技术人员占比 50%（1/2 人，需 ≥ 50%）');
  });
});

describe('qualified-pm', () => {
  const r = req('qualified-pm', 100, {
    kinds: ['pmp', 'senior-pm'],
    minAmount: '10000000',
  });
  const pms = [
    person({ id: 'zs', name: '张三' }),
    person({ id: 'ls', name: '李四' }),
    person({ id: 'ww', name: '王五' }),
  ];

  it('is met when every in-scope project’s manager holds a valid listed certificate', () => {
    const evidence: Evidence = {
      staff: pms,
      projects: [
        project({ managerId: 'zs' }),
        project({ managerId: 'ls' }),
        project({ managerId: 'ww', amount: '10' }),
      ],
      qualifications: [qualification('zs'), qualification('ls', { kind: 'senior-pm', expiresOn: '2030-01-01' })],
    };
    const res = evaluate(r, evidence, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.parts).toEqual({ numerator: 2, denominator: 2 });
    expect(res.evidence.filter((e) => e.type === 'qualification').map((e) => e.label)).toEqual([
      '张三 PMP',
      '李四 信息系统项目管理师（有效期至 2030-01-01）',
    ]);
  });

  it('names the projects whose manager lacks a valid certificate', () => {
    const evidence: Evidence = {
      staff: pms,
      projects: [
        project({ id: 'A', name: '智慧城市', managerId: 'zs' }),
        project({ id: 'B', name: '政务云', managerId: 'ww' }),
      ],
      qualifications: [
        qualification('zs'),
        qualification('ww', { expiresOn: '2026-03-14' }),
        qualification('ww', { kind: 'si-pm' }),
      ],
    };
    const res = evaluate(r, evidence, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.gap?.zh).toBe('还需 1 个项目的项目经理持有效 PMP 或信息系统项目管理师证书：政务云（王五）');
  });

  it('is unknown when a project has no manager recorded', () => {
    const evidence: Evidence = {
      staff: pms,
      projects: [project({ managerId: 'zs' }), project({ id: 'X', name: '数据中台', managerId: null })],
      qualifications: [qualification('zs')],
    };
    const res = evaluate(r, evidence, '2026-03-15');
    expect(res.status).toBe('unknown');
    expect(res.missing?.zh).toBe('1 个项目未填写项目经理：数据中台');
  });

  it('is not met without any project in scope', () => {
    const res = evaluate(r, { projects: [project({ amount: '100' })] }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.gap?.zh).toBe('近三年（2023–2025 年）没有 1000 万以上项目可核对项目经理证书');
  });

  it('forecasts the day a manager’s certificate expires', () => {
    const evidence: Evidence = {
      staff: pms,
      projects: [project({ managerId: 'zs', signedOn: '2025-05-01' })],
      qualifications: [qualification('zs', { expiresOn: '2027-05-31' })],
    };
    const res = evaluate(r, evidence, '2026-03-15');
    expect(res.forecast?.date).toBe('2027-06-01');
    expect(res.forecast?.status).toBe('not-met');
    expect(res.forecast?.reason.zh).toMatch(/^2027-06-01 起张三 PMP 证书到期（有效期至 2027-05-31），/);
    expect(evaluate(r, evidence, '2027-05-31').status).toBe('met');
    expect(evaluate(r, evidence, '2027-06-01').status).toBe('not-met');
  });

  it('sees no gap when the certificate is renewed the day after it expires', () => {
    const evidence: Evidence = {
      staff: pms,
      projects: [project({ managerId: 'zs', signedOn: '2025-05-01' })],
      qualifications: [
        qualification('zs', { expiresOn: '2027-05-31' }),
        qualification('zs', { issuedOn: '2027-06-01', expiresOn: '2030-05-31' }),
      ],
    };
    // The project itself leaves the window on 2029-01-01 (no project left in scope).
    expect(evaluate(r, evidence, '2026-03-15').forecast?.date).toBe('2029-01-01');
  });
});

describe('qualified-staff', () => {
  it('counts insured staff holding a valid listed certificate', () => {
    const a = person({ id: 'a', name: '张三' });
    const b = person({ id: 'b', socialInsuranceFrom: null });
    const evidence: Evidence = {
      staff: [a, b],
      qualifications: [qualification('a', { expiresOn: '2026-12-31' }), qualification('b')],
    };
    const r = req('qualified-staff', 1, { kinds: ['pmp'] });
    const res = evaluate(r, evidence, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.evidence.map((e) => e.id)).toEqual(['a', (evidence.qualifications?.[0] as EvidenceQualification).id]);
    expect(res.forecast?.date).toBe('2027-01-01');
    expect(evaluate(req('qualified-staff', 2, { kinds: ['pmp'] }), evidence, '2026-03-15').gap?.zh).toBe(
      '还差 1 名持有效 PMP 证书的参保人员',
    );
  });
});

describe('technology-projects', () => {
  const r = req('technology-projects', 1, {
    technologies: ['云计算', '大数据', 'AI'],
    minAmount: '10000000',
  });

  it('counts window projects tagged with a listed technology, case-insensitively', () => {
    expect(evaluate(r, { projects: [project({ technologies: ['GIS'] })] }, '2026-03-15').gap?.zh).toBe(
      '还差 1 个使用云计算/大数据/AI的 1000 万以上项目',
    );
    const res = evaluate(r, { projects: [project({ technologies: [' ai '] })] }, '2026-03-15');
    expect(res.status).toBe('met');
    expect(evaluate(r, { projects: [project({ technologies: ['云计算'], amount: '5' })] }, '2026-03-15').status).toBe(
      'not-met',
    );
  });
});

describe('financial-total and net-profit-margin', () => {
  const data = [
    year(2023, { netProfit: '-500000' }),
    year(2024, { netProfit: '200000' }),
    year(2025, { netProfit: '200000' }),
  ];

  it('sums a field over the window, with ">" for "positive"', () => {
    const positive = req('financial-total', '0', { field: 'netProfit', aggregate: 'sum' }, { operator: '>' });
    const res = evaluate(positive, { financialYears: data }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.value).toBe('-100000.00');
    expect(res.gap?.zh).toBe('还需增加超过 10 万元');
    const zero = [year(2023, { netProfit: '0' }), year(2024, { netProfit: '0' }), year(2025, { netProfit: '0' })];
    expect(evaluate(positive, { financialYears: zero }, '2026-03-15').status).toBe('not-met');
    const atLeast = req('financial-total', '0', { field: 'netProfit', aggregate: 'sum' });
    expect(evaluate(atLeast, { financialYears: zero }, '2026-03-15').status).toBe('met');
  });

  it('checks each year, naming the years that fail', () => {
    const each = req('financial-total', '0', { field: 'netProfit', aggregate: 'each-year' });
    const res = evaluate(each, { financialYears: data }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.value).toBe('-500000.00');
    expect(res.gap?.zh).toBe('净利润未达到 ≥ 0 元 的年份：2023 年 -50 万元');
    // The loss year leaves on 2027-01-01, but 2026 has no data yet.
    expect(evaluate(each, { financialYears: [...data, year(2026)] }, '2026-03-15').forecast).toMatchObject({
      date: '2027-01-01',
      status: 'met',
    });
  });

  it('computes the net profit margin exactly', () => {
    const margin = req('net-profit-margin', 5, { revenueField: 'revenue' });
    const years = [2023, 2024, 2025].map((y) => year(y, { revenue: '100000000', netProfit: '5000000' }));
    expect(evaluate(margin, { financialYears: years }, '2026-03-15')).toMatchObject({ status: 'met', value: 5 });
    const low = years.map((y, i) => (i === 0 ? { ...y, netProfit: '4999999.99' } : y));
    const res = evaluate(margin, { financialYears: low }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.gap?.zh).toBe('净利润率 4.9%，按近三年（2023–2025 年）营业收入计净利润还差 0.01 元');
    expect(evaluate(margin, { financialYears: [year(2024)] }, '2026-03-15').missing?.zh).toBe(
      '缺少 2023、2025 年财务数据（净利润、营业收入）',
    );
  });
});

describe('management-certificate', () => {
  it('counts valid certificates of the listed kinds and forecasts their expiry', () => {
    const r = req('management-certificate', 1, { kinds: ['iso9001', 'cmmi'] });
    const evidence: Evidence = {
      managementCertificates: [
        { id: 'm1', kind: 'iso9001', issuedOn: '2024-01-01', expiresOn: '2026-12-31' },
        { id: 'm2', kind: 'iso27001', issuedOn: '2024-01-01', expiresOn: '2029-12-31' },
      ],
    };
    const res = evaluate(r, evidence, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.evidence).toEqual([
      { type: 'management-certificate', id: 'm1', label: 'ISO 9001（有效期至 2026-12-31）' },
    ]);
    expect(res.forecast?.date).toBe('2027-01-01');
    expect(res.forecast?.reason.zh).toMatch(/^2027-01-01 起 ISO 9001 证书到期（有效期至 2026-12-31），/);
    expect(evaluate(r, {}, '2026-03-15').status).toBe('unknown');
  });
});

describe('growth (renewal): new IP a year on average, or a standard', () => {
  const r = req('growth', 3, { standards: 1 });
  const ip = (n: number, y: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `g${y}-${i}`,
      kind: 'software-copyright' as const,
      name: `软著${y}-${i}`,
      grantedOn: `${y}-06-01`,
    }));
  const standard = (over: Partial<NonNullable<Evidence['standards']>[number]> = {}) => ({
    id: 'st1',
    name: '信息系统运维服务规范',
    number: 'T/CITIF 002-2024',
    role: 'participant' as const,
    publishedOn: '2024-09-01',
    ...over,
  });

  it('is met by enough new IP alone', () => {
    const res = evaluate(r, { ip: [...ip(4, 2023), ...ip(5, 2025)] }, '2026-03-15');
    expect(res).toMatchObject({ status: 'met', value: 3, gap: null });
    expect(res.summary.zh).toBe(
      '近三年（2023–2025 年）年均取得知识产权 3 项（共 9 项，需年均 ≥ 3 项），发布的参与制定标准 0 项（需 ≥ 1 项），满足其一即可',
    );
  });

  it('is met by a standard published in the window, with few IP items', () => {
    const res = evaluate(r, { ip: ip(2, 2024), standards: [standard()] }, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.evidence).toEqual([
      { type: 'ip', id: 'g2024-0', label: '软著2024-0' },
      { type: 'ip', id: 'g2024-1', label: '软著2024-1' },
      { type: 'standard', id: 'st1', label: '信息系统运维服务规范（T/CITIF 002-2024）' },
    ]);
    // The standard leaves the window on 2028-01-01, and so does the growth it showed.
    expect(res.forecast?.date).toBe('2028-01-01');
    expect(res.forecast?.reason.zh).toContain(
      '2024 年发布的标准（信息系统运维服务规范（T/CITIF 002-2024））移出近三年窗口',
    );
  });

  it('is not met with neither, naming both ways to close the gap', () => {
    const res = evaluate(r, { ip: ip(2, 2024), standards: [standard({ publishedOn: '2021-01-01' })] }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.gap?.zh).toBe('还差 7 项知识产权（窗口内合计需 9 项），或再参与制定 1 项在窗口内发布的标准');
  });

  it('is unknown when an undated standard could settle it, and when nothing is recorded', () => {
    const res = evaluate(r, { ip: [], standards: [standard({ publishedOn: null })] }, '2026-03-15');
    expect(res.status).toBe('unknown');
    expect(res.missing?.zh).toBe('1 项标准缺少发布日期：信息系统运维服务规范（T/CITIF 002-2024）');
    expect(evaluate(r, {}, '2026-03-15').status).toBe('unknown');
  });
});

describe('legal-entity', () => {
  const r = condition('legal-entity', {});

  it('is unknown until someone confirms it', () => {
    const res = evaluate(r, {}, '2026-03-15');
    expect(res).toMatchObject({ status: 'unknown', operator: null, threshold: null, unit: 'confirmation' });
    expect(res.missing?.zh).toBe('尚未确认企业是否为独立法人：请确认，并可附营业执照');
  });

  it('is met once confirmed, and says when no licence is attached', () => {
    const res = evaluate(r, { legalEntity: { isIndependent: true, confirmedOn: '2026-01-05' } }, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.summary.zh).toBe('已确认企业为独立法人（2026-01-05 确认）；尚未附营业执照');
    expect(res.evidence).toEqual([{ type: 'legal-entity', id: 'legal-entity', label: '独立法人（2026-01-05 确认）' }]);
    const filed = evaluate(r, { legalEntity: { isIndependent: true, files: 1 } }, '2026-03-15');
    expect(filed.summary.zh).toBe('已确认企业为独立法人');
    expect(filed.forecast).toBeNull();
  });

  it('is not met for a branch, saying who must apply', () => {
    const res = evaluate(r, { legalEntity: { isIndependent: false, confirmedOn: '2026-01-05' } }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.gap?.zh).toBe('须由具有独立法人资格的企业申请，分支机构不能单独申请');
  });
});

describe('no-adverse-records', () => {
  const r = condition('no-adverse-records', {});
  const record = (over: Partial<NonNullable<Evidence['adverseRecords']>[number]> = {}) => ({
    id: 'ar1',
    kind: 'abnormal-operation' as const,
    listedOn: '2024-03-01',
    clearedOn: '2024-06-10',
    ...over,
  });

  it('is met with nothing recorded, pointing to the public credit systems', () => {
    const res = evaluate(r, { adverseRecords: [] }, '2026-03-15');
    expect(res).toMatchObject({ status: 'met', value: 0, operator: null, threshold: null, gap: null });
    expect(res.summary.zh).toBe(
      '2023-01-01 至 2026-03-15 期间无违法违规、经营异常或严重失信记录；未登记任何不良记录，请以国家企业信用信息公示系统和“信用中国”的查询结果为准',
    );
    expect(evaluate(r, {}, '2026-03-15').status).toBe('unknown');
  });

  it('fails while a listing overlaps the window, and forecasts the day its clearing leaves it', () => {
    const res = evaluate(r, { adverseRecords: [record()] }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.evidence).toEqual([
      { type: 'adverse-record', id: 'ar1', label: '经营异常名录（2024-03-01 列入，2024-06-10 移出）' },
    ]);
    expect(res.gap?.zh).toContain('：经营异常名录（2024-03-01 列入，2024-06-10 移出）');
    expect(res.forecast?.date).toBe('2028-01-01');
    expect(res.forecast?.status).toBe('met');
    expect(res.forecast?.reason.zh).toMatch(/^2028-01-01 起 2024 年移出名录的不良记录（.*）移出近三年窗口/);
  });

  it('counts a listing of this year although the calendar-years window ends last year', () => {
    const res = evaluate(r, { adverseRecords: [record({ listedOn: '2026-02-01', clearedOn: null })] }, '2026-03-15');
    expect(res.status).toBe('not-met');
    expect(res.forecast).toBeNull();
  });

  it('ignores a record cleared before the window and kinds the requirement does not name', () => {
    const old = record({ listedOn: '2021-01-01', clearedOn: '2022-12-31' });
    expect(evaluate(r, { adverseRecords: [old] }, '2026-03-15').status).toBe('met');
    const onlyDishonesty = condition('no-adverse-records', { kinds: ['serious-dishonesty'] });
    expect(evaluate(onlyDishonesty, { adverseRecords: [record()] }, '2026-03-15').status).toBe('met');
  });

  it('forecasts a listing dated ahead', () => {
    const res = evaluate(r, { adverseRecords: [record({ listedOn: '2026-05-01', clearedOn: null })] }, '2026-03-15');
    expect(res.status).toBe('met');
    expect(res.forecast).toMatchObject({ date: '2026-05-01', status: 'not-met' });
    expect(res.forecast?.reason.zh).toContain('新增不良记录：经营异常名录（2026-05-01 列入）');
  });
});

describe('requirement sets saved by earlier versions', () => {
  /** The CS3 default as an earlier version stored it: per-requirement date basis, no eligibility, IP-only growth. */
  function savedEarlier(basis: string): Record<string, unknown> {
    const set = structuredClone(DEFAULT_REQUIREMENT_SETS.CS3) as unknown as Record<string, unknown> & {
      requirements: Record<string, unknown>[];
    };
    delete set['projectDateBasis'];
    set.requirements = set.requirements
      .filter((r) => r['kind'] !== 'legal-entity' && r['kind'] !== 'no-adverse-records')
      .map((r) => {
        const params = r['params'] as Record<string, unknown>;
        if (['large-projects', 'qualified-pm', 'technology-projects'].includes(r['kind'] as string)) {
          return { ...r, params: { ...params, dateBasis: basis } };
        }
        if (r['kind'] === 'growth') {
          return {
            ...r,
            id: 'cs3.ip-growth',
            kind: 'ip-count',
            label: { zh: '再评估：年均新增自主知识产权', en: 'Renewal: new IP per year on average' },
            params: { kinds: params['kinds'], per: 'year' },
          };
        }
        return r;
      });
    return set;
  }

  it('reads a saved copy of a shipped set as the shipped set reads now, keeping its edits', () => {
    const saved = savedEarlier('signed-or-accepted');
    const large = saved['requirements'] as Record<string, unknown>[];
    (large.find((r) => r['kind'] === 'large-projects') as Record<string, unknown>)['threshold'] = 4;
    const set = parseRequirementSet(saved);
    expect(set.projectDateBasis).toBe('accepted');
    expect(set.requirements.slice(0, 2).map((r) => r.kind)).toEqual(['legal-entity', 'no-adverse-records']);
    expect(set.requirements.find((r) => r.kind === 'large-projects')).toMatchObject({
      threshold: 4,
      params: { minAmount: '10000000' },
    });
    expect(set.requirements.find((r) => r.kind === 'large-projects')?.params).not.toHaveProperty('dateBasis');
    expect(set.requirements.find((r) => r.id === 'cs3.ip-growth')).toMatchObject({
      kind: 'growth',
      threshold: 3,
      params: { standards: 1 },
      label: { zh: '再评估：年均新增自主知识产权或参与标准制定' },
      appliesTo: ['renewal'],
    });
    const res = evaluateReadiness({ level: 'CS3', at: '2026-03-15', evidence: cs3Company(), requirements: set });
    expect(res.counts.met + res.counts.notMet + res.counts.unknown).toBe(13);
    expect(res.requirements.find((r) => r.kind === 'large-projects')?.status).toBe('not-met');
  });

  it('keeps counting by signing where every project requirement asked for it', () => {
    expect(parseRequirementSet(savedEarlier('signed')).projectDateBasis).toBe('signed');
    expect(parseRequirementSet(savedEarlier('accepted')).projectDateBasis).toBe('accepted');
  });

  it('adds nothing to a set of its own, only the date basis', () => {
    const own = { ...savedEarlier('signed'), id: 'our-own-cs3' };
    const set = parseRequirementSet(own);
    expect(set.projectDateBasis).toBe('signed');
    expect(set.requirements.some((r) => r.kind === 'legal-entity')).toBe(false);
    expect(set.requirements.find((r) => r.id === 'cs3.ip-growth')?.kind).toBe('ip-count');
  });

  it('refuses an unknown project date basis in Chinese', () => {
    const bad = { ...DEFAULT_REQUIREMENT_SETS.CS1, projectDateBasis: 'invoiced' };
    expect(() => parseRequirementSet(bad)).toThrow(/projectDateBasis：项目计入依据应为 accepted、signed 之一/);
  });
});

// ---------------------------------------------------------------------------------------------

function cs3Company(): Evidence {
  const staff = [
    ...staffOf(60, { isRnd: true }),
    ...staffOf(100),
    person({ id: 'pm1', name: '张三', isRnd: true }),
    person({ id: 'pm2', name: '李四' }),
  ];
  return {
    organisation: { name: '示例科技', businessSince: '2015-01-01' },
    projects: [
      project({ managerId: 'pm1', signedOn: '2022-10-01', acceptedOn: '2023-04-01', technologies: ['云计算'] }),
      project({ managerId: 'pm2', signedOn: '2023-10-01', acceptedOn: '2024-04-01' }),
      project({ managerId: 'pm1', signedOn: '2024-10-01', acceptedOn: '2025-04-01' }),
    ],
    staff,
    qualifications: [qualification('pm1', { expiresOn: '2028-06-30' }), qualification('pm2', { kind: 'senior-pm' })],
    financialYears: [2023, 2024, 2025].map((y) => year(y)),
    ip: Array.from({ length: 10 }, (_, i) => ({
      id: `ip${i}`,
      kind: 'software-copyright' as const,
      name: `软著${i}`,
      grantedOn: `${2023 + (i % 3)}-06-01`,
    })),
    legalEntity: { isIndependent: true, confirmedOn: '2026-01-05', files: 1 },
    adverseRecords: [],
  };
}

describe('evaluateReadiness', () => {
  it('evaluates the default CS3 set and sums up', () => {
    const res = evaluateReadiness({ level: 'CS3', at: '2026-03-15', evidence: cs3Company() });
    expect(res.requirementSetId).toBe('default-cs3');
    expect(res.window).toEqual({
      from: '2023-01-01',
      to: '2025-12-31',
      label: { zh: '近三年（2023–2025 年）', en: 'the last 3 full years (2023–2025)' },
    });
    expect(res.horizon).toBe('2031-03-15');
    expect(res.status).toBe('met');
    expect(res.counts).toEqual({ met: 13, notMet: 0, unknown: 0 });
    expect(res.stopsBeingMet).toEqual({
      date: '2027-01-01',
      requirementIds: expect.arrayContaining(['cs3.avg-annual-revenue', 'cs3.large-projects']),
    });
  });

  it('leaves out requirements that do not apply to the purpose', () => {
    const res = evaluateReadiness({ level: 'CS3', at: '2026-03-15', evidence: cs3Company(), purpose: 'supervision' });
    expect(res.requirements.some((r) => r.id === 'cs3.growth')).toBe(false);
    expect(res.skipped).toEqual([{ id: 'cs3.growth', label: expect.any(Object), appliesTo: ['renewal'] }]);
    const renewal = evaluateReadiness({ level: 'CS3', at: '2026-03-15', evidence: cs3Company(), purpose: 'renewal' });
    expect(renewal.requirements.some((r) => r.id === 'cs3.growth')).toBe(true);
  });

  it('reports not-met over unknown over met', () => {
    const evidence = { ...cs3Company(), financialYears: [] };
    expect(evaluateReadiness({ level: 'CS3', at: '2026-03-15', evidence }).status).toBe('unknown');
    const fewer = { ...evidence, staff: staffOf(3) };
    expect(evaluateReadiness({ level: 'CS3', at: '2026-03-15', evidence: fewer }).status).toBe('not-met');
  });

  it('skips the forecast when asked', () => {
    const res = evaluateReadiness({ level: 'CS3', at: '2026-03-15', evidence: cs3Company(), forecast: false });
    expect(res.horizon).toBeNull();
    expect(res.requirements.every((r) => r.forecast === null)).toBe(true);
    expect(res.stopsBeingMet).toBeNull();
  });

  it('refuses a set of another level, a bad date and a bad horizon', () => {
    expect(() =>
      evaluateReadiness({ level: 'CS2', at: '2026-03-15', evidence: {}, requirements: DEFAULT_REQUIREMENT_SETS.CS3 }),
    ).toThrow(InvalidReadinessInputError);
    expect(() => evaluateReadiness({ level: 'CS3', at: '2026-02-30', evidence: {} })).toThrow(/does not exist/);
    expect(() => evaluateReadiness({ level: 'CS3', at: '2026-03-15', evidence: {}, horizonMonths: 0 })).toThrow(
      InvalidReadinessInputError,
    );
  });

  it('gives readiness on a later day equal to evaluating on that day', () => {
    const evidence = cs3Company();
    const later = forecastReadiness({ level: 'CS3', at: '2026-03-15', on: '2027-01-01', evidence });
    expect(later.asOf).toBe('2026-03-15');
    expect(later.at).toBe('2027-01-01');
    const direct = evaluateReadiness({ level: 'CS3', at: '2027-01-01', evidence });
    expect(later.requirements).toEqual(direct.requirements);
    expect(later.requirements.find((r) => r.id === 'cs3.large-projects')?.status).toBe('not-met');
    expect(() => forecastReadiness({ level: 'CS3', at: '2026-03-15', on: '2026-01-01', evidence })).toThrow(
      InvalidReadinessInputError,
    );
  });

  it('does not depend on the process time zone', () => {
    // Every date here is a YYYY-MM-DD string; run the suite under TZ=America/Los_Angeles too.
    const res = evaluateReadiness({ level: 'CS3', at: '2026-12-31', evidence: cs3Company() });
    expect(res.window.to).toBe('2025-12-31');
    expect(res.requirements.find((r) => r.id === 'cs3.large-projects')?.forecast?.date).toBe('2027-01-01');
  });
});

// ---------------------------------------------------------------------------------------------
// The forecast is a shortcut: it must agree with re-evaluating on every later day.

const DAY0 = dayFromCivil(2019, 1, 1);
const DAY1 = dayFromCivil(2027, 12, 31);
const dateArb = fc.integer({ min: DAY0, max: DAY1 }).map(formatDay);
const maybeDate = fc.option(dateArb, { nil: null, freq: 5 });
const monthArb = fc.integer({ min: DAY0, max: DAY1 }).map((d) => formatDay(d).slice(0, 7));

const evidenceArb: fc.Arbitrary<Evidence> = fc
  .record({
    projects: fc.array(
      fc.record({
        signedOn: maybeDate,
        acceptedOn: maybeDate,
        amount: fc.option(fc.constantFrom('5000000', '10000000', '20000000'), { nil: null, freq: 6 }),
        manager: fc.integer({ min: 0, max: 4 }),
        status: fc.constantFrom('accepted', 'in-progress', 'terminated'),
        tech: fc.boolean(),
      }),
      { maxLength: 8 },
    ),
    staff: fc.array(
      fc.record({
        from: dateArb,
        until: fc.option(dateArb, { nil: null }),
        si: monthArb,
        siUntil: fc.option(monthArb, { nil: null }),
        rnd: fc.boolean(),
      }),
      { minLength: 5, maxLength: 5 },
    ),
    qualifications: fc.array(
      fc.record({ staff: fc.integer({ min: 0, max: 4 }), issued: maybeDate, expires: maybeDate }),
      { maxLength: 6 },
    ),
    ip: fc.array(fc.record({ grantedOn: maybeDate }), { maxLength: 5 }),
    standards: fc.array(fc.record({ publishedOn: maybeDate }), { maxLength: 2 }),
    adverse: fc.array(fc.record({ listedOn: maybeDate, clearedOn: fc.option(dateArb, { nil: null }) }), {
      maxLength: 2,
    }),
    financial: fc.array(fc.integer({ min: 2018, max: 2029 }), { maxLength: 8 }),
  })
  .map((r) => {
    const staff: EvidenceStaff[] = r.staff.map((s, i) => ({
      id: `s${i}`,
      name: `员工${i}`,
      isRnd: s.rnd,
      employedFrom: s.from,
      employedUntil: s.until !== null && s.until >= s.from ? s.until : null,
      socialInsuranceFrom: s.si,
      socialInsuranceUntil: s.siUntil !== null && s.siUntil >= s.si ? s.siUntil : null,
    }));
    return {
      organisation: { businessSince: '2024-02-29' },
      projects: r.projects.map((p, i) => ({
        id: `p${i}`,
        name: `项目${i}`,
        amount: p.amount,
        signedOn: p.signedOn,
        acceptedOn: p.acceptedOn,
        status: p.status,
        managerId: p.manager === 4 ? null : `s${p.manager}`,
        technologies: p.tech ? ['大数据'] : [],
      })),
      staff,
      qualifications: r.qualifications.map((q, i) => ({
        id: `q${i}`,
        staffId: `s${q.staff}`,
        kind: 'pmp' as const,
        issuedOn: q.issued,
        expiresOn: q.expires,
      })),
      ip: r.ip.map((x, i) => ({
        id: `i${i}`,
        kind: 'software-copyright' as const,
        name: `软著${i}`,
        grantedOn: x.grantedOn,
      })),
      financialYears: [...new Set(r.financial)].map((y) => year(y, { systemIntegrationRevenue: `${y % 3}0000000` })),
      standards: r.standards.map((x, i) => ({
        id: `st${i}`,
        name: `标准${i}`,
        role: 'participant' as const,
        publishedOn: x.publishedOn,
      })),
      adverseRecords: r.adverse.map((x, i) => ({
        id: `ar${i}`,
        kind: 'abnormal-operation' as const,
        listedOn: x.listedOn,
        clearedOn: x.listedOn !== null && x.clearedOn !== null && x.clearedOn >= x.listedOn ? x.clearedOn : null,
      })),
    };
  });

/** Every kind, with small thresholds so statuses flip often. */
const ALL_KINDS: Requirement[] = [
  req('years-in-business', 2, {}, { id: 'a' }),
  req('avg-annual-revenue', '10000000', { field: 'systemIntegrationRevenue' }, { id: 'b' }),
  req('ip-count', 1, { per: 'window' }, { id: 'c' }),
  req('ip-count', 0.5, { per: 'year' }, { id: 'c2' }),
  req('insured-staff', 2, {}, { id: 'd' }),
  req('large-projects', 2, { minAmount: '10000000' }, { id: 'e' }),
  req('rnd-ratio', 40, {}, { id: 'f' }),
  req('qualified-pm', 50, { kinds: ['pmp'] }, { id: 'g' }),
  req('qualified-staff', 1, { kinds: ['pmp'] }, { id: 'h' }),
  req('technology-projects', 1, { technologies: ['大数据'] }, { id: 'i' }),
  req('financial-total', '30000000', { field: 'systemIntegrationRevenue', aggregate: 'sum' }, { id: 'j' }),
  req('net-profit-margin', 1, { revenueField: 'revenue' }, { id: 'k' }),
  req('growth', 1, { standards: 1 }, { id: 'l' }),
  condition('no-adverse-records', {}, { id: 'm' }),
  condition('legal-entity', {}, { id: 'n' }),
];

describe('forecast agrees with re-evaluation on every later day (fast-check)', () => {
  const windows: RequirementWindow[] = [CALENDAR_3, { kind: 'months', months: 24 }, { kind: 'months', months: 13 }];
  for (const window of windows) {
    it(`window ${JSON.stringify(window)}`, () => {
      fc.assert(
        fc.property(
          evidenceArb,
          fc.integer({ min: dayFromCivil(2023, 1, 1), max: dayFromCivil(2025, 12, 31) }),
          fc.constantFrom<ProjectDateBasis>('accepted', 'signed'),
          (evidence, atDay, projectDateBasis) => {
            const set: RequirementSet = {
              id: 'all',
              level: 'CS3',
              window,
              projectDateBasis,
              source: 'test',
              requirements: ALL_KINDS,
            };
            const at = formatDay(atDay);
            const months = 20;
            const result = evaluateReadiness({ level: 'CS3', at, evidence, requirements: set, horizonMonths: months });
            const until = addMonthsToDay(atDay, months);
            const statusOn = new Map<number, ReadinessResult>();
            const on = (d: number) => {
              let r = statusOn.get(d);
              if (!r) {
                r = evaluateReadiness({ level: 'CS3', at: formatDay(d), evidence, requirements: set, forecast: false });
                statusOn.set(d, r);
              }
              return r;
            };
            // Find each requirement's first change by brute force, sampling every day.
            const firstChange = new Map<string, { date: string; status: string }>();
            for (let d = atDay + 1; d <= until; d++) {
              const later = on(d);
              result.requirements.forEach((r, i) => {
                const s = (later.requirements[i] as RequirementResult).status;
                if (!firstChange.has(r.id) && s !== r.status) firstChange.set(r.id, { date: formatDay(d), status: s });
              });
            }
            for (const r of result.requirements) {
              const expected = firstChange.get(r.id) ?? null;
              const got = r.forecast ? { date: r.forecast.date, status: r.forecast.status } : null;
              expect({ id: r.id, change: got }).toEqual({ id: r.id, change: expected });
            }
          },
        ),
        { numRuns: 12 },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('EvidenceSchema', () => {
  const valid = {
    organisation: { name: '示例科技', businessSince: '2015-01-01' },
    projects: [
      { id: 'P-1', name: '智慧城市', amount: 12000000, signedOn: '2024-05-01', status: 'accepted', managerId: 's1' },
    ],
    staff: [{ id: 's1', name: '张三', isRnd: true, socialInsuranceFrom: '2020-01', socialInsuranceUntil: null }],
    qualifications: [{ id: 'q1', staffId: 's1', kind: 'pmp', expiresOn: '2027-05-31' }],
    financialYears: [{ year: 2024, systemIntegrationRevenue: '90000000.50' }],
    ip: [{ id: 'i1', kind: 'software-copyright', name: '软著', grantedOn: '2024-01-01' }],
    managementCertificates: [{ id: 'm1', kind: 'iso9001' }],
  };

  it('accepts valid evidence and turns JSON-number amounts into decimal strings', () => {
    const ev = parseEvidence(valid);
    expect(ev.projects?.[0]?.amount).toBe('12000000');
    expect(EvidenceSchema.safeParse({}).success).toBe(true);
    const res = evaluateReadiness({ level: 'CS3', at: '2026-03-15', evidence: ev });
    expect(res.requirements.length).toBeGreaterThan(0);
  });

  it('points at each bad field in Chinese', () => {
    const bad = structuredClone(valid) as Record<string, unknown> & typeof valid;
    const p = bad.projects[0] as Record<string, unknown>;
    p['signedOn'] = '2024-02-30';
    p['amount'] = '12,000,000';
    p['status'] = 'done';
    p['managerId'] = 'nobody';
    (bad.staff[0] as Record<string, unknown>)['socialInsuranceFrom'] = '2020-13';
    (bad.financialYears[0] as Record<string, unknown>)['netProfit'] = 1.234;
    bad.qualifications.push({ id: 'q1', staffId: 's1', kind: 'pmp', expiresOn: '2027-05-31' });
    const problems = evidenceProblems(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        'projects[0]（id P-1）.signedOn：应为 1900–2199 年间真实存在的日期，格式 YYYY-MM-DD（如 2025-03-15），收到 "2024-02-30"',
        'projects[0]（id P-1）.amount：应为以元为单位的金额，最多两位小数，如 "12345.67"，收到 "12,000,000"',
        expect.stringMatching(
          /^projects\[0\]（id P-1）\.status：项目状态应为 signed、in-progress、accepted、terminated 之一/,
        ),
        expect.stringMatching(/^staff\[0\]（id s1）\.socialInsuranceFrom：应为月份，格式 YYYY-MM/),
        expect.stringMatching(/^financialYears\[0\]\.netProfit：应为以元为单位的金额，最多两位小数/),
      ]),
    );
    expect(() => parseEvidence(bad)).toThrow(InvalidEvidenceError);
  });

  it('checks ids, references and date order once the fields are valid', () => {
    const bad = structuredClone(valid);
    bad.projects[0]!.managerId = 'nobody';
    bad.qualifications.push({ id: 'q1', staffId: 'ghost', kind: 'pmp', expiresOn: '2019-01-01' });
    (bad.qualifications[1] as Record<string, unknown>)['issuedOn'] = '2020-01-01';
    bad.financialYears.push({ year: 2024, systemIntegrationRevenue: '1' });
    expect(evidenceProblems(bad)).toEqual([
      'qualifications[1]（id q1）.id：编号 q1 重复：同一列表中的编号必须唯一',
      'financialYears[1].year：2024 年的财务数据重复',
      'qualifications[1]（id q1）.expiresOn：证书到期日早于发证日',
      'projects[0]（id P-1）.managerId：项目经理 nobody 不在人员名单（staff）中',
      'qualifications[1]（id q1）.staffId：持证人 ghost 不在人员名单（staff）中',
    ]);
  });

  it('reads the eligibility records and standards, checking their kinds and dates', () => {
    const ev = parseEvidence({
      legalEntity: { isIndependent: true, confirmedOn: '2026-01-05', files: 1 },
      adverseRecords: [{ id: 'a1', kind: 'abnormal-operation', listedOn: '2024-03-01', clearedOn: '2024-06-10' }],
      standards: [{ id: 's1', name: '运维服务规范', role: 'lead', publishedOn: '2024-09-01' }],
    });
    expect(ev.adverseRecords).toHaveLength(1);
    expect(
      evidenceProblems({
        legalEntity: { isIndependent: 'yes' },
        adverseRecords: [{ id: 'a1', kind: 'fine', listedOn: '2024-06-10', clearedOn: '2024-03-01' }],
        standards: [{ id: 's1', name: '运维服务规范', role: 'author' }],
      }),
    ).toEqual([
      'legalEntity.isIndependent：是否独立法人应为 true 或 false，收到 "yes"',
      'adverseRecords[0]（id a1）.kind：不良记录类型应为 violation、abnormal-operation、serious-dishonesty 之一，收到 "fine"',
      'standards[0]（id s1）.role：参与角色应为 lead、participant、other 之一，收到 "author"',
    ]);
    expect(
      evidenceProblems({
        adverseRecords: [{ id: 'a1', kind: 'violation', listedOn: '2024-06-10', clearedOn: '2024-03-01' }],
      }),
    ).toEqual(['adverseRecords[0]（id a1）.clearedOn：移出日期早于列入日期']);
  });

  it('words missing and mistyped fields', () => {
    expect(evidenceProblems({ projects: [{ id: 'x', status: 'signed' }] })).toEqual([
      'projects[0]（id x）.name：应为名称（文本），缺少此项',
    ]);
    expect(evidenceProblems({ staff: {} })).toEqual(['staff：应为人员列表（数组），收到 {}']);
    expect(evidenceProblems(null)).toEqual(['(根)：应为证据数据（Evidence）对象，收到 null']);
  });
});
