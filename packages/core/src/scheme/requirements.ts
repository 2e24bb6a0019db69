// Level requirements as data (advisory figures from consultancies, each with its source). The official thresholds of the 17 metrics are not public:
// what ships here are advisory defaults with their source, which a workspace copies and edits. The
// schema below validates an edited copy, in Chinese, before it is stored or used. The defaults and
// their sources are described in docs/domain.md, "Requirement sets and readiness".
import { z } from 'zod';
import {
  ADVERSE_RECORD_KINDS,
  IP_KINDS,
  MANAGEMENT_CERTIFICATE_KINDS,
  QUALIFICATION_KINDS,
  type IpKind,
  type QualificationKind,
} from '../readiness/evidence.js';
import { ZOD_MESSAGES_ZH, formatIssuePath } from '../readiness/issues.js';
import { LEVELS, isLevel, type Level } from './levels.js';

/** What a requirement measures. Each kind reads its own `params`; see `RequirementSchema`. */
export const REQUIREMENT_KINDS = [
  'years-in-business',
  'avg-annual-revenue',
  'ip-count',
  'insured-staff',
  'large-projects',
  'rnd-ratio',
  'technical-ratio',
  'qualified-pm',
  'qualified-staff',
  'technology-projects',
  'financial-total',
  'net-profit-margin',
  'management-certificate',
  'growth',
  'legal-entity',
  'no-adverse-records',
] as const;
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];

/** Why readiness is asked: a requirement may apply to some occasions only (growth: renewal). */
export const REQUIREMENT_PURPOSES = ['assessment', 'supervision', 'renewal'] as const;
export type RequirementPurpose = (typeof REQUIREMENT_PURPOSES)[number];

export const REQUIREMENT_PURPOSE_NAMES_ZH: Readonly<Record<RequirementPurpose, string>> = {
  assessment: '初次评估或升级',
  supervision: '监督评估',
  renewal: '再评估（换证）',
};

/** Revenue fields of a financial year that a revenue requirement can read. */
export const REVENUE_FIELDS = ['systemIntegrationRevenue', 'softwareServiceRevenue', 'revenue'] as const;
export type RevenueField = (typeof REVENUE_FIELDS)[number];

/** Every money field of a financial year. */
export const FINANCIAL_FIELDS = [
  'revenue',
  'systemIntegrationRevenue',
  'softwareServiceRevenue',
  'rndExpense',
  'netProfit',
  'operatingCashFlow',
] as const;
export type FinancialField = (typeof FINANCIAL_FIELDS)[number];

export const FINANCIAL_FIELD_NAMES: Readonly<Record<FinancialField, { zh: string; en: string }>> = {
  revenue: { zh: '营业收入', en: 'revenue' },
  systemIntegrationRevenue: { zh: '系统集成收入', en: 'system-integration revenue' },
  softwareServiceRevenue: { zh: '软件和信息技术服务收入', en: 'software and IT service revenue' },
  rndExpense: { zh: '研发费用', en: 'R&D expense' },
  netProfit: { zh: '净利润', en: 'net profit' },
  operatingCashFlow: { zh: '经营活动现金流量净额', en: 'operating cash flow' },
};

/**
 * Which project date places a project in a requirement set's window: its acceptance (验收), so
 * only completed work counts, or its signing, for an assessor who counts contracts.
 */
export const PROJECT_DATE_BASES = ['accepted', 'signed'] as const;
export type ProjectDateBasis = (typeof PROJECT_DATE_BASES)[number];

export const PROJECT_DATE_BASIS_NAMES: Readonly<Record<ProjectDateBasis, { zh: string; en: string }>> = {
  accepted: { zh: '按验收日期（已完成的项目）', en: 'by acceptance date (completed projects)' },
  signed: { zh: '按合同签订日期（含未验收的项目）', en: 'by signing date (unaccepted projects included)' },
};

/** Unit of a requirement's value and threshold. */
export type RequirementUnit =
  'years' | 'yuan' | 'items' | 'people' | 'projects' | 'percent' | 'certificates' | 'records' | 'confirmation';

export type RequirementOperator = '>=' | '>';

