import { describe, expect, it } from 'vitest';
import { parseDate } from '../calendar/days.js';
import { basisDays, basisMonths, basisPeriodEnd, basisWorkdays, holidayLabel } from './basis.js';

const d = (s: string) => parseDate(s);

describe('holiday names', () => {
  it.each([
    ['劳动节', '劳动节假期', 'Labour Day holiday'],
    ['国庆节', '国庆节假期', 'National Day holiday'],
    ['春节', '春节假期', 'Spring Festival holiday'],
    ['元旦', '元旦假期', 'New Year’s Day holiday'],
    ['“五一”', '劳动节假期', 'Labour Day holiday'],
    ['“五一”国际劳动节', '劳动节假期', 'Labour Day holiday'],
    ['“十一”', '国庆节假期', 'National Day holiday'],
    ['国庆节、中秋节', '国庆节、中秋节假期', 'National Day and Mid-Autumn Festival holiday'],
    ['某纪念日', '某纪念日假期', '某纪念日 holiday'],
  ])('%s reads as %s / %s', (name, zh, en) => {
    expect(holidayLabel(name)).toEqual({ zh, en });
  });
});

describe('calendar-day counts', () => {
  it('say the start day is not counted, like working-day counts', () => {
    const b = basisDays(d('2023-06-01'), 15, d('2023-06-16'), d('2023-06-16'));
    expect(b.zh).toBe('15 日，自 2023-06-01 起算，期满 2023-06-16（起算日不计）');
    expect(b.en).toBe('15 days from 2023-06-01 (start day not counted): ends 2023-06-16');
    expect(basisWorkdays(d('2023-06-01'), 3, d('2023-06-06')).zh).toContain('（起算日不计）');
  });

  it('move an ordinary weekend to the next working day without citing article 203', () => {
    // 2023-07-01 is a Saturday, not in any notice.
    const b = basisDays(d('2023-06-01'), 30, d('2023-07-01'), d('2023-07-03'));
    expect(b.zh).toBe(
      '30 日，自 2023-06-01 起算，期满 2023-07-01（起算日不计）；07-01 为周六，顺延至下一个工作日 2023-07-03',
    );
    expect(b.en).toBe(
      '30 days from 2023-06-01 (start day not counted): ends 2023-07-01; 2023-07-01 is a Saturday: moved to the next working day 2023-07-03',
    );
    expect(b.zh).not.toContain('民法典');
    expect(b.en).not.toContain('Civil Code');
  });

  it('name a holiday that follows the weekend it lands on, still without the citation', () => {
    const b = basisDays(d('2024-05-10'), 30, d('2024-06-09'), d('2024-06-11'));
    expect(b.zh).toContain('06-09 为周日，顺延至下一个工作日 2024-06-11（跳过 06-10 端午节假期）');
    expect(b.en).toContain('skipping 06-10 (Dragon Boat Festival holiday)');
    expect(b.zh).not.toContain('第二百零三条');
  });

  it('cite 《民法典》第二百零三条 when the last day is a holiday off day', () => {
    const b = basisDays(d('2025-04-03'), 28, d('2025-05-01'), d('2025-05-06'));
    expect(b.zh).toBe(
      '28 日，自 2025-04-03 起算，期满 2025-05-01（起算日不计）；05-01 为劳动节假期，顺延至下一个工作日 2025-05-06（《民法典》第二百零三条）',
    );
    expect(b.en).toContain(
      '2025-05-01 falls in the Labour Day holiday: moved to the next working day 2025-05-06 (Civil Code art. 203)',
    );
    // A weekend day inside the holiday's off days counts as the holiday.
    const sat = basisDays(d('2024-09-05'), 30, d('2024-10-05'), d('2024-10-08'));
    expect(sat.zh).toContain('10-05 为国庆节假期，顺延至下一个工作日 2024-10-08（《民法典》第二百零三条）');
  });

  it('explain a last day that is a make-up working day', () => {
    const b = basisDays(d('2024-09-12'), 30, d('2024-10-12'), d('2024-10-12'));
    expect(b.zh).toBe('30 日，自 2024-09-12 起算，期满 2024-10-12（起算日不计）；该日为调休上班日，按工作日计');
    expect(b.en).toContain('ends 2024-10-12; that day is a make-up working day');
    // An ordinary working day needs no note.
    expect(basisDays(d('2024-09-13'), 30, d('2024-10-13'), d('2024-10-14')).zh).not.toContain('调休');
  });
});

