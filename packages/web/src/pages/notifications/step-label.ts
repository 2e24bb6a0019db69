import type { i18n as I18n } from 'i18next';

/** The forms of reminder step the server stores (the reminder schedule's step keys). */
const STEP = /^(?:before-([1-9]\d{0,5})([dh])|(on-day)|(at-due)|overdue-([1-9]\d{0,5}))$/;

/**
 * A reminder step in words: `before-30d` → 到期前 30 天, `overdue-2` → 逾期第 2 次提醒 (overdue
 * reminders repeat every few working days, so the number counts reminders, not days).
 */
export function stepLabel(step: string, i18n: I18n): string {
  const t = i18n.t as unknown as (key: string, options?: Record<string, unknown>) => string;
  const m = STEP.exec(step);
  if (!m) return t('deliveries.steps.other');
  if (m[1] !== undefined) {
    const count = Number(m[1]);
    if (m[2] === 'h')
      return count === 1 ? t('deliveries.steps.beforeHour') : t('deliveries.steps.beforeHours', { count });
    return count === 1 ? t('deliveries.steps.beforeDay') : t('deliveries.steps.beforeDays', { count });
  }
  if (m[3] !== undefined) return t('deliveries.steps.onDay');
  if (m[4] !== undefined) return t('deliveries.steps.atDue');
  return t('deliveries.steps.overdue', { count: Number(m[5]) });
}
