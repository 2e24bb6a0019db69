// The supervision plan as a document (监督评估计划及证据清单): the initial assessment's person-days
// and the visits, what breaks the rules, the coverage matrix item by item, the evidence checklist,
// and what held visits found.
import type { Block, ReportDocument } from './model.js';
import { dateZh } from './self-check.js';

export interface PlanDocumentData {
  today: string;
  organisation: { name: string; creditCode: string };
  certificate: { number: string; level: string; issuer: string };
  initialPersonDays: number | null;
  visits: Array<{ date: string; personDays: number; items: number; capacity: number; past: boolean }>;
  problems: string[];
  coverage: { covered: number; planned: number; missing: number };
  /** One row per capability item, in catalogue order. */
  items: Array<{
    domain: string;
    subdomain: string;
    name: string;
    /** The visit covering it, as 第 1 次, or 未安排. */
    visit: string;
    status: string;
    result: string;
    evidence: string;
    files: number;
    gap: string;
  }>;
  findings: Array<{ date: string; text: string; dueDate: string }>;
}

export function buildPlanDocument(data: PlanDocumentData): ReportDocument {
  const blocks: Block[] = [
    { type: 'heading', level: 1, text: '一、计划概况' },
    {
      type: 'paragraph',
      text:
        data.initialPersonDays === null
          ? '尚未填写初次评估的人天，计划尚未制定。'
          : `初次评估 ${data.initialPersonDays} 人天；每次监督评估不少于 ${data.initialPersonDays / 2} 人天，` +
            `两次合计覆盖本级别的全部能力项。目前已覆盖 ${data.coverage.covered} 项、已计划 ${data.coverage.planned} 项、` +
            `未覆盖 ${data.coverage.missing} 项。`,
    },
    {
      type: 'table',
      columns: [
        { title: '序号', width: 0.8, align: 'center' },
        { title: '日期', width: 2, align: 'center' },
        { title: '人天', width: 1, align: 'right' },
        { title: '覆盖能力项', width: 1.6, align: 'right' },
        { title: '约可覆盖', width: 1.4, align: 'right' },
        { title: '状态', width: 1.4, align: 'center' },
      ],
      rows: data.visits.map((v, i) => [
        `第 ${i + 1} 次`,
        v.date,
        String(v.personDays),
        String(v.items),
        String(v.capacity),
        v.past ? '已进行' : '计划中',
      ]),
      empty: '尚未安排监督评估。',
    },
    ...data.problems.map((text): Block => ({ type: 'paragraph', text: `问题：${text}` })),
    { type: 'heading', level: 1, text: '二、能力项覆盖与证据清单' },
    {
      type: 'table',
      columns: [
        { title: '能力域', width: 1.4 },
        { title: '能力子域', width: 1.5 },
        { title: '能力项', width: 2.4 },
        { title: '监督评估', width: 1.3, align: 'center' },
        { title: '状态', width: 1.1, align: 'center' },
        { title: '结果', width: 1.1, align: 'center' },
        { title: '证据类别', width: 3 },
        { title: '文件数', width: 0.9, align: 'right' },
        { title: '缺口', width: 3 },
      ],
      rows: data.items.map((i) => [
        i.domain,
        i.subdomain,
        i.name,
        i.visit,
        i.status,
        i.result,
        i.evidence,
        String(i.files),
        i.gap,
      ]),
      empty: '',
    },
    { type: 'heading', level: 1, text: '三、评估机构指出的问题及整改' },
    {
      type: 'table',
      columns: [
        { title: '序号', width: 0.8, align: 'center' },
        { title: '监督评估日期', width: 2, align: 'center' },
        { title: '问题', width: 6 },
        { title: '整改期限', width: 2, align: 'center' },
      ],
      rows: data.findings.map((f, i) => [String(i + 1), f.date, f.text, f.dueDate]),
      empty: '尚未登记问题。',
    },
  ];
  return {
    title: `${data.organisation.name} 监督评估计划及证据清单`,
    cover: {
      title: '监督评估计划及证据清单',
      lines: [
        ['单位名称', data.organisation.name],
        ['统一社会信用代码', data.organisation.creditCode],
        ['证书等级', data.certificate.level],
        ['证书编号', data.certificate.number],
        ['评估机构', data.certificate.issuer],
      ],
      date: dateZh(data.today),
    },
    blocks,
  };
}
