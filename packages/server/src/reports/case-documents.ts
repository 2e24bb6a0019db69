// The documents a case asks the company to write itself, drafted from what Zizhi knows:
// 变更申请说明 (the change and its materials), 遗失声明 (text ready for a newspaper or the website),
// 整改计划 and 整改报告 (the supervision's findings with owners, due dates and progress).
// docs/cases.md lists what each contains; blanks are left for what only the company knows.
import { LEVEL_NAMES_ZH, type CaseDocument, type Level } from '@zizhi/core';
import type { Block, ReportDocument } from './model.js';
import { dateZh } from './self-check.js';

export interface CaseDocumentData {
  today: string;
  organisation: { name: string };
  certificate: { number: string; level: Level; issuer: string; issuedOn: string; expiresOn: string };
  case: {
    kindZh: string;
    openedOn: string;
    openedByZh: string;
    note: string | null;
    materials: Array<{ name: string; status: 'missing' | 'provided' | 'not-applicable'; reason: string | null }>;
  };
  /** A failed supervision's findings, the rectification's actions. */
  findings: Array<{
    text: string;
    owner: string | null;
    dueDate: string;
    status: 'open' | 'done' | 'waived';
    completedOn: string | null;
  }>;
  /** The end of the rectification period (re-assessment due), when known. */
  periodEnd: string | null;
}

export const CASE_DOCUMENT_TITLES: Readonly<Record<CaseDocument, string>> = {
  'change-statement': '变更申请说明',
  'loss-notice': '遗失声明',
  'rectification-plan': '整改计划',
  'rectification-report': '整改报告',
};

const MATERIAL_STATUS_ZH = { missing: '待准备', provided: '已准备', 'not-applicable': '不适用' } as const;
const FINDING_STATUS_ZH = { open: '整改中', done: '已完成', waived: '不需整改' } as const;

function certLine(d: CaseDocumentData): string {
  const c = d.certificate;
  return `信息系统建设和服务能力评估证书（${c.level}，${LEVEL_NAMES_ZH[c.level]}），证书编号：${c.number}，发证机构：${c.issuer}，有效期至 ${dateZh(c.expiresOn)}`;
}

function changeStatement(d: CaseDocumentData): Block[] {
  return [
    { type: 'paragraph', text: `致${d.certificate.issuer}：`, indent: false },
    {
      type: 'paragraph',
      text: `我单位${d.organisation.name}持有${certLine(d)}。我单位于 ${dateZh(d.case.openedOn)} 发生${d.case.openedByZh}${d.case.note ? `（${d.case.note}）` : ''}，现申请办理证书${d.case.kindZh}，具体情况说明如下。`,
    },
    { type: 'heading', level: 1, text: '一、变更事项' },
    {
      type: 'table',
      columns: [
        { title: '变更事项', width: 2 },
        { title: '变更前', width: 3 },
        { title: '变更后', width: 3 },
        { title: '变更日期', width: 2, align: 'center' },
      ],
      rows: [
        ['单位名称', '', '', ''],
        ['注册地址', '', '', ''],
        ['法定代表人', '', '', ''],
        ['其他', '', '', ''],
      ],
      empty: '',
    },
    { type: 'heading', level: 1, text: '二、变更对资质条件的影响' },
    {
      type: 'paragraph',
      text: '本次变更不影响我单位的组织架构、人员配备、项目交付和服务能力，各项条件仍符合所持等级的要求。（如有影响，请据实说明。）',
    },
    { type: 'heading', level: 1, text: '三、附件材料' },
    ...materialsTable(d),
    { type: 'paragraph', text: '我单位承诺以上内容及所附材料真实、准确、完整。' },
    {
      type: 'signature',
      lines: [`申请单位（盖章）：${d.organisation.name}`, '法定代表人（签字）：', `日期：${dateZh(d.today)}`],
    },
  ];
}

function materialsTable(d: CaseDocumentData): Block[] {
  return [
    {
      type: 'table',
      columns: [
        { title: '序号', width: 0.8, align: 'center' },
        { title: '材料', width: 6 },
        { title: '状态', width: 2, align: 'center' },
      ],
      rows: d.case.materials.map((m, i) => [
        String(i + 1),
        m.status === 'not-applicable' && m.reason ? `${m.name}（不适用：${m.reason}）` : m.name,
        MATERIAL_STATUS_ZH[m.status],
      ]),
      empty: '没有需要附上的材料。',
    },
  ];
}

