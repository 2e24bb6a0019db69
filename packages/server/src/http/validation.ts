// Request validation in the words of the person who sent it: every zod issue becomes
// "字段名：问题" in Chinese or "Field name: problem" in English, fields named as the forms name
// them, never by their JSON key.
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import type { Bilingual } from '../errors.js';
import type { Language } from './language.js';

/**
 * The message zod gives an issue whose schema wrote none: lets the error mapper tell its own
 * wording (by issue code, in either language) from a schema's specific message.
 */
const NO_MESSAGE = '[zizhi: no message of its own]';

const ENGLISH = new Map<string, string>();

/**
 * A schema's own message in both languages: returns the Chinese text (zod keeps one string) and
 * remembers the English one, which the error mapper uses for requests that ask for English.
 */
export function says(zh: string, en: string): string {
  const known = ENGLISH.get(zh);
  if (known !== undefined && known !== en) throw new Error(`Two English texts for one message: ${zh}`);
  ENGLISH.set(zh, en);
  return zh;
}

// English for the messages of schemas written before `says` existed; a message changed there
// and not here is still answered in English, by the generic wording of its issue.
for (const [zh, en] of [
  ['请填写证书编号', 'Enter the certificate number'],
  ['证书编号最多 100 个字符', 'must be at most 100 characters'],
  ['到期日应晚于发证日期', 'must be after the issue date'],
  ['请说明原因', 'Give a reason'],
  ['请选择监督评估是否通过', 'Say whether the supervision was passed'],
  ['一次最多补录 10 次监督评估', 'Record at most 10 supervisions at a time'],
  ['一次最多补录 10 次年度自查', 'Record at most 10 self-checks at a time'],
  ['请至少提供一个要修改的字段', 'Give at least one field to change'],
  ['请至少提供一个要更正的字段', 'Give at least one field to correct'],
  ['请说明撤回原因', 'Give the reason for withdrawing it'],
  ['请至少选择一项义务', 'Select at least one obligation'],
  ['一次最多更新 500 项', 'Update at most 500 at a time'],
  [
    '请说明要做的更新（状态、完成日期、备注或豁免原因）',
    'Say what to update: status, completion date, note or waiver reason',
  ],
  ['请提供证书的公开地址', "Give the certificate's public address"],
  ['年度应为 1900–2199 之间的整数', 'must be a whole number from 1900 to 2199'],
  ['地址最多 100 个字符', 'must be at most 100 characters'],
] as const) {
  says(zh, en);
}

/** Parse options for every request schema: our wording for unworded issues, the input kept to word them. */
export const PARSE_OPTIONS = { error: () => NO_MESSAGE, reportInput: true } as const;

/** Fastify's validator for zod schemas, parsing with PARSE_OPTIONS (fastify-type-provider-zod's issue shape). */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data, PARSE_OPTIONS);
    if (result.success) return { value: result.data };
    return {
      error: result.error.issues.map((issue) => {
        const { path, code, message, ...params } = issue;
        return {
          // The marker fastify-type-provider-zod's `hasZodFastifySchemaValidationErrors` checks.
          [Symbol.for('ZodFastifySchemaValidationError')]: true,
          keyword: code,
          instancePath: `/${path.join('/')}`,
          schemaPath: `#/${path.join('/')}/${code}`,
          message,
          params,
        };
      }) as unknown as Error,
    };
  };

type Label = readonly [zh: string, en: string];

/**
 * What the forms call each field the API accepts. Keys are `scope:key` (scope: a literal segment
 * of the route, e.g. `staff` in /api/orgs/:orgId/staff), `parent.key` (the enclosing field, for
 * nested items) or the bare key; the most specific one wins.
 */
