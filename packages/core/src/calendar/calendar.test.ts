import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CalendarUnknownYearError,
  InvalidCalendarYearError,
  InvalidDateError,
  MAX_YEAR,
  MIN_YEAR,
  addCalendarDays,
  addDays,
  addMonths,
  addWorkdays,
  countWorkdays,
  isValidDate,
  isWorkday,
  noticeDay,
  publishedYears,
  registerCalendarYear,
  resetCalendarYears,
  validateCalendarYear,
  type CalendarYearFile,
} from '../index.js';
import { dayFromCivil, formatDay, weekdayOfDay } from './days.js';

const DATA_DIR = fileURLToPath(new URL('../../data/holiday-cn/', import.meta.url));

function readYear(year: number): CalendarYearFile {
  return JSON.parse(readFileSync(`${DATA_DIR}${year}.json`, 'utf8')) as CalendarYearFile;
}

const SOURCE_YEARS = Array.from({ length: 21 }, (_, i) => 2007 + i);
const sources = new Map(SOURCE_YEARS.map((y) => [y, readYear(y)]));

/** Reference answer straight from the source files: listed days, else Monday–Friday. */
const listed = new Map<string, boolean>();
for (const y of SOURCE_YEARS) for (const d of sources.get(y)?.days ?? []) listed.set(d.date, !d.isOffDay);
function referenceIsWorkday(day: number): boolean {
  return listed.get(formatDay(day)) ?? weekdayOfDay(day) <= 5;
}

const day = (s: string) => dayFromCivil(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));

afterEach(() => resetCalendarYears());

describe('published data', () => {
  it('counts the official working days per year: 2024 = 251, 2025 = 248, 2026 = 248 (until 2027’s notice)', () => {
    expect(countWorkdays('2024-01-01', '2024-12-31')).toBe(251);
    expect(countWorkdays('2025-01-01', '2025-12-31')).toBe(248);
    // Late December 2026 waits for the 2027 notice, which may move its New Year holiday into it.
    expect(countWorkdays('2026-01-01', '2026-12-31', { provisional: true })).toEqual({
      value: 248,
      provisional: true,
      unknownYears: [2027],
    });
  });

  it('matches every off day and make-up working day of 2024–2026 in the yearly files', () => {
    let checked = 0;
    for (const y of [2024, 2025, 2026]) {
      for (const d of readYear(y).days) {
        expect(isWorkday(d.date), `${d.date} ${d.name}`).toBe(!d.isOffDay);
        checked++;
      }
    }
    expect(checked).toBe(36 + 33 + 39);
  });

  it('agrees with the source files on every day 2007–2026 (listed days, else Monday–Friday)', () => {
    for (let d = day('2006-12-01'); d <= day('2026-12-31'); d++) {
      if (formatDay(d) < '2007-01-01' && !listed.has(formatDay(d))) continue;
      expect(isWorkday(formatDay(d), { provisional: true }).value, formatDay(d)).toBe(referenceIsWorkday(d));
    }
  });

  it('keeps each year’s notice URLs and lists 2007–2026 as built in, 2027 not', () => {
    const years = publishedYears();
    expect(years.map((y) => y.year)).toEqual(SOURCE_YEARS.filter((y) => y !== 2027));
    for (const y of years) {
      expect(y.papers).toEqual(sources.get(y.year)?.papers);
      expect(y.source).toBe('builtin');
    }
  });

  it('governs a December date by the next year’s file', () => {
    expect(isWorkday('2018-12-29')).toBe(true); // Saturday, make-up day in the 2019 notice
    expect(isWorkday('2018-12-31')).toBe(false); // Monday, off in the 2019 notice
    expect(isWorkday('2011-12-31')).toBe(true); // Saturday, 2012 notice
    expect(isWorkday('2006-12-30')).toBe(true); // Saturday, 2007 notice
  });

  it('derives weekends joined to a holiday from the weekday', () => {
    expect(isWorkday('2026-10-03')).toBe(false);
    expect(isWorkday('2026-10-10')).toBe(true); // Saturday make-up day
    expect(isWorkday('2026-10-11')).toBe(false);
  });
});

