// Events that happen to a certificate, validated with zod. Unknown types and missing fields are
// errors that say what to fix, never ignored. Messages are in Chinese: they reach the user as they are.
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR, isValidDate } from '../calendar/days.js';
import { InvalidEventError } from '../errors.js';
import { EVENT_TYPES, type EventType } from '../scheme/rules.js';
import { parseInstant } from './instant.js';

/** What each event type is called, for messages and pages. */
export const EVENT_TYPE_LABELS: Readonly<Record<EventType, { zh: string; en: string }>> = {
  'self-check.notice': { zh: '年度自查通知', en: 'self-check notice' },
  'self-check.submitted': { zh: '年度自查报告已提交', en: 'self-check submitted' },
  'self-check.abnormal': { zh: '自查报告被标记为异常', en: 'self-check marked abnormal' },
  complaint: { zh: '客户投诉或监管通报', en: 'complaint or regulator notice' },
  incident: { zh: '重大事件（信息安全事故等）', en: 'serious incident' },
  'license.changed': { zh: '营业执照信息变更', en: 'business-licence change' },
  'change.general': { zh: '一般变更（名称、地址等）', en: 'general change (name, address …)' },
  'change.applied': { zh: '已提交变更申请', en: 'change application submitted' },
  'change.major': { zh: '重大变更（分立、合并、重组）', en: 'major change (division, merger, restructuring)' },
  acquired: { zh: '企业被并购', en: 'company acquired' },
  lost: { zh: '证书遗失', en: 'certificate lost' },
  'lost.applied': { zh: '已申请补发证书', en: 're-issue applied for' },
  'supervision.done': { zh: '监督评估', en: 'supervisory assessment' },
  'renewal.applied': { zh: '已提交再评估（换证）申请', en: 'renewal application submitted' },
  'upgrade.applied': { zh: '已提交升级申请', en: 'upgrade application submitted' },
  'policy.update': { zh: '评估标准或政策更新', en: 'standard or policy update' },
  'assessment.step': {
    zh: '评估环节（文件审查、现场评估、专家评审）',
    en: 'assessment step (document review, on-site, expert review)',
  },
  'certificate.reissued': { zh: '证书已换发或补发', en: 'certificate re-issued' },
};

/** Why a certificate was re-issued: after a general change, a major change or a loss. */
export const REISSUE_CAUSES = ['change', 'major-change', 'loss'] as const;
export type ReissueCause = (typeof REISSUE_CAUSES)[number];

export const REISSUE_CAUSE_LABELS: Readonly<Record<ReissueCause, { zh: string; en: string }>> = {
  change: { zh: '变更后换发', en: 'after a change' },
  'major-change': { zh: '重大变更后换发', en: 'after a major change' },
  loss: { zh: '遗失补发', en: 'after a loss' },
};

/** Which assessment a step belongs to: a supervisory assessment, a renewal or an upgrade. */
export const ASSESSMENT_KINDS = ['supervision', 'renewal', 'upgrade'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/**
 * The body's steps between the application and the result, in order. The application and the result
 * have their own events (renewal or upgrade applied, supervision done), which drive deadlines.
 */
export const ASSESSMENT_STEPS = ['document-review', 'on-site', 'expert-review'] as const;
export type AssessmentStep = (typeof ASSESSMENT_STEPS)[number];

export const ASSESSMENT_KIND_LABELS: Readonly<Record<AssessmentKind, { zh: string; en: string }>> = {
  supervision: { zh: '监督评估', en: 'supervisory assessment' },
  renewal: { zh: '再评估（换证）', en: 'renewal assessment' },
  upgrade: { zh: '升级评估', en: 'upgrade assessment' },
};

export const ASSESSMENT_STEP_LABELS: Readonly<Record<AssessmentStep, { zh: string; en: string }>> = {
  'document-review': { zh: '文件审查', en: 'document review' },
  'on-site': { zh: '现场评估', en: 'on-site assessment' },
  'expert-review': { zh: '专家评审', en: 'expert review' },
};

/** Field names as the user reads them in an error message. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  type: '事件类型',
  id: '编号',
  date: '日期',
  at: '发生时间',
  year: '年度',
  deadline: '截止日期',
  passed: '是否通过',
  result: '结果',
  assessment: '评估类型',
  step: '评估环节',
  cause: '换发原因',
  certificateNo: '新证书编号',
  note: '备注',
};

const req = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `必填（${what}）` : `应为${what}，收到 ${JSON.stringify(iss.input)}`;

export const EventDateSchema = z.string({ error: req('YYYY-MM-DD 格式的日期') }).refine(isValidDate, {
  error: (iss) => `必须是真实日期，写作 YYYY-MM-DD（${MIN_YEAR}–${MAX_YEAR} 年），收到 ${JSON.stringify(iss.input)}`,
});

export const EventInstantSchema = z
  .string({ error: req('带时区的时间，例如 2026-05-01T14:30:00+08:00') })
  .refine((s) => parseInstant(s) !== null, {
    error: (iss) => `必须是带时区的时间，例如 2026-05-01T14:30:00+08:00，收到 ${JSON.stringify(iss.input)}`,
  });

const YearSchema = z
  .number({ error: req(`${MIN_YEAR}–${MAX_YEAR} 之间的年份`) })
  .int({ error: (iss) => `应为 ${MIN_YEAR}–${MAX_YEAR} 之间的整数年份，收到 ${JSON.stringify(iss.input)}` })
  .min(MIN_YEAR, { error: (iss) => `应为 ${MIN_YEAR}–${MAX_YEAR} 之间的年份，收到 ${JSON.stringify(iss.input)}` })
  .max(MAX_YEAR, { error: (iss) => `应为 ${MIN_YEAR}–${MAX_YEAR} 之间的年份，收到 ${JSON.stringify(iss.input)}` });

const base = {
  /** Stable id (the server's event id); used in obligation keys. */
  id: z
    .string({ error: req('非空文字') })
    .min(1, { error: '不能为空' })
    .optional(),
  date: EventDateSchema,
  note: z.string({ error: req('文字') }).optional(),
};