const FIELD_LABELS: Readonly<Record<string, Label>> = {
  acceptedOn: ['验收日期', 'Acceptance date'],
  action: ['操作', 'Action'],
  actorId: ['操作人', 'Person'],
  address: ['地址', 'Address'],
  amount: ['合同金额', 'Contract amount'],
  'files.amount': ['发票金额', 'Invoice amount'],
  assessment: ['评估类型', 'Assessment'],
  assigneeId: ['负责人', 'Assignee'],
  at: ['发生时间', 'Time'],
  'readiness:at': ['评估日期', 'Assessment date'],
  before: ['加载位置', 'Position'],
  certificateId: ['证书', 'Certificate'],
  channelId: ['渠道', 'Channel'],
  client: ['客户名称', 'Client'],
  completedOn: ['完成日期', 'Completion date'],
  contractNumber: ['合同编号', 'Contract number'],
  creditCode: ['统一社会信用代码', 'Unified social credit code'],
  cursor: ['翻页位置', 'Page position'],
  currentPassword: ['当前密码', 'Current password'],
  date: ['日期', 'Date'],
  days: ['节假日安排', 'Holidays'],
  'days.name': ['节日名称', 'Holiday name'],
  'days.date': ['日期', 'Date'],
  'days.isOffDay': ['是否放假', 'Day off'],
  deadline: ['截止日期', 'Deadline'],
  digest: ['汇总方式', 'Digest'],
  dryRun: ['仅检查', 'Check only'],
  dueWithin: ['下一截止日期在多少天内', 'Next deadline within (days)'],
  effectiveOn: ['生效日期', 'Effective date'],
  'org-overview:expiry': ['证书到期', 'Certificate expiry'],
  'org-overview:q': ['搜索', 'Search'],
  'org-overview:readiness': ['达标情况', 'Requirements'],
  'org-overview:sort': ['排序', 'Sort'],
  overdueOnly: ['只看有逾期的企业', 'Only organisations with overdue work'],
  email: ['电子邮件', 'Email'],
  employedFrom: ['入职日期', 'Employed from'],
  employedUntil: ['离职日期', 'Employed until'],
  enabled: ['启用', 'Enabled'],
  expiresOn: ['有效期至', 'Valid until'],
  'certificates:expiresOn': ['到期日', 'Expiry date'],
  'successor:expiresOn': ['到期日', 'Expiry date'],
  'tokens:expiresOn': ['过期日期', 'Expiry date'],
  file: ['文件', 'File'],
  fileId: ['文件', 'File'],
  files: ['附件', 'Attachments'],
  foundedOn: ['成立日期', 'Founding date'],
  grantedOn: ['登记/授权日期', 'Registration or grant date'],
  id: ['记录', 'Record'],
  idNumber: ['身份证号', 'ID card number'],
  ids: ['所选义务', 'Selected obligations'],
  inApp: ['站内消息', 'In-app messages'],
  isRnd: ['研发人员', 'R&D staff'],
  isTechnical: ['技术人员', 'Technical staff'],
  issuedOn: ['发证日期', 'Issue date'],
  issuer: ['评估机构', 'Assessment body'],
  kind: ['类型', 'Type'],
  'qualifications.kind': ['资质类型', 'Qualification type'],
  'management-certificates:kind': ['体系', 'Management system'],
  'successor:kind': ['接续方式', 'Kind of successor'],
  legalRepresentative: ['法定代表人', 'Legal representative'],
  level: ['等级', 'Level'],
  limit: ['每页条数', 'Page size'],
  managerId: ['项目经理', 'Project manager'],
  mapping: ['列对应关系', 'Column mapping'],
  name: ['名称', 'Name'],
  'setup:name': ['姓名', 'Name'],
  'members:name': ['姓名', 'Name'],
  'staff:name': ['姓名', 'Name'],
  'projects:name': ['项目名称', 'Project name'],
  'qualifications.name': ['证书名称', 'Certificate name'],
  'management-certificates:name': ['证书名称', 'Certificate name'],
  netProfit: ['净利润', 'Net profit'],
  newPassword: ['新密码', 'New password'],
  note: ['备注', 'Note'],
  notes: ['备注', 'Notes'],
  number: ['编号', 'Number'],
  'certificates:number': ['证书编号', 'Certificate number'],
  'successor:number': ['证书编号', 'Certificate number'],
  'qualifications.number': ['证书编号', 'Certificate number'],
  'management-certificates:number': ['证书编号', 'Certificate number'],
  'ip:number': ['登记号/专利号', 'Registration or patent number'],
  obligationId: ['义务', 'Obligation'],
  offset: ['加载位置', 'Position'],
  on: ['生效日期', 'Effective date'],
  operatingCashFlow: ['经营活动现金流量净额', 'Net operating cash flow'],
  orgId: ['企业', 'Organisation'],
  orgIds: ['可访问的企业', 'Organisations'],
  'feeds:orgIds': ['订阅的企业', 'Organisations in the feed'],
  'feeds:rules': ['订阅的义务类型', 'Obligation kinds in the feed'],
  'feeds:daysBack': ['回溯天数', 'Days back'],
  'feeds:daysAhead': ['向后天数', 'Days ahead'],
  'feeds:includeFinished': ['包含已完成事项', 'Include finished'],
  'feeds:assignedToMe': ['仅我负责的', 'Only mine'],
  papers: ['国务院通知', 'State Council notices'],
  passed: ['是否通过', 'Passed'],
  password: ['密码', 'Password'],
  passphrase: ['口令', 'Passphrase'],
  progressId: ['进度', 'Progress'],
  public: ['公开验证', 'Public verification'],
  qualifications: ['资质证书', 'Qualifications'],
  reason: ['原因', 'Reason'],
  recipients: ['收件人', 'Recipients'],
  replace: ['替换已有年度', 'Replace the year'],
  replacesId: ['替换的文件', 'File replaced'],
  result: ['结果', 'Result'],
  revenue: ['营业收入', 'Revenue'],
  rndExpense: ['研发费用', 'R&D expense'],
  role: ['角色', 'Role'],
  'staff:role': ['岗位', 'Position'],
  'files.role': ['附件类型', 'Attachment type'],
  rule: ['义务类型', 'Obligation type'],
  scanFileId: ['证书扫描件', 'Certificate scan'],
  secret: ['密钥', 'Secret'],
  signedOn: ['签订日期', 'Signing date'],
  slug: ['链接', 'Link'],
  socialInsuranceFrom: ['社保起始月', 'Social insurance from'],
  socialInsuranceUntil: ['社保截止月', 'Social insurance until'],
  softwareServiceRevenue: ['软件和信息技术服务收入', 'Software and IT service revenue'],
  status: ['状态', 'Status'],
  step: ['评估环节', 'Assessment step'],
  systemIntegrationRevenue: ['系统集成收入', 'System integration revenue'],
  technologies: ['技术标签', 'Technologies'],
  temporaryPassword: ['临时密码', 'Temporary password'],
  from: ['开始日期', 'From'],
  to: ['结束日期', 'To'],
  'transitions:to': ['新状态', 'New state'],
  token: ['链接', 'Link'],
  type: ['类型', 'Type'],
  'events:type': ['事件类型', 'Event type'],
  'channels:type': ['渠道类型', 'Channel type'],
  unread: ['未读', 'Unread'],
  url: ['地址', 'Address'],
  userId: ['成员', 'Member'],
  validUntil: ['有效期至', 'Valid until'],
  waivedReason: ['豁免原因', 'Waiver reason'],
  workspaceId: ['工作空间', 'Workspace'],
  workspaceName: ['工作空间名称', 'Workspace name'],
  year: ['年度', 'Year'],
  submittedOn: ['提交日期', 'Submission date'],
  periodStart: ['检查期开始日期', 'Period start'],
  periodEnd: ['检查期结束日期', 'Period end'],
  auditors: ['审核员', 'Auditors'],
  scope: ['检查范围', 'Scope'],
  conclusion: ['检查结论', 'Conclusion'],
  closedOn: ['结束日期', 'Closing date'],
  'action.dueDate': ['纠正期限', 'Due date'],
  'action.assigneeId': ['负责人', 'Owner'],
  'action.title': ['纠正措施', 'Corrective action'],
  itemId: ['检查项', 'Checklist item'],
  quarter: ['季度', 'Quarter'],
  heldOn: ['会议日期', 'Meeting day'],
  place: ['地点', 'Place'],
  chair: ['主持人', 'Chair'],
  attendees: ['参会人员', 'Attendees'],
  decisions: ['会议决定', 'Decisions'],
  title: ['事项', 'Item'],
  fileIds: ['附件', 'Attachments'],
  dueDate: ['完成期限', 'Due date'],
  receiptNumber: ['回执号', 'Receipt number'],
  template: ['报告模板', 'Report template'],
  initialPersonDays: ['初次评估人天', 'Initial assessment person-days'],
  targetLevel: ['申请等级', 'Target level'],
  purpose: ['用途', 'Purpose'],
  recipient: ['接收方', 'Recipient'],
  tenderName: ['项目或招标名称', 'Project or tender'],
  tenderNumber: ['项目编号', 'Project number'],
  approvedBy: ['审批人', 'Approved by'],
  catalogueVersion: ['能力目录版本', 'Catalogue version'],
  subdomain: ['能力子域', 'Sub-domain'],
  evidence: ['证据类别', 'Kinds of evidence'],
  'assessment-contact:body': ['评估机构', 'Assessment body'],
  'assessment-contact:person': ['联系人', 'Contact person'],
  phone: ['电话', 'Phone'],
  'assessment-contact:note': ['备注', 'Note'],
  'results:date': ['监督评估日期', 'Supervision date'],
  'findings:date': ['监督评估日期', 'Supervision date'],
  'findings:text': ['问题', 'Finding'],
  'findings:dueDate': ['整改期限', 'Due date'],
  'findings:assigneeId': ['整改负责人', 'Owner'],
  'results:items': ['各能力项的结果', 'Item results'],
  'items.itemId': ['能力项', 'Capability item'],
  'items.result': ['结果', 'Result'],
  'items.note': ['说明', 'Note'],
  visits: ['监督评估', 'Supervisions'],
  'visits.date': ['监督评估日期', 'Supervision date'],
  'visits.personDays': ['监督评估人天', 'Supervision person-days'],
  'visits.itemIds': ['覆盖的能力项', 'Capability items covered'],
  coverTitle: ['封面标题', 'Cover title'],
  sections: ['报告章节', 'Sections'],
  'sections.key': ['章节', 'Section'],
  'sections.title': ['章节标题', 'Section heading'],
  'sections.text': ['章节文字', 'Section text'],
  format: ['文件格式', 'File format'],
  'channels:from': ['发件人', 'Sender'],
  'channels:orgIds': ['企业范围', 'Organisations'],
  supervisions: ['监督评估', 'Supervisions'],
  'supervisions.date': ['监督评估日期', 'Supervision date'],
  'supervisions.passed': ['是否通过', 'Passed'],
  selfChecks: ['年度自查', 'Self-checks'],
  'selfChecks.year': ['自查年度', 'Self-check year'],
  'selfChecks.date': ['提交日期', 'Submission date'],
  'selfChecks.result': ['自查结果', 'Self-check result'],
  periodicDoneBefore: ['此日期前的定期义务已完成', 'Periodic duties done before'],
  periodicCompletedOn: ['定期义务完成日期', 'Periodic duties completed on'],
  'standards:name': ['标准名称', 'Standard name'],
  'standards:number': ['标准号', 'Standard number'],
  'standards:role': ['起草角色', 'Drafting role'],
  publishedOn: ['发布日期', 'Publication date'],
  'adverse-records:kind': ['不良记录类型', 'Kind of record'],
  listedOn: ['列入日期', 'Date listed'],
  clearedOn: ['移出日期', 'Date cleared'],
  isIndependent: ['独立法人', 'Independent legal entity'],
  confirmedOn: ['确认日期', 'Date confirmed'],
  ownerId: ['负责人', 'Owner'],
  certificateNo: ['新证书编号', 'New certificate number'],
  cause: ['换发原因', 'Cause of re-issue'],
  'close:date': ['结案日期', 'Closing date'],
  'steps:date': ['完成日期', 'Date done'],
  stepKey: ['办理步骤', 'Step'],
  materialId: ['材料', 'Material'],
  document: ['文书', 'Document'],
  'cases:kind': ['办理事项类型', 'Kind of case'],
  'cases:state': ['办理状态', 'Case state'],
  'policy-updates:issuer': ['发布机构', 'Issuer'],
  'policy-updates:link': ['链接', 'Link'],
  'policy-updates:summary': ['变化内容', 'What changes'],
  'policy-updates:levels': ['涉及等级', 'Levels'],
  'policy-updates:items': ['涉及能力项', 'Capability items'],
  'policy-updates:rules': ['涉及义务规则', 'Rules'],
  'policy-updates:title': ['标题', 'Title'],
  impact: ['影响评估结论', 'Impact'],
  'orgs:note': ['评估说明', 'Assessment'],
  'orgs:date': ['评审开始日期', 'Review start'],
  'actions:title': ['落实事项', 'Action'],
  'actions:dueDate': ['完成期限', 'Due date'],
  'actions:assigneeId': ['负责人', 'Owner'],
};