describe('counting', () => {
  it('adds working days without counting the start day: 2026-09-28 + 7 = 2026-10-13', () => {
    expect(addWorkdays('2026-09-28', 7)).toBe('2026-10-13');
    expect(addWorkdays('2026-10-13', -7)).toBe('2026-09-28');
    expect(addWorkdays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkdays('2026-10-03', 0)).toBe('2026-10-03');
  });

  it('adds months to the corresponding day, else the month end: 2025-08-31 + 18 = 2027-02-28', () => {
    expect(addMonths('2025-08-31', 18)).toBe('2027-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2029-03-14', -3)).toBe('2028-12-14');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
  });

  it('adds days and moves an off last day to the next working day: 2026-09-30 + 1 = 2026-10-08', () => {
    expect(addDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addDays('2026-05-10', 30)).toBe('2026-06-09');
    expect(addDays('2026-10-08', -1)).toBe('2026-09-30'); // counted back: previous working day
  });

  it('shifts by plain calendar days with addCalendarDays (no working-day move)', () => {
    expect(addCalendarDays('2026-09-30', 1)).toBe('2026-10-01'); // an off day: not moved
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addCalendarDays('2026-03-29', 1)).toBe('2026-03-30'); // no DST or time-zone effect
    expect(addCalendarDays('2026-10-03', 0)).toBe('2026-10-03');
    expect(addCalendarDays('2027-06-01', 400)).toBe('2028-07-05'); // unpublished years: no calendar needed
    expect(() => addCalendarDays('2199-12-31', 1)).toThrow(/outside the supported years 1900–2199/);
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(InvalidDateError);
    expect(() => addCalendarDays('2026-01-01', 1.5)).toThrow(/whole number/);
  });

  it('counts inclusively and refuses a reversed range', () => {
    expect(countWorkdays('2026-10-01', '2026-10-07')).toBe(0);
    expect(countWorkdays('2026-09-28', '2026-10-13')).toBe(8);
    expect(() => countWorkdays('2026-10-13', '2026-09-28')).toThrow(/swap/);
  });
});

describe('invalid input', () => {
  it('uses one date check, years 1900–2199: isValidDate accepts exactly what parseDate accepts', () => {
    expect([MIN_YEAR, MAX_YEAR]).toEqual([1900, 2199]);
    const cases: [string, boolean][] = [
      ['1900-01-01', true],
      ['1969-12-31', true],
      ['1970-01-01', true],
      ['2199-12-31', true],
      ['2024-02-29', true],
      ['1899-12-31', false],
      ['2200-01-01', false],
      ['0500-01-01', false],
      ['0000-01-01', false],
      ['2023-02-29', false],
      ['2026-2-3', false],
      ['２０２６-01-01', false],
      ['2026-01-01 ', false],
    ];
    for (const [s, ok] of cases) {
      expect(isValidDate(s), s).toBe(ok);
      if (ok) expect(() => addMonths(s, 0), s).not.toThrow();
      else expect(() => addMonths(s, 0), s).toThrow(InvalidDateError);
    }
    expect(isValidDate(20260101)).toBe(false);
    expect(() => isWorkday('1899-12-31')).toThrow(/outside the supported years 1900–2199/);
  });

  it.each(['2026-02-30', '2026-2-3', '', '2026-13-01', '26-01-01', '2026-01-01T00:00'])('rejects %j', (s) => {
    expect(() => isWorkday(s)).toThrow(InvalidDateError);
    expect(() => addWorkdays(s, 1)).toThrow(InvalidDateError);
    expect(() => addMonths(s, 1)).toThrow(InvalidDateError);
  });

  it('says what to fix and carries code INVALID_INPUT', () => {
    try {
      isWorkday('2026-02-30');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidDateError);
      expect((e as InvalidDateError).code).toBe('INVALID_INPUT');
      expect((e as Error).message).toMatch(/2026-02 has days 01–28/);
    }
    expect(() => isWorkday('2026-2-3')).toThrow(/YYYY-MM-DD/);
    expect(() => isWorkday('')).toThrow(/empty/);
    expect(() => addWorkdays('2026-01-05', 1.5)).toThrow(/whole number/);
  });
});

