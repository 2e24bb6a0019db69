// The internal audit report (内部合规检查报告): purpose, scope, criteria, the team and dates, the
// checklist with each line's result, the nonconformities with their corrective actions and how
// far they are, the conclusion, and lines for approval. docs/documents.md lists the sections.
import { LEVEL_NAMES_ZH, isLevel } from '@zizhi/core';
import type { Block, ReportDocument } from './model.js';
import { dateZh } from './self-check.js';

export interface AuditReportData {
  today: string;
  organisation: { name: string; creditCode: string };
  certificate: { number: string; level: string };
  audit: {
    periodStart: string;
    periodEnd: string;
    auditors: string[];
    scope: string | null;
    status: 'open' | 'closed';
    conclusion: string | null;
    closedOn: string | null;
    counts: { items: number; conform: number; nonconform: number; observation: number; undecided: number };
  };
  items: Array<{
    position: number;
    kind: string;
    text: string;
    result: 'conform' | 'nonconform' | 'observation' | null;
    note: string | null;
    action: {
      title: string;
      dueDate: string;
      status: string;
      completedOn: string | null;
      assigneeName: string | null;
      note: string | null;
    } | null;
  }>;
}

const RESULT_ZH = { conform: '符合', nonconform: '不符合', observation: '观察项' } as const;
const ACTION_STATUS_ZH: Record<string, string> = {
  open: '待处理',
  in_progress: '处理中',
  done: '已完成',
  waived: '已豁免',
};

export function buildAuditReport(data: AuditReportData): ReportDocument {
  const { organisation: org, certificate: cert, audit, items } = data;
  const level = isLevel(cert.level) ? `${cert.level}（${LEVEL_NAMES_ZH[cert.level]}）` : cert.level;
  const periodZh = `${dateZh(audit.periodStart)}至${dateZh(audit.periodEnd)}`;
  const blocks: Block[] = [];
  const h1 = (text: string) => blocks.push({ type: 'heading', level: 1, text });
  const p = (text: string) => blocks.push({ type: 'paragraph', text });

  h1('一、检查目的');
  p(
    `核查本单位在检查期内持续符合信息系统建设和服务能力评估${level}的要求，发现不符合项并落实纠正措施，` +
      '为年度自查、监督评估和再评估做好准备。',
  );
  h1('二、检查范围');
  p(
    audit.scope ??
      `检查期${periodZh}内的项目文档（合同、验收报告、用户反馈）、人员资质和社会保险、财务数据及证书维护事项。`,
  );
  h1('三、检查依据');
  p(
    '《信息系统建设和服务能力评估管理办法》、T/CITIF 001—2019《信息技术服务 信息系统建设和服务能力评估要求》' +
      `中${level}的能力要求，以及本单位的管理制度。`,
  );
  h1('四、检查组和检查时间');
  blocks.push({
    type: 'table',
    columns: [
      { title: '项目', width: 2 },
      { title: '内容', width: 5 },
    ],
    rows: [
      ['受检单位', org.name],
      ['证书编号', cert.number],
      ['检查期', periodZh],
      ['检查组成员', audit.auditors.join('、')],
      ['检查结束日期', audit.closedOn ? dateZh(audit.closedOn) : '检查进行中'],
    ],
    empty: '',
  });
  h1('五、检查情况和发现');
  const { conform, nonconform, observation, undecided } = audit.counts;
  p(
    `本次检查共 ${audit.counts.items} 项：符合 ${conform} 项，不符合 ${nonconform} 项，观察项 ${observation} 项` +
      (undecided > 0 ? `，尚未给出结论 ${undecided} 项。` : '。'),
  );
  blocks.push({
    type: 'table',
    columns: [
      { title: '序号', width: 0.8, align: 'center' },
      { title: '检查要点', width: 6 },
      { title: '检查记录', width: 4 },
      { title: '结论', width: 1.4, align: 'center' },
    ],
    rows: items.map((i) => [String(i.position), i.text, i.note ?? '', i.result ? RESULT_ZH[i.result] : '未填写']),
    empty: '检查表没有检查项。',
  });
  h1('六、不符合项及纠正措施');
  const nonconformities = items.filter((i) => i.result === 'nonconform');
  blocks.push({
    type: 'table',
    columns: [
      { title: '序号', width: 0.8, align: 'center' },
      { title: '不符合项', width: 4.5 },
      { title: '纠正措施', width: 4 },
      { title: '负责人', width: 1.5 },
      { title: '期限', width: 2, align: 'center' },
      { title: '验证情况', width: 2.2 },
    ],
    rows: nonconformities.map((i) => [
      String(i.position),
      i.text,
      i.action?.title ?? '',
      i.action?.assigneeName ?? '',
      i.action?.dueDate ?? '',
      i.action
        ? `${ACTION_STATUS_ZH[i.action.status] ?? i.action.status}${i.action.completedOn ? `（${i.action.completedOn}）` : ''}${i.action.note ? `：${i.action.note}` : ''}`
        : '',
    ]),
    empty: '本次检查未发现不符合项。',
  });
  const observations = items.filter((i) => i.result === 'observation');
  if (observations.length > 0) {
    h1('七、观察项和改进建议');
    observations.forEach((i, n) => p(`${n + 1}. ${i.text}${i.note ? `：${i.note}` : ''}`));
  }
  h1(observations.length > 0 ? '八、检查结论' : '七、检查结论');
  p(audit.conclusion ?? '检查尚未结束，结论待定。');
  blocks.push({
    type: 'signature',
    lines: [
      '检查组长（签字）：',
      '管理者代表（签字）：',
      `日期：${audit.closedOn ? dateZh(audit.closedOn) : '        年    月    日'}`,
    ],
  });

  return {
    title: `${org.name} 内部合规检查报告（${audit.periodStart} 至 ${audit.periodEnd}）`,
    cover: {
      title: '内部合规检查报告',
      subtitle: `（检查期：${periodZh}）`,
      lines: [
        ['受检单位', org.name],
        ['统一社会信用代码', org.creditCode],
        ['证书等级', level],
        ['检查组', audit.auditors.join('、')],
      ],
      date: dateZh(audit.closedOn ?? data.today),
    },
    blocks,
  };
}
