// The evidence window ("the last 3 years") as day numbers, and for a dated item the span of
// evaluation dates during which it lies inside the window, so the forecast never re-evaluates
// everything day by day.
import { addMonthsToDay, civilFromDay, dayFromCivil, formatDay } from '../calendar/days.js';
import type { RequirementWindow } from '../scheme/requirements.js';
import type { Localized } from './text.js';

/** Inclusive day numbers of the window on evaluation day `d`. */
export interface DayWindow {
  from: number;
  to: number;
}

/** The window on day `d`: the last N full calendar years before it, or the N months up to it. */
export function windowAt(w: RequirementWindow, d: number): DayWindow {
  if (w.kind === 'calendar-years') {
    const y = civilFromDay(d)[0];
    return { from: dayFromCivil(y - w.years, 1, 1), to: dayFromCivil(y - 1, 12, 31) };
  }
  return { from: addMonthsToDay(d, -w.months) + 1, to: d };
}

/**
 * Evaluation days [enter, leave) on which the item dated `s` is inside the window. Both bounds are
 * the first day of the change, so a sweep applies them as they come.
 */
export function windowSpan(w: RequirementWindow, s: number): [enter: number, leave: number] {
  if (w.kind === 'calendar-years') {
    const y = civilFromDay(s)[0];
    return [dayFromCivil(y + 1, 1, 1), dayFromCivil(y + 1 + w.years, 1, 1)];
  }
  // The window's first day is addMonths(d, −M) + 1: `s` leaves on the first d where that passes it.
  // Month-end clamping (2024-02-29 + 36 mo = 2027-02-28) can make the naive day one short.
  let leave = addMonthsToDay(s, w.months);
  while (addMonthsToDay(leave, -w.months) < s) leave++;
  return [s, leave];
}

/** Calendar years lying entirely inside the window on day `d` (financial data is per year). */
export function fullYearsAt(w: RequirementWindow, d: number): number[] {
  const { from, to } = windowAt(w, d);
  const [fy, fm, fd] = civilFromDay(from);
  const [ty, tm, td] = civilFromDay(to);
  const first = fm === 1 && fd === 1 ? fy : fy + 1;
  const last = tm === 12 && td === 31 ? ty : ty - 1;
  const out: number[] = [];
  for (let y = first; y <= last; y++) out.push(y);
  return out;
}

/** Days in (after, until] on which the window's set of full years may change. */
export function fullYearChangeDays(w: RequirementWindow, after: number, until: number): number[] {
  const y0 = civilFromDay(after)[0] - (w.kind === 'months' ? Math.ceil(w.months / 12) + 1 : w.years + 1);
  const y1 = civilFromDay(until)[0] + 1;
  const days = new Set<number>();
  for (let y = y0; y <= y1; y++) {
    if (w.kind === 'calendar-years') {
      days.add(dayFromCivil(y, 1, 1));
    } else {
      days.add(dayFromCivil(y, 12, 31)); // year y becomes complete inside the window
      days.add(addMonthsToDay(dayFromCivil(y, 1, 1), w.months)); // its 1 January leaves
    }
  }
  return [...days].filter((d) => d > after && d <= until).sort((a, b) => a - b);
}

const ZH_NUMERALS = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];

/** "近三年" / "the last 3 years": how the window is named inside sentences. */
export function windowName(w: RequirementWindow): Localized {
  if (w.kind === 'calendar-years') {
    const n = w.years <= 10 ? (w.years === 2 ? '两' : ZH_NUMERALS[w.years]) : String(w.years);
    return { zh: `近${n}年`, en: w.years === 1 ? 'the last full year' : `the last ${w.years} full years` };
  }
  return { zh: `近 ${w.months} 个月`, en: `the last ${w.months} months` };
}

/** "近三年（2023–2025 年）": the window with its dates, for summaries. */
export function windowLabel(w: RequirementWindow, d: number): Localized {
  const name = windowName(w);
  const { from, to } = windowAt(w, d);
  if (w.kind === 'calendar-years') {
    const a = civilFromDay(from)[0];
    const b = civilFromDay(to)[0];
    const span = a === b ? `${a}` : `${a}–${b}`;
    return { zh: `${name.zh}（${span} 年）`, en: `${name.en} (${span})` };
  }
  return {
    zh: `${name.zh}（${formatDay(from)} 至 ${formatDay(to)}）`,
    en: `${name.en} (${formatDay(from)} to ${formatDay(to)})`,
  };
}
