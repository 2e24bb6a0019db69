// Basis sentences: how a deadline was counted, in Chinese (shown to users) and English.
import { formatDay, formatMonthDay, yearOfDay } from '../calendar/days.js';
import { listedRunsAt } from '../calendar/workdays.js';

export interface Basis {
  zh: string;
  en: string;
}

function holidayLabel(name: string): string {
  // 国庆节 → 国庆假期, 中秋节、国庆节 → 中秋、国庆假期; 春节 → 春节假期.
  return `${name.replace(/(国庆|清明|端午|中秋|劳动)节/g, '$1').replace(/[“”"]/g, '')}假期`;
}

function md(day: number, refYear: number): string {
  return yearOfDay(day) === refYear ? formatMonthDay(day) : formatDay(day);
}

/** Off-day and make-up-day runs in [a, b], as Chinese and English clauses. */
function describeRuns(a: number, b: number, refYear: number): { zh: string[]; en: string[] } {
  const zh: string[] = [];
  const en: string[] = [];
  if (b < a) return { zh, en };
  const off: string[] = [];
  const offEn: string[] = [];
  const work: string[] = [];
  for (const r of listedRunsAt(a, b)) {
    const span = r.from === r.to ? md(r.from, refYear) : `${md(r.from, refYear)} 至 ${md(r.to, refYear)}`;
    const spanEn = r.from === r.to ? md(r.from, refYear) : `${md(r.from, refYear)} to ${md(r.to, refYear)}`;
    if (r.isOffDay) {
      off.push(`${span} ${holidayLabel(r.name)}`);
      offEn.push(`${spanEn} (${r.name})`);
    } else {
      work.push(span.replace(' 至 ', '、'));
    }
  }
  if (off.length > 0) {
    zh.push(`跳过 ${off.join('、')}`);
    en.push(`skipping ${offEn.join(', ')}`);
  }
  if (work.length > 0) {
    zh.push(`${work.join('、')} 调休上班`);
    en.push(`${work.join(', ')} a make-up working day`);
  }
  return { zh, en };
}

/** "7 个工作日，自 2026-09-28 起算，跳过 10-01 至 10-07 国庆假期（10-10 调休上班），截止 2026-10-13（起算日不计）". */
export function basisWorkdays(start: number, n: number, due: number): Basis {
  const { zh, en } = describeRuns(start + 1, due, yearOfDay(start));
  const extraZh = zh.length > 0 ? `，${zh[0]}${zh[1] ? `（${zh[1]}）` : ''}` : '';
  const extraEn = en.length > 0 ? `, ${en.join('; ')}` : '';
  return {
    zh: `${n} 个工作日，自 ${formatDay(start)} 起算${extraZh}，截止 ${formatDay(due)}（起算日不计）`,
    en: `${n} working days from ${formatDay(start)} (start day not counted)${extraEn}: due ${formatDay(due)}`,
  };
}

function shiftClause(raw: number, due: number): Basis {
  if (raw === due) return { zh: '', en: '' };
  const runs = listedRunsAt(raw, raw);
  const why = runs[0]?.isOffDay ? `为${holidayLabel(runs[0].name)}` : '为休息日';
  const whyEn = runs[0]?.isOffDay ? `is an off day (${runs[0].name})` : 'is not a working day';
  const ref = yearOfDay(raw);
  if (due > raw) {
    return {
      zh: `；${md(raw, ref)} ${why}，顺延至下一个工作日 ${formatDay(due)}（《民法典》第二百零三条）`,
      en: `; ${formatDay(raw)} ${whyEn}, moved to the next working day ${formatDay(due)} (Civil Code art. 203)`,
    };
  }
  return {
    zh: `；${md(raw, ref)} ${why}，提前至上一个工作日 ${formatDay(due)}`,
    en: `; ${formatDay(raw)} ${whyEn}, moved back to the previous working day ${formatDay(due)}`,
  };
}

/** "30 日，自 2026-05-10 起算，期满 2026-06-09" (+ the move to a working day). */
export function basisDays(
  start: number,
  n: number,
  raw: number,
  due: number,
  startLabelZh = '',
  startLabelEn = '',
): Basis {
  const s = shiftClause(raw, due);
  return {
    zh: `${n} 日，自 ${formatDay(start)}${startLabelZh || ' '}起算，期满 ${formatDay(raw)}${s.zh}`,
    en: `${n} days from ${formatDay(start)}${startLabelEn}: ends ${formatDay(raw)}${s.en}`,
  };
}

/** "18 个月，自 2025-03-15（发证日）起算，期满 2026-09-15" or counted back from a date. */
export function basisMonths(
  start: number,
  n: number,
  raw: number,
  due: number,
  startLabelZh = '',
  startLabelEn = '',
): Basis {
  const s = shiftClause(raw, due);
  if (n < 0) {
    return {
      zh: `${formatDay(start)}${startLabelZh || ' '}前 ${-n} 个月为 ${formatDay(raw)}${s.zh}`,
      en: `${-n} months before ${formatDay(start)}${startLabelEn} is ${formatDay(raw)}${s.en}`,
    };
  }
  return {
    zh: `${n} 个月，自 ${formatDay(start)}${startLabelZh || ' '}起算，期满 ${formatDay(raw)}${s.zh}`,
    en: `${n} months from ${formatDay(start)}${startLabelEn}: ends ${formatDay(raw)}${s.en}`,
  };
}

/** "2026 年 3 月最后一个工作日" / "2026 年第 1 季度最后一个工作日" (+ why the last day was skipped). */
export function basisPeriodEnd(y: number, m: number, quarter: boolean, lastDay: number, due: number): Basis {
  const q = Math.floor((m - 1) / 3) + 1;
  const labelZh = quarter ? `${y} 年第 ${q} 季度` : `${y} 年 ${m} 月`;
  const labelEn = quarter ? `Q${q} ${y}` : `${y}-${String(m).padStart(2, '0')}`;
  let zh = `${labelZh}最后一个工作日 ${formatDay(due)}`;
  let en = `last working day of ${labelEn}: ${formatDay(due)}`;
  if (due !== lastDay) {
    const { zh: rz } = describeRuns(due + 1, lastDay, y);
    const span =
      due + 1 === lastDay ? formatMonthDay(lastDay) : `${formatMonthDay(due + 1)} 至 ${formatMonthDay(lastDay)}`;
    zh += `（${span} 非工作日${rz.length > 0 ? `：${rz.join('，')}` : ''}）`;
    en += ` (${formatMonthDay(due + 1)}–${formatMonthDay(lastDay)} not working days)`;
  }
  return { zh, en };
}

/** The provisional note for unpublished years. */
export function basisUnknownYears(years: readonly number[]): Basis {
  if (years.length === 0) return { zh: '', en: '' };
  const ys = years.join('、');
  return {
    zh: `；${ys} 年节假日安排尚未发布，暂按周一至周五计算（待导入后重算）`,
    en: `; the ${years.join(', ')} holiday notice is not published yet: provisional, weekday rule (recomputed after import)`,
  };
}
