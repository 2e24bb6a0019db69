import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import type { Obligation } from '../../api/types';
import { initialHistoryValues, needsHistoryStep, toHistoryBody } from './history-step';

type Row = Pick<Obligation, 'rule' | 'key' | 'status' | 'dueDate' | 'windowStart'>;
const row = (over: Partial<Row> & Pick<Row, 'rule' | 'dueDate'>): Row => ({
  key: over.rule,
  status: 'open',
  windowStart: null,
  ...over,
});
const d = (s: string) => dayjs(s, 'YYYY-MM-DD');

describe('needsHistoryStep', () => {
  it('asks about the past only for a certificate issued before today', () => {
    expect(needsHistoryStep('2025-03-15', '2026-12-05')).toBe(true);
    expect(needsHistoryStep('2026-12-05', '2026-12-05')).toBe(false);
    expect(needsHistoryStep('2027-01-01', '2026-12-05')).toBe(false);
  });
});

describe('initialHistoryValues', () => {
  const cs3 = [
    row({ rule: 'supervision.first', windowStart: '2026-03-15', dueDate: '2026-09-15' }),
    row({ rule: 'supervision.second', dueDate: '2028-12-14' }),
    row({ rule: 'audit.internal', key: 'audit.internal:2026-10', dueDate: '2026-10-30' }),
  ];

  it('offers each supervision whose window has opened, unticked', () => {
    expect(initialHistoryValues('CS3', cs3, '2026-12-05').supervisions).toEqual([
      { done: false, rule: 'supervision.first', windowStart: '2026-03-15', dueDate: '2026-09-15' },
    ]);
  });

  it('offers no supervision before its window opens, and none already recorded', () => {
    expect(initialHistoryValues('CS3', cs3, '2026-03-14').supervisions).toEqual([]);
    const done = cs3.map((o) => (o.rule === 'supervision.first' ? { ...o, status: 'done' as const } : o));
    expect(initialHistoryValues('CS3', done, '2026-12-05').supervisions).toEqual([]);
  });

  it('offers the self-check years already due for CS1/CS2, not supervisions', () => {
    const cs2 = [
      row({ rule: 'self-check.annual', key: 'self-check.annual:2026', dueDate: '2026-03-16' }),
      row({ rule: 'self-check.annual', key: 'self-check.annual:2027', dueDate: '2027-03-15' }),
      row({ rule: 'self-check.annual', key: 'self-check.annual:2025', dueDate: '2025-03-17', status: 'cancelled' }),
    ];
    const values = initialHistoryValues('CS2', cs2, '2026-12-05');
    expect(values.supervisions).toEqual([]);
    expect(values.selfChecks).toEqual([{ done: false, year: 2026, dueDate: '2026-03-16', result: 'normal' }]);
  });

  it('leaves the routine duties unticked, completed on their own due dates by default', () => {
    expect(initialHistoryValues('CS3', cs3, '2026-12-05')).toMatchObject({ periodic: false, completion: 'due' });
  });
});

describe('toHistoryBody', () => {
  it('is empty while nothing is ticked', () => {
    expect(toHistoryBody({ supervisions: [{ done: false, date: d('2026-06-10'), passed: true }] }, 'CS3')).toEqual({
      kind: 'empty',
    });
  });

  it('waits for the date and result of a ticked supervision', () => {
    expect(toHistoryBody({ supervisions: [{ done: true, date: d('2026-06-10') }] }, 'CS3')).toEqual({
      kind: 'incomplete',
    });
  });

  it('sends ticked supervisions with their result, and a failed one too', () => {
    expect(
      toHistoryBody(
        {
          supervisions: [
            { done: true, rule: 'supervision.first', date: d('2026-06-10'), passed: true },
            { done: true, date: d('2026-11-02'), passed: false },
          ],
        },
        'CS3',
      ),
    ).toEqual({
      kind: 'ready',
      input: {
        supervisions: [
          { date: '2026-06-10', passed: true },
          { date: '2026-11-02', passed: false },
        ],
      },
    });
  });

  it('sends self-checks for CS1/CS2 and ignores supervision rows there', () => {
    expect(
      toHistoryBody(
        {
          supervisions: [{ done: true, date: d('2026-06-10'), passed: true }],
          selfChecks: [{ done: true, year: 2026, date: d('2026-03-01'), result: 'abnormal' }],
        },
        'CS1',
      ),
    ).toEqual({ kind: 'ready', input: { selfChecks: [{ year: 2026, date: '2026-03-01', result: 'abnormal' }] } });
  });

  it('records routine duties on their own due dates unless one date is chosen', () => {
    const base = { periodic: true, periodicDoneBefore: d('2026-12-05') };
    expect(toHistoryBody({ ...base, completion: 'due' }, 'CS3')).toEqual({
      kind: 'ready',
      input: { periodicDoneBefore: '2026-12-05' },
    });
    expect(toHistoryBody({ ...base, completion: 'date' }, 'CS3')).toEqual({ kind: 'incomplete' });
    expect(toHistoryBody({ ...base, completion: 'date', periodicCompletedOn: d('2026-12-01') }, 'CS3')).toEqual({
      kind: 'ready',
      input: { periodicDoneBefore: '2026-12-05', periodicCompletedOn: '2026-12-01' },
    });
  });

  it('sends no routine-duty date while that box is unticked', () => {
    expect(
      toHistoryBody(
        {
          periodic: false,
          periodicDoneBefore: d('2026-12-05'),
          completion: 'date',
          periodicCompletedOn: d('2026-12-01'),
        },
        'CS3',
      ),
    ).toEqual({ kind: 'empty' });
  });
});
