// The procedures a certificate's events start (变更, 重大变更, 遗失补办, 整改, 政策更新), as data:
// which events open each, its steps in order (a step's deadline is the engine's obligation of the
// rule it names, with the basis sentence; a step without a rule has none), the materials the
// assessment body asks for, and the documents the company writes itself. Sources: the guidance
// article (docs/domain.md) for the steps and most materials; where it names none, the materials
// are what such an application ordinarily carries, marked `assumed`.
import type { EventType, RuleId } from '../scheme/rules.js';

export const CASE_KINDS = ['change', 'major-change', 'loss', 'rectification', 'policy'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const isCaseKind = (v: unknown): v is CaseKind => CASE_KINDS.includes(v as CaseKind);

/** The documents Zizhi drafts for the company (.docx through the reports module). */
export const CASE_DOCUMENTS = [
  'change-statement',
  'loss-notice',
  'rectification-plan',
  'rectification-report',
] as const;
export type CaseDocument = (typeof CASE_DOCUMENTS)[number];

export interface CaseStep {
  key: string;
  zh: string;
  en: string;
  /** The obligation whose due date and basis the step shows; none when the step has no deadline. */
  rule?: RuleId;
  /** The rule instead of `rule` when the case was opened by another event (a licence change). */
  ruleWhenOpenedBy?: Partial<Record<EventType, RuleId>>;
  /** The event that records the step as done (and moves the engine on). */
  doneBy?: EventType;
  /**
   * Done when the certificate is recorded in this state on or after the case opened: the
   * rectification period starts with the suspension the user records, never by itself.
   */
  doneByState?: 'suspended';
}

export interface CaseMaterial {
  key: string;
  zh: string;
  en: string;
  /** When it is needed; absent when always. A material not needed is marked not applicable with a reason. */
  whenZh?: string;
  whenEn?: string;
  /** Not named by the guidance: what such an application ordinarily carries. */
  assumed?: boolean;
}

export interface CaseTemplate {
  kind: CaseKind;
  zh: string;
  en: string;
  /** The events that open a case of this kind (a failed supervision only when not passed). */
  openedBy: readonly EventType[];
  steps: readonly CaseStep[];
  materials: readonly CaseMaterial[];
  documents: readonly CaseDocument[];
}

export const CASE_TEMPLATES: Readonly<Record<CaseKind, CaseTemplate>> = {
  change: {
    kind: 'change',
    zh: '变更',
    en: 'Change',
    openedBy: ['change.general', 'license.changed'],
    steps: [
      { key: 'prepare', zh: '准备变更材料', en: 'Prepare the change materials' },
      {
        key: 'apply',
        zh: '向评估机构提交变更申请',
        en: 'Apply to the assessment body',
        rule: 'change.general',
        ruleWhenOpenedBy: { 'license.changed': 'license.mismatch' },
        doneBy: 'change.applied',
      },
      { key: 'collect', zh: '领取换发的证书', en: 'Collect the re-issued certificate', rule: 'change.general.reissue' },
    ],
    materials: [
      { key: 'application', zh: '变更申请表', en: 'Change application form', assumed: true },
      { key: 'licence', zh: '新营业执照副本', en: 'Copy of the new business licence' },
      { key: 'statement', zh: '变更说明（变更前后对照）', en: 'Statement of the change (before and after)' },
      {
        key: 'premises',
        zh: '新办公场所证明（租赁合同或房产证）',
        en: 'Proof of the new premises (lease or title deed)',
        whenZh: '地址变更时',
        whenEn: 'when the address changes',
      },
      {
        key: 'resolution',
        zh: '股东会决议',
        en: 'Shareholders’ resolution',
        whenZh: '名称、法定代表人或股权变更时',
        whenEn: 'when the name, legal representative or shareholding changes',
        assumed: true,
      },
    ],
    documents: ['change-statement'],
  },
  'major-change': {
    kind: 'major-change',
    zh: '重大变更',
    en: 'Major change',
    openedBy: ['change.major'],
    steps: [
      {
        key: 'apply',
        zh: '提交重大变更申请并申请现场评估',
        en: 'Apply for the major change and an on-site assessment',
        rule: 'change.major',
      },
      { key: 'onsite', zh: '配合现场评估（战略管理能力、项目交付连续性）', en: 'Take the on-site assessment' },
      { key: 'result', zh: '取得评估结论', en: 'Receive the conclusion' },
    ],
    materials: [
      { key: 'application', zh: '重大变更申请', en: 'Major change application', assumed: true },
      {
        key: 'approval',
        zh: '合并、分立或重组的协议或批准文件',
        en: 'The merger, division or restructuring agreement or approval',
        assumed: true,
      },
      {
        key: 'licence',
        zh: '变更后的营业执照副本',
        en: 'Copy of the business licence after the change',
        assumed: true,
      },
      {
        key: 'continuity',
        zh: '项目交付连续性说明',
        en: 'Statement of project delivery continuity',
      },
      {
        key: 'organisation',
        zh: '变更后的组织架构与人员说明',
        en: 'Organisation and staff after the change',
        assumed: true,
      },
    ],
    documents: ['change-statement'],
  },
  loss: {
    kind: 'loss',
    zh: '遗失补办',
    en: 'Lost certificate',
    openedBy: ['lost'],
    steps: [
      {
        key: 'notice',
        zh: '在省级以上媒体刊登遗失声明（注明证书编号、有效期）',
        en: 'Publish a loss notice in provincial-or-higher media',
      },
      {
        key: 'apply',
        zh: '提交补发申请及声明原件，缴纳工本费（约 200 元）',
        en: 'Apply for re-issue with the notice and pay the fee (about ¥200)',
        rule: 'lost.replace',
        doneBy: 'lost.applied',
      },
      { key: 'collect', zh: '领取新证书', en: 'Collect the new certificate', rule: 'lost.replace.collect' },
    ],
    materials: [
      { key: 'notice', zh: '遗失声明（刊登的版面）', en: 'The loss notice as published' },
      { key: 'application', zh: '补发申请', en: 'Re-issue application' },
      { key: 'receipt', zh: '工本费缴费凭证', en: 'Fee receipt' },
    ],
    documents: ['loss-notice'],
  },
  rectification: {
    kind: 'rectification',
    zh: '整改',
    en: 'Rectification',
    openedBy: ['supervision.done'],
    steps: [
      { key: 'plan', zh: '提交书面整改计划', en: 'Submit the written rectification plan', rule: 'supervision.failed' },
      {
        key: 'period',
        zh: '整改期开始（暂停使用证书，最长 3 个月）',
        en: 'Rectification period starts (certificate suspended, up to 3 months)',
        doneByState: 'suspended',
      },
      {
        key: 'reassess',
        zh: '完成整改并申请重新评估',
        en: 'Complete rectification and apply for re-assessment',
        rule: 'supervision.failed.reassess',
      },
    ],
    materials: [
      { key: 'plan', zh: '书面整改计划', en: 'Written rectification plan' },
      { key: 'evidence', zh: '整改证据', en: 'Evidence of rectification', assumed: true },
      { key: 'report', zh: '整改报告', en: 'Rectification report', assumed: true },
    ],
    documents: ['rectification-plan', 'rectification-report'],
  },
  policy: {
    kind: 'policy',
    zh: '政策更新',
    en: 'Policy update',
    openedBy: ['policy.update'],
    steps: [
      { key: 'review', zh: '评审影响', en: 'Review the impact', rule: 'policy.review' },
      { key: 'adjust', zh: '调整制度和流程', en: 'Adjust policies and processes' },
    ],
    materials: [
      { key: 'assessment', zh: '影响评估记录', en: 'Impact assessment record', assumed: true },
      { key: 'policies', zh: '更新后的制度文件', en: 'Updated policies', assumed: true },
    ],
    documents: [],
  },
};

/**
 * What closing a case records, so the certificate and its obligations follow: the re-issued
 * certificate (a new number only when one was printed) or the passed re-assessment.
 */
export const CASE_OUTCOMES: Readonly<Record<CaseKind, 'reissued' | 'reassessed' | null>> = {
  change: 'reissued',
  'major-change': 'reissued',
  loss: 'reissued',
  rectification: 'reassessed',
  policy: null,
};

/** The rule a step's deadline comes from in a case opened by `opener`. */
export function stepRule(step: CaseStep, opener: EventType): RuleId | undefined {
  return step.ruleWhenOpenedBy?.[opener] ?? step.rule;
}

/** The case an event opens, if any: a supervision opens one only when it was not passed. */
export function caseKindOpenedBy(event: { type: EventType; passed?: boolean }): CaseKind | null {
  if (event.type === 'supervision.done' && event.passed !== false) return null;
  for (const kind of CASE_KINDS) if (CASE_TEMPLATES[kind].openedBy.includes(event.type)) return kind;
  return null;
}