describe('month counts', () => {
  it('move a date counted back off a holiday to the previous working day, without the citation', () => {
    const b = basisMonths(d('2026-01-04'), -3, d('2025-10-04'), d('2025-09-30'), '（到期日）', ' (expiry)');
    expect(b.zh).toBe(
      '2026-01-04（到期日）前 3 个月为 2025-10-04；10-04 为国庆节、中秋节假期，提前至上一个工作日 2025-09-30',
    );
    expect(b.en).toBe(
      '3 months before 2026-01-04 (expiry) is 2025-10-04; 2025-10-04 falls in the National Day and Mid-Autumn Festival holiday: moved back to the previous working day 2025-09-30',
    );
  });

  it('explain a month count ending on a make-up working day', () => {
    // 2026-02-28 is a Saturday worked under the Spring Festival notice.
    const b = basisMonths(d('2025-02-28'), 12, d('2026-02-28'), d('2026-02-28'), '（发证日）', ' (issue)');
    expect(b.zh).toBe('12 个月，自 2025-02-28（发证日）起算，期满 2026-02-28；该日为调休上班日，按工作日计');
  });
});

describe('working-day counts', () => {
  it('name the skipped holiday and the make-up days naturally in both languages', () => {
    const b = basisWorkdays(d('2026-09-28'), 7, d('2026-10-13'));
    expect(b.zh).toBe(
      '7 个工作日，自 2026-09-28 起算，跳过 10-01 至 10-07 国庆节假期（10-10 调休上班），截止 2026-10-13（起算日不计）',
    );
    expect(b.en).toBe(
      '7 working days from 2026-09-28 (start day not counted), skipping 10-01 to 10-07 (National Day holiday); 10-10 is a make-up working day: due 2026-10-13',
    );
    expect(basisWorkdays(d('2025-04-25'), 5, d('2025-05-06')).zh).toContain('劳动节假期');
    expect(basisWorkdays(d('2025-04-25'), 5, d('2025-05-06')).zh).not.toContain('劳动假期');
  });

  it('explain a due date on a make-up working day', () => {
    const b = basisWorkdays(d('2024-09-27'), 7, d('2024-10-12'));
    expect(b.zh).toMatch(/截止 2024-10-12（起算日不计）；该日为调休上班日，按工作日计$/);
    expect(b.en).toMatch(/due 2024-10-12; that day is a make-up working day/);
  });
});

describe('period ends', () => {
  it('name the holiday after the last working day of a period', () => {
    const b = basisPeriodEnd(2023, 7, true, d('2023-09-30'), d('2023-09-28'));
    expect(b.zh).toBe('2023 年第 3 季度最后一个工作日 2023-09-28（09-29 至 09-30 为中秋节、国庆节假期）');
    expect(b.en).toBe(
      'last working day of Q3 2023: 2023-09-28 (09-29 to 09-30: Mid-Autumn Festival and National Day holiday)',
    );
    expect(basisPeriodEnd(2026, 10, false, d('2026-10-31'), d('2026-10-30')).en).toBe(
      'last working day of 2026-10: 2026-10-30 (10-31 is not a working day)',
    );
  });

  it('explain a last working day that is a make-up working day', () => {
    const b = basisPeriodEnd(2026, 2, false, d('2026-02-28'), d('2026-02-28'));
    expect(b.zh).toBe('2026 年 2 月最后一个工作日 2026-02-28；该日为调休上班日，按工作日计');
  });
});
