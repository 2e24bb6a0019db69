// Validation of the Evidence JSON (`zizhi readiness --data company.json`, imports): every problem
// in Chinese, pointing at the field to fix, e.g. "projects[3]（id P-004）.signedOn：…".
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR, isValidDate } from '../calendar/days.js';
import {
  ADVERSE_RECORD_KINDS,
  IP_KINDS,
  MANAGEMENT_CERTIFICATE_KINDS,
  PROJECT_STATUSES,
  QUALIFICATION_KINDS,
  STANDARD_ROLES,
  type Evidence,
} from './evidence.js';
import { ZOD_MESSAGES_ZH, formatIssuePath } from './issues.js';

const got = (input: unknown) => (input === undefined ? '缺少此项' : `收到 ${JSON.stringify(input)}`);

const IdSchema = z.string({ error: (iss) => `应为非空文本编号，${got(iss.input)}` }).min(1, { error: '编号不能为空' });

const NameSchema = z
  .string({ error: (iss) => `应为名称（文本），${got(iss.input)}` })
  .trim()
  .min(1, { error: '名称不能为空' });

const OptionalText = z
  .string({ error: (iss) => `应为文本或 null，${got(iss.input)}` })
  .nullable()
  .optional();

const DateSchema = z
  .string({ error: (iss) => `应为日期 YYYY-MM-DD 或 null，${got(iss.input)}` })
  .refine(isValidDate, {
    error: (iss) =>
      `应为 ${MIN_YEAR}–${MAX_YEAR} 年间真实存在的日期，格式 YYYY-MM-DD（如 2025-03-15），${got(iss.input)}`,
  })
  .nullable()
  .optional();

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MonthSchema = z
  .string({ error: (iss) => `应为月份 YYYY-MM 或 null，${got(iss.input)}` })
  .refine((s) => MONTH_RE.test(s) && Number(s.slice(0, 4)) >= MIN_YEAR && Number(s.slice(0, 4)) <= MAX_YEAR, {
    error: (iss) => `应为月份，格式 YYYY-MM（如 2025-03），${got(iss.input)}`,
  })
  .nullable()
  .optional();

const MONEY_RE = /^-?\d{1,15}(\.\d{1,2})?$/;
/**
 * Money in yuan: a decimal string ("12345.67"). A JSON number is accepted and turned into its
 * decimal string when it has at most two decimals, so hand-written files may use 12000000.
 */
export const MoneySchema = z
  .union([z.string(), z.number()], { error: (iss) => `应为以元为单位的金额，如 "12345.67"，${got(iss.input)}` })
  .transform((v, ctx) => {
    const s = typeof v === 'number' ? String(v) : v.trim();
    if (!MONEY_RE.test(s)) {
      ctx.addIssue({
        code: 'custom',
        message: `应为以元为单位的金额，最多两位小数，如 "12345.67"，${got(v)}`,
      });
      return z.NEVER;
    }
    return s;
  })
  .nullable()
  .optional();

const bool = z.boolean({ error: (iss) => `应为 true 或 false，${got(iss.input)}` }).optional();

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: (iss) => `${what}应为 ${values.join('、')} 之一，${got(iss.input)}` });

const list = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item, { error: (iss) => `应为${what}列表（数组），${got(iss.input)}` })
    .readonly()
    .optional();

const obj = <T extends z.core.$ZodLooseShape>(shape: T, what: string) =>
  z.object(shape, { error: (iss) => `应为${what}对象，${got(iss.input)}` });

export const EvidenceProjectSchema = obj(
  {
    id: IdSchema,
    name: NameSchema,
    client: OptionalText,
    contractNumber: OptionalText,
    amount: MoneySchema,
    signedOn: DateSchema,
    acceptedOn: DateSchema,
    status: enumOf(PROJECT_STATUSES, '项目状态'),
    managerId: OptionalText,
    technologies: z
      .array(z.string({ error: (iss) => `技术标签应为文本，${got(iss.input)}` }), {
        error: (iss) => `应为技术标签列表，如 ["云计算", "大数据"]，${got(iss.input)}`,
      })
      .readonly()
      .optional(),
  },
  '项目',
);

export const EvidenceStaffSchema = obj(
  {
    id: IdSchema,
    name: NameSchema,
    role: OptionalText,
    isRnd: bool,
    isTechnical: bool,
    employedFrom: DateSchema,
    employedUntil: DateSchema,
    socialInsuranceFrom: MonthSchema,
    socialInsuranceUntil: MonthSchema,
  },
  '人员',
);

