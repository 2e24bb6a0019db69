import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CalendarUnknownYearError,
  InvalidCalendarYearError,
  NEXT_NOTICE_FROM_DECEMBER,
  addDays,
  addWorkdays,
  awaitedNoticeYear,
  calendarRevision,
  computeObligations,
  countWorkdays,
  isDateSettled,
  isWorkday,
  isYearPublished,
  publishedYears,
  registerCalendarYear,
  replaceImportedYears,
  resetCalendarYears,
  type CalendarYearFile,
} from '../index.js';

const DATA_DIR = fileURLToPath(new URL('../../data/holiday-cn/', import.meta.url));

/** A 2027 notice shaped like the 2008 and 2019 ones: New Year off from 30 December, Saturday the 26th worked. */
const YEAR_2027: CalendarYearFile = {
  year: 2027,
  papers: ['https://example.test/2027'],
  days: [
    { name: '元旦', date: '2026-12-26', isOffDay: false },
    { name: '元旦', date: '2026-12-30', isOffDay: true },
    { name: '元旦', date: '2026-12-31', isOffDay: true },
    { name: '元旦', date: '2027-01-01', isOffDay: true },
  ],
};

afterEach(() => resetCalendarYears());

describe('the last weeks of the newest published year', () => {
  it('covers every December day a next-year notice has ever set, with two weeks to spare', () => {
    const earliest: string[] = [];
    for (let year = 2007; year <= 2027; year++) {
      const file = JSON.parse(readFileSync(`${DATA_DIR}${year}.json`, 'utf8')) as CalendarYearFile;
      const before = file.days.filter((d) => d.date < `${year}-01-01`).map((d) => d.date);
      if (before.length > 0) earliest.push(before.sort()[0]!);
    }
    expect(earliest).toEqual(['2006-12-30', '2007-12-29', '2011-12-31', '2018-12-29', '2022-12-31']);
    for (const date of earliest) expect(Number(date.slice(8)) - NEXT_NOTICE_FROM_DECEMBER).toBeGreaterThanOrEqual(14);
  });

  it('answers for a day from 15 December 2026 on depend on the unpublished 2027', () => {
    expect(isWorkday('2026-12-14', { provisional: true })).toEqual({
      value: true,
      provisional: false,
      unknownYears: [],
    });
    expect(isWorkday('2026-12-15', { provisional: true })).toEqual({
      value: true,
      provisional: true,
      unknownYears: [2027],
    });
    // Thursday 31 December: a working day by the weekday rule, until the 2027 notice says otherwise.
    expect(isWorkday('2026-12-31', { provisional: true })).toEqual({
      value: true,
      provisional: true,
      unknownYears: [2027],
    });
  });

  it('refuses those days without a provisional answer, naming 2027', () => {
    expect(isWorkday('2026-12-14')).toBe(true);
    try {
      isWorkday('2026-12-28');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarUnknownYearError);
      expect((e as CalendarUnknownYearError).year).toBe(2027);
    }
    expect(() => addDays('2026-12-01', 20)).toThrow(/2027/);
  });

  it('marks a count that reaches into them, forward or back, and not one that stops before', () => {
    expect(addWorkdays('2026-12-08', 4, { provisional: true })).toEqual({
      value: '2026-12-14',
      provisional: false,
      unknownYears: [],
    });
    expect(addWorkdays('2026-12-08', 5, { provisional: true })).toEqual({
      value: '2026-12-15',
      provisional: true,
      unknownYears: [2027],
    });
    // Counted back from the 21st: the answer is the 14th, but the days passed over lie in the last weeks.
    expect(addWorkdays('2026-12-21', -5, { provisional: true })).toEqual({
      value: '2026-12-14',
      provisional: true,
      unknownYears: [2027],
    });
    expect(countWorkdays('2026-01-01', '2026-12-14', { provisional: true }).provisional).toBe(false);
  });

  it('does not mark the last weeks of a year whose next year is published', () => {
    for (const date of ['2025-12-31', '2018-12-28', '2007-12-20']) {
      expect(isWorkday(date, { provisional: true }).provisional, date).toBe(false);
    }
  });

  it('does not blame an unpublished year for its December days a published notice set', () => {
    // 2006 is not published, but the 2007 notice set its 30th and 31st as make-up working days.
    expect(isWorkday('2006-12-30', { provisional: true })).toEqual({
      value: true,
      provisional: false,
      unknownYears: [],
    });
    expect(countWorkdays('2006-12-30', '2026-12-20', { provisional: true }).unknownYears).toEqual([2027]);
    expect(countWorkdays('2006-12-29', '2007-01-05', { provisional: true }).unknownYears).toEqual([2006]);
  });

  it('makes the days final once 2027 is imported, and moves the mark to the last weeks of 2027', () => {
    registerCalendarYear(YEAR_2027);
    expect(isWorkday('2026-12-26')).toBe(true);
    expect(isWorkday('2026-12-30')).toBe(false);
    expect(addWorkdays('2026-12-24', 2)).toBe('2026-12-26');
    expect(addWorkdays('2026-12-28', 2)).toBe('2027-01-04');
    expect(isWorkday('2027-12-14', { provisional: true }).provisional).toBe(false);
    expect(isWorkday('2027-12-15', { provisional: true })).toEqual({
      value: true,
      provisional: true,
      unknownYears: [2028],
    });
  });

  it('marks obligations counted through them provisional with the unpublished year', () => {
    const complaint = (date: string) => {
      const r = computeObligations({
        certificate: { level: 'CS3', issuedOn: '2025-03-15' },
        events: [{ type: 'complaint', id: 'c', date }],
        provisional: true,
      });
      return r.obligations.find((o) => o.key === 'complaint.response:c')!;
    };
    const before = complaint('2026-12-03');
    expect(before).toMatchObject({ dueDate: '2026-12-14', provisional: false });
    expect(before.unknownYears).toBeUndefined();
    const late = complaint('2026-12-04');
    expect(late).toMatchObject({ dueDate: '2026-12-15', provisional: true, unknownYears: [2027] });
    expect(late.basis).toContain('2027');
    registerCalendarYear(YEAR_2027);
    expect(complaint('2026-12-22')).toMatchObject({ dueDate: '2027-01-04', provisional: false });
  });
});