/** The literal segments of a route (`/api/orgs/:orgId/staff/:id` → staff, orgs, api), innermost first. */
function scopesOf(route: string | undefined): string[] {
  return (route ?? '')
    .split('/')
    .filter((s) => s !== '' && !s.startsWith(':'))
    .reverse();
}

/**
 * The words for a field at `path` of a request to `route`, or undefined for a field with no
 * label (the mapper then names no field rather than show its key).
 */
export function fieldLabel(
  path: readonly PropertyKey[],
  route: string | undefined,
  language: Language,
): string | undefined {
  const names = path.filter((p): p is string => typeof p === 'string' && !/^\d+$/.test(p));
  const key = names[names.length - 1];
  if (key === undefined) return undefined;
  const parent = names[names.length - 2];
  const candidates = [
    ...(parent !== undefined ? [`${parent}.${key}`] : []),
    ...scopesOf(route).map((scope) => `${scope}:${key}`),
    key,
  ];
  for (const candidate of candidates) {
    const label = FIELD_LABELS[candidate];
    if (label) return language === 'en' ? label[1] : label[0];
  }
  return undefined;
}

/** An issue as fastify-type-provider-zod hands it on (`params` is the rest of zod's issue). */
export interface RequestIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

const list = (values: readonly unknown[], language: Language) => {
  const shown = values.map(String);
  if (shown.length < 2) return shown.join('');
  const last = shown.pop()!;
  return language === 'en' ? `${shown.join(', ')} or ${last}` : `${shown.join('、')} 或 ${last}`;
};