export const EvidenceQualificationSchema = obj(
  {
    id: IdSchema,
    staffId: IdSchema,
    kind: enumOf(QUALIFICATION_KINDS, '证书类型'),
    name: OptionalText,
    number: OptionalText,
    issuedOn: DateSchema,
    expiresOn: DateSchema,
  },
  '人员证书',
);

export const EvidenceFinancialYearSchema = obj(
  {
    year: z
      .number({ error: (iss) => `应为年份（整数），${got(iss.input)}` })
      .int({ error: (iss) => `应为整数年份，${got(iss.input)}` })
      .min(MIN_YEAR, { error: (iss) => `年份应在 ${MIN_YEAR}–${MAX_YEAR} 之间，${got(iss.input)}` })
      .max(MAX_YEAR, { error: (iss) => `年份应在 ${MIN_YEAR}–${MAX_YEAR} 之间，${got(iss.input)}` }),
    revenue: MoneySchema,
    systemIntegrationRevenue: MoneySchema,
    softwareServiceRevenue: MoneySchema,
    rndExpense: MoneySchema,
    netProfit: MoneySchema,
    operatingCashFlow: MoneySchema,
    audited: bool,
  },
  '财务年度',
);

export const EvidenceIpSchema = obj(
  {
    id: IdSchema,
    kind: enumOf(IP_KINDS, '知识产权类型'),
    name: NameSchema,
    number: OptionalText,
    grantedOn: DateSchema,
  },
  '知识产权',
);

export const EvidenceManagementCertificateSchema = obj(
  {
    id: IdSchema,
    kind: enumOf(MANAGEMENT_CERTIFICATE_KINDS, '管理体系证书类型'),
    name: OptionalText,
    number: OptionalText,
    issuedOn: DateSchema,
    expiresOn: DateSchema,
  },
  '管理体系证书',
);

export const EvidenceLegalEntitySchema = obj(
  {
    isIndependent: z.boolean({ error: (iss) => `是否独立法人应为 true 或 false，${got(iss.input)}` }),
    confirmedOn: DateSchema,
    files: z
      .number({ error: (iss) => `附件数应为整数，${got(iss.input)}` })
      .int({ error: (iss) => `附件数应为整数，${got(iss.input)}` })
      .min(0, { error: (iss) => `附件数不能为负数，${got(iss.input)}` })
      .optional(),
  },
  '独立法人确认',
);

export const EvidenceAdverseRecordSchema = obj(
  {
    id: IdSchema,
    kind: enumOf(ADVERSE_RECORD_KINDS, '不良记录类型'),
    listedOn: DateSchema,
    clearedOn: DateSchema,
    note: OptionalText,
  },
  '不良记录',
);

export const EvidenceStandardSchema = obj(
  {
    id: IdSchema,
    name: NameSchema,
    number: OptionalText,
    role: enumOf(STANDARD_ROLES, '参与角色'),
    publishedOn: DateSchema,
  },
  '标准制定',
);

type Ctx = z.core.$RefinementCtx;

function uniqueIds(items: readonly { id: string }[] | undefined, field: string, ctx: Ctx): void {
  const seen = new Set<string>();
  items?.forEach((it, i) => {
    if (seen.has(it.id)) {
      ctx.addIssue({ code: 'custom', path: [field, i, 'id'], message: `编号 ${it.id} 重复：同一列表中的编号必须唯一` });
    }
    seen.add(it.id);
  });
}

function ordered(
  a: string | null | undefined,
  b: string | null | undefined,
  path: PropertyKey[],
  message: string,
  ctx: Ctx,
): void {
  if (a && b && b < a) ctx.addIssue({ code: 'custom', path, message });
}