// ---------------------------------------------------------------------------------------------
// Schema (messages in Chinese: an administrator edits a copy in the browser or a JSON file)

const got = (input: unknown) => (input === undefined ? '缺少此项' : `收到 ${JSON.stringify(input)}`);

const text = (what: string) =>
  z
    .string({ error: (iss) => `应为${what}（文本），${got(iss.input)}` })
    .trim()
    .min(1, { error: `${what}不能为空` });

const MONEY_RE = /^-?\d{1,15}(\.\d{1,2})?$/;
/** A money threshold: decimal yuan as a string, at most two decimals. */
export const MoneyThresholdSchema = z
  .string({ error: (iss) => `应为以元为单位的金额字符串，例如 "10000000"，${got(iss.input)}` })
  .regex(MONEY_RE, {
    error: (iss) => `应为以元为单位的金额，最多两位小数，例如 "10000000" 或 "0.01"，${got(iss.input)}`,
  });

/** Whether a number is written with at most four decimals (so comparisons stay exact). */
function hasFewDecimals(n: number): boolean {
  return Number.isFinite(n) && /^-?\d+(\.\d{1,4})?$/.test(String(n));
}

const wholeNumber = (what: string, max: number) =>
  z
    .number({ error: (iss) => `应为${what}（整数），${got(iss.input)}` })
    .int({ error: (iss) => `应为整数，${got(iss.input)}` })
    .min(0, { error: (iss) => `不能为负数，${got(iss.input)}` })
    .max(max, { error: (iss) => `不能大于 ${max}，${got(iss.input)}` });

const PercentSchema = z
  .number({ error: (iss) => `应为百分比数值（如 30 表示 30%），${got(iss.input)}` })
  .min(0, { error: (iss) => `百分比应在 0–100 之间，${got(iss.input)}` })
  .max(100, { error: (iss) => `百分比应在 0–100 之间，${got(iss.input)}` })
  .refine(hasFewDecimals, { error: (iss) => `百分比最多四位小数，${got(iss.input)}` });

const SignedPercentSchema = z
  .number({ error: (iss) => `应为百分比数值（如 5 表示 5%），${got(iss.input)}` })
  .min(-100, { error: (iss) => `百分比应在 −100–100 之间，${got(iss.input)}` })
  .max(100, { error: (iss) => `百分比应在 −100–100 之间，${got(iss.input)}` })
  .refine(hasFewDecimals, { error: (iss) => `百分比最多四位小数，${got(iss.input)}` });

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: (iss) => `${what}应为 ${values.join('、')} 之一，${got(iss.input)}` });

const nonEmptyList = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item, { error: (iss) => `应为${what}列表，${got(iss.input)}` })
    .min(1, { error: `${what}至少填写一项` })
    .readonly();

const OperatorSchema = enumOf(['>=', '>'] as const satisfies readonly RequirementOperator[], '比较方式');

export const LocalizedTextSchema = z.object(
  { zh: text('中文名称'), en: text('英文名称') },
  { error: (iss) => `应为 { zh, en } 对象，${got(iss.input)}` },
);

const common = {
  id: text('要求编号').regex(/^[a-z0-9][a-z0-9.-]*$/, {
    error: (iss) => `要求编号只能包含小写字母、数字、点和连字符，${got(iss.input)}`,
  }),
  label: LocalizedTextSchema,
  source: text('来源说明'),
  advisory: z.boolean({ error: (iss) => `应为 true（建议值）或 false（官方值），${got(iss.input)}` }),
  /** Occasions this requirement applies to; absent = all. */
  appliesTo: nonEmptyList(enumOf(REQUIREMENT_PURPOSES, '适用场合'), '适用场合').optional(),
};

/** The fields of a requirement measured against a threshold (conditions have neither). */
const counted = { ...common, operator: OperatorSchema };

const params = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.object(shape, { error: (iss) => `应为参数对象 params，${got(iss.input)}` });

const QualificationKindsSchema = nonEmptyList(enumOf(QUALIFICATION_KINDS, '证书类型'), '证书类型');
const IpKindsSchema = nonEmptyList(enumOf(IP_KINDS, '知识产权类型'), '知识产权类型');