const simple = <T extends EventType>(type: T) => z.object({ type: z.literal(type), ...base });

export const SelfCheckNoticeEventSchema = z
  .object({
    type: z.literal('self-check.notice'),
    ...base,
    /** The self-check year the notice is for (a year the calendar supports). */
    year: YearSchema,
    /** The submission deadline set by the notice: in the notice's year or the next. */
    deadline: EventDateSchema,
  })
  .superRefine((ev, ctx) => {
    const y = Number(ev.deadline.slice(0, 4));
    if (y !== ev.year && y !== ev.year + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['deadline'],
        message: `应在通知所属的 ${ev.year} 年或 ${ev.year + 1} 年内，收到 ${ev.deadline}`,
      });
    }
  });
/** A CS1/CS2 self-check report submitted for a year; an abnormal result starts the on-site re-check. */
export const SelfCheckSubmittedEventSchema = z.object({
  type: z.literal('self-check.submitted'),
  ...base,
  year: YearSchema,
  result: z.enum(['normal', 'abnormal'], { error: '应为 normal（正常）或 abnormal（异常）' }),
});
export const SelfCheckAbnormalEventSchema = simple('self-check.abnormal');
export const ComplaintEventSchema = simple('complaint');
export const IncidentEventSchema = z.object({
  type: z.literal('incident'),
  id: base.id,
  note: base.note,
  /** When the incident happened (an instant; the 48-hour deadline counts from it). */
  at: EventInstantSchema,
  /** Optional; when given it must be the Asia/Shanghai date of `at`. */
  date: EventDateSchema.optional(),
});
export const LicenseChangedEventSchema = simple('license.changed');
export const ChangeGeneralEventSchema = simple('change.general');
export const ChangeAppliedEventSchema = simple('change.applied');
export const ChangeMajorEventSchema = simple('change.major');
export const AcquiredEventSchema = simple('acquired');
export const LostEventSchema = simple('lost');
export const LostAppliedEventSchema = simple('lost.applied');
export const SupervisionDoneEventSchema = z.object({
  type: z.literal('supervision.done'),
  ...base,
  passed: z.boolean({ error: req('true（通过）或 false（未通过）') }),
});
/**
 * A step of an assessment, on the day it took place or is scheduled: the body announces the on-site
 * visit ahead, so a date later than today is a plan, not a mistake.
 */
export const AssessmentStepEventSchema = z.object({
  type: z.literal('assessment.step'),
  ...base,
  assessment: z.enum(ASSESSMENT_KINDS, {
    error: '应为 supervision（监督评估）、renewal（再评估）或 upgrade（升级评估）',
  }),
  step: z.enum(ASSESSMENT_STEPS, {
    error: '应为 document-review（文件审查）、on-site（现场评估）或 expert-review（专家评审）',
  }),
});
/**
 * The certificate handed over again after a change, a major change or a loss; a new number only
 * when the body printed one.
 */
