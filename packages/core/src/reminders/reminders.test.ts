import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDERS,
  InvalidDateError,
  InvalidReminderStepError,
  OVERDUE_MAX_STEPS,
  addCalendarDays,
  addWorkdays,
  compareStepKeys,
  computeObligations,
  countWorkdays,
  dueSteps,
  getRule,
  isWorkday,
  nextReminder,
  registerCalendarYear,
  reminderSteps,
  resetCalendarYears,
  stepDate,
  type Obligation,
  type ReminderInput,
  type ReminderLadder,
  type ReminderStep,
} from '../index.js';

afterEach(() => resetCalendarYears());

const at = (steps: ReminderStep[]) => steps.map((s) => `${s.step} ${s.at}`);
const nine = (date: string) => `${date}T09:00:00+08:00`;

/** The reminder input of an engine obligation, as the server will build it. */
function inputOf(o: Obligation): ReminderInput {
  return {
    ladder: getRule(o.rule).reminders,
    dueDate: o.dueDate,
    ...(o.dueAt !== undefined ? { dueAt: o.dueAt } : {}),
    ...(o.windowStart !== undefined ? { windowStart: o.windowStart } : {}),
    provisional: o.provisional,
  };
}

describe('date deadlines', () => {
  it('follows the default ladder 30, 15, 7, 1 days before and on the day, at 09:00 Asia/Shanghai', () => {
    // Due Tuesday 2026-06-30; 30 days before is Sunday May 31, so that step goes on Friday May 29.
    expect(at(reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2026-06-30' }))).toEqual([
      `before-30d ${nine('2026-05-29')}`,
      `before-15d ${nine('2026-06-15')}`,
      `before-7d ${nine('2026-06-23')}`,
      `before-1d ${nine('2026-06-29')}`,
      `on-day ${nine('2026-06-30')}`,
    ]);
  });

  it('moves a reminder on an off day to the previous working day (国庆 2026)', () => {
    // Due Thursday 2026-10-08, the first working day after 国庆 (Oct 1–7 off). 7 days before is
    // Oct 1 and 1 day before is Oct 7: both move to Wednesday Sep 30, and are sent once.
    const steps = reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2026-10-08' });
    expect(at(steps)).toEqual([
      `before-30d ${nine('2026-09-08')}`,
      `before-15d ${nine('2026-09-23')}`,
      `before-1d ${nine('2026-09-30')}`,
      `on-day ${nine('2026-10-08')}`,
    ]);
    expect(steps.map((s) => s.kind)).toEqual(['before', 'before', 'before', 'due']);
    expect(steps.every((s) => !s.escalate && !s.provisional)).toBe(true);
  });

  it('moves a weekend reminder across the Mid-Autumn break to the previous working day', () => {
    // 2026-09-27 (Sunday, 中秋 off) → Thursday 2026-09-24; Sat 09-26 and Fri 09-25 are off too.
    const steps = reminderSteps({ ladder: { daysBefore: [3], overdueEscalation: 'none' }, dueDate: '2026-09-30' });
    expect(at(steps)).toEqual([`before-3d ${nine('2026-09-24')}`]);
  });

  it('puts the on-day reminder of a due date on an off day on the previous working day', () => {
    // An expiry printed on Sunday 2026-11-29 (expiry is not moved by the engine).
    const steps = reminderSteps({ ladder: getRule('expiry').reminders, dueDate: '2026-11-29' });
    expect(steps.at(-1)).toMatchObject({ step: 'on-day', at: nine('2026-11-27'), kind: 'due' });
    expect(at(steps)).toEqual([
      `before-180d ${nine('2026-06-02')}`,
      `before-90d ${nine('2026-08-31')}`,
      `before-30d ${nine('2026-10-30')}`,
      `before-7d ${nine('2026-11-20')}`,
      `on-day ${nine('2026-11-27')}`,
    ]);
  });

  it('reminds overdue obligations every 3 working days, escalating, counting make-up working days', () => {
    // Due Wednesday 2026-09-30. +3 working days: Oct 8, Oct 9, Saturday Oct 10 (调休上班).
    const steps = reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2026-09-30', overdueCount: 3 });
    expect(at(steps.filter((s) => s.kind === 'overdue'))).toEqual([
      `overdue-1 ${nine('2026-10-10')}`,
      `overdue-2 ${nine('2026-10-14')}`,
      `overdue-3 ${nine('2026-10-19')}`,
    ]);
    expect(steps.filter((s) => s.kind === 'overdue').every((s) => s.escalate)).toBe(true);
  });

  it('skips the Spring Festival when counting overdue working days', () => {
    // Due Thursday 2026-02-12: Feb 13 (1), Sat Feb 14 make-up (2), then Feb 15–23 off, Feb 24 (3).
    const steps = reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2026-02-12', overdueCount: 1 });
    expect(steps.at(-1)).toMatchObject({ step: 'overdue-1', at: nine('2026-02-24') });
  });

  it('does not escalate overdue reminders of a ladder without escalation', () => {
    const ladder: ReminderLadder = { daysBefore: [1, 0], overdueEscalation: 'none' };
    const steps = reminderSteps({ ladder, dueDate: '2026-06-30', overdueCount: 2 });
    expect(steps.filter((s) => s.kind === 'overdue').map((s) => s.escalate)).toEqual([false, false]);
  });

  it('follows a rule ladder of its own (complaint: 3, 1 days before and on the day)', () => {
    const r = computeObligations({
      provisional: true,
      certificate: { level: 'CS2', issuedOn: '2024-03-01' },
      events: [{ type: 'complaint', id: 'c1', date: '2026-09-24' }],
    });
    const o = r.obligations.find((x) => x.key === 'complaint.response:c1');
    // 7 working days from Thu 2026-09-24: Sep 28, 29, 30, Oct 8, 9, 10 (Sat, make-up), 12.
    expect(o?.dueDate).toBe('2026-10-12');
    expect(at(reminderSteps(inputOf(o as Obligation)))).toEqual([
      // 3 days before is Friday Oct 9; 1 day before is Sunday Oct 11 → Saturday Oct 10 (make-up day).
      `before-3d ${nine('2026-10-09')}`,
      `before-1d ${nine('2026-10-10')}`,
      `on-day ${nine('2026-10-12')}`,
    ]);
  });

  it('normalises a ladder given out of order or with repeats', () => {
    const ladder: ReminderLadder = { daysBefore: [0, 7, 7, 30], overdueEscalation: 'manager' };
    expect(reminderSteps({ ladder, dueDate: '2026-06-30' }).map((s) => s.step)).toEqual([
      'before-30d',
      'before-7d',
      'on-day',
    ]);
  });
});

