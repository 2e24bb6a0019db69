import dayjs, { type Dayjs } from 'dayjs';

export const auditPath = (orgId: string, auditId: string) => `/orgs/${orgId}/audits/${auditId}`;

/**
 * The period an audit planned today most likely covers: the last full quarter (CS1/CS2 audit
 * quarterly) or month (CS3 and above, monthly).
 */
export function currentQuarter(today: string, level: string): [Dayjs, Dayjs] {
  const day = dayjs(today);
  if (level === 'CS1' || level === 'CS2') {
    const start = day.startOf('month').subtract((day.month() % 3) + 3, 'month');
    return [start, start.add(3, 'month').subtract(1, 'day')];
  }
  const start = day.startOf('month').subtract(1, 'month');
  return [start, start.endOf('month').startOf('day')];
}
