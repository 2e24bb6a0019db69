/** The next calendar day of a YYYY-MM-DD value, by UTC arithmetic so the process time zone never matters. */
export function addOneDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