describe('renewal: reminders from the window start', () => {
  it('includes every step of the renewal ladder that falls inside the window', () => {
    // Provisional: the certificate expires on 2026-12-31, in the weeks the 2027 notice may still change.
    const r = computeObligations({ certificate: { level: 'CS2', issuedOn: '2023-01-01' }, provisional: true });
    const o = r.obligations.find((x) => x.rule === 'renewal.apply') as Obligation;
    expect(o).toMatchObject({ dueDate: '2026-09-30', windowStart: '2026-06-30' });
    const steps = reminderSteps(inputOf(o));
    expect(at(steps)).toEqual([
      `before-90d ${nine('2026-07-02')}`,
      `before-60d ${nine('2026-07-31')}`,
      `before-30d ${nine('2026-08-31')}`,
      `before-15d ${nine('2026-09-15')}`,
      `before-7d ${nine('2026-09-23')}`,
      `before-1d ${nine('2026-09-29')}`,
      `on-day ${nine('2026-09-30')}`,
    ]);
    expect(steps.every((s) => stepDate(s) >= '2026-06-30')).toBe(true);
  });

  it('leaves out the steps before a window that opens late', () => {
    const ladder = getRule('renewal.apply').reminders;
    const steps = reminderSteps({ ladder, dueDate: '2026-09-30', windowStart: '2026-08-20' });
    expect(steps.map((s) => s.step)).toEqual(['before-30d', 'before-15d', 'before-7d', 'before-1d', 'on-day']);
  });

  it('moves a step whose previous working day is before the window to the window’s first working day', () => {
    // Window opens Saturday 2026-08-29; 31 days before Sep 30 is Sunday Aug 30, whose previous
    // working day (Fri Aug 28) is before the window: the step goes on Monday Aug 31 instead.
    const ladder: ReminderLadder = { daysBefore: [31, 0], fromWindowStart: true, overdueEscalation: 'manager' };
    expect(at(reminderSteps({ ladder, dueDate: '2026-09-30', windowStart: '2026-08-29' }))).toEqual([
      `before-31d ${nine('2026-08-31')}`,
      `on-day ${nine('2026-09-30')}`,
    ]);
  });

  it('keeps steps before the window start when the ladder does not ask for it', () => {
    const steps = reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2026-09-30', windowStart: '2026-09-28' });
    expect(steps[0]).toMatchObject({ step: 'before-30d', at: nine('2026-08-31') });
  });

  it('first supervision: 90 days before the end of the 12–18 month window', () => {
    const r = computeObligations({ certificate: { level: 'CS3', issuedOn: '2025-03-03' }, provisional: true });
    const o = r.obligations.find((x) => x.rule === 'supervision.first') as Obligation;
    expect(o).toMatchObject({ dueDate: '2026-09-03', windowStart: '2026-03-03' });
    expect(reminderSteps(inputOf(o))[0]).toMatchObject({ step: 'before-90d', at: nine('2026-06-05') });
  });
});