const FORMATS: Readonly<Record<string, Bilingual>> = {
  email: {
    zh: '请输入有效的电子邮件地址，例如 name@example.com',
    en: 'must be a valid email address, e.g. name@example.com',
  },
  uuid: { zh: '无效，请从列表中选择', en: 'is not valid (choose one from the list)' },
  guid: { zh: '无效，请从列表中选择', en: 'is not valid (choose one from the list)' },
  url: {
    zh: '应为有效的网址，例如 https://example.com/hook',
    en: 'must be a web address, e.g. https://example.com/hook',
  },
  datetime: {
    zh: '应为带时区的时间，例如 2026-05-01T14:30:00+08:00',
    en: 'must be a date and time with its offset, e.g. 2026-05-01T14:30:00+08:00',
  },
  date: { zh: '必须是真实日期（YYYY-MM-DD）', en: 'must be a real date (YYYY-MM-DD)' },
};

const TYPES: Readonly<Record<string, Bilingual>> = {
  string: { zh: '应为文字', en: 'must be text' },
  number: { zh: '应为数字', en: 'must be a number' },
  int: { zh: '应为整数', en: 'must be a whole number' },
  boolean: { zh: '应为“是”或“否”', en: 'must be yes or no' },
  array: { zh: '应为列表', en: 'must be a list' },
};

