// ISO instants with an explicit offset, handled as epoch milliseconds without Date parsing (which
// would read an offset-less string in the process time zone).
import { dayFromCivil, daysInMonth, formatDay } from '../calendar/days.js';

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Epoch milliseconds of an ISO instant with offset (`Z` or ±hh:mm), or null when malformed. */
export function parseInstant(s: string): number | null {
  const m = INSTANT_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return null;
  let off = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    off = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return (((dayFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec) * 1000 + ms - off;
}

function pad(v: number, n = 2): string {
  return String(v).padStart(n, '0');
}

/** The Asia/Shanghai wall clock of an instant: [day number, 'HH:MM']. */
export function shanghaiParts(ms: number): [day: number, hhmm: string, seconds: number] {
  const local = ms + SHANGHAI_OFFSET_MS;
  const day = Math.floor(local / 86_400_000);
  const rest = local - day * 86_400_000;
  const h = Math.floor(rest / 3600_000);
  const mi = Math.floor((rest % 3600_000) / 60_000);
  const s = Math.floor((rest % 60_000) / 1000);
  return [day, `${pad(h)}:${pad(mi)}`, s];
}

/** ISO instant with +08:00 (Asia/Shanghai has no daylight saving since 1991). */
export function formatShanghaiInstant(ms: number): string {
  const [day, hhmm, s] = shanghaiParts(ms);
  return `${formatDay(day)}T${hhmm}:${pad(s)}+08:00`;
}