/** Items in the window, or items per year on average. */
const IpThresholdSchema = z
  .number({ error: (iss) => `应为知识产权数量，${got(iss.input)}` })
  .min(0, { error: (iss) => `不能为负数，${got(iss.input)}` })
  .max(100_000, { error: (iss) => `不能大于 100000，${got(iss.input)}` })
  .refine(hasFewDecimals, { error: (iss) => `最多四位小数，${got(iss.input)}` });

export const RequirementSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('years-in-business'),
      ...counted,
      threshold: wholeNumber('年数', 100),
      params: params({}),
    }),
    z.object({
      kind: z.literal('avg-annual-revenue'),
      ...counted,
      threshold: MoneyThresholdSchema,
      params: params({ field: enumOf(REVENUE_FIELDS, '收入字段') }),
    }),
    z.object({
      kind: z.literal('ip-count'),
      ...counted,
      /** Items in the window, or items per year on average when `per` is `year`. */
      threshold: IpThresholdSchema,
      params: params({
        kinds: IpKindsSchema.optional(),
        per: enumOf(['window', 'year'] as const, '统计口径'),
      }),
    }),
    z.object({
      kind: z.literal('insured-staff'),
      ...counted,
      threshold: wholeNumber('人数', 1_000_000),
      params: params({}),
    }),
    z.object({
      kind: z.literal('large-projects'),
      ...counted,
      threshold: wholeNumber('项目数', 100_000),
      params: params({ minAmount: MoneyThresholdSchema }),
    }),
    z.object({ kind: z.literal('rnd-ratio'), ...counted, threshold: PercentSchema, params: params({}) }),
    z.object({ kind: z.literal('technical-ratio'), ...counted, threshold: PercentSchema, params: params({}) }),
    z.object({
      kind: z.literal('qualified-pm'),
      ...counted,
      /** Percent of the window's projects (in scope) whose manager holds a valid listed qualification. */
      threshold: PercentSchema,
      params: params({
        kinds: QualificationKindsSchema,
        minAmount: MoneyThresholdSchema.optional(),
      }),
    }),
    z.object({
      kind: z.literal('qualified-staff'),
      ...counted,
      threshold: wholeNumber('人数', 1_000_000),
      params: params({ kinds: QualificationKindsSchema }),
    }),
    z.object({
      kind: z.literal('technology-projects'),
      ...counted,
      threshold: wholeNumber('项目数', 100_000),
      params: params({
        technologies: nonEmptyList(text('技术标签'), '技术标签'),
        minAmount: MoneyThresholdSchema.optional(),
      }),
    }),
    z.object({
      kind: z.literal('financial-total'),
      ...counted,
      threshold: MoneyThresholdSchema,
      params: params({
        field: enumOf(FINANCIAL_FIELDS, '财务字段'),
        aggregate: enumOf(['sum', 'each-year'] as const, '汇总方式'),
      }),
    }),
    z.object({
      kind: z.literal('net-profit-margin'),
      ...counted,
      threshold: SignedPercentSchema,
      params: params({ revenueField: enumOf(REVENUE_FIELDS, '收入字段') }),
    }),
    z.object({
      kind: z.literal('management-certificate'),
      ...counted,
      threshold: wholeNumber('证书数', 1000),
      params: params({
        kinds: nonEmptyList(enumOf(MANAGEMENT_CERTIFICATE_KINDS, '管理体系证书类型'), '管理体系证书类型'),
      }),
    }),
    z.object({
      kind: z.literal('growth'),
      ...counted,
      /** New IP items per year on average over the window: one way to show growth. */
      threshold: IpThresholdSchema,
      params: params({
        kinds: IpKindsSchema.optional(),
        /** Standards published in the window that show growth on their own (the other way). */
        standards: wholeNumber('标准数', 1000).min(1, { error: '标准数至少为 1' }),
      }),
    }),
    z.object({ kind: z.literal('legal-entity'), ...common, params: params({}) }),
    z.object({
      kind: z.literal('no-adverse-records'),
      ...common,
      params: params({
        kinds: nonEmptyList(enumOf(ADVERSE_RECORD_KINDS, '不良记录类型'), '不良记录类型').optional(),
      }),
    }),
  ],
  {
    error: (iss) =>
      iss.input === undefined ? '缺少要求类型 kind' : `要求类型 kind 应为 ${REQUIREMENT_KINDS.join('、')} 之一`,
  },
);
export type Requirement = z.infer<typeof RequirementSchema>;