const NOT_VALID: Bilingual = { zh: '格式不正确', en: 'is not in the expected form' };

/** Our wording of one issue by its code, for issues whose schema wrote no message. */
function wordIssue(issue: RequestIssue, language: Language): string {
  const p = issue.params ?? {};
  const pick = (text: Bilingual) => (language === 'en' ? text.en : text.zh);
  const n = (value: unknown) => (typeof value === 'number' || typeof value === 'bigint' ? String(value) : '?');
  const isText = p.origin === 'string';
  const isList = p.origin === 'array' || p.origin === 'set';
  switch (issue.keyword) {
    case 'invalid_type':
      if ('input' in p && p.input === undefined) return pick({ zh: '必填', en: 'is required' });
      return pick(TYPES[String(p.expected)] ?? NOT_VALID);
    case 'too_small':
      if (isText && Number(p.minimum) === 1) return pick({ zh: '不能为空', en: 'must not be empty' });
      if (isText) return pick({ zh: `至少 ${n(p.minimum)} 个字符`, en: `must be at least ${n(p.minimum)} characters` });
      if (isList && Number(p.minimum) === 1) return pick({ zh: '至少选择一项', en: 'needs at least one item' });
      if (isList) return pick({ zh: `至少 ${n(p.minimum)} 项`, en: `needs at least ${n(p.minimum)} items` });
      return p.inclusive === false
        ? pick({ zh: `应大于 ${n(p.minimum)}`, en: `must be more than ${n(p.minimum)}` })
        : pick({ zh: `不能小于 ${n(p.minimum)}`, en: `must be at least ${n(p.minimum)}` });
    case 'too_big':
      if (isText) return pick({ zh: `最多 ${n(p.maximum)} 个字符`, en: `must be at most ${n(p.maximum)} characters` });
      if (isList) return pick({ zh: `最多 ${n(p.maximum)} 项`, en: `must have at most ${n(p.maximum)} items` });
      return p.inclusive === false
        ? pick({ zh: `应小于 ${n(p.maximum)}`, en: `must be less than ${n(p.maximum)}` })
        : pick({ zh: `不能大于 ${n(p.maximum)}`, en: `must be at most ${n(p.maximum)}` });
    case 'invalid_format':
      return pick(FORMATS[String(p.format)] ?? NOT_VALID);
    case 'not_multiple_of':
      return pick({ zh: `应为 ${n(p.divisor)} 的倍数`, en: `must be a multiple of ${n(p.divisor)}` });
    case 'invalid_value': {
      const values = Array.isArray(p.values) ? p.values : [];
      // Codes people read as they are (CS1 … CS5) are listed; keys of ours (`in-progress`) are not.
      if (values.length > 0 && values.every((v) => typeof v === 'string' && /^[A-Z][A-Z0-9]*$/.test(v))) {
        return pick({ zh: `应为 ${list(values, 'zh-CN')}`, en: `must be ${list(values, 'en')}` });
      }
      return pick({ zh: '不是可选的值，请从列表中选择', en: 'is not one of the choices (pick one from the list)' });
    }
    case 'unrecognized_keys': {
      // Only a hand-written request can send these: name them so its author can remove them.
      const keys = Array.isArray(p.keys) ? p.keys.map(String) : [];
      return pick({
        zh: `含有不支持的字段 ${keys.join('、')}`,
        en: `has fields this request does not take: ${keys.join(', ')}`,
      });
    }
    case 'invalid_union':
      if (p.note === 'No matching discriminator') {
        return pick({ zh: '不是可选的值，请从列表中选择', en: 'is not one of the choices (pick one from the list)' });
      }
      return pick(NOT_VALID);
    default:
      return pick(NOT_VALID);
  }
}

