import { addCalendarDays } from '@zizhi/core';

/** Today's date in China (Asia/Shanghai has had no daylight saving since 1991: UTC+8). */
export function chinaToday(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The next calendar day of a YYYY-MM-DD value. */
export const addOneDay = (date: string): string => addCalendarDays(date, 1);