/**
 * The window that "the last 3 years" means: the last N full calendar years before the date, or the
 * N months up to and including it.
 */
export const RequirementWindowSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('calendar-years'), years: wholeNumber('年数', 10).min(1, { error: '至少 1 年' }) }),
    z.object({ kind: z.literal('months'), months: wholeNumber('月数', 120).min(1, { error: '至少 1 个月' }) }),
  ],
  { error: '统计窗口应为 { kind: "calendar-years", years } 或 { kind: "months", months }' },
);
export type RequirementWindow = z.infer<typeof RequirementWindowSchema>;

const RequirementSetShapeSchema = z
  .object(
    {
      id: text('要求集编号'),
      level: enumOf(LEVELS, '等级'),
      window: RequirementWindowSchema,
      /** Which project date counts a project in the window, for every project requirement of the set. */
      projectDateBasis: enumOf(PROJECT_DATE_BASES, '项目计入依据'),
      source: text('来源说明'),
      requirements: z
        .array(RequirementSchema, { error: (iss) => `应为要求列表，${got(iss.input)}` })
        .min(1, { error: '至少包含一项要求' })
        .readonly(),
    },
    { error: (iss) => `要求集应为对象，${got(iss.input)}` },
  )
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.requirements.forEach((r, i) => {
      if (seen.has(r.id)) {
        ctx.addIssue({ code: 'custom', path: ['requirements', i, 'id'], message: `要求编号 ${r.id} 重复` });
      }
      seen.add(r.id);
    });
  });

/**
 * A requirement set; one saved before the set chose its project date basis is read as it was
 * meant today (see `upgradeSavedSet`).
 */
export const RequirementSetSchema = z.preprocess((input) => upgradeSavedSet(input), RequirementSetShapeSchema);
export type RequirementSet = z.infer<typeof RequirementSetShapeSchema>;

/** A requirement set that fails validation; `problems` lists every finding as "path：message". */
export class InvalidRequirementSetError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(readonly problems: readonly string[]) {
    super(`要求集无效：${problems.join('；')}`);
    this.name = 'InvalidRequirementSetError';
  }
}

/** Validates an edited requirement set; returns it typed or throws `InvalidRequirementSetError`. */
export function parseRequirementSet(input: unknown): RequirementSet {
  const r = RequirementSetSchema.safeParse(input, { error: ZOD_MESSAGES_ZH });
  if (r.success) return r.data;
  throw new InvalidRequirementSetError(r.error.issues.map((i) => `${formatIssuePath(i.path)}：${i.message}`));
}

// ---------------------------------------------------------------------------------------------
// Default sets (advisory). Sources quoted so the user sees where each number comes from.

const TABLE = '咨询机构经验值（默认建议值），非官方，各机构说法不一';
const GUIDANCE = '维护指引（2025）';
const ASSUMED = '本产品假设';

/** Technology tags that show technical complexity (guidance: cloud, big data, AI …); matched case-insensitively. */
export const COMPLEX_TECHNOLOGIES: readonly string[] = [
  '云计算',
  '大数据',
  '人工智能',
  'AI',
  'cloud',
  'cloud computing',
  'big data',
  'artificial intelligence',
];

/** PM qualifications the guidance names for CS3: PMP or 信息系统项目管理师. */
export const CS3_PM_QUALIFICATIONS: readonly QualificationKind[] = ['pmp', 'senior-pm'];
const ALL_IP: readonly IpKind[] = IP_KINDS;

interface TableRow {
  years: number;
  revenue: string;
  ip: number | null;
  staff: number;
}

