// Checks on recorded events: warned, never refused, in both languages; and the CS1/CS2 self-check.
import { describe, expect, it } from 'vitest';
import { computeObligations, type ComputeObligationsInput } from './engine.js';

const compute = (input: ComputeObligationsInput) => computeObligations({ provisional: true, ...input });
const CS3 = { level: 'CS3' as const, issuedOn: '2025-03-15' };
const CS2 = { level: 'CS2' as const, issuedOn: '2024-06-01' };
const codes = (events: unknown[], extra: Partial<ComputeObligationsInput> = {}) =>
  compute({ certificate: CS3, events, ...extra }).warnings.map((w) => w.code);
const ENGLISH = /[A-Za-z]{3,}[ ,:]+[A-Za-z]{2,}/;

describe('checks on recorded events', () => {
  it('flags a first supervision outside 12–18 months, and a second one after the renewal deadline', () => {
    expect(codes([{ type: 'supervision.done', date: '2026-02-01', passed: true }])).toEqual([
      'supervision-outside-window',
    ]);
    expect(codes([{ type: 'supervision.done', date: '2026-04-01', passed: true }])).toEqual([]);
    const late = compute({
      certificate: CS3,
      events: [
        { type: 'supervision.done', date: '2026-04-01', passed: true },
        { type: 'supervision.done', id: 's2', date: '2029-01-10', passed: true },
      ],
    });
    expect(late.warnings).toMatchObject([{ code: 'supervision-outside-window', eventId: 's2' }]);
    expect(late.warnings[0]?.zh).toContain('晚于第二次监督评估的期限 2028-12-14');
  });

  it('flags a third passed supervision and a failed one offered as the first', () => {
    const events = ['2026-04-01', '2027-09-01', '2028-06-01'].map((date) => ({
      type: 'supervision.done',
      date,
      passed: true,
    }));
    expect(codes(events)).toEqual(['supervision-third']);
    const failed = compute({
      certificate: CS3,
      events: [{ type: 'supervision.done', date: '2026-04-01', passed: false }],
    });
    expect(failed.warnings.map((w) => w.zh)).toEqual([
      '2026-04-01 的「监督评估」未通过：不算完成第一次监督评估，整改后重新评估通过时才算完成',
    ]);
    expect(failed.obligations.find((o) => o.key === 'supervision.first')?.satisfiedOn).toBeUndefined();
  });

  it('flags a renewal application more than 6 months early or after the deadline', () => {
    expect(codes([{ type: 'renewal.applied', date: '2028-09-01' }])).toEqual(['renewal-early']);
    expect(codes([{ type: 'renewal.applied', date: '2028-10-01' }])).toEqual([]);
    expect(codes([{ type: 'renewal.applied', date: '2029-01-05' }])).toEqual(['renewal-late']);
  });

  it('flags an upgrade applied for within a year of the current level', () => {
    expect(codes([{ type: 'upgrade.applied', date: '2026-03-14' }])).toEqual(['upgrade-too-early']);
    expect(codes([{ type: 'upgrade.applied', date: '2026-03-15' }])).toEqual([]);
  });

  it('flags an event dated after today or before issue, keeping what it can', () => {
    const r = compute({
      certificate: CS3,
      events: [
        { type: 'complaint', id: 'f', date: '2026-12-20' },
        { type: 'complaint', id: 'b', date: '2025-01-20' },
      ],
      asOf: '2026-11-27',
    });
    expect(r.warnings.map((w) => [w.code, w.eventId])).toEqual([
      ['event-before-issue', 'b'],
      ['event-in-future', 'f'],
    ]);
    // The future complaint is kept (a typo is the user's to correct); the early one is not counted.
    expect(r.obligations.filter((o) => o.rule === 'complaint.response').map((o) => o.key)).toEqual([
      'complaint.response:f',
    ]);
    for (const w of r.warnings) {
      expect(w.zh).not.toMatch(ENGLISH);
      expect(w.en).toMatch(ENGLISH);
    }
  });
});