describe('unpublished years', () => {
  it('throws CalendarUnknownYearError naming 2027', () => {
    try {
      isWorkday('2027-03-01');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarUnknownYearError);
      expect((e as CalendarUnknownYearError).year).toBe(2027);
      expect((e as CalendarUnknownYearError).code).toBe('CALENDAR_UNKNOWN_YEAR');
      expect((e as Error).message).toContain('2027');
    }
    expect(() => addWorkdays('2026-12-28', 5)).toThrow(CalendarUnknownYearError);
    expect(() => countWorkdays('2026-12-01', '2027-01-31')).toThrow(/2027/);
    expect(() => addDays('2026-12-20', 30)).toThrow(/2027/);
    expect(() => isWorkday('2005-06-01')).toThrow(/2005/);
  });

  it('answers with the weekday rule and marks the result provisional on request', () => {
    expect(isWorkday('2027-03-01', { provisional: true })).toEqual({
      value: true,
      provisional: true,
      unknownYears: [2027],
    });
    expect(isWorkday('2027-03-06', { provisional: true }).value).toBe(false);
    expect(addWorkdays('2026-12-28', 5, { provisional: true })).toEqual({
      value: '2027-01-04',
      provisional: true,
      unknownYears: [2027],
    });
    expect(countWorkdays('2027-01-01', '2027-12-31', { provisional: true }).value).toBe(261);
  });

  it('does not mark a result provisional when only published years are used', () => {
    expect(addWorkdays('2026-09-28', 7, { provisional: true })).toEqual({
      value: '2026-10-13',
      provisional: false,
      unknownYears: [],
    });
  });

  it('does not need a year’s data to add months', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
  });
});

describe('importing a year', () => {
  const file2027: CalendarYearFile = {
    year: 2027,
    papers: ['https://example.test/2027'],
    days: [
      { name: '元旦', date: '2027-01-01', isOffDay: true },
      { name: '春节', date: '2027-02-06', isOffDay: false },
      { name: '春节', date: '2027-02-08', isOffDay: true },
    ],
  };

  it('accepts every built-in source file', () => {
    for (const y of SOURCE_YEARS.filter((y) => y !== 2027)) {
      expect(validateCalendarYear(readYear(y)).year).toBe(y);
    }
  });

  it('registers a new year so every function uses it, and lists it as imported', () => {
    registerCalendarYear(validateCalendarYear(file2027));
    expect(isWorkday('2027-02-06')).toBe(true);
    expect(isWorkday('2027-02-08')).toBe(false);
    expect(addWorkdays('2026-12-31', 1)).toBe('2027-01-04');
    expect(publishedYears().at(-1)).toEqual({ year: 2027, papers: ['https://example.test/2027'], source: 'imported' });
    resetCalendarYears();
    expect(() => isWorkday('2027-02-06')).toThrow(CalendarUnknownYearError);
  });

  it('replaces a built-in year', () => {
    const f = readYear(2026);
    f.days = f.days.filter((d) => d.date !== '2026-10-10');
    registerCalendarYear(f);
    expect(isWorkday('2026-10-10')).toBe(false);
    expect(publishedYears().find((y) => y.year === 2026)?.source).toBe('imported');
  });

  it('lists every problem: wrong year, duplicates, outside dates, shape', () => {
    const bad = {
      year: 2027,
      papers: 'x',
      days: [
        { name: '元旦', date: '2027-01-01', isOffDay: true },
        { name: '元旦', date: '2027-01-01', isOffDay: true },
        { name: '国庆', date: '2026-10-01', isOffDay: true },
        { name: '?', date: '2027-02-30', isOffDay: true },
        { date: '2027-05-01', isOffDay: 'yes' },
      ],
    };
    try {
      validateCalendarYear(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidCalendarYearError);
      const p = (e as InvalidCalendarYearError).problems.join('\n');
      expect(p).toMatch(/papers/);
      expect(p).toMatch(/2027-01-01 appears more than once/);
      expect(p).toMatch(/2026-10-01 is outside 2027/);
      expect(p).toMatch(/2027-02-30/);
      expect(p).toMatch(/days\[4\]\.name/);
      expect(p).toMatch(/days\[4\]\.isOffDay/);
    }
    expect(() => validateCalendarYear(readYear(2027))).toThrow(/not published yet/);
    expect(() => validateCalendarYear({ ...file2027, year: '2027' })).toThrow(/year/);
    expect(() => validateCalendarYear([])).toThrow(/object/);
    expect(() =>
      validateCalendarYear({
        ...file2027,
        days: [
          { name: 'x', date: '2026-12-31', isOffDay: true },
          { name: 'x', date: '2028-01-03', isOffDay: false },
        ],
      }),
    ).not.toThrow();
  });
});