describe('hour deadlines (48-hour incident report)', () => {
  const r = computeObligations({
    provisional: true,
    certificate: { level: 'CS2', issuedOn: '2024-03-01' },
    events: [{ type: 'incident', id: 'i1', at: '2026-03-10T14:30:00+08:00' }],
  });
  const incident = r.obligations.find((x) => x.key === 'incident.report:i1') as Obligation;

  it('reminds 24 h, 4 h and 1 h before and at the due instant, then every 3 working days at 09:00', () => {
    expect(incident.dueAt).toBe('2026-03-12T14:30:00+08:00');
    const steps = reminderSteps({ ...inputOf(incident), overdueCount: 2 });
    expect(at(steps)).toEqual([
      'before-24h 2026-03-11T14:30:00+08:00',
      'before-4h 2026-03-12T10:30:00+08:00',
      'before-1h 2026-03-12T13:30:00+08:00',
      'at-due 2026-03-12T14:30:00+08:00',
      // Thursday Mar 12 + 3 working days: Fri 13, Mon 16, Tue 17.
      `overdue-1 ${nine('2026-03-17')}`,
      `overdue-2 ${nine('2026-03-20')}`,
    ]);
    expect(steps.map((s) => s.kind)).toEqual(['before', 'before', 'before', 'due', 'overdue', 'overdue']);
  });

  it('does not move hour steps off weekends or holidays', () => {
    // An incident on Wednesday 2026-09-30 20:00: due Friday Oct 2 20:00, in the middle of 国庆.
    const steps = reminderSteps({
      ladder: getRule('incident.report').reminders,
      dueDate: '2026-10-02',
      dueAt: '2026-10-02T20:00:00+08:00',
      overdueCount: 1,
    });
    expect(at(steps)).toEqual([
      'before-24h 2026-10-01T20:00:00+08:00',
      'before-4h 2026-10-02T16:00:00+08:00',
      'before-1h 2026-10-02T19:00:00+08:00',
      'at-due 2026-10-02T20:00:00+08:00',
      // Oct 2 + 3 working days: Oct 8, 9, 10 (Saturday make-up day).
      `overdue-1 ${nine('2026-10-10')}`,
    ]);
  });

  it('takes the due instant in any offset and reports it in +08:00', () => {
    const steps = reminderSteps({
      ladder: getRule('incident.report').reminders,
      dueDate: '2026-03-12',
      dueAt: '2026-03-12T06:30:00Z',
    });
    expect(steps.at(-1)).toMatchObject({ step: 'at-due', at: '2026-03-12T14:30:00+08:00' });
  });

  it('accepts other hour ladders', () => {
    const steps = reminderSteps({
      ladder: getRule('incident.report').reminders,
      dueDate: '2026-03-12',
      dueAt: '2026-03-12T14:30:00+08:00',
      hoursBefore: [2, 12],
    });
    expect(steps.map((s) => s.step)).toEqual(['before-12h', 'before-2h', 'at-due']);
  });
});

