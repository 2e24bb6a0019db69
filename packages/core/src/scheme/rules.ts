// The obligation rules of the assessment scheme as data: one table, read by the obligation engine. A number
// or a source changes here, not in the engine. What each rule means, its source clause and how sure we
// are of it: docs/domain.md, "Obligation rules".
import type { Level } from './levels.js';

/**
 * Where a rule comes from. M = the measures (管理办法) as several consultancies quote them; O = an
 * official interpretation; S = industry guidance (a consultancy's maintenance article, not an official
 * text); X = our assumption where the sources are silent or differ. A = the Civil Code's counting of
 * periods: it decides how a deadline is counted, not what is due, so no rule lists it as a source.
 */
export type SourceCode = 'M' | 'O' | 'S' | 'A' | 'X';

/** What the user reads instead of a source code. */
export const SOURCE_LABELS: Readonly<Record<SourceCode, { zh: string; en: string }>> = {
  M: { zh: '办法', en: 'the measures' },
  O: { zh: '官方解读', en: 'official interpretation' },
  S: { zh: '行业惯例', en: 'industry practice' },
  A: { zh: '《民法典》期间计算', en: 'Civil Code period counting' },
  X: { zh: '本产品假设', en: 'our assumption' },
};

/** How a rule's text marks a duty that rests on industry guidance alone, so nobody mistakes it for the measures. */
export const INDUSTRY_GUIDANCE = { zh: '据行业指引', en: 'per industry guidance' } as const;

export type SourceLanguage = 'zh' | 'en';

function isSourceCode(code: string): code is SourceCode {
  return Object.hasOwn(SOURCE_LABELS, code);
}

/**
 * The sources of a rule as the user reads them: `sourceLabel('M, S', 'zh')` → "办法、行业惯例",
 * `sourceLabel(['S', 'X'], 'en')` → "industry practice, our assumption". Takes the codes or their
 * stored form ("M, S"); an unknown code is shown as it is rather than dropped.
 */
export function sourceLabel(sources: string | readonly string[], lang: SourceLanguage): string {
  const codes = typeof sources === 'string' ? sources.split(/[\s,，、]+/) : sources;
  const labels: string[] = [];
  for (const raw of codes) {
    const code = raw.trim();
    if (code === '') continue;
    const label = isSourceCode(code) ? SOURCE_LABELS[code][lang] : code;
    if (!labels.includes(label)) labels.push(label);
  }
  return labels.join(lang === 'zh' ? '、' : ', ');
}