function lossNotice(d: CaseDocumentData): Block[] {
  const c = d.certificate;
  return [
    { type: 'heading', level: 1, text: '遗失声明（刊登稿）' },
    {
      type: 'paragraph',
      text: `${d.organisation.name}遗失由${c.issuer}颁发的信息系统建设和服务能力评估证书（${c.level}）正本一份，证书编号：${c.number}，发证日期：${dateZh(c.issuedOn)}，有效期至：${dateZh(c.expiresOn)}，特此声明作废。`,
    },
    { type: 'paragraph', text: `${d.organisation.name}`, align: 'right', indent: false },
    { type: 'paragraph', text: dateZh(d.today), align: 'right', indent: false },
    { type: 'heading', level: 1, text: '刊登要求' },
    { type: 'paragraph', text: '请在省级以上媒体（报纸或其网站）刊登，声明中须注明证书编号和有效期。' },
    { type: 'paragraph', text: '刊登后保留刊登的版面原件，随补发申请一并提交，并缴纳工本费。' },
  ];
}

function findingsTable(d: CaseDocumentData, report: boolean): Block {
  return {
    type: 'table',
    columns: report
      ? [
          { title: '序号', width: 0.8, align: 'center' },
          { title: '问题', width: 4 },
          { title: '整改情况', width: 3 },
          { title: '负责人', width: 1.5 },
          { title: '完成日期', width: 1.8, align: 'center' },
          { title: '状态', width: 1.4, align: 'center' },
        ]
      : [
          { title: '序号', width: 0.8, align: 'center' },
          { title: '问题', width: 4 },
          { title: '整改措施', width: 3.5 },
          { title: '负责人', width: 1.5 },
          { title: '完成期限', width: 1.8, align: 'center' },
        ],
    rows: d.findings.map((f, i) =>
      report
        ? [String(i + 1), f.text, '', f.owner ?? '', f.completedOn ?? '', FINDING_STATUS_ZH[f.status]]
        : [String(i + 1), f.text, '', f.owner ?? '', f.dueDate],
    ),
    empty: '尚未登记评估机构指出的问题：请在监督评估结果中登记后重新生成。',
  };
}

function rectificationPlan(d: CaseDocumentData): Block[] {
  return [
    { type: 'paragraph', text: `致${d.certificate.issuer}：`, indent: false },
    {
      type: 'paragraph',
      text: `我单位${d.organisation.name}（${certLine(d)}）于 ${dateZh(d.case.openedOn)} 接受监督评估，结论为未通过。我单位高度重视，针对评估机构指出的问题制定整改计划如下，整改期内暂停使用证书。`,
    },
    { type: 'heading', level: 1, text: '一、问题与整改措施' },
    findingsTable(d, false),
    { type: 'heading', level: 1, text: '二、整改期限' },
    {
      type: 'paragraph',
      text: d.periodEnd
        ? `全部问题于 ${dateZh(d.periodEnd)} 前整改完成，并申请重新评估。`
        : '全部问题于整改期（最长 3 个月）内整改完成，并申请重新评估。',
    },
    { type: 'heading', level: 1, text: '三、保障措施' },
    { type: 'paragraph', text: '（组织保障、责任分工、资源投入和检查机制，请据实填写。）' },
    {
      type: 'signature',
      lines: [`单位（盖章）：${d.organisation.name}`, '负责人（签字）：', `日期：${dateZh(d.today)}`],
    },
  ];
}

function rectificationReport(d: CaseDocumentData): Block[] {
  const done = d.findings.filter((f) => f.status !== 'open').length;
  return [
    { type: 'paragraph', text: `致${d.certificate.issuer}：`, indent: false },
    {
      type: 'paragraph',
      text: `我单位${d.organisation.name}（${certLine(d)}）针对 ${dateZh(d.case.openedOn)} 监督评估指出的 ${d.findings.length} 个问题完成整改 ${done} 个，整改情况报告如下。`,
    },
    { type: 'heading', level: 1, text: '一、整改情况' },
    findingsTable(d, true),
    { type: 'heading', level: 1, text: '二、整改证据' },
    { type: 'paragraph', text: '各项整改的证据材料附后（制度文件、记录、培训签到、系统截图等）。' },
    { type: 'heading', level: 1, text: '三、重新评估申请' },
    { type: 'paragraph', text: '我单位已完成整改，特申请重新评估。' },
    {
      type: 'signature',
      lines: [`单位（盖章）：${d.organisation.name}`, '负责人（签字）：', `日期：${dateZh(d.today)}`],
    },
  ];
}

const BUILDERS: Readonly<Record<CaseDocument, (d: CaseDocumentData) => Block[]>> = {
  'change-statement': changeStatement,
  'loss-notice': lossNotice,
  'rectification-plan': rectificationPlan,
  'rectification-report': rectificationReport,
};

export function buildCaseDocument(document: CaseDocument, data: CaseDocumentData): ReportDocument {
  const title = CASE_DOCUMENT_TITLES[document];
  return {
    title: `${data.organisation.name} ${title}`,
    cover: {
      title,
      lines: [
        ['单位名称', data.organisation.name],
        ['证书编号', data.certificate.number],
        ['办理事项', `${data.case.kindZh}（${dateZh(data.case.openedOn)}）`],
      ],
      date: dateZh(data.today),
    },
    blocks: BUILDERS[document](data),
  };
}