describe('isDateSettled', () => {
  it('holds when every notice that can govern the date is published', () => {
    expect(isDateSettled('2026-12-14')).toBe(true);
    expect(isDateSettled('2026-12-15')).toBe(false);
    expect(isDateSettled('2027-03-01')).toBe(false);
    registerCalendarYear(YEAR_2027);
    expect(isDateSettled('2026-12-31')).toBe(true);
    expect(isDateSettled('2027-03-01')).toBe(true);
    expect(isDateSettled('2027-12-15')).toBe(false);
  });
});

describe('replaceImportedYears', () => {
  it('makes the imported years exactly the given ones, restoring a built-in year no longer replaced', () => {
    const before = calendarRevision();
    const own2026 = { year: 2026, papers: ['https://example.test/2026'], days: YEAR_2027.days.slice(0, 1) };
    replaceImportedYears([YEAR_2027, own2026]);
    expect(calendarRevision()).not.toBe(before);
    expect(isYearPublished(2027)).toBe(true);
    expect(publishedYears().find((y) => y.year === 2026)?.source).toBe('imported');
    replaceImportedYears([]);
    expect(isYearPublished(2027)).toBe(false);
    expect(publishedYears().find((y) => y.year === 2026)?.source).toBe('builtin');
  });

  it('changes nothing when a file is invalid, and names its year', () => {
    replaceImportedYears([YEAR_2027]);
    const revision = calendarRevision();
    try {
      replaceImportedYears([{ year: 2028, papers: [], days: [] }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidCalendarYearError);
      expect((e as InvalidCalendarYearError).problems.join('\n')).toMatch(/^year 2028: "days" is empty/);
    }
    expect(isYearPublished(2027)).toBe(true);
    expect(calendarRevision()).toBe(revision);
  });
});

describe('awaitedNoticeYear', () => {
  it('names the notice a provisional date waits for, and none for a settled date', () => {
    expect(awaitedNoticeYear('2026-12-31')).toBe(2027);
    expect(awaitedNoticeYear('2026-12-15')).toBe(2027);
    expect(awaitedNoticeYear('2026-12-14')).toBeNull();
    expect(awaitedNoticeYear('2027-03-01')).toBe(2027);
  });
});