/** The consultancies' advisory table, one row per level. */
const TABLE_ROWS: Readonly<Record<'CS1' | 'CS2' | 'CS3' | 'CS4', TableRow>> = {
  CS1: { years: 1, revenue: '1500000', ip: null, staff: 15 },
  CS2: { years: 1, revenue: '15000000', ip: 3, staff: 50 },
  CS3: { years: 3, revenue: '80000000', ip: 10, staff: 150 },
  CS4: { years: 3, revenue: '250000000', ip: 20, staff: 250 },
};

/** What the guidance asks of every applicant, whatever the level. */
function eligibilityRequirements(level: Level): Requirement[] {
  const p = level.toLowerCase();
  return [
    {
      id: `${p}.legal-entity`,
      kind: 'legal-entity',
      params: {},
      label: { zh: '独立法人', en: 'Independent legal entity' },
      source: `${GUIDANCE}：所有申请企业须为独立法人；${ASSUMED}：以企业在本系统中的确认为准，营业执照可作附件`,
      advisory: true,
    },
    {
      id: `${p}.no-adverse-records`,
      kind: 'no-adverse-records',
      params: {},
      label: {
        zh: '近三年无违法违规、经营异常或严重失信记录',
        en: 'No violation, abnormal-operation or serious-dishonesty record in the last 3 years',
      },
      source:
        `${GUIDANCE}：所有申请企业近三年无违法违规、经营异常或严重失信记录` +
        `；${ASSUMED}：一条记录从列入到移出的期间，与统计窗口起至评估日有任何重叠即不满足`,
      advisory: true,
    },
  ];
}

function tableRequirements(level: Level, row: TableRow, source: string): Requirement[] {
  const p = level.toLowerCase();
  const out: Requirement[] = [
    {
      id: `${p}.years-in-business`,
      kind: 'years-in-business',
      operator: '>=',
      threshold: row.years,
      params: {},
      label: { zh: '从业年限', en: 'Years in business' },
      source: `${source}；所有申请企业须从事相关业务满 1 年，自首个相关合同起算`,
      advisory: true,
    },
    {
      id: `${p}.avg-annual-revenue`,
      kind: 'avg-annual-revenue',
      operator: '>=',
      threshold: row.revenue,
      params: { field: 'systemIntegrationRevenue' },
      label: { zh: '近三年年均系统集成收入', en: 'Average annual system-integration revenue' },
      source,
      advisory: true,
    },
  ];
  if (row.ip !== null) {
    out.push({
      id: `${p}.ip-count`,
      kind: 'ip-count',
      operator: '>=',
      threshold: row.ip,
      params: { kinds: ALL_IP, per: 'window' },
      label: { zh: '近三年取得的知识产权（软著/专利）', en: 'IP granted (software copyrights, patents)' },
      source,
      advisory: true,
    });
  }
  out.push({
    id: `${p}.insured-staff`,
    kind: 'insured-staff',
    operator: '>=',
    threshold: row.staff,
    params: {},
    label: { zh: '缴纳社保人数', en: 'Staff with social insurance' },
    source,
    advisory: true,
  });
  return out;
}

