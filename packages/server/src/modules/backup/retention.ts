// Which archives a target keeps (ZIZHI_BACKUP_KEEP). The rule is restic's `--keep-daily` family:
// for the newest N days (ISO weeks, months, years) that have archives, the newest archive of each
// is kept. Counting buckets that have archives rather than a window back from today means a
// server that was off for a month still has its last week of dailies when it comes back.
// Buckets are China time (UTC+8, no daylight saving) whatever the server's TZ, like the schedule.

import type { KeepRule } from '../../config/backup.js';

const CHINA_OFFSET_MS = 8 * 3600_000;

/** The instant's calendar fields in China time, read through UTC getters so TZ plays no part. */
function chinaDate(at: Date): Date {
  return new Date(at.getTime() + CHINA_OFFSET_MS);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO 8601 week of a China-time date: weeks start on Monday; week 1 holds the year's first Thursday. */
function isoWeek(d: Date): string {
  const day = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${pad(week)}`;
}

type Period = 'daily' | 'weekly' | 'monthly' | 'yearly';

const BUCKETS: ReadonlyArray<{ period: Period; count: keyof KeepRule; key: (d: Date) => string }> = [
  {
    period: 'daily',
    count: 'days',
    key: (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
  },
  { period: 'weekly', count: 'weeks', key: isoWeek },
  { period: 'monthly', count: 'months', key: (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}` },
  { period: 'yearly', count: 'years', key: (d) => String(d.getUTCFullYear()) },
];

export interface RetainedArchive {
  name: string;
  createdAt: Date;
  /** False when a restore drill failed on it: it may fill a bucket, but is never "the newest good one". */
  good?: boolean;
}

export interface RetentionPlan<T extends RetainedArchive> {
  keep: Array<T & { reasons: Array<Period | 'newest-good'> }>;
  remove: T[];
}

/**
 * Splits a target's archives into those the rule keeps and those to delete. The newest archive
 * not known to be bad is always kept, whatever the rule says, so retention alone can never leave
 * a target without a restorable backup; with no such archive nothing is deleted at all.
 */
export function planRetention<T extends RetainedArchive>(archives: readonly T[], rule: KeepRule): RetentionPlan<T> {
  const newestFirst = [...archives].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name),
  );
  const newestGood = newestFirst.find((a) => a.good !== false);
  if (rule.all || !newestGood) {
    return { keep: newestFirst.map((a) => ({ ...a, reasons: [] })), remove: [] };
  }
  const left = { daily: 0, weekly: 0, monthly: 0, yearly: 0 };
  for (const b of BUCKETS) left[b.period] = rule[b.count] as number;
  const lastKey: Partial<Record<Period, string>> = {};
  const keep: RetentionPlan<T>['keep'] = [];
  const remove: T[] = [];
  for (const archive of newestFirst) {
    const reasons: Array<Period | 'newest-good'> = [];
    const china = chinaDate(archive.createdAt);
    for (const { period, key } of BUCKETS) {
      if (left[period] === 0) continue;
      const k = key(china);
      if (lastKey[period] === k) continue;
      lastKey[period] = k;
      left[period]--;
      reasons.push(period);
    }
    if (archive === newestGood) reasons.push('newest-good');
    if (reasons.length > 0) keep.push({ ...archive, reasons });
    else remove.push(archive);
  }
  return { keep, remove };
}