describe('overdue steps on demand', () => {
  it('returns the first step strictly after a given instant', () => {
    const input = { ladder: DEFAULT_REMINDERS, dueDate: '2026-10-08' };
    expect(nextReminder({ ...input, after: '2026-01-01T00:00:00+08:00' })?.step).toBe('before-30d');
    expect(nextReminder({ ...input, after: nine('2026-09-08') })?.step).toBe('before-15d');
    expect(nextReminder({ ...input, after: '2026-09-08T08:59:59+08:00' })?.step).toBe('before-30d');
    expect(nextReminder({ ...input, after: nine('2026-10-08') })).toMatchObject({
      step: 'overdue-1',
      at: nine('2026-10-12'),
    });
    // Epoch milliseconds work too (the server's clock).
    expect(nextReminder({ ...input, after: Date.UTC(2026, 9, 12, 1, 0, 0) })?.step).toBe('overdue-2');
  });

  it('stops after 20 overdue reminders', () => {
    const input = { ladder: DEFAULT_REMINDERS, dueDate: '2026-03-02' };
    const all = reminderSteps({ ...input, overdueCount: 100 });
    const overdue = all.filter((s) => s.kind === 'overdue');
    expect(overdue).toHaveLength(OVERDUE_MAX_STEPS);
    expect(overdue.at(-1)?.step).toBe('overdue-20');
    expect(nextReminder({ ...input, after: overdue.at(-1)?.at as string })).toBeNull();
  });

  it('stops once an overdue reminder would fall more than 120 days after the due date', () => {
    // Real notices never hold 60 working days past 120 calendar days, so a made-up 2027 with the
    // whole first quarter off shows the day cap: working days resume on Thursday 2027-04-01.
    const days = [];
    for (let d = '2027-01-01'; d <= '2027-03-31'; d = addCalendarDays(d, 1)) {
      days.push({ name: '测试', date: d, isOffDay: true });
    }
    registerCalendarYear({ year: 2027, papers: [], days });
    const input = { ladder: DEFAULT_REMINDERS, dueDate: '2026-12-31' };
    const overdue = reminderSteps({ ...input, overdueCount: 20 }).filter((s) => s.kind === 'overdue');
    // Every 3rd working day from Apr 1: Apr 5, 8, 13, 16, 21, 26, 29; the next, May 4, is day 124.
    expect(overdue.map(stepDate)).toEqual([
      '2027-04-05',
      '2027-04-08',
      '2027-04-13',
      '2027-04-16',
      '2027-04-21',
      '2027-04-26',
      '2027-04-29',
    ]);
    expect(nextReminder({ ...input, after: nine('2027-04-29') })).toBeNull();
  });
});

