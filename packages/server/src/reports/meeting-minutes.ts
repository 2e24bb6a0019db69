// The quarterly qualification meeting's minutes (资质维护季度会议纪要): when, where, who chaired and
// who attended, the agenda as generated from the quarter, the decisions, and the action items with
// owner and due date. docs/documents.md lists the sections.
import type { Block, ReportDocument } from './model.js';
import { dateZh } from './self-check.js';
import { numeralZh } from './self-check-template.js';

export interface MinutesData {
  today: string;
  organisation: { name: string };
  certificate: { number: string; level: string };
  meeting: {
    quarter: string;
    agenda: Array<{ title: string; lines: string[] }>;
    heldOn: string | null;
    place: string | null;
    chair: string | null;
    attendees: string[];
    decisions: string | null;
    actions: Array<{ title: string; dueDate: string; status: string; assigneeName: string | null }>;
  };
}

const STATUS_ZH: Record<string, string> = { open: '待处理', in_progress: '处理中', done: '已完成', waived: '已豁免' };

/** 2026-Q4 → 2026年第四季度. */
export const quarterZh = (quarter: string) => `${quarter.slice(0, 4)}年第${numeralZh(Number(quarter.slice(6)))}季度`;

export function buildMinutes(data: MinutesData): ReportDocument {
  const { meeting: m, organisation: org, certificate: cert } = data;
  const blocks: Block[] = [];
  blocks.push({
    type: 'table',
    columns: [
      { title: '项目', width: 2 },
      { title: '内容', width: 5 },
    ],
    rows: [
      ['会议时间', m.heldOn ? dateZh(m.heldOn) : '（待填写）'],
      ['会议地点', m.place ?? '（待填写）'],
      ['主持人', m.chair ?? '（待填写）'],
      ['参会人员', m.attendees.length > 0 ? m.attendees.join('、') : '（待填写）'],
      ['证书', `${cert.number}（${cert.level}）`],
    ],
    empty: '',
  });
  blocks.push({ type: 'heading', level: 1, text: '一、会议议程和内容' });
  m.agenda.forEach((section, i) => {
    blocks.push({ type: 'heading', level: 2, text: `（${numeralZh(i + 1)}）${section.title}` });
    for (const line of section.lines) blocks.push({ type: 'paragraph', text: line });
  });
  blocks.push({ type: 'heading', level: 1, text: '二、会议决定' });
  const decisions = (m.decisions ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (decisions.length === 0) blocks.push({ type: 'paragraph', text: '（待填写）' });
  decisions.forEach((d, i) => blocks.push({ type: 'paragraph', text: `${i + 1}. ${d}` }));
  blocks.push({ type: 'heading', level: 1, text: '三、待办事项' });
  blocks.push({
    type: 'table',
    columns: [
      { title: '序号', width: 0.8, align: 'center' },
      { title: '事项', width: 6 },
      { title: '负责人', width: 1.6 },
      { title: '完成期限', width: 2, align: 'center' },
      { title: '状态', width: 1.4, align: 'center' },
    ],
    rows: m.actions.map((a, i) => [
      String(i + 1),
      a.title,
      a.assigneeName ?? '',
      a.dueDate,
      STATUS_ZH[a.status] ?? a.status,
    ]),
    empty: '本次会议没有待办事项。',
  });
  blocks.push({ type: 'signature', lines: ['记录人（签字）：', '主持人（签字）：'] });
  const quarter = quarterZh(m.quarter);
  return {
    title: `${org.name} ${quarter}资质维护会议纪要`,
    cover: {
      title: '资质维护季度会议纪要',
      subtitle: `（${quarter}）`,
      lines: [
        ['单位名称', org.name],
        ['证书编号', cert.number],
        ['会议时间', m.heldOn ? dateZh(m.heldOn) : '（待填写）'],
      ],
      date: dateZh(m.heldOn ?? data.today),
    },
    blocks,
  };
}