/** The Evidence JSON; the inferred type is `Evidence` (see evidence.ts). */
export const EvidenceSchema = obj(
  {
    organisation: obj({ name: OptionalText, businessSince: DateSchema }, '企业信息').optional(),
    projects: list(EvidenceProjectSchema, '项目'),
    staff: list(EvidenceStaffSchema, '人员'),
    qualifications: list(EvidenceQualificationSchema, '人员证书'),
    financialYears: list(EvidenceFinancialYearSchema, '财务年度'),
    ip: list(EvidenceIpSchema, '知识产权'),
    managementCertificates: list(EvidenceManagementCertificateSchema, '管理体系证书'),
    legalEntity: EvidenceLegalEntitySchema.nullable().optional(),
    adverseRecords: list(EvidenceAdverseRecordSchema, '不良记录'),
    standards: list(EvidenceStandardSchema, '标准制定'),
  },
  '证据数据（Evidence）',
).superRefine((ev, ctx) => {
  uniqueIds(ev.projects, 'projects', ctx);
  uniqueIds(ev.staff, 'staff', ctx);
  uniqueIds(ev.qualifications, 'qualifications', ctx);
  uniqueIds(ev.ip, 'ip', ctx);
  uniqueIds(ev.managementCertificates, 'managementCertificates', ctx);
  uniqueIds(ev.adverseRecords, 'adverseRecords', ctx);
  uniqueIds(ev.standards, 'standards', ctx);
  const years = new Set<number>();
  ev.financialYears?.forEach((f, i) => {
    if (years.has(f.year)) {
      ctx.addIssue({ code: 'custom', path: ['financialYears', i, 'year'], message: `${f.year} 年的财务数据重复` });
    }
    years.add(f.year);
  });
  ev.staff?.forEach((s, i) => {
    ordered(s.employedFrom, s.employedUntil, ['staff', i, 'employedUntil'], '离职日期早于入职日期', ctx);
    ordered(
      s.socialInsuranceFrom,
      s.socialInsuranceUntil,
      ['staff', i, 'socialInsuranceUntil'],
      '社保最后缴费月份早于首次缴费月份',
      ctx,
    );
  });
  ev.qualifications?.forEach((q, i) => {
    ordered(q.issuedOn, q.expiresOn, ['qualifications', i, 'expiresOn'], '证书到期日早于发证日', ctx);
  });
  ev.managementCertificates?.forEach((c, i) => {
    ordered(c.issuedOn, c.expiresOn, ['managementCertificates', i, 'expiresOn'], '证书到期日早于发证日', ctx);
  });
  ev.adverseRecords?.forEach((r, i) => {
    ordered(r.listedOn, r.clearedOn, ['adverseRecords', i, 'clearedOn'], '移出日期早于列入日期', ctx);
  });
  // References are checked only when a staff list is given: a file may carry projects alone.
  if (ev.staff) {
    const ids = new Set(ev.staff.map((s) => s.id));
    ev.projects?.forEach((p, i) => {
      if (p.managerId && !ids.has(p.managerId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['projects', i, 'managerId'],
          message: `项目经理 ${p.managerId} 不在人员名单（staff）中`,
        });
      }
    });
    ev.qualifications?.forEach((q, i) => {
      if (!ids.has(q.staffId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['qualifications', i, 'staffId'],
          message: `持证人 ${q.staffId} 不在人员名单（staff）中`,
        });
      }
    });
  }
});

// The schema's output must stay assignable to the Evidence shape the evaluator reads.
const _shapeCheck = (e: z.output<typeof EvidenceSchema>): Evidence => e;
void _shapeCheck;

/** Evidence JSON that fails validation; `problems` lists every finding as "path：message". */
export class InvalidEvidenceError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(readonly problems: readonly string[]) {
    super(`证据数据有误：${problems.join('；')}`);
    this.name = 'InvalidEvidenceError';
  }
}

/** "projects[3]（id P-004）.signedOn": the path, with the item's id when it has one. */
function describePath(path: readonly PropertyKey[], input: unknown): string {
  const [list, index, ...rest] = path;
  if (typeof list === 'string' && typeof index === 'number' && input && typeof input === 'object') {
    const item = (input as Record<string, unknown>)[list];
    const el = Array.isArray(item) ? (item[index] as unknown) : undefined;
    const id = el && typeof el === 'object' ? (el as Record<string, unknown>)['id'] : undefined;
    if (typeof id === 'string' && id !== '') {
      const tail = formatIssuePath(rest);
      return `${list}[${index}]（id ${id}）${rest.length > 0 ? (tail.startsWith('[') ? tail : `.${tail}`) : ''}`;
    }
  }
  return formatIssuePath(path);
}

/** Every problem of an Evidence JSON, each "path：message" in Chinese; empty when valid. */
export function evidenceProblems(input: unknown): string[] {
  const r = EvidenceSchema.safeParse(input, { error: ZOD_MESSAGES_ZH });
  return r.success ? [] : r.error.issues.map((i) => `${describePath(i.path, input)}：${i.message}`);
}

/** Validates Evidence JSON; returns it typed (amounts as decimal strings) or throws `InvalidEvidenceError`. */
export function parseEvidence(input: unknown): Evidence {
  const r = EvidenceSchema.safeParse(input, { error: ZOD_MESSAGES_ZH });
  if (r.success) return r.data;
  throw new InvalidEvidenceError(r.error.issues.map((i) => `${describePath(i.path, input)}：${i.message}`));
}