describe('assessment steps', () => {
  it('takes a scheduled step later than today without a warning, creates no duty, and names bad fields', () => {
    const step = { type: 'assessment.step', id: 'os', date: '2027-01-12', assessment: 'supervision', step: 'on-site' };
    const r = compute({ certificate: CS3, events: [step], asOf: '2026-11-27' });
    expect(r.warnings).toEqual([]);
    const without = compute({ certificate: CS3, events: [], asOf: '2026-11-27' });
    expect(r.obligations).toEqual(without.obligations);
    expect(() => compute({ certificate: CS3, events: [{ ...step, step: 'onsite', assessment: 'audit' }] })).toThrow(
      /「评估类型」应为 supervision（监督评估）.*「评估环节」应为 document-review（文件审查）/,
    );
  });

  it('warns of a supervision step on a CS1/CS2 certificate, not of a renewal step', () => {
    const on = (assessment: string) =>
      compute({
        certificate: CS2,
        events: [{ type: 'assessment.step', date: '2026-03-01', assessment, step: 'document-review' }],
      }).warnings;
    expect(on('supervision').map((w) => w.code)).toEqual(['level-not-applicable']);
    expect(on('supervision')[0]?.zh).toBe(
      '2026-03-01 的「文件审查（监督评估）」：监督评估只适用于 CS3–CS5，不适用于 CS2',
    );
    expect(on('renewal')).toEqual([]);
  });
});

describe('CS1/CS2 self-check', () => {
  it('marks the year submitted as done, flags a second record of the same year', () => {
    const r = compute({
      certificate: CS2,
      events: [
        { type: 'self-check.submitted', date: '2025-05-20', year: 2025, result: 'normal' },
        { type: 'self-check.submitted', id: 'dup', date: '2025-05-22', year: 2025, result: 'normal' },
      ],
      asOf: '2025-12-01',
    });
    expect(r.obligations.find((o) => o.key === 'self-check.annual:2025')?.satisfiedOn).toBe('2025-05-20');
    expect(r.warnings).toMatchObject([{ code: 'self-check-duplicate', eventId: 'dup' }]);
    expect(r.alerts).toEqual([]);
  });

  it('alerts on a missed self-check and starts the re-check after an abnormal result', () => {
    const missed = compute({ certificate: CS2, asOf: '2025-07-01' });
    expect(missed.alerts).toMatchObject([
      {
        code: 'self-check-missed',
        possibleState: 'abandoned',
        possibleFrom: '2025-06-04',
        obligationKey: 'self-check.annual:2025',
      },
    ]);
    expect(missed.timeline.map((s) => s.state)).toEqual(['active', 'expired']);
    const abnormal = compute({
      certificate: CS2,
      events: [{ type: 'self-check.submitted', id: 'a', date: '2025-05-20', year: 2025, result: 'abnormal' }],
    });
    expect(abnormal.obligations.find((o) => o.key === 'self-check.onsite-recheck:a')?.dueDate).toBe('2025-06-11');
  });

  it('is for CS1/CS2 only', () => {
    const r = compute({
      certificate: CS3,
      events: [{ type: 'self-check.submitted', date: '2026-05-20', year: 2026, result: 'normal' }],
    });
    expect(r.warnings.map((w) => w.code)).toEqual(['level-not-applicable']);
  });
});

describe('the last supported day', () => {
  it('evaluates a certificate expiring 2199-12-31, whose expired state would start in 2200', () => {
    const r = compute({
      certificate: { level: 'CS3', issuedOn: '2196-01-02', expiresOn: '2199-12-31' },
      recorded: [{ state: 'revoked', on: '2199-06-01' }],
      asOf: '2199-07-01',
    });
    expect(r.timeline.map((s) => s.state)).toEqual(['active', 'revoked']);
    expect(
      compute({
        certificate: { level: 'CS1', issuedOn: '2196-01-02', expiresOn: '2199-12-31' },
        asOf: '2199-12-31',
      }).timeline.at(-1),
    ).toMatchObject({ state: 'expired', from: '2200-01-01' });
  });
});