/** The guidance's CS3 additions; `source` says whether they are quoted (CS3) or carried up (CS4, CS5). */
function cs3Extras(level: Level, carried: string | null): Requirement[] {
  const p = level.toLowerCase();
  const src = (quote: string) => (carried ? `${carried}；原文：${quote}` : `${GUIDANCE}：${quote}`);
  return [
    {
      id: `${p}.large-projects`,
      kind: 'large-projects',
      operator: '>=',
      threshold: 3,
      params: { minAmount: '10000000' },
      label: { zh: '近三年大额项目（1000 万以上）', en: 'Large projects (≥ ¥10 m) in the window' },
      source: src('CS3 级需年均系统集成收入 8000 万以上，且 1000 万以上项目不少于 3 个'),
      advisory: true,
    },
    {
      id: `${p}.rnd-ratio`,
      kind: 'rnd-ratio',
      operator: '>=',
      threshold: 30,
      params: {},
      label: { zh: '研发人员占参保人员比例', en: 'R&D staff share of insured staff' },
      source: src('CS3 级要求研发人员占比≥30%'),
      advisory: true,
    },
    {
      id: `${p}.qualified-pm`,
      kind: 'qualified-pm',
      operator: '>=',
      threshold: 100,
      params: { kinds: CS3_PM_QUALIFICATIONS, minAmount: '10000000' },
      label: {
        zh: '大额项目的项目经理持 PMP 或信息系统项目管理师证书',
        en: 'Managers of the large projects hold PMP or 信息系统项目管理师',
      },
      source:
        src('项目经理需持 PMP 或信息系统项目管理师证书') +
        `；${ASSUMED}：按窗口内 1000 万以上项目（即申报的项目案例）逐个核对，其项目经理于评估日须持有效证书`,
      advisory: true,
    },
    {
      id: `${p}.technology-projects`,
      kind: 'technology-projects',
      operator: '>=',
      threshold: 1,
      params: { technologies: COMPLEX_TECHNOLOGIES, minAmount: '10000000' },
      label: {
        zh: '大额项目体现技术复杂度（云计算、大数据、人工智能等）',
        en: 'Large projects show technical complexity (cloud, big data, AI …)',
      },
      source: src('CS3 级需包含云计算、大数据等新兴技术应用') + `；${ASSUMED}：至少 1 个 1000 万以上项目标注了上述技术`,
      advisory: true,
    },
    {
      id: `${p}.growth`,
      kind: 'growth',
      operator: '>=',
      threshold: 3,
      params: { kinds: ALL_IP, standards: 1 },
      label: {
        zh: '再评估：年均新增自主知识产权或参与标准制定',
        en: 'Renewal: new IP per year on average, or taking part in a standard',
      },
      source:
        src('续期时需证明企业能力持续提升，例如 CS3 级企业需新增自主知识产权（年均 3 项以上）或参与行业标准制定') +
        `；${ASSUMED}：窗口内发布、本企业参与起草的标准至少 1 项，即可代替知识产权数量`,
      advisory: true,
      appliesTo: ['renewal'],
    },
    {
      id: `${p}.net-profit`,
      kind: 'financial-total',
      operator: '>',
      threshold: '0',
      params: { field: 'netProfit', aggregate: 'sum' },
      label: { zh: '近三年净利润合计为正', en: 'Net profit over the window is positive' },
      source: src('提供近三年审计报告，重点关注净利润率、现金流稳定性') + `；${ASSUMED}：门槛为合计大于 0`,
      advisory: true,
    },
    {
      id: `${p}.cash-flow`,
      kind: 'financial-total',
      operator: '>',
      threshold: '0',
      params: { field: 'operatingCashFlow', aggregate: 'sum' },
      label: { zh: '近三年经营活动现金流量净额合计为正', en: 'Operating cash flow over the window is positive' },
      source: src('提供近三年审计报告，重点关注净利润率、现金流稳定性') + `；${ASSUMED}：门槛为合计大于 0`,
      advisory: true,
    },
  ];
}

const CARRIED_CS4 = `${ASSUMED}：指引对 CS3 提出的附加要求，CS4 至少同样适用，门槛沿用 CS3`;
const CARRIED_CS5 = `${ASSUMED}：CS5 无公开数值，沿用 CS4 门槛作为下限`;

function defaultSet(level: Level): RequirementSet {
  // Acceptance is the truthful default: a project signed but not accepted is not completed work.
  const common = { window: { kind: 'calendar-years', years: 3 }, projectDateBasis: 'accepted' } as const;
  const eligibility = eligibilityRequirements(level);
  switch (level) {
    case 'CS1':
    case 'CS2':
      return {
        id: `default-${level.toLowerCase()}`,
        level,
        ...common,
        source: `${TABLE}；${GUIDANCE}（申请企业基本条件）`,
        requirements: [...eligibility, ...tableRequirements(level, TABLE_ROWS[level], TABLE)],
      };
    case 'CS3':
      return {
        id: 'default-cs3',
        level,
        ...common,
        source: `${TABLE}；${GUIDANCE}（申请企业基本条件、CS3 附加要求）`,
        requirements: [...eligibility, ...tableRequirements(level, TABLE_ROWS.CS3, TABLE), ...cs3Extras(level, null)],
      };
    case 'CS4':
      return {
        id: 'default-cs4',
        level,
        ...common,
        source: `${TABLE}；${GUIDANCE}（申请企业基本条件）；${CARRIED_CS4}`,
        requirements: [
          ...eligibility,
          ...tableRequirements(level, TABLE_ROWS.CS4, TABLE),
          ...cs3Extras(level, CARRIED_CS4),
        ],
      };
    case 'CS5':
      return {
        id: 'default-cs5',
        level,
        ...common,
        source: `${CARRIED_CS5}；${GUIDANCE}（申请企业基本条件）`,
        requirements: [
          ...eligibility,
          ...tableRequirements(level, TABLE_ROWS.CS4, `${CARRIED_CS5}（CS4 值：${TABLE}）`),
          ...cs3Extras(level, `${CARRIED_CS5}；${CARRIED_CS4}`),
        ],
      };
  }
}