describe('catch-up: what to send now', () => {
  const dated = { ladder: DEFAULT_REMINDERS, dueDate: '2026-10-08' };
  const incident = {
    ladder: getRule('incident.report').reminders,
    dueDate: '2026-10-10',
    dueAt: '2026-10-10T07:00:00+08:00',
  };
  const later = { ladder: DEFAULT_REMINDERS, dueDate: '2026-12-15' };

  it('sends only the latest missed step of each obligation after a 3-day outage', () => {
    // The sweeper was down from Friday 2026-10-09 08:00 to Monday 2026-10-12 10:00.
    const now = '2026-10-12T10:00:00+08:00';
    const a = dueSteps({ ...dated, lastSentStep: 'on-day', now });
    expect(a.send).toMatchObject({ step: 'overdue-1', at: nine('2026-10-12'), escalate: true });
    expect(a.superseded).toEqual([]);
    expect(a.next?.step).toBe('overdue-2');

    const b = dueSteps({ ...incident, lastSentStep: 'before-24h', now });
    // before-4h, before-1h and at-due all passed during the outage: one message, the last one.
    expect(b.send?.step).toBe('at-due');
    expect(b.superseded.map((s) => s.step)).toEqual(['before-4h', 'before-1h']);
    // Saturday Oct 10 is a make-up working day: + 3 working days is Wednesday Oct 14.
    expect(b.next).toMatchObject({ step: 'overdue-1', at: nine('2026-10-14') });

    const c = dueSteps({ ...later, lastSentStep: undefined, now });
    expect(c.send).toBeNull();
    expect(c.next).toMatchObject({ step: 'before-30d', at: nine('2026-11-13') });

    const sent = [a, b, c].map((d) => (d.send ? 1 : 0) as number).reduce((x, y) => x + y, 0);
    expect(sent).toBe(2);
  });

  it('sends one step, not the whole ladder, for an obligation first seen late', () => {
    const d = dueSteps({ ...dated, now: '2026-10-08T12:00:00+08:00' });
    expect(d.send?.step).toBe('on-day');
    expect(d.superseded.map((s) => s.step)).toEqual(['before-30d', 'before-15d', 'before-1d']);
  });

  it('never sends a step twice: after recording it, nothing is due until the next step', () => {
    const now = '2026-10-12T10:00:00+08:00';
    const first = dueSteps({ ...dated, lastSentStep: 'before-1d', now });
    expect(first.send?.step).toBe('overdue-1');
    const again = dueSteps({ ...dated, lastSentStep: first.send?.step, now });
    expect(again.send).toBeNull();
    expect(again.superseded).toEqual([]);
  });

  it('sends nothing before the first step and nothing after the cap', () => {
    expect(dueSteps({ ...dated, now: '2026-01-01T00:00:00+08:00' }).send).toBeNull();
    const end = dueSteps({ ...dated, lastSentStep: 'overdue-20', now: '2027-06-01T00:00:00+08:00' });
    expect(end).toEqual({ send: null, superseded: [], next: null });
  });

  it('does not resend what was said when the obligation is re-dated', () => {
    // before-7d was sent for 2026-06-30; the date moves to 2026-07-31. The 30-, 15- and 7-day steps
    // count as said; the next message is the 1-day step of the new date.
    const d = dueSteps({
      ladder: DEFAULT_REMINDERS,
      dueDate: '2026-07-31',
      lastSentStep: 'before-7d',
      now: '2026-06-30T10:00:00+08:00',
    });
    expect(d.send).toBeNull();
    expect(d.next).toMatchObject({ step: 'before-1d', at: nine('2026-07-30') });
  });

  it('a sweep every 15 minutes sends every step exactly once, in order', () => {
    const input = { ...dated };
    const expected = reminderSteps({ ...input, overdueCount: 4 }).map((s) => s.step);
    const sent: string[] = [];
    let last: string | undefined;
    const start = Date.UTC(2026, 8, 1);
    for (let t = start; t < start + 60 * 86_400_000; t += 15 * 60_000) {
      const d = dueSteps({ ...input, now: t, ...(last !== undefined ? { lastSentStep: last } : {}) });
      expect(d.superseded).toEqual([]);
      if (d.send) {
        sent.push(d.send.step);
        last = d.send.step;
      }
    }
    expect(sent.slice(0, expected.length)).toEqual(expected);
  });

  it('with random outages, never sends a step twice, early or out of order (property)', () => {
    const input = { ladder: DEFAULT_REMINDERS, dueDate: '2026-10-08' };
    const start = Date.UTC(2026, 7, 1);
    const hour = 3_600_000;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 96 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        let t = start;
        let last: string | undefined;
        const seen = new Set<string>();
        for (const g of gaps) {
          t += g * hour;
          const d = dueSteps({ ...input, now: t, ...(last !== undefined ? { lastSentStep: last } : {}) });
          if (!d.send) continue;
          expect(seen.has(d.send.step)).toBe(false);
          expect(Date.parse(d.send.at)).toBeLessThanOrEqual(t);
          if (last !== undefined) expect(compareStepKeys(d.send.step, last)).toBeGreaterThan(0);
          seen.add(d.send.step);
          last = d.send.step;
        }
      }),
    );
  });

  it('refuses a last-sent step it cannot place rather than risk a second message', () => {
    expect(() => dueSteps({ ...dated, lastSentStep: 'before-30', now: nine('2026-10-08') })).toThrow(
      InvalidReminderStepError,
    );
  });
});

describe('step keys', () => {
  it('orders keys as the schedule sends them', () => {
    const keys = ['overdue-2', 'before-1h', 'on-day', 'before-30d', 'before-24h', 'overdue-10', 'before-2d'];
    expect([...keys].sort(compareStepKeys)).toEqual([
      'before-30d',
      'before-2d',
      'before-24h',
      'before-1h',
      'on-day',
      'overdue-2',
      'overdue-10',
    ]);
    expect(compareStepKeys('on-day', 'at-due')).toBe(0);
  });

  it.each(['', 'before-0d', 'before-1w', 'overdue-0', 'overdue-x', 'ON-DAY'])('rejects %j', (k) => {
    expect(() => compareStepKeys(k, 'on-day')).toThrow(InvalidReminderStepError);
  });
});