/** One issue in one language: the schema's message when it wrote one (in English when it gave one), else ours. */
function issueText(issue: RequestIssue, language: Language): string {
  const own = issue.message !== undefined && issue.message !== NO_MESSAGE ? issue.message : undefined;
  // A choice outside a list: schemas' own messages list the choices' codes (`in_progress`), which
  // people never see in a form; ours does not.
  if (own === undefined || issue.keyword === 'invalid_value') return wordIssue(issue, language);
  if (language === 'zh-CN') return own;
  return ENGLISH.get(own) ?? wordIssue(issue, language);
}

const pathOf = (issue: RequestIssue) => issue.instancePath.split('/').filter((s) => s !== '');

/** "Label：problem" (or the problem alone when it names the field itself, or there is no label). */
function describeOne(issue: RequestIssue, route: string | undefined, language: Language): string {
  if (pathOf(issue).length === 0 && issue.keyword === 'invalid_type') {
    return language === 'en' ? 'The request body is missing or is not a JSON object' : '请求内容缺失或不是 JSON 对象';
  }
  const text = issueText(issue, language);
  const label = fieldLabel(pathOf(issue), route, language);
  if (label === undefined || text.toLowerCase().includes(label.toLowerCase())) return text;
  return language === 'en' ? `${label}: ${text}` : `${label}：${text}`;
}

const BROKEN_LINK: Bilingual = {
  zh: '链接地址无效，请从页面上的链接重新进入',
  en: 'The link is not valid: open it again from a link in the app',
};

/**
 * A failed validation in both languages, with the first failing field's path (dot-separated)
 * for forms to put it under. Issues in the URL's path (a mistyped or truncated link) become
 * one sentence; fields are named in words, duplicates dropped.
 */
export function describeIssues(
  issues: readonly RequestIssue[],
  { context, route }: { context?: string; route?: string },
): Bilingual & { field?: string } {
  const one = (language: Language) =>
    [
      ...new Set(
        issues.map((issue) =>
          // A mistyped or cut-off link: its own words when the schema has them, else one sentence.
          context === 'params'
            ? issue.message !== undefined && issue.message !== NO_MESSAGE
              ? issueText(issue, language)
              : language === 'en'
                ? BROKEN_LINK.en
                : BROKEN_LINK.zh
            : describeOne(issue, route, language),
        ),
      ),
    ].join(language === 'en' ? '; ' : '；');
  const first = issues[0] ? pathOf(issues[0]).join('.') : '';
  return { zh: one('zh-CN'), en: one('en'), ...(first ? { field: first } : {}) };
}

/** zod's issues (from a schema parsed with PARSE_OPTIONS outside a route) in the mapper's shape. */
export function toRequestIssues(issues: readonly z.core.$ZodIssue[]): RequestIssue[] {
  return issues.map(({ path, code, message, ...params }) => ({
    keyword: code,
    instancePath: `/${path.map(String).join('/')}`,
    message,
    params,
  }));
}
