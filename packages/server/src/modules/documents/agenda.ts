// The quarterly qualification meeting's agenda (资质维护季度会议议程), generated from the quarter:
// duties done and overdue, deadlines coming, how readiness moved and where it is heading, corrective
// actions still open, policy updates recorded, and room for other business. Pure: the service
// loads the data.
import { addCalendarDays, addMonths, type ReadinessResult } from '@zizhi/core';

export interface AgendaSection {
  title: string;
  lines: string[];
}

export interface AgendaInput {
  quarter: string;
  from: string;
  to: string;
  /** The certificate's duties due in the quarter. */
  dueInQuarter: Array<{ title: string; dueDate: string; done: boolean; overdue: boolean }>;
  /** Pending duties due from the day after the quarter up to 90 days on. */
  upcoming: Array<{ title: string; dueDate: string }>;
  /** Readiness on the quarter's first day and on its last (or today). */
  before: ReadinessResult;
  after: ReadinessResult;
  correctiveActions: Array<{ title: string; dueDate: string; owner: string | null; overdue: boolean }>;
  /** Updates recorded in the quarter, and earlier ones whose impact review (case) is still open. */
  policyUpdates: Array<{ date: string; note: string | null; open: boolean }>;
}

/** Lines of one section at most, with a line for the rest. */
const MAX_LINES = 30;

const STATUS_ZH = { met: '符合', 'not-met': '不符合', unknown: '待补充数据' } as const;

const cap = (lines: string[]) =>
  lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `另有 ${lines.length - MAX_LINES} 项，见系统`] : lines;

export function buildAgenda(input: AgendaInput): AgendaSection[] {
  const done = input.dueInQuarter.filter((d) => d.done).length;
  const overdue = input.dueInQuarter.filter((d) => d.overdue);
  const sections: AgendaSection[] = [
    {
      title: '本季度义务完成情况',
      lines: [
        `本季度（${input.from} 至 ${input.to}）到期的义务 ${input.dueInQuarter.length} 项，已完成 ${done} 项，逾期未完成 ${overdue.length} 项。`,
        ...cap(overdue.map((d) => `逾期：${d.title}（截止 ${d.dueDate}）`)),
      ],
    },
    {
      title: '未来 90 天的截止事项',
      lines:
        input.upcoming.length === 0
          ? ['未来 90 天没有到期的义务。']
          : cap(input.upcoming.map((u) => `${u.dueDate}：${u.title}`)),
    },
  ];

  const changes = input.after.requirements.flatMap((r) => {
    const was = input.before.requirements.find((b) => b.id === r.id);
    if (!was || was.status === r.status) return [];
    return [`${r.label.zh}：由“${STATUS_ZH[was.status]}”变为“${STATUS_ZH[r.status]}”`];
  });
  const { met, notMet, unknown } = input.after.counts;
  const forecast = input.after.stopsBeingMet;
  const labels = forecast
    ? input.after.requirements.filter((r) => forecast.requirementIds.includes(r.id)).map((r) => r.label.zh)
    : [];
  sections.push({
    title: '达标情况变化和预测',
    lines: [
      `截至 ${input.after.at}，对照 ${input.after.level} 的要求：符合 ${met} 项，不符合 ${notMet} 项，待补充数据 ${unknown} 项。`,
      ...(changes.length > 0 ? cap(changes) : ['本季度各项要求的结论没有变化。']),
      forecast
        ? `预测：如不补充证据，${labels.join('、')}将于 ${forecast.date} 起不再符合。`
        : '预测：按现有证据，目前符合的要求在预测期内持续符合。',
      ...input.after.requirements
        .filter((r) => r.status !== 'met')
        .slice(0, MAX_LINES)
        .map((r) => `待解决：${r.label.zh}——${r.gap?.zh ?? r.missing?.zh ?? r.summary.zh}`),
    ],
  });
  sections.push({
    title: '内部检查纠正措施跟踪',
    lines:
      input.correctiveActions.length === 0
        ? ['没有待完成的纠正措施。']
        : cap(
            input.correctiveActions.map(
              (a) => `${a.overdue ? '【已逾期】' : ''}${a.title}（负责人 ${a.owner ?? '未指定'}，期限 ${a.dueDate}）`,
            ),
          ),
  });
  sections.push({
    title: '政策和标准更新',
    lines:
      input.policyUpdates.length === 0
        ? ['本季度未登记政策或标准更新。']
        : cap(
            input.policyUpdates.map(
              (p) =>
                `${p.date}：${p.note ?? '政策/标准更新（见事件记录）'}${p.open ? '（影响评审办理中）' : '（已结案）'}`,
            ),
          ),
  });
  sections.push({ title: '其他事项', lines: ['（由会议补充）'] });
  return sections;
}

/** 2026-Q4 → its first and last days; null when it is not a quarter. */
export function quarterBounds(quarter: string): { from: string; to: string } | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) return null;
  const from = `${match[1]}-${String((Number(match[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  return { from, to: addCalendarDays(addMonths(from, 3), -1) };
}
