/**
 * The one source of "now" for the server, so that deadlines, overdue flags and inferred
 * states can be tested on a fixed day.
 */
let current: () => number = () => Date.now();

export function now(): number {
  return current();
}

/** Fixes the clock (tests); pass nothing to return to the real one. */
export function setClock(fn?: () => number): void {
  current = fn ?? (() => Date.now());
}

/** Today's date in China (Asia/Shanghai has had no daylight saving since 1991: UTC+8). */
export function chinaToday(at = now()): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The instant the next day begins in China: when answers that depend on today's date change. */
export function nextChinaMidnight(at = now()): number {
  const day = 86_400_000;
  const offset = 8 * 3_600_000;
  return Math.floor((at + offset) / day) * day + day - offset;
}

/** An instant as the engine and the API write it: ISO with +08:00. */
export function formatInstant(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
