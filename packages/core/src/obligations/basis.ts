// Basis sentences: how a deadline was counted, in Chinese (shown to users) and English.
import { formatDay, formatMonthDay, weekdayOfDay, yearOfDay } from '../calendar/days.js';
import { listedRunsAt } from '../calendar/workdays.js';

export interface Basis {
  zh: string;
  en: string;
}

// Names as the State Council's notices spell them (“五一”, 国庆节、中秋节 …) → what a reader expects.
const HOLIDAY_ALIASES: Readonly<Record<string, string>> = {
  五一: '劳动节',
  五一国际劳动节: '劳动节',
  国际劳动节: '劳动节',
  十一: '国庆节',
};
const HOLIDAY_EN: Readonly<Record<string, string>> = {
  元旦: 'New Year’s Day',
  春节: 'Spring Festival',
  清明节: 'Qingming Festival',
  劳动节: 'Labour Day',
  端午节: 'Dragon Boat Festival',
  中秋节: 'Mid-Autumn Festival',
  国庆节: 'National Day',
  抗日战争暨世界反法西斯战争胜利70周年纪念日: 'Victory Day (70th anniversary)',
};

const holidayMemo = new Map<string, Basis>();

/**
 * A holiday's name from the calendar data as a basis sentence shows it: 劳动节 → 劳动节假期,
 * “十一” → 国庆节假期, 国庆节、中秋节 → 国庆节、中秋节假期 (English: "National Day and Mid-Autumn
 * Festival holiday"). A name we do not know (an imported year) is kept as written.
 */