describe('laws (fast-check)', () => {
  const first = day('2008-01-01');
  // Up to 60 days or 40 working days later stays before 2026-12-15, from which 2027's notice governs.
  const last = day('2026-10-15');
  const dayArb = fc.integer({ min: first, max: last });
  const nArb = fc.integer({ min: 1, max: 40 });

  function referenceAdd(d: number, n: number): number {
    let x = d;
    let left = Math.abs(n);
    while (left > 0) {
      x += n > 0 ? 1 : -1;
      if (referenceIsWorkday(x)) left--;
    }
    return x;
  }

  it('addWorkdays agrees with a day-by-day walk over the source files', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -40, max: 40 }), (d, n) => {
        expect(addWorkdays(formatDay(d), n)).toBe(formatDay(n === 0 ? d : referenceAdd(d, n)));
      }),
      { numRuns: 2000 },
    );
  });

  it('countWorkdays(d, addWorkdays(d, n)) agrees with n', () => {
    fc.assert(
      fc.property(dayArb, nArb, (d, n) => {
        const s = formatDay(d);
        const e = addWorkdays(s, n);
        expect(countWorkdays(s, e)).toBe(isWorkday(s) ? n + 1 : n);
        expect(countWorkdays(formatDay(d + 1), e)).toBe(n);
      }),
    );
  });

  it('adding never lands on an off day', () => {
    fc.assert(
      fc.property(
        dayArb,
        fc.integer({ min: -40, max: 40 }).filter((n) => n !== 0),
        (d, n) => {
          expect(isWorkday(addWorkdays(formatDay(d), n))).toBe(true);
          expect(isWorkday(addDays(formatDay(d), n))).toBe(true);
        },
      ),
    );
  });

  it('is monotonic in n', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -40, max: 40 }), fc.integer({ min: -40, max: 40 }), (d, a, b) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(addWorkdays(formatDay(d), lo) < addWorkdays(formatDay(d), hi)).toBe(true);
      }),
    );
  });

  it('addWorkdays(addWorkdays(d, n), -n) returns to d, or to the working day before d when d is off', () => {
    fc.assert(
      fc.property(dayArb, nArb, (d, n) => {
        const s = formatDay(d);
        const back = addWorkdays(addWorkdays(s, n), -n);
        expect(back).toBe(isWorkday(s) ? s : addWorkdays(s, -1));
      }),
    );
  });

  it('addDays lands on d + n or on the first working day after it', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 60 }), (d, n) => {
        const r = day(addDays(formatDay(d), n));
        expect(r).toBeGreaterThanOrEqual(d + n);
        for (let x = d + n; x < r; x++) expect(referenceIsWorkday(x)).toBe(false);
      }),
    );
  });
});

describe('noticeDay', () => {
  it('names the off days and make-up working days of a notice, and nothing else', () => {
    // The 2026 notice: National Day 10-01…10-07 off, Saturday 10-10 worked (State Council notice).
    expect(noticeDay('2026-10-01')).toEqual({ name: '国庆节', date: '2026-10-01', isOffDay: true });
    expect(noticeDay('2026-10-04')?.isOffDay).toBe(true);
    expect(noticeDay('2026-10-10')).toMatchObject({ isOffDay: false });
    expect(noticeDay('2026-10-12')).toBeNull();
    expect(noticeDay('2190-01-01')).toBeNull();
  });

  it('agrees with isWorkday on every day of the published years', () => {
    for (const { year } of publishedYears()) {
      for (let d = dayFromCivil(year, 1, 1); d <= dayFromCivil(year, 12, 31); d++) {
        const date = formatDay(d);
        const entry = noticeDay(date);
        const weekend = weekdayOfDay(d) >= 6;
        expect(isWorkday(date, { provisional: true }).value, date).toBe(entry ? !entry.isOffDay : !weekend);
      }
    }
  });
});