describe('unpublished calendar years', () => {
  it('computes steps in 2027 by the weekday rule and marks them and those from 2026-12-15 provisional', () => {
    const steps = reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2027-01-05', overdueCount: 1 });
    expect(steps.map((s) => [s.step, stepDate(s), s.provisional, s.unknownYears ?? []])).toEqual([
      ['before-30d', '2026-12-04', false, []], // Sunday Dec 6 → Friday Dec 4
      // From December 15 the 2027 notice may still move a day (its New Year holiday).
      ['before-15d', '2026-12-21', true, [2027]],
      ['before-7d', '2026-12-29', true, [2027]],
      ['before-1d', '2027-01-04', true, [2027]],
      ['on-day', '2027-01-05', true, [2027]],
      ['overdue-1', '2027-01-08', true, [2027]],
    ]);
  });

  it('is no longer provisional once the year is imported', () => {
    registerCalendarYear({
      year: 2027,
      papers: [],
      days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }],
    });
    const steps = reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2027-01-05', overdueCount: 1 });
    expect(steps.some((s) => s.provisional)).toBe(false);
  });

  it('marks every step provisional when the obligation itself is (awaiting the self-check notice)', () => {
    const steps = reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2026-06-30', provisional: true });
    expect(steps.every((s) => s.provisional)).toBe(true);
  });
});

describe('input errors', () => {
  it('rejects a malformed due date, due instant or "now" with INVALID_INPUT', () => {
    expect(() => reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2026-02-30' })).toThrow(InvalidDateError);
    expect(() =>
      reminderSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2026-03-12', dueAt: '2026-03-12 14:30' }),
    ).toThrow(/ISO instant with an offset/);
    expect(() => dueSteps({ ladder: DEFAULT_REMINDERS, dueDate: '2026-03-12', now: '2026-03-12' })).toThrow(
      InvalidDateError,
    );
  });
});

describe('process time zone', () => {
  const input = { ladder: DEFAULT_REMINDERS, dueDate: '2026-10-08', overdueCount: 2 };

  it('gives the same instants whatever the process time zone', () => {
    const saved = process.env.TZ;
    const results: string[][] = [];
    const offsets: number[] = [];
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC', 'Asia/Shanghai']) {
        process.env.TZ = tz;
        offsets.push(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset());
        results.push(at(reminderSteps(input)));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    // The switch really happened (UTC−8, UTC+14, UTC, UTC+8), so the equality below means something.
    expect(offsets).toEqual([480, -840, 0, -480]);
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it('each date step is 09:00 on a working day in Asia/Shanghai, checked through Intl', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    for (const s of reminderSteps(input)) {
      const parts = Object.fromEntries(fmt.formatToParts(new Date(s.at)).map((p) => [p.type, p.value]));
      const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
      expect(`${parts['hour']}:${parts['minute']}`).toBe('09:00');
      expect(date).toBe(stepDate(s));
      expect(isWorkday(date)).toBe(true);
    }
  });
});

describe('laws (property)', () => {
  // Due dates whose whole schedule lies in published years (2008–2026).
  const dueDay = fc.integer({ min: Date.UTC(2008, 6, 1) / 86_400_000, max: Date.UTC(2026, 7, 31) / 86_400_000 });
  const toDate = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  const ladder = fc.record({
    daysBefore: fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 8 }),
    overdueEscalation: fc.constantFrom('manager' as const, 'none' as const),
  });

  it('steps are strictly increasing, each at 09:00 on the working day on or before its nominal day', () => {
    fc.assert(
      fc.property(dueDay, ladder, (d, l) => {
        const dueDate = toDate(d);
        const steps = reminderSteps({ ladder: l, dueDate, overdueCount: 5 });
        for (let i = 1; i < steps.length; i++) {
          const prev = steps[i - 1] as ReminderStep;
          const cur = steps[i] as ReminderStep;
          expect(Date.parse(cur.at)).toBeGreaterThan(Date.parse(prev.at));
          expect(compareStepKeys(cur.step, prev.step)).toBeGreaterThan(0);
        }
        for (const s of steps) {
          expect(s.at.endsWith('T09:00:00+08:00')).toBe(true);
          const date = stepDate(s);
          expect(isWorkday(date)).toBe(true);
          if (s.kind === 'overdue') {
            const n = Number(s.step.slice('overdue-'.length));
            expect(countWorkdays(addCalendarDays(dueDate, 1), date)).toBe(3 * n);
            continue;
          }
          const before = s.step === 'on-day' ? 0 : Number(s.step.slice('before-'.length, -1));
          const nominal = addCalendarDays(dueDate, -before);
          expect(date).toBe(isWorkday(nominal) ? nominal : addWorkdays(nominal, -1));
        }
      }),
    );
  });
});