export const CertificateReissuedEventSchema = z.object({
  type: z.literal('certificate.reissued'),
  ...base,
  cause: z.enum(REISSUE_CAUSES, {
    error: '应为 change（变更后换发）、major-change（重大变更后换发）或 loss（遗失补发）',
  }),
  certificateNo: z
    .string({ error: req('文字') })
    .trim()
    .min(1, { error: '不能为空；编号没有变化时不填' })
    .max(64, { error: '最多 64 个字符' })
    .optional(),
});
export const RenewalAppliedEventSchema = simple('renewal.applied');
export const UpgradeAppliedEventSchema = simple('upgrade.applied');
export const PolicyUpdateEventSchema = simple('policy.update');

export const CertificateEventSchema = z.discriminatedUnion('type', [
  SelfCheckNoticeEventSchema,
  SelfCheckSubmittedEventSchema,
  SelfCheckAbnormalEventSchema,
  ComplaintEventSchema,
  IncidentEventSchema,
  LicenseChangedEventSchema,
  ChangeGeneralEventSchema,
  ChangeAppliedEventSchema,
  ChangeMajorEventSchema,
  AcquiredEventSchema,
  LostEventSchema,
  LostAppliedEventSchema,
  SupervisionDoneEventSchema,
  RenewalAppliedEventSchema,
  UpgradeAppliedEventSchema,
  PolicyUpdateEventSchema,
  AssessmentStepEventSchema,
  CertificateReissuedEventSchema,
]);
export type CertificateEvent = z.infer<typeof CertificateEventSchema>;

const SCHEMAS: Record<EventType, z.ZodType<CertificateEvent>> = {
  'self-check.notice': SelfCheckNoticeEventSchema,
  'self-check.submitted': SelfCheckSubmittedEventSchema,
  'self-check.abnormal': SelfCheckAbnormalEventSchema,
  complaint: ComplaintEventSchema,
  incident: IncidentEventSchema,
  'license.changed': LicenseChangedEventSchema,
  'change.general': ChangeGeneralEventSchema,
  'change.applied': ChangeAppliedEventSchema,
  'change.major': ChangeMajorEventSchema,
  acquired: AcquiredEventSchema,
  lost: LostEventSchema,
  'lost.applied': LostAppliedEventSchema,
  'supervision.done': SupervisionDoneEventSchema,
  'renewal.applied': RenewalAppliedEventSchema,
  'upgrade.applied': UpgradeAppliedEventSchema,
  'policy.update': PolicyUpdateEventSchema,
  'assessment.step': AssessmentStepEventSchema,
  'certificate.reissued': CertificateReissuedEventSchema,
};

function describe(i: number, raw: unknown): string {
  const type = (raw as Record<string, unknown>)['type'];
  const label = typeof type === 'string' ? EVENT_TYPE_LABELS[type as EventType]?.zh : undefined;
  return `第 ${i + 1} 条事件${label ? `（${label}）` : ''}`;
}

function fieldLabel(path: readonly PropertyKey[]): string {
  const first = path[0];
  return typeof first === 'string' ? (FIELD_LABELS[first] ?? first) : '内容';
}

/**
 * Validates a list of events; returns them typed or throws `InvalidEventError` listing every problem
 * (unknown type, missing or malformed field), each naming the event and the field to fix.
 */
export function parseEvents(events: unknown): CertificateEvent[] {
  if (!Array.isArray(events)) {
    throw new InvalidEventError('事件应为列表，每条形如 { type, date, … }');
  }
  const problems: string[] = [];
  const out: CertificateEvent[] = [];
  events.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`第 ${i + 1} 条事件应为 { type, date, … } 形式的对象`);
      return;
    }
    const type = (raw as Record<string, unknown>)['type'];
    const schema = typeof type === 'string' ? SCHEMAS[type as EventType] : undefined;
    if (!schema) {
      problems.push(
        `第 ${i + 1} 条事件的类型${type === undefined ? '缺失' : ` ${JSON.stringify(type)} 无法识别`}，应为以下之一：${EVENT_TYPES.join('、')}`,
      );
      return;
    }
    const r = schema.safeParse(raw);
    if (!r.success) {
      for (const iss of r.error.issues) problems.push(`${describe(i, raw)}的「${fieldLabel(iss.path)}」${iss.message}`);
      return;
    }
    out.push(r.data);
  });
  if (problems.length > 0) {
    throw new InvalidEventError(`事件有误：${problems.join('；')}`, problems);
  }
  return out;
}