/** The event types the engine understands (what triggers a rule). */
export const EVENT_TYPES = [
  'self-check.notice',
  'self-check.submitted',
  'self-check.abnormal',
  'complaint',
  'incident',
  'license.changed',
  'change.general',
  'change.applied',
  'change.major',
  'acquired',
  'lost',
  'lost.applied',
  'supervision.done',
  'renewal.applied',
  'upgrade.applied',
  'policy.update',
  'assessment.step',
  'certificate.reissued',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What each event is called in documents written for the company. */
export const EVENT_TYPE_NAMES_ZH: Readonly<Record<EventType, string>> = {
  'self-check.notice': '自查通知',
  'self-check.submitted': '年度自查报告已提交',
  'self-check.abnormal': '自查异常',
  complaint: '投诉',
  incident: '信息安全事故/重大违规',
  'license.changed': '营业执照变更',
  'change.general': '一般变更',
  'change.applied': '已提交变更申请',
  'change.major': '重大变更',
  acquired: '被并购',
  lost: '证书遗失',
  'lost.applied': '已申请补办',
  'supervision.done': '监督评估结果',
  'renewal.applied': '已提交再评估申请',
  'upgrade.applied': '已提交升级申请',
  'policy.update': '政策/标准更新',
  'assessment.step': '评估环节',
  'certificate.reissued': '证书已换发/补发',
};

/** What starts a rule's count. */
export type RuleTrigger =
  /** The certificate's issue date. */
  | { kind: 'issue' }
  /** Counted back from the expiry date. */
  | { kind: 'expiry' }
  /** A schedule: the end of each period (per level), or each certificate year. */
  | { kind: 'schedule'; every: Partial<Record<Level, 'month' | 'quarter' | 'certificate-year'>> }
  /** The first supervision done; due with the renewal application (no interval is published). */
  | { kind: 'after-rule'; rule: RuleId }
  /** An event; `passed` narrows `supervision.done`. */
  | { kind: 'event'; event: EventType; passed?: boolean }
  /**
   * Set by people, never by the engine: a corrective action of an internal audit's nonconformity,
   * an action item of a meeting. The rule gives its kind, reminders and source; the due date is theirs.
   */
  | { kind: 'recorded' };

/**
 * How the deadline is counted from the trigger: `workdays` (N-th working day after, start not
 * counted), `days` (trigger + N, moved to the next working day when that day is not one),
 * `months` (corresponding day, else month end; moved like days), `hours` (an instant),
 * `period-end` (last working day of the period), `on-trigger` (the trigger day itself).
 */
export type CountUnit = 'workdays' | 'days' | 'months' | 'hours' | 'period-end' | 'on-trigger';

/** When to remind: days before the due date (0 = on the day), and escalation when overdue. */
export interface ReminderLadder {
  daysBefore: readonly number[];
  /** Start reminding from the obligation's window start (e.g. renewal from expiry − 6 months). */
  fromWindowStart?: boolean;
  overdueEscalation: 'manager' | 'none';
}

export const DEFAULT_REMINDERS: ReminderLadder = { daysBefore: [30, 15, 7, 1, 0], overdueEscalation: 'manager' };

export interface ObligationRule {
  id: RuleId;
  titleZh: string;
  titleEn: string;
  /** What has to be done, one sentence. */
  descriptionZh: string;
  descriptionEn: string;
  trigger: RuleTrigger;
  /** Size of the count in `unit`; negative counts back (renewal: −3 months before expiry). */
  count: number;
  unit: CountUnit;
  /** Optional window opening, in the same unit family (months from issue; months before expiry). */
  window?: { count: number; unit: 'months' };
  levels: readonly Level[];
  sources: readonly SourceCode[];
  reminders: ReminderLadder;
  /**
   * What we assume where the sources are silent or differ; shown after the basis as "本产品假设：…",
   * so it is one clause without a final full stop.
   */
  assumptionZh?: string;
  assumptionEn?: string;
}

const ALL: readonly Level[] = ['CS1', 'CS2', 'CS3', 'CS4', 'CS5'];
const LOW: readonly Level[] = ['CS1', 'CS2'];
const HIGH: readonly Level[] = ['CS3', 'CS4', 'CS5'];

export const RULE_IDS = [
  'expiry',
  'renewal.apply',
  'self-check.annual',
  'self-check.onsite-recheck',
  'supervision.first',
  'supervision.second',
  'audit.internal',
  'meeting.quarterly',
  'license.mismatch',
  'change.general',
  'change.general.reissue',
  'change.major',
  'change.acquired',
  'incident.report',
  'complaint.response',
  'supervision.failed',
  'supervision.failed.reassess',
  'lost.replace',
  'lost.replace.collect',
  'policy.review',
  'audit.corrective',
  'meeting.action',
  'supervision.finding',
  'policy.action',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** The rules table: each duty with its deadline, levels and source. */
export const OBLIGATION_RULES: readonly ObligationRule[] = [
  {
    id: 'expiry',
    titleZh: '证书到期',
    titleEn: 'Certificate expires',
    descriptionZh: '证书有效期届满（证书所印到期日；未填写时按发证日 + 4 年 − 1 日）。',
    descriptionEn: 'The certificate expires on its printed date (default: issue + 4 years − 1 day).',
    trigger: { kind: 'expiry' },
    count: 0,
    unit: 'on-trigger',
    levels: ALL,
    sources: ['M'],
    reminders: { daysBefore: [180, 90, 30, 7, 0], overdueEscalation: 'manager' },
  },
  {
    id: 'renewal.apply',
    titleZh: '提交再评估（换证）申请',
    titleEn: 'Submit the renewal application',
    descriptionZh:
      '期满前 3 个月提交再评估申请，流程与初次评估一致。各来源对“期满前 3 个月”是开始提交的时间还是提交截止日说法不一；本产品按截止日计，自期满前 6 个月起提醒。',
    descriptionEn:
      'Apply for re-assessment 3 months before expiry (the same process as the initial assessment). Sources differ on whether “3 months before expiry” opens the application window or is the deadline; we treat it as the deadline and remind from 6 months before expiry.',
    trigger: { kind: 'expiry' },
    count: -3,
    unit: 'months',
    window: { count: -6, unit: 'months' },
    levels: ALL,
    sources: ['M', 'S'],
    reminders: { daysBefore: [90, 60, 30, 15, 7, 1, 0], fromWindowStart: true, overdueEscalation: 'manager' },
    assumptionZh: '各来源对“期满前 3 个月”是开始提交的时间还是提交截止日说法不一，按截止日计',
    assumptionEn:
      'sources differ on whether “3 months before expiry” opens the application window or is the deadline; it is treated as the deadline',
  },
  {
    id: 'self-check.annual',
    titleZh: '年度自查报告',
    titleEn: 'Annual self-check report',
    descriptionZh: '通过评估工作管理平台提交《年度自查报告》，截止日以评估工作部当年通知为准。',
    descriptionEn: 'Submit the annual self-check report on the platform by the date in that year’s notice.',
    trigger: { kind: 'schedule', every: { CS1: 'certificate-year', CS2: 'certificate-year' } },
    count: 12,
    unit: 'months',
    levels: LOW,
    sources: ['M', 'S', 'X'],
    reminders: DEFAULT_REMINDERS,
    assumptionZh: '收到当年通知前，暂按获证周年日计（待通知）',
    assumptionEn: 'until that year’s notice is entered, the anniversary of issue is used (awaiting notice)',
  },
  {
    id: 'self-check.onsite-recheck',
    titleZh: '配合自查异常现场复核',
    titleEn: 'On-site re-check after an abnormal self-check',
    descriptionZh: '据行业指引，自查报告被标记为“异常”后，15 个工作日内配合评估机构完成现场复核。',
    descriptionEn:
      'Per industry guidance, cooperate with the on-site re-check within 15 working days of an abnormal self-check.',
    trigger: { kind: 'event', event: 'self-check.abnormal' },
    count: 15,
    unit: 'workdays',
    levels: LOW,
    sources: ['S'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'supervision.first',
    titleZh: '第一次监督评估',
    titleEn: 'First supervision',
    descriptionZh: '获证后 12–18 个月内完成第一次监督评估。',
    descriptionEn: 'First supervisory assessment between issue + 12 and issue + 18 months.',
    trigger: { kind: 'issue' },
    count: 18,
    unit: 'months',
    window: { count: 12, unit: 'months' },
    levels: HIGH,
    sources: ['M', 'S'],
    reminders: { daysBefore: [90, 30, 15, 7, 1, 0], fromWindowStart: true, overdueEscalation: 'manager' },
  },
  {
    id: 'supervision.second',
    titleZh: '第二次监督评估',
    titleEn: 'Second supervision',
    descriptionZh: '在提交再评估申请前完成第二次监督评估；两次合计覆盖全部能力项，每次人日数不少于初次评估的 50%。',
    descriptionEn:
      'Second supervisory assessment before the renewal application; together both cover every capability item, each ≥ 50 % of the initial person-days.',
    trigger: { kind: 'after-rule', rule: 'renewal.apply' },
    count: 0,
    unit: 'on-trigger',
    levels: HIGH,
    sources: ['M', 'S', 'X'],
    reminders: DEFAULT_REMINDERS,
    assumptionZh: '两次监督评估的间隔未公布，按再评估申请截止日计',
    assumptionEn: 'no interval between the two supervisions is published, so it is due with the renewal application',
  },
  {
    id: 'audit.internal',
    titleZh: '内部合规检查',
    titleEn: 'Internal audit',
    descriptionZh:
      '据行业指引，检查项目文档完整性（合同、验收单、用户反馈）、人员资质更新、财务数据准确性。CS1/CS2 每季度，CS3 及以上每月。',
    descriptionEn:
      'Per industry guidance, check document completeness (contract, acceptance, user feedback), staff qualifications and financial data; quarterly for CS1/CS2, monthly for CS3+.',
    trigger: { kind: 'schedule', every: { CS1: 'quarter', CS2: 'quarter', CS3: 'month', CS4: 'month', CS5: 'month' } },
    count: 0,
    unit: 'period-end',
    levels: ALL,
    sources: ['S'],
    reminders: { daysBefore: [7, 1, 0], overdueEscalation: 'manager' },
  },
  {
    id: 'meeting.quarterly',
    titleZh: '资质维护季度会议',
    titleEn: 'Quarterly maintenance meeting',
    descriptionZh: '据行业指引，每季度召开资质维护专项会议，动态调整策略。',
    descriptionEn: 'Per industry guidance, hold a qualification-maintenance meeting every quarter.',
    trigger: {
      kind: 'schedule',
      every: { CS1: 'quarter', CS2: 'quarter', CS3: 'quarter', CS4: 'quarter', CS5: 'quarter' },
    },
    count: 0,
    unit: 'period-end',
    levels: ALL,
    sources: ['S'],
    reminders: { daysBefore: [7, 1, 0], overdueEscalation: 'manager' },
  },
  {
    id: 'license.mismatch',
    titleZh: '营业执照变更备案',
    titleEn: 'File the business-licence change',
    descriptionZh: '工商变更导致营业执照信息与证书不一致，30 日内完成变更备案。',
    descriptionEn: 'Business-licence data no longer matches the certificate: file the change within 30 days.',
    trigger: { kind: 'event', event: 'license.changed' },
    count: 30,
    unit: 'days',
    levels: ALL,
    sources: ['S', 'M'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'change.general',
    titleZh: '一般变更申请',
    titleEn: 'Apply for a general change',
    descriptionZh: '名称、地址等变更后 30 日内向评估机构提出变更申请。',
    descriptionEn: 'Apply to the assessment body within 30 days of a change of name, address, etc.',
    trigger: { kind: 'event', event: 'change.general' },
    count: 30,
    unit: 'days',
    levels: ALL,
    sources: ['M'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'change.general.reissue',
    titleZh: '变更后领取换发证书',
    titleEn: 'Collect the re-issued certificate',
    descriptionZh: '据行业指引，提交变更申请后 15 个工作日内完成证书换发。',
    descriptionEn:
      'Per industry guidance, the certificate is re-issued within 15 working days of the change application.',
    trigger: { kind: 'event', event: 'change.applied' },
    count: 15,
    unit: 'workdays',
    levels: ALL,
    sources: ['S'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'change.major',
    titleZh: '提出重大变更申请',
    titleEn: 'Submit the major-change application',
    descriptionZh:
      '分立、合并、重组后 90 日内向评估机构提出重大变更申请（申请现场评估）；现场评估由评估机构安排，不要求在该期限内完成。',
    descriptionEn:
      'Submit the major-change application (the request for an on-site assessment) to the assessment body within 90 days of a division, merger or restructuring; the assessment itself is scheduled by the body and need not be completed within that time.',
    trigger: { kind: 'event', event: 'change.major' },
    count: 90,
    unit: 'days',
    levels: ALL,
    sources: ['M', 'S'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'change.acquired',
    titleZh: '被并购：原证书失效，新主体重新申请',
    titleEn: 'Acquired: certificate invalid, the new entity must apply again',
    descriptionZh: '据行业指引，企业被并购，原证书自动失效，新主体需重新申请资质。',
    descriptionEn:
      'Per industry guidance, when the company is acquired the certificate is invalid at once and the new entity must apply again.',
    trigger: { kind: 'event', event: 'acquired' },
    count: 0,
    unit: 'on-trigger',
    levels: ALL,
    sources: ['S'],
    reminders: { daysBefore: [0], overdueEscalation: 'manager' },
  },
  {
    id: 'incident.report',
    titleZh: '重大事件书面报备',
    titleEn: 'Written incident report',
    descriptionZh: '据行业指引，信息安全事故、偷税漏税等重大违规，事件发生后 48 小时内向评估机构书面报备。',
    descriptionEn:
      'Per industry guidance, report an information-security incident, tax offence or other serious violation in writing within 48 hours.',
    trigger: { kind: 'event', event: 'incident' },
    count: 48,
    unit: 'hours',
    levels: ALL,
    sources: ['S'],
    reminders: { daysBefore: [1, 0], overdueEscalation: 'manager' },
  },
  {
    id: 'complaint.response',
    titleZh: '投诉调查与整改方案',
    titleEn: 'Complaint investigation and rectification plan',
    descriptionZh: '据行业指引，客户投诉或监管通报，7 个工作日内完成内部调查并提交整改方案，整改完成后申请现场复核。',
    descriptionEn:
      'Per industry guidance, investigate and submit a rectification plan within 7 working days; then request an on-site review.',
    trigger: { kind: 'event', event: 'complaint' },
    count: 7,
    unit: 'workdays',
    levels: ALL,
    sources: ['S'],
    reminders: { daysBefore: [3, 1, 0], overdueEscalation: 'manager' },
  },
  {
    id: 'supervision.failed',
    titleZh: '监督评估未通过：书面整改计划',
    titleEn: 'Supervision failed: written rectification plan',
    descriptionZh: '据行业指引，监督评估未通过，15 日内提交书面整改计划；整改期 3 个月，期间暂停使用证书。',
    descriptionEn:
      'Per industry guidance, submit a written rectification plan within 15 days; the certificate is suspended during 3 months of rectification.',
    trigger: { kind: 'event', event: 'supervision.done', passed: false },
    count: 15,
    unit: 'days',
    levels: HIGH,
    sources: ['S'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'supervision.failed.reassess',
    titleZh: '整改期满：申请重新评估',
    titleEn: 'End of rectification: apply for re-assessment',
    descriptionZh: '据行业指引，3 个月整改期满前完成整改并重新申请评估。',
    descriptionEn:
      'Per industry guidance, complete rectification and apply for re-assessment by the end of the 3-month period.',
    trigger: { kind: 'event', event: 'supervision.done', passed: false },
    count: 3,
    unit: 'months',
    levels: HIGH,
    sources: ['S'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'lost.replace',
    titleZh: '证书遗失：登报声明并申请补发',
    titleEn: 'Certificate lost: publish a notice and apply for re-issue',
    descriptionZh:
      '据行业指引，在省级以上媒体刊登遗失声明（注明证书编号、有效期），持声明原件向评估机构申请补发（工本费约 200 元）。',
    descriptionEn:
      'Per industry guidance, publish a loss notice in provincial-or-higher media and apply to the assessment body for re-issue with it (fee about ¥200).',
    trigger: { kind: 'event', event: 'lost' },
    count: 30,
    unit: 'days',
    levels: ALL,
    sources: ['S', 'X'],
    reminders: DEFAULT_REMINDERS,
    assumptionZh: '行业指引未给出登报和申请补发的时限，按 30 日计',
    assumptionEn:
      'industry guidance gives no time limit for the loss notice and the re-issue application: counted as 30 days',
  },
  {
    id: 'lost.replace.collect',
    titleZh: '领取补发证书',
    titleEn: 'Collect the re-issued certificate',
    descriptionZh: '据行业指引，提交补发申请后 10 个工作日内领取新证书。',
    descriptionEn:
      'Per industry guidance, collect the new certificate within 10 working days of the re-issue application.',
    trigger: { kind: 'event', event: 'lost.applied' },
    count: 10,
    unit: 'workdays',
    levels: ALL,
    sources: ['S'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'policy.review',
    titleZh: '评估标准/政策更新影响评审',
    titleEn: 'Review a standard or policy update',
    descriptionZh: '据行业指引，电子联合会发布新标准或政策后，评审影响并调整业务流程。',
    descriptionEn:
      'Per industry guidance, review the impact of a published standard or policy update and adjust processes.',
    trigger: { kind: 'event', event: 'policy.update' },
    count: 30,
    unit: 'days',
    levels: ALL,
    sources: ['S', 'X'],
    reminders: DEFAULT_REMINDERS,
    assumptionZh: '行业指引未给出固定时限，按 30 日计',
    assumptionEn: 'industry guidance gives no fixed deadline: counted as 30 days',
  },
  {
    id: 'audit.corrective',
    titleZh: '不符合项纠正措施',
    titleEn: 'Corrective action',
    descriptionZh: '据行业指引，内部合规检查发现的不符合项由负责人在期限内纠正，附上纠正的证据后关闭。',
    descriptionEn:
      'Per industry guidance, a nonconformity an internal audit found is corrected by its owner by the due date and closed with the evidence.',
    trigger: { kind: 'recorded' },
    count: 0,
    unit: 'on-trigger',
    levels: ALL,
    sources: ['S'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'meeting.action',
    titleZh: '会议待办事项',
    titleEn: 'Meeting action item',
    descriptionZh: '据行业指引，资质维护季度会议决定的事项由负责人在期限内完成。',
    descriptionEn:
      'Per industry guidance, an action the quarterly qualification meeting decided is completed by its owner by the due date.',
    trigger: { kind: 'recorded' },
    count: 0,
    unit: 'on-trigger',
    levels: ALL,
    sources: ['S'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'supervision.finding',
    titleZh: '监督评估发现问题整改',
    titleEn: 'Supervision finding to rectify',
    descriptionZh: '据行业指引，监督评估中评估机构指出的问题由负责人在期限内整改，附上整改的证据后关闭。',
    descriptionEn:
      'Per industry guidance, a finding the assessment body made at a supervision is rectified by its owner by the due date and closed with the evidence.',
    trigger: { kind: 'recorded' },
    count: 0,
    unit: 'on-trigger',
    levels: ALL,
    sources: ['S'],
    reminders: DEFAULT_REMINDERS,
  },
  {
    id: 'policy.action',
    titleZh: '政策更新落实事项',
    titleEn: 'Policy update action',
    descriptionZh: '据行业指引，评估标准或政策更新后，评审影响时确定的调整事项由负责人在期限内完成。',
    descriptionEn:
      'Per industry guidance, an action decided when reviewing the impact of a standard or policy update is completed by its owner by the due date.',
    trigger: { kind: 'recorded' },
    count: 0,
    unit: 'on-trigger',
    levels: ALL,
    sources: ['S'],
    reminders: DEFAULT_REMINDERS,
  },
];

const BY_ID = new Map<string, ObligationRule>(OBLIGATION_RULES.map((r) => [r.id, r]));

/** The rule with id `id`; throws for an unknown id (a programming error). */
export function getRule(id: RuleId): ObligationRule {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`Unknown obligation rule ${id}`);
  return r;
}