export function holidayLabel(name: string): Basis {
  let label = holidayMemo.get(name);
  if (label === undefined) {
    const parts = name
      .replace(/[“”"]/g, '')
      .split(/[、,，]/)
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map((p) => HOLIDAY_ALIASES[p] ?? p);
    label =
      parts.length === 0
        ? { zh: '节假日', en: 'public holiday' }
        : {
            zh: `${parts.join('、')}假期`,
            en: `${parts.map((p) => HOLIDAY_EN[p] ?? p).join(' and ')} holiday`,
          };
    holidayMemo.set(name, label);
  }
  return label;
}

function md(day: number, refYear: number): string {
  return yearOfDay(day) === refYear ? formatMonthDay(day) : formatDay(day);
}

function spanOf(from: number, to: number, refYear: number): Basis {
  return from === to
    ? { zh: md(from, refYear), en: md(from, refYear) }
    : { zh: `${md(from, refYear)} 至 ${md(to, refYear)}`, en: `${md(from, refYear)} to ${md(to, refYear)}` };
}

/** Off-day runs and make-up working days listed in [a, b], as Chinese and English phrases. */
function listedIn(a: number, b: number, refYear: number): { off: Basis[]; work: Basis[] } {
  const off: Basis[] = [];
  const work: Basis[] = [];
  if (b < a) return { off, work };
  for (const r of listedRunsAt(a, b)) {
    const span = spanOf(r.from, r.to, refYear);
    if (r.isOffDay) {
      const h = holidayLabel(r.name);
      off.push({ zh: `${span.zh} ${h.zh}`, en: `${span.en} (${h.en})` });
    } else {
      work.push({ zh: span.zh.replace(' 至 ', '、'), en: span.en.replace(' to ', ', ') });
    }
  }
  return { off, work };
}

/** The State Council's notice makes the day a working day although it is a Saturday or Sunday. */
function isMakeUpDay(day: number): boolean {
  const r = listedRunsAt(day, day)[0];
  return r !== undefined && !r.isOffDay;
}

/** Said of a deadline that lands on a make-up working day, which a reader would take for a weekend. */
const MAKE_UP_NOTE: Basis = {
  zh: '；该日为调休上班日，按工作日计',
  en: '; that day is a make-up working day (调休), so it counts as a working day',
};

function makeUpNote(due: number): Basis {
  return isMakeUpDay(due) ? MAKE_UP_NOTE : { zh: '', en: '' };
}

/** "7 个工作日，自 2026-09-28 起算，跳过 10-01 至 10-07 国庆节假期（10-10 调休上班），截止 2026-10-13（起算日不计）". */
export function basisWorkdays(start: number, n: number, due: number): Basis {
  const { off, work } = listedIn(start + 1, due, yearOfDay(start));
  let extraZh = '';
  let extraEn = '';
  if (off.length > 0) {
    extraZh = `，跳过 ${off.map((x) => x.zh).join('、')}`;
    extraEn = `, skipping ${off.map((x) => x.en).join(', ')}`;
  }
  if (work.length > 0) {
    const days = work.map((x) => x.zh).join('、');
    extraZh += off.length > 0 ? `（${days} 调休上班）` : `，${days} 调休上班`;
    const plural = work.length > 1 || work[0]?.en.includes(',') === true;
    extraEn += `; ${work.map((x) => x.en).join(', ')} ${plural ? 'are make-up working days' : 'is a make-up working day'}`;
  }
  const note = makeUpNote(due);
  return {
    zh: `${n} 个工作日，自 ${formatDay(start)} 起算${extraZh}，截止 ${formatDay(due)}（起算日不计）${note.zh}`,
    en: `${n} working days from ${formatDay(start)} (start day not counted)${extraEn}: due ${formatDay(due)}${note.en}`,
  };
}

const WEEKEND_ZH = ['周六', '周日'];
const WEEKEND_EN = ['a Saturday', 'a Sunday'];

/**
 * Why the last day of a period moved, and by which rule. The Civil Code (art. 203) is cited only when
 * that day is a holiday off day of a State Council notice; a plain weekend simply moves to the next
 * working day, as a period ending on a non-working day always does.
 */
function shiftClause(raw: number, due: number): Basis {
  if (raw === due) return makeUpNote(due);
  const ref = yearOfDay(raw);
  const listed = listedRunsAt(raw, raw)[0];
  const holiday = listed?.isOffDay ? holidayLabel(listed.name) : null;
  const wd = weekdayOfDay(raw);
  const whyZh = holiday ? `为${holiday.zh}` : wd >= 6 ? `为${WEEKEND_ZH[wd - 6]}` : '非工作日';
  const whyEn = holiday ? `falls in the ${holiday.en}` : wd >= 6 ? `is ${WEEKEND_EN[wd - 6]}` : 'is not a working day';
  if (due > raw) {
    // A weekend followed by a holiday: name the holiday too, or the later date looks wrong.
    const off = holiday ? [] : listedIn(raw + 1, due - 1, ref).off;
    const skippedZh = off.length > 0 ? `（跳过 ${off.map((x) => x.zh).join('、')}）` : '';
    const skippedEn = off.length > 0 ? `, skipping ${off.map((x) => x.en).join(', ')}` : '';
    return holiday
      ? {
          zh: `；${md(raw, ref)} ${whyZh}，顺延至下一个工作日 ${formatDay(due)}（《民法典》第二百零三条）`,
          en: `; ${formatDay(raw)} ${whyEn}: moved to the next working day ${formatDay(due)} (Civil Code art. 203)`,
        }
      : {
          zh: `；${md(raw, ref)} ${whyZh}，顺延至下一个工作日 ${formatDay(due)}${skippedZh}`,
          en: `; ${formatDay(raw)} ${whyEn}: moved to the next working day ${formatDay(due)}${skippedEn}`,
        };
  }
  return {
    zh: `；${md(raw, ref)} ${whyZh}，提前至上一个工作日 ${formatDay(due)}`,
    en: `; ${formatDay(raw)} ${whyEn}: moved back to the previous working day ${formatDay(due)}`,
  };
}

/**
 * "30 日，自 2024-05-10 起算，期满 2024-06-09（起算日不计）" (+ the move to a working day). Like working-day
 * counts, the trigger day itself is not counted (Civil Code art. 201).
 */
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
    zh: `${n} 日，自 ${formatDay(start)}${startLabelZh || ' '}起算，期满 ${formatDay(raw)}（起算日不计）${s.zh}`,
    en: `${n} days from ${formatDay(start)}${startLabelEn} (start day not counted): ends ${formatDay(raw)}${s.en}`,
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
    const span = spanOf(due + 1, lastDay, y);
    // Only off days can lie after the last working day of a period: a make-up day would be the due date.
    const runs = listedRunsAt(due + 1, lastDay).filter((r) => r.isOffDay);
    const only = runs.length === 1 ? runs[0] : undefined;
    if (only && only.from === due + 1 && only.to === lastDay) {
      const h = holidayLabel(only.name);
      zh += `（${span.zh} 为${h.zh}）`;
      en += ` (${span.en}: ${h.en})`;
    } else {
      const parts = runs.map((r) => {
        const s = spanOf(r.from, r.to, y);
        const h = holidayLabel(r.name);
        return { zh: `${s.zh} 为${h.zh}`, en: `the ${h.en} (${s.en})` };
      });
      const plural = due + 1 !== lastDay;
      zh += `（${span.zh} 非工作日${parts.length > 0 ? `，其中 ${parts.map((x) => x.zh).join('、')}` : ''}）`;
      en += ` (${span.en} ${plural ? 'are not working days' : 'is not a working day'}${parts.length > 0 ? `, including ${parts.map((x) => x.en).join(', ')}` : ''})`;
    }
  }
  const note = makeUpNote(due);
  return { zh: zh + note.zh, en: en + note.en };
}

/** The provisional note for unpublished years. */
export function basisUnknownYears(years: readonly number[]): Basis {
  if (years.length === 0) return { zh: '', en: '' };
  const ys = years.join('、');
  return {
    zh: `；${ys} 年节假日安排尚未发布，暂按周一至周五计算，发布后日期可能变动（元旦假期可涉及上年 12 月下旬；导入后重算）`,
    en: `; the ${years.join(', ')} holiday notice is not published yet: provisional, weekday rule, may change (its New Year holiday can reach late December of the year before; recomputed after import)`,
  };
}
