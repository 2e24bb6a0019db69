import { describe, expect, it } from 'vitest';
import { describeKeepRule, parseKeepRule, type KeepRule } from '../../config/backup.js';
import { planRetention } from './retention.js';

const rule = (spec: string) => parseKeepRule(spec) as KeepRule;

/** One archive a day at 02:30 China time (18:30 UTC the day before), newest last. */
function daily(from: string, days: number) {
  const start = Date.parse(`${from}T02:30:00+08:00`);
  return Array.from({ length: days }, (_, i) => {
    const createdAt = new Date(start + i * 86_400_000);
    return { name: `a-${createdAt.toISOString()}`, createdAt };
  });
}

const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const keptDays = (plan: { keep: { createdAt: Date }[] }) => plan.keep.map((a) => chinaDay(a.createdAt)).sort();

describe('ZIZHI_BACKUP_KEEP', () => {
  it('reads counts of days, ISO weeks, months and years, or all', () => {
    expect(parseKeepRule('7d,4w,12m')).toEqual({ days: 7, weeks: 4, months: 12, years: 0, all: false });
    expect(parseKeepRule(' 2y , 30D ')).toEqual({ days: 30, weeks: 0, months: 0, years: 2, all: false });
    expect(parseKeepRule('all')).toMatchObject({ all: true });
    expect(describeKeepRule(rule('7d,4w,12m'))).toBe('7d,4w,12m');
  });

  it('says what is wrong with a rule that keeps nothing or cannot be read', () => {
    expect(parseKeepRule('0d')).toMatch(/at least one count/);
    expect(parseKeepRule('7days')).toMatch(/"7days" is not a count and unit/);
    expect(parseKeepRule('7d,3d')).toMatch(/d is given twice/);
    expect(parseKeepRule('')).toMatch(/is not a count/);
  });
});

describe.each(['Asia/Shanghai', 'America/Los_Angeles', 'UTC'])('retention with the process in %s', (tz) => {
  // The rule must not read the process's zone: the same instants give the same plan everywhere.
  const before = process.env.TZ;
  const withTz = <T>(run: () => T): T => {
    process.env.TZ = tz;
    try {
      return run();
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  };

  it('keeps the newest of each of the last 7 days, 4 ISO weeks and 12 months of a year of dailies', () => {
    // 2025-11-28 … 2026-11-27: 365 archives, the newest on Friday 2026-11-27.
    const plan = withTz(() => planRetention(daily('2025-11-28', 365), rule('7d,4w,12m')));
    expect(keptDays(plan)).toEqual([
      // Monthly: the newest of each month back to December 2025 (November 2026's is today's).
      '2025-12-31',
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
      // Weekly: the Sundays ending ISO weeks 45 and 46 (week 47's is 22 November, week 48's today's).
      '2026-11-08',
      '2026-11-15',
      // Daily: the last 7 days.
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
    ]);
    expect(plan.keep).toHaveLength(20);
    expect(plan.remove).toHaveLength(345);
    const today = plan.keep.find((a) => chinaDay(a.createdAt) === '2026-11-27')!;
    expect(today.reasons).toEqual(['daily', 'weekly', 'monthly', 'newest-good']);
  });

  it('counts a day in China time: 23:30 and 00:30 China time are two days, however UTC splits them', () => {
    const archives = [
      { name: 'late', createdAt: new Date('2026-03-01T15:30:00Z') }, // 23:30 on 1 March in China
      { name: 'early', createdAt: new Date('2026-03-01T16:30:00Z') }, // 00:30 on 2 March in China
      { name: 'earlier-same-day', createdAt: new Date('2026-03-01T01:00:00Z') }, // 09:00 on 1 March
    ];
    const plan = withTz(() => planRetention(archives, rule('2d')));
    expect(plan.keep.map((a) => a.name)).toEqual(['early', 'late']);
    expect(plan.remove.map((a) => a.name)).toEqual(['earlier-same-day']);
  });

  it('puts the turn of the year in ISO weeks: 2026-12-31 (Thursday) and 2027-01-03 (Sunday) share week 53', () => {
    const at = (day: string) => ({ name: day, createdAt: new Date(`${day}T12:00:00+08:00`) });
    const archives = [at('2026-12-27'), at('2026-12-28'), at('2026-12-31'), at('2027-01-03'), at('2027-01-04')];
    const plan = withTz(() => planRetention(archives, rule('3w')));
    // Week 2027-W01 (from Monday 4 January), 2026-W53 (28 December–3 January), 2026-W52.
    expect(plan.keep.map((a) => a.name)).toEqual(['2027-01-04', '2027-01-03', '2026-12-27']);
  });

  it('counts days that have archives, so a server that was off for weeks keeps its last dailies', () => {
    const archives = [...daily('2026-09-01', 10), ...daily('2026-11-20', 1)];
    const plan = withTz(() => planRetention(archives, rule('7d')));
    expect(keptDays(plan)).toEqual([
      '2026-09-05',
      '2026-09-06',
      '2026-09-07',
      '2026-09-08',
      '2026-09-09',
      '2026-09-10',
      '2026-11-20',
    ]);
  });
});

describe('the newest good archive', () => {
  it('is kept even when the rule would delete it, and an archive whose drill failed does not count as good', () => {
    const archives = [
      { name: 'bad-newest', createdAt: new Date('2026-11-27T02:30:00+08:00'), good: false },
      { name: 'good-same-day', createdAt: new Date('2026-11-27T01:00:00+08:00') },
      { name: 'older', createdAt: new Date('2026-11-20T02:30:00+08:00') },
    ];
    const plan = planRetention(archives, rule('1d'));
    expect(plan.keep.map((a) => [a.name, a.reasons])).toEqual([
      ['bad-newest', ['daily']],
      ['good-same-day', ['newest-good']],
    ]);
    expect(plan.remove.map((a) => a.name)).toEqual(['older']);
  });

  it('deletes nothing when no archive is known to be good', () => {
    const archives = daily('2026-01-01', 5).map((a) => ({ ...a, good: false }));
    expect(planRetention(archives, rule('1d')).remove).toEqual([]);
  });

  it('keeps everything with all', () => {
    expect(planRetention(daily('2026-01-01', 40), rule('all')).remove).toEqual([]);
  });
});
