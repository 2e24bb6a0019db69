// One-pass readers for the evidence's dates, months and amounts: readiness reads thousands of them
// per evaluation, so each is parsed once, without regular expressions or a second validation.
import { MAX_YEAR, MIN_YEAR, dayFromCivil, daysInMonth } from '../calendar/days.js';

/** Value of `n` digits of `s` from `at`, or -1 when one is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Day number of a real `YYYY-MM-DD` date in the supported years, else null (treated as missing). */
export function dayOf(s: string | null | undefined): number | null {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return dayFromCivil(y, m, d);
}

/** Day number of the first day of a `YYYY-MM` month, else null. */
export function monthStart(s: string | null | undefined): number | null {
  if (typeof s !== 'string' || s.length !== 7 || s.charCodeAt(4) !== 45) return null;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12) return null;
  return dayFromCivil(y, m, 1);
}

/**
 * Fen of a decimal yuan string (at most two decimals): a number while exact (up to 15 digits),
 * else a bigint. JavaScript compares the two exactly, so callers need not care which.
 */
export function fenOf(s: string | null | undefined): number | bigint | null {
  if (typeof s !== 'string') return null;
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const neg = i === 1;
  let v = 0;
  let intDigits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    intDigits++;
  }
  if (intDigits === 0) return null;
  let fracDigits = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return null;
    for (i++; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9 || fracDigits === 2) return null;
      v = v * 10 + c;
      fracDigits++;
    }
    if (fracDigits === 0) return null;
  }
  if (intDigits + 2 > 15) {
    const [int = '', frac = ''] = s.replace('-', '').split('.');
    const big = BigInt(int) * 100n + BigInt(frac.padEnd(2, '0'));
    return neg ? -big : big;
  }
  v *= fracDigits === 0 ? 100 : fracDigits === 1 ? 10 : 1;
  return neg ? -v : v;
}