/**
 * The shipped advisory requirement sets, per level: the guidance's conditions for every applicant,
 * the consultancies' table for CS1–CS4, the guidance's CS3 extras for CS3 (carried unchanged to
 * CS4), and CS5 = CS4's thresholds (no public figures; our assumption, so every CS5 threshold says so).
 */
export const DEFAULT_REQUIREMENT_SETS: Readonly<Record<Level, RequirementSet>> = {
  CS1: defaultSet('CS1'),
  CS2: defaultSet('CS2'),
  CS3: defaultSet('CS3'),
  CS4: defaultSet('CS4'),
  CS5: defaultSet('CS5'),
};

/** The advisory default set for a level (a workspace may store an edited copy instead). */
export function defaultRequirementSet(level: Level): RequirementSet {
  return DEFAULT_REQUIREMENT_SETS[level];
}

// ---------------------------------------------------------------------------------------------
// Sets saved by earlier versions

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The growth requirement's label when it counted IP only. */
const IP_ONLY_GROWTH_LABEL_ZH = '再评估：年均新增自主知识产权';

/**
 * A set saved before the set chose its project date basis named one per project requirement, and
 * the shipped sets counted a project by its signing alone. Such a set now counts by acceptance (by
 * signing only where every project requirement asked for signing), so a project signed but never
 * accepted no longer counts. A saved copy of a shipped set (same id) also gains what the shipped
 * set has gained since: the eligibility conditions, and standards as a second way to show growth.
 */
function upgradeSavedSet(input: unknown): unknown {
  if (!isObject(input) || input.projectDateBasis !== undefined || !Array.isArray(input.requirements)) return input;
  const requirements: readonly unknown[] = input.requirements;
  const bases = requirements.flatMap((r) =>
    isObject(r) && isObject(r.params) && typeof r.params.dateBasis === 'string' ? [r.params.dateBasis] : [],
  );
  const projectDateBasis = bases.length > 0 && bases.every((b) => b === 'signed') ? 'signed' : 'accepted';
  const level = input.level;
  if (!isLevel(level) || input.id !== DEFAULT_REQUIREMENT_SETS[level].id) return { ...input, projectDateBasis };
  const shipped = DEFAULT_REQUIREMENT_SETS[level].requirements;
  const ids = new Set(requirements.map((r) => (isObject(r) ? r.id : undefined)));
  const added = shipped.filter((r) => (r.kind === 'legal-entity' || r.kind === 'no-adverse-records') && !ids.has(r.id));
  const growth = shipped.find((r) => r.kind === 'growth');
  const upgraded = requirements.map((r) => {
    if (!isObject(r) || r.kind !== 'ip-count' || !isObject(r.params) || r.params.per !== 'year') return r;
    if (typeof r.id !== 'string' || !r.id.endsWith('.ip-growth')) return r;
    const isShippedLabel = isObject(r.label) && r.label.zh === IP_ONLY_GROWTH_LABEL_ZH;
    return {
      ...r,
      kind: 'growth',
      label: isShippedLabel && growth ? growth.label : r.label,
      params: { ...(r.params.kinds === undefined ? {} : { kinds: r.params.kinds }), standards: 1 },
    };
  });
  return { ...input, projectDateBasis, requirements: [...added, ...upgraded] };
}
