import { afterEach, describe, expect, it } from 'vitest';
import {
  CERTIFICATE_TRANSITIONS,
  CalendarUnknownYearError,
  EVENT_TYPES,
  InvalidEventError,
  OBLIGATION_RULES,
  computeObligations,
  defaultExpiry,
  canTransition,
  registerCalendarYear,
  resetCalendarYears,
  type CertificateState,
  type ComputeObligationsInput,
  type Obligation,
  type ObligationsResult,
} from '../index.js';

afterEach(() => resetCalendarYears());

function byKey(r: ObligationsResult, key: string): Obligation {
  const o = r.obligations.find((x) => x.key === key);
  if (!o) throw new Error(`no obligation ${key}; have ${r.obligations.map((x) => x.key).join(', ')}`);
  return o;
}

function keys(r: ObligationsResult, rule: string): string[] {
  return r.obligations.filter((o) => o.rule === rule).map((o) => o.key);
}

/** A CS3 certificate issued 2022-01-10: its whole validity lies in published years. */
const CS3_2022 = { level: 'CS3' as const, issuedOn: '2022-01-10' };
/** A CS2 certificate issued 2022-01-10. */
const CS2_2022 = { level: 'CS2' as const, issuedOn: '2022-01-10' };

function compute(input: Partial<ComputeObligationsInput> & Pick<ComputeObligationsInput, 'certificate'>) {
  return computeObligations({ events: [], ...input });
}

describe('certificate', () => {
  it('defaults the expiry to issue + 4 years − 1 day and says so', () => {
    const r = compute({ certificate: CS3_2022 });
    expect(r.certificate).toEqual({
      level: 'CS3',
      issuedOn: '2022-01-10',
      expiresOn: '2026-01-09',
      expiresOnDefaulted: true,
    });
    const e = byKey(r, 'expiry');
    expect(e.dueDate).toBe('2026-01-09');
    expect(e.basis).toContain('+ 4 年 − 1 日');
    expect(
      compute({ certificate: { level: 'CS1', issuedOn: '2024-02-29' }, provisional: true }).certificate.expiresOn,
    ).toBe('2028-02-28');
  });

  it('orders the duties of a certificate from before 1970, whose day numbers are negative', () => {
    const r = compute({ certificate: { level: 'CS3', issuedOn: '1966-03-01' }, provisional: true });
    expect(r.obligations.length).toBeGreaterThan(10);
    const dues = r.obligations.map((o) => o.dueDate);
    expect(dues).toEqual([...dues].sort());
    expect(byKey(r, 'expiry').dueDate).toBe('1970-02-28');
  });

  it('uses the printed expiry when given', () => {
    const r = compute({ certificate: { ...CS3_2022, expiresOn: '2026-01-04' } });
    expect(r.certificate.expiresOnDefaulted).toBe(false);
    expect(byKey(r, 'expiry').dueDate).toBe('2026-01-04');
  });

  it('rejects a bad level, dates and an expiry before issue, saying what to fix', () => {
    expect(() => compute({ certificate: { level: 'CS9' as never, issuedOn: '2022-01-10' } })).toThrow(
      /CS1, CS2, CS3, CS4, CS5/,
    );
    expect(() => compute({ certificate: { level: 'CS3', issuedOn: '2022-1-10' } })).toThrow(InvalidEventError);
    expect(() => compute({ certificate: { ...CS3_2022, expiresOn: '2021-01-01' } })).toThrow(
      /must be after the issue date/,
    );
    expect(() => compute({ certificate: CS3_2022, until: '2026-02-30' })).toThrow(/until/);
    try {
      compute({ certificate: { level: 'CS3', issuedOn: '' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidEventError);
      expect((e as InvalidEventError).code).toBe('INVALID_INPUT');
    }
  });
});

describe('periodic duties', () => {
  it('schedules the internal audit monthly for CS3+ on the last working day of each month', () => {
    const r = compute({ certificate: CS3_2022 });
    const audits = keys(r, 'audit.internal');
    expect(audits[0]).toBe('audit.internal:2022-01');
    expect(audits.at(-1)).toBe('audit.internal:2025-12');
    expect(audits).toHaveLength(48);
    expect(byKey(r, 'audit.internal:2022-01').dueDate).toBe('2022-01-30'); // Sunday make-up working day
    expect(byKey(r, 'audit.internal:2024-04').dueDate).toBe('2024-04-30');
    const feb26 = compute({ certificate: { level: 'CS4', issuedOn: '2025-06-01' }, until: '2026-11-30' });
    expect(byKey(feb26, 'audit.internal:2026-02').dueDate).toBe('2026-02-28'); // Saturday make-up day
    const oct = byKey(feb26, 'audit.internal:2026-10');
    expect(oct.dueDate).toBe('2026-10-30');
    expect(oct.basis).toBe('2026 年 10 月最后一个工作日 2026-10-30（10-31 非工作日）');
    expect(oct.windowStart).toBe('2026-10-01');
  });

  it('schedules the internal audit quarterly for CS1/CS2, and the meeting quarterly for all', () => {
    const r = compute({ certificate: CS2_2022 });
    expect(keys(r, 'audit.internal')).toEqual(
      keys(r, 'meeting.quarterly').map((k) => k.replace('meeting.quarterly', 'audit.internal')),
    );
    expect(keys(r, 'audit.internal')).toHaveLength(16);
    expect(byKey(r, 'meeting.quarterly:2023-Q3').dueDate).toBe('2023-09-28'); // 09-29 to 10-06 off
    expect(byKey(r, 'audit.internal:2022-Q1').windowStart).toBe('2022-01-10');
    expect(keys(compute({ certificate: CS3_2022 }), 'meeting.quarterly')).toHaveLength(16);
  });

  it('gives CS1/CS2 a provisional self-check per year until the notice sets the deadline', () => {
    const r = compute({ certificate: CS2_2022 });
    expect(keys(r, 'self-check.annual')).toEqual([
      'self-check.annual:2023',
      'self-check.annual:2024',
      'self-check.annual:2025',
    ]);
    const s = byKey(r, 'self-check.annual:2023');
    expect(s).toMatchObject({ dueDate: '2023-01-10', provisional: true, awaitingNotice: true, source: 'M, S, X' });
    expect(s.basis).toContain('待评估工作部 2023 年度自查通知');
    expect(r.provisional).toBe(true);
    expect(r.unknownYears).toEqual([]);

    const n = compute({
      certificate: CS2_2022,
      events: [{ type: 'self-check.notice', id: 'n24', date: '2024-02-01', year: 2024, deadline: '2024-04-30' }],
    });
    const s24 = byKey(n, 'self-check.annual:2024');
    expect(s24).toMatchObject({ dueDate: '2024-04-30', provisional: false });
    expect(s24.awaitingNotice).toBeUndefined();
    expect(s24.trigger).toMatchObject({ kind: 'event', eventType: 'self-check.notice', eventId: 'n24' });
    expect(s24.basis).toContain('2024 年度自查通知');
    expect(compute({ certificate: CS3_2022 }).obligations.some((o) => o.rule.startsWith('self-check'))).toBe(false);
  });

  it('keeps the provisional self-check of a year whose notice is rejected', () => {
    // 2025's only notice sets a deadline after expiry (2026-01-09): the anniversary date stays.
    const bad25 = { type: 'self-check.notice', id: 'bad25', date: '2025-02-01', year: 2025, deadline: '2026-03-31' };
    const r = compute({ certificate: CS2_2022, events: [bad25] });
    expect(keys(r, 'self-check.annual')).toEqual([
      'self-check.annual:2023',
      'self-check.annual:2024',
      'self-check.annual:2025',
    ]);
    expect(byKey(r, 'self-check.annual:2025')).toMatchObject({
      dueDate: '2025-01-10',
      awaitingNotice: true,
      provisional: true,
    });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ code: 'notice-outside-validity', eventId: 'bad25' });
    expect(r.warnings[0]?.zh).toMatch(/截止日期 2026-03-31 不在证书有效期.*2025 年度自查仍按 2025-01-10 计/);
    expect(r.warnings[0]?.en).toMatch(/2026-03-31 is outside the validity.*the 2025 self-check stays due 2025-01-10/);

    // An accepted notice, then a rejected later one for the same year: the accepted one stays.
    const ok25 = { type: 'self-check.notice', id: 'ok25', date: '2025-01-02', year: 2025, deadline: '2025-04-30' };
    const both = compute({ certificate: CS2_2022, events: [ok25, bad25] });
    expect(byKey(both, 'self-check.annual:2025')).toMatchObject({ dueDate: '2025-04-30', provisional: false });
    expect(byKey(both, 'self-check.annual:2025').trigger.eventId).toBe('ok25');
    expect(both.warnings[0]?.en).toMatch(/stays due 2025-04-30/);
  });

  it('moves a provisional self-check on an off anniversary to the next working day', () => {
    const r = compute({ certificate: { level: 'CS1', issuedOn: '2023-10-02' }, until: '2024-12-31' });
    expect(byKey(r, 'self-check.annual:2024').dueDate).toBe('2024-10-08');
  });

  it('opens the first supervision window at issue + 12 months and closes it at issue + 18 months (CS3+)', () => {
    const r = compute({ certificate: CS3_2022 });
    const s = byKey(r, 'supervision.first');
    expect(s).toMatchObject({ windowStart: '2023-01-10', dueDate: '2023-07-10', provisional: false, source: 'M, S' });
    expect(keys(r, 'supervision.second')).toEqual([]);
    expect(keys(compute({ certificate: CS2_2022 }), 'supervision.first')).toEqual([]);
  });

  it('due the second supervision before the renewal application once the first is done', () => {
    const r = compute({
      certificate: CS3_2022,
      events: [
        { type: 'supervision.done', id: 's1', date: '2023-05-20', passed: true },
        { type: 'supervision.done', id: 's2', date: '2025-03-03', passed: true },
      ],
    });
    expect(byKey(r, 'supervision.first').satisfiedOn).toBe('2023-05-20');
    const s2 = byKey(r, 'supervision.second');
    expect(s2).toMatchObject({
      windowStart: '2023-05-21',
      dueDate: byKey(r, 'renewal.apply').dueDate,
      satisfiedOn: '2025-03-03',
    });
    expect(s2.sources).toContain('X');
  });

  it('due the renewal application at expiry − 3 months, moved back to the previous working day', () => {
    const r = compute({ certificate: { level: 'CS2', issuedOn: '2022-01-05', expiresOn: '2026-01-04' } });
    const a = byKey(r, 'renewal.apply');
    // 2025-10-04 is in the National Day holiday: the previous working day is 2025-09-30.
    expect(a).toMatchObject({ dueDate: '2025-09-30', windowStart: '2025-07-04', source: 'M, S' });
    expect(a.basis).toContain('提前至上一个工作日 2025-09-30');
    const plain = byKey(compute({ certificate: CS3_2022 }), 'renewal.apply');
    expect(plain.dueDate).toBe('2025-10-09');
  });
});

describe('events', () => {
  const base = { certificate: CS3_2022 };

  it('complaint.response: 7 working days, basis names the skipped holiday', () => {
    const r = compute({
      certificate: { level: 'CS3', issuedOn: '2025-03-15' },
      until: '2026-11-30',
      events: [{ type: 'complaint', id: 'c-1', date: '2026-09-28' }],
    });
    const c = byKey(r, 'complaint.response:c-1');
    expect(c.dueDate).toBe('2026-10-13');
    expect(c.basis).toContain('7 个工作日，自 2026-09-28 起算，跳过 10-01 至 10-07 国庆节假期');
    expect(c.basisEn).toContain('skipping 10-01 to 10-07 (National Day holiday)');
    expect(c.basis).toContain('10-10 调休上班');
    expect(c.basisEn).toContain('7 working days from 2026-09-28');
    expect(c.trigger).toEqual({ kind: 'event', date: '2026-09-28', eventType: 'complaint', eventId: 'c-1' });
  });

  it('incident.report: 48 hours as an instant in +08:00', () => {
    const r = compute({ ...base, events: [{ type: 'incident', at: '2023-04-28T18:30:00Z' }] });
    const o = byKey(r, 'incident.report:2023-04-28T18:30:00Z');
    // 18:30Z = 2023-04-29 02:30 in Shanghai; + 48 h = 2023-05-01 02:30 (no working-day move).
    expect(o).toMatchObject({ dueAt: '2023-05-01T02:30:00+08:00', dueDate: '2023-05-01' });
    expect(o.trigger.date).toBe('2023-04-29');
    expect(o.basis).toContain('48 小时，自 2023-04-29 02:30（北京时间）起算');
    expect(() =>
      compute({ ...base, events: [{ type: 'incident', at: '2023-04-28T18:30:00Z', date: '2023-04-28' }] }),
    ).toThrow(/不是发生时间 2023-04-28T18:30:00Z 在北京时间的日期（2023-04-29）/);
  });

  it.each([
    ['license.changed', 'license.mismatch', '2024-05-10', '2024-06-11'], // 06-09 Sunday, 06-10 端午
    ['change.general', 'change.general', '2024-05-10', '2024-06-11'],
    ['change.major', 'change.major', '2024-05-10', '2024-08-08'],
    ['policy.update', 'policy.review', '2024-05-10', '2024-06-11'],
    ['lost', 'lost.replace', '2024-05-10', '2024-06-11'],
    ['change.applied', 'change.general.reissue', '2024-09-10', '2024-10-08'],
    ['lost.applied', 'lost.replace.collect', '2024-09-25', '2024-10-14'], // counts Sun 09-29 and Sat 10-12
    ['acquired', 'change.acquired', '2024-05-10', '2024-05-10'],
  ])('%s → %s due %s + … = %s', (type, rule, date, due) => {
    const r = compute({ ...base, events: [{ type, date }] });
    const o = byKey(r, `${rule}:${date}`);
    expect(o.dueDate).toBe(due);
    expect(o.rule).toBe(rule);
    expect(o.basis.length).toBeGreaterThan(5);
  });

  it('settles a duty when the event that does what it asks is recorded on or after its trigger', () => {
    const r = compute({
      ...base,
      events: [
        { type: 'lost', id: 'l', date: '2024-05-10' },
        { type: 'lost.applied', id: 'la', date: '2024-05-20' },
        { type: 'certificate.reissued', id: 'r', date: '2024-05-30', cause: 'loss', certificateNo: 'XQ2024-1' },
        { type: 'change.general', id: 'g', date: '2024-06-03' },
        // A re-issue after a loss does not collect a certificate re-issued for a change.
        { type: 'change.applied', id: 'ga', date: '2024-06-05' },
      ],
    });
    expect(byKey(r, 'lost.replace:l').satisfiedOn).toBe('2024-05-20');
    expect(byKey(r, 'lost.replace.collect:la').satisfiedOn).toBe('2024-05-30');
    expect(byKey(r, 'change.general:g').satisfiedOn).toBe('2024-06-05');
    expect(byKey(r, 'change.general.reissue:ga').satisfiedOn).toBeUndefined();
    // An application before the change it reports does not settle it.
    const early = compute({
      ...base,
      events: [
        { type: 'change.applied', id: 'a', date: '2024-05-01' },
        { type: 'change.general', id: 'g', date: '2024-05-10' },
      ],
    });
    expect(byKey(early, 'change.general:g').satisfiedOn).toBeUndefined();
  });

  it('refuses a re-issue without its cause, and an empty new number', () => {
    expect(() => compute({ ...base, events: [{ type: 'certificate.reissued', date: '2024-05-10' }] })).toThrow(
      /换发原因」应为 change（变更后换发）/,
    );
    expect(() =>
      compute({
        ...base,
        events: [{ type: 'certificate.reissued', date: '2024-05-10', cause: 'loss', certificateNo: ' ' }],
      }),
    ).toThrow(/新证书编号」不能为空/);
  });

  it('moves a days count ending on a weekend to the next working day, citing the Civil Code only for a holiday', () => {
    const r = compute({ ...base, events: [{ type: 'license.changed', date: '2024-05-10' }] });
    // 06-09 is an ordinary Sunday (the notice gives only 06-10 off for 端午节).
    expect(byKey(r, 'license.mismatch:2024-05-10').basis).toBe(
      '30 日，自 2024-05-10 起算，期满 2024-06-09（起算日不计）；06-09 为周日，顺延至下一个工作日 2024-06-11（跳过 06-10 端午节假期）',
    );
    const h = compute({ ...base, events: [{ type: 'change.general', date: '2024-09-01' }] });
    expect(byKey(h, 'change.general:2024-09-01').basis).toBe(
      '30 日，自 2024-09-01 起算，期满 2024-10-01（起算日不计）；10-01 为国庆节假期，顺延至下一个工作日 2024-10-08（《民法典》第二百零三条）',
    );
    const p = byKey(
      compute({ ...base, events: [{ type: 'policy.update', date: '2024-05-10' }] }),
      'policy.review:2024-05-10',
    );
    expect(p.basis).toContain('；本产品假设：行业指引未给出固定时限，按 30 日计');
    expect(p.basisEn).toContain('; our assumption: industry guidance gives no fixed deadline');
  });

  it('says so when a deadline lands on a make-up working day', () => {
    // 2024-10-12 is a Saturday worked under the National Day notice.
    const r = compute({
      ...base,
      events: [
        { type: 'change.general', id: 'g', date: '2024-09-12' },
        { type: 'complaint', id: 'c', date: '2024-09-27' },
      ],
    });
    const g = byKey(r, 'change.general:g');
    expect(g.dueDate).toBe('2024-10-12');
    expect(g.basis).toBe('30 日，自 2024-09-12 起算，期满 2024-10-12（起算日不计）；该日为调休上班日，按工作日计');
    expect(g.basisEn).toContain('that day is a make-up working day');
    const c = byKey(r, 'complaint.response:c');
    expect(c.dueDate).toBe('2024-10-12');
    expect(c.basis).toMatch(/截止 2024-10-12（起算日不计）；该日为调休上班日，按工作日计/);
  });

  it('self-check.abnormal: on-site re-check within 15 working days (CS1/CS2); a warning for CS3+', () => {
    const r = compute({ certificate: CS2_2022, events: [{ type: 'self-check.abnormal', date: '2024-09-20' }] });
    expect(byKey(r, 'self-check.onsite-recheck:2024-09-20').dueDate).toBe('2024-10-16');
    const high = compute({ ...base, events: [{ type: 'self-check.abnormal', date: '2024-09-20' }] });
    expect(high.obligations.some((o) => o.rule === 'self-check.onsite-recheck')).toBe(false);
    expect(high.warnings[0]).toMatchObject({ code: 'level-not-applicable' });
    expect(high.warnings[0]?.zh).toMatch(/只适用于 CS1\/CS2，不适用于 CS3/);
  });

  it('supervision failed: plan within 15 days; the passed re-assessment completes the first supervision', () => {
    const events = [
      { type: 'supervision.done', id: 's1', date: '2023-06-01', passed: false },
      { type: 'supervision.done', id: 's1b', date: '2023-08-15', passed: true },
    ];
    const r = compute({ ...base, events });
    expect(byKey(r, 'supervision.failed:s1').dueDate).toBe('2023-06-16');
    const re = byKey(r, 'supervision.failed.reassess:s1');
    expect(re).toMatchObject({ dueDate: '2023-09-01', satisfiedOn: '2023-08-15' });
    // A failed supervision does not complete the first one; the passed re-assessment does.
    expect(byKey(r, 'supervision.first').satisfiedOn).toBe('2023-08-15');
    expect(r.warnings.map((w) => w.code)).toEqual(['supervision-failed-not-done']);
    // No suspension was recorded: the state does not change on an inference.
    expect(r.timeline.map((s) => s.state)).toEqual(['active', 'expired']);
    // The second supervision follows the re-assessment.
    expect(byKey(r, 'supervision.second').satisfiedOn).toBeUndefined();

    // With the suspension recorded: suspended from then until the re-assessment passes, and the
    // rectification period counts from the suspension.
    const rec = compute({ ...base, events, recorded: [{ state: 'suspended', on: '2023-06-05', reason: '整改期' }] });
    expect(rec.timeline.map((s) => [s.state, s.from, s.to])).toEqual([
      ['active', '2022-01-10', '2023-06-04'],
      ['suspended', '2023-06-05', '2023-08-14'],
      ['active', '2023-08-15', '2026-01-09'],
      ['expired', '2026-01-10', undefined],
    ]);
    expect(rec.timeline[1]?.reasonZh).toBe('记录为「暂停使用（整改期）」（2023-06-05）：整改期');
    expect(byKey(rec, 'supervision.failed.reassess:s1')).toMatchObject({ dueDate: '2023-09-05' });
    expect(byKey(rec, 'supervision.failed.reassess:s1').basis).toContain('记录的暂停使用起始日');
  });

  it('supervision.done for CS1/CS2 is a warning, not an obligation', () => {
    const r = compute({
      certificate: CS2_2022,
      events: [{ type: 'supervision.done', date: '2023-06-01', passed: false }],
    });
    expect(r.obligations.some((o) => o.rule.startsWith('supervision'))).toBe(false);
    expect(r.warnings).toHaveLength(1);
  });

  it('acquired: invalidated at once; later duties are cancelled, later events flagged', () => {
    const r = compute({
      ...base,
      events: [
        { type: 'acquired', id: 'acq', date: '2024-05-10' },
        { type: 'complaint', id: 'late', date: '2024-06-01' },
      ],
    });
    expect(r.timeline.map((s) => s.state)).toEqual(['active', 'invalidated']);
    expect(r.timeline[1]).toMatchObject({ from: '2024-05-10', eventId: 'acq' });
    expect(byKey(r, 'change.acquired:acq').cancelled).toBeUndefined();
    const after = r.obligations.filter((o) => o.dueDate >= '2024-05-10' && o.rule !== 'change.acquired');
    expect(after.length).toBeGreaterThan(10);
    for (const o of after) {
      expect(o.cancelled).toMatchObject({ on: '2024-05-10', state: 'invalidated' });
      expect(o.cancelled?.reasonZh).toBe('证书自 2024-05-10 起已失效（被并购），此项不再需要办理');
    }
    expect(r.obligations.filter((o) => o.dueDate < '2024-05-10').every((o) => o.cancelled === undefined)).toBe(true);
    expect(r.obligations.some((o) => o.rule === 'complaint.response')).toBe(false);
    expect(r.warnings).toMatchObject([{ code: 'event-after-terminal', eventId: 'late' }]);
    expect(r.warnings[0]?.zh).toBe(
      '2024-06-01 的「客户投诉或监管通报」在证书「已失效（被并购）」（2024-05-10 起）之后，不再产生需办理的事项',
    );
  });

  it('recorded states drive the duties: a revocation cancels what falls after it', () => {
    const r = compute({ ...base, recorded: [{ state: 'revoked', on: '2024-03-01', reason: '评估机构撤销' }] });
    expect(r.timeline.map((s) => [s.state, s.from])).toEqual([
      ['active', '2022-01-10'],
      ['revoked', '2024-03-01'],
    ]);
    const cancelled = r.obligations.filter((o) => o.cancelled);
    expect(cancelled.length).toBeGreaterThan(10);
    expect(cancelled.every((o) => o.dueDate >= '2024-03-01')).toBe(true);
    expect(r.obligations.filter((o) => o.dueDate >= '2024-03-01').every((o) => o.cancelled)).toBe(true);
    expect(byKey(r, 'expiry').cancelled?.reasonEn).toBe(
      'the certificate is revoked from 2024-03-01: no longer required',
    );
    // A recorded change the table does not allow is flagged, not applied.
    const bad = compute({
      ...base,
      recorded: [
        { state: 'revoked', on: '2024-03-01' },
        { state: 'active', on: '2024-04-01' },
      ],
    });
    expect(bad.timeline.at(-1)?.state).toBe('revoked');
    expect(bad.warnings.map((w) => w.code)).toEqual(['recorded-state-not-possible']);
  });

  it('renewal.applied fulfils the renewal application and is named in the expiry reason', () => {
    const r = compute({ ...base, events: [{ type: 'renewal.applied', date: '2025-09-01' }] });
    expect(byKey(r, 'renewal.apply').satisfiedOn).toBe('2025-09-01');
    expect(r.timeline.at(-1)?.reasonZh).toContain('已于 2025-09-01 提交再评估申请');
  });

  it('alerts on a missed supervision when asOf is given, and never infers a state', () => {
    const r = compute({ ...base, asOf: '2023-09-01' });
    expect(r.timeline.map((s) => [s.state, s.from])).toEqual([
      ['active', '2022-01-10'],
      ['expired', '2026-01-10'],
    ]);
    expect(r.alerts).toEqual([
      {
        code: 'supervision-missed',
        zh: '第一次监督评估期限（2023-07-10）已过，尚未记录结果：如已完成请补录；否则证书可能被视为放弃',
        en: 'The first supervision deadline (2023-07-10) has passed and no result is recorded: record it if it took place; otherwise the certificate may be deemed abandoned',
        possibleState: 'abandoned',
        possibleFrom: '2023-07-11',
        obligationKey: 'supervision.first',
      },
    ]);
    expect(r.obligations.some((o) => o.cancelled)).toBe(false);
    expect(compute({ ...base, asOf: '2023-07-10' }).alerts).toEqual([]);
    // Confirmed by the user: then it is the state, and what follows is cancelled.
    const confirmed = compute({ ...base, asOf: '2023-09-01', recorded: [{ state: 'abandoned', on: '2023-07-11' }] });
    expect(confirmed.timeline.at(-1)).toMatchObject({ state: 'abandoned', from: '2023-07-11' });
    expect(confirmed.alerts).toEqual([]);
    expect(confirmed.obligations.filter((o) => o.dueDate >= '2023-07-11').every((o) => o.cancelled)).toBe(true);
  });

  it('warns about events outside the validity instead of using them', () => {
    const r = compute({
      ...base,
      events: [
        { type: 'complaint', date: '2021-01-01' },
        { type: 'complaint', date: '2027-01-01' },
      ],
    });
    expect(r.obligations.some((o) => o.rule === 'complaint.response')).toBe(false);
    expect(r.warnings).toHaveLength(2);
  });

  it('keeps the deadlines of events just before expiry, even when due after it', () => {
    // CS3_2022 expires 2026-01-09.
    const events = [
      { type: 'complaint', id: 'c', date: '2026-01-05' },
      { type: 'incident', id: 'i', at: '2026-01-08T10:00:00+08:00' },
    ];
    const r = compute({ certificate: CS3_2022, events });
    expect(byKey(r, 'complaint.response:c').dueDate).toBe('2026-01-14');
    expect(byKey(r, 'incident.report:i')).toMatchObject({
      dueDate: '2026-01-10',
      dueAt: '2026-01-10T10:00:00+08:00',
    });
    expect(r.warnings).toEqual([]);
    // Periodic duties stay bounded by the validity.
    expect(r.obligations.filter((o) => o.dueDate > '2026-01-09').map((o) => o.key)).toEqual([
      'incident.report:i',
      'complaint.response:c',
    ]);
    // An explicit until bounds every due date.
    const cut = compute({ certificate: CS3_2022, events, until: '2026-01-09' });
    expect(cut.obligations.some((o) => o.dueDate > '2026-01-09')).toBe(false);
  });

  it('alerts when the rectification period ends without a passed re-assessment', () => {
    const events = [{ type: 'supervision.done', id: 's1', date: '2023-06-01', passed: false }];
    const recorded = [{ state: 'suspended' as const, on: '2023-06-01' }];
    const r = compute({ ...base, events, recorded });
    expect(byKey(r, 'supervision.failed.reassess:s1')).toMatchObject({ dueDate: '2023-09-01' });
    expect(byKey(r, 'supervision.failed.reassess:s1').satisfiedOn).toBeUndefined();
    expect(r.timeline.map((s) => [s.state, s.from, s.to])).toEqual([
      ['active', '2022-01-10', '2023-05-31'],
      ['suspended', '2023-06-01', '2026-01-09'],
      ['expired', '2026-01-10', undefined],
    ]);
    expect(r.alerts).toEqual([]); // no asOf: nothing inferred

    // Still inside the rectification period on asOf: nothing to say yet.
    expect(compute({ ...base, events, recorded, asOf: '2023-08-01' }).alerts).toEqual([]);
    const after = compute({ ...base, events, recorded, asOf: '2023-10-01' });
    expect(after.alerts).toMatchObject([{ code: 'rectification-ended', possibleState: 'downgraded', eventId: 's1' }]);
    expect(after.alerts[0]?.zh).toContain('整改期已于 2023-09-01 届满');
    // Not recorded as suspended: first the alert that the suspension is to be applied for.
    const unrecorded = compute({ ...base, events, asOf: '2023-06-10' });
    expect(unrecorded.alerts).toMatchObject([{ code: 'supervision-failed', possibleState: 'suspended' }]);

    // Acquired during the rectification period: the certificate ends, nothing to alert.
    const acquired = compute({
      ...base,
      events: [...events, { type: 'acquired', date: '2023-07-01' }],
      recorded,
      asOf: '2023-10-01',
    });
    expect(acquired.alerts).toEqual([]);
    expect(acquired.timeline.map((s) => s.state)).toEqual(['active', 'suspended', 'invalidated']);
  });

  it('changes state only as CERTIFICATE_TRANSITIONS allows', () => {
    const scenarios: unknown[][] = [
      [],
      [{ type: 'supervision.done', date: '2023-06-01', passed: false }],
      [
        { type: 'supervision.done', date: '2023-06-01', passed: false },
        { type: 'supervision.done', date: '2023-08-15', passed: true },
        { type: 'acquired', date: '2024-05-10' },
      ],
      [{ type: 'supervision.done', date: '2022-01-10', passed: false }],
    ];
    for (const events of scenarios) {
      for (const asOf of [undefined, '2025-12-31']) {
        const { timeline } = compute({ ...base, events, ...(asOf ? { asOf } : {}) });
        for (let i = 1; i < timeline.length; i++) {
          const [a, b] = [timeline[i - 1]?.state as CertificateState, timeline[i]?.state as CertificateState];
          expect(a === b || canTransition(a, b), `${a} → ${b}`).toBe(true);
        }
      }
    }
  });

  it('reads the allowed transitions from the table (single source of truth)', () => {
    const list = CERTIFICATE_TRANSITIONS.suspended as CertificateState[];
    const saved = [...list];
    list.splice(list.indexOf('invalidated'), 1);
    try {
      const r = compute({
        ...base,
        events: [
          { type: 'supervision.done', date: '2023-06-01', passed: false },
          { type: 'acquired', id: 'acq', date: '2023-07-01' },
        ],
        recorded: [{ state: 'suspended', on: '2023-06-05' }],
        asOf: '2023-08-01',
      });
      expect(r.timeline.map((s) => s.state)).toEqual(['active', 'suspended', 'expired']);
      expect(r.warnings.find((w) => w.eventId === 'acq')).toMatchObject({ code: 'event-state-not-possible' });
      expect(r.warnings.find((w) => w.eventId === 'acq')?.en).toMatch(
        /a suspended \(rectification\) certificate cannot become invalidated \(acquired\): not counted/,
      );
      expect(r.obligations.some((o) => o.rule === 'change.acquired')).toBe(false);
    } finally {
      list.splice(0, list.length, ...saved);
    }
    expect(canTransition('suspended', 'invalidated')).toBe(true);
  });

  it('covers every event type with a rule or a documented effect', () => {
    const handled = new Set<string>([
      'self-check.notice',
      'self-check.submitted',
      'renewal.applied',
      'upgrade.applied',
      'supervision.done',
      // The assessment's timeline: shown with the plan and the dossier, no deadline of its own.
      'assessment.step',
      // Settles the collection of a re-issued certificate (and the major change's application).
      'certificate.reissued',
    ]);
    for (const r of OBLIGATION_RULES) if (r.trigger.kind === 'event') handled.add(r.trigger.event);
    expect([...handled].sort()).toEqual([...EVENT_TYPES].sort());
  });
});

describe('keys', () => {
  it('are unique, stable across recomputation, and use event ids when present', () => {
    const events = [
      { type: 'complaint', date: '2024-03-01' },
      { type: 'complaint', date: '2024-03-01' },
      { type: 'complaint', id: 'abc', date: '2024-03-01' },
    ];
    const a = compute({ certificate: CS3_2022, events });
    const b = compute({ certificate: CS3_2022, events });
    expect(a.obligations.map((o) => o.key)).toEqual(b.obligations.map((o) => o.key));
    expect(new Set(a.obligations.map((o) => o.key)).size).toBe(a.obligations.length);
    expect(keys(a, 'complaint.response').sort()).toEqual([
      'complaint.response:2024-03-01',
      'complaint.response:2024-03-01#2',
      'complaint.response:abc',
    ]);
  });

  it('sorts obligations by due date', () => {
    const r = compute({ certificate: CS3_2022, events: [{ type: 'complaint', date: '2024-03-01' }] });
    const dates = r.obligations.map((o) => o.dueDate);
    expect(dates).toEqual([...dates].sort());
  });
});

describe('validation', () => {
  it('rejects an unknown event type, listing the known ones', () => {
    try {
      compute({ certificate: CS3_2022, events: [{ type: 'complain', date: '2024-03-01' }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidEventError);
      expect((e as InvalidEventError).code).toBe('INVALID_INPUT');
      expect((e as Error).message).toContain('第 1 条事件的类型 "complain" 无法识别，应为以下之一：self-check.notice');
    }
  });

  it.each([
    [{ type: 'complaint' }, /第 1 条事件（客户投诉或监管通报）的「日期」必填/],
    [{ date: '2024-03-01' }, /类型缺失/],
    [{ type: 'complaint', date: '2024-02-30' }, /必须是真实日期/],
    [{ type: 'supervision.done', date: '2024-03-01' }, /「是否通过」必填（true（通过）或 false（未通过））/],
    [{ type: 'incident', date: '2024-03-01' }, /「发生时间」必填/],
    [{ type: 'incident', at: '2024-03-01 10:00' }, /必须是带时区的时间/],
    [{ type: 'self-check.notice', date: '2024-03-01', year: 2024 }, /「截止日期」必填/],
    [{ type: 'complaint', id: '', date: '2024-03-01' }, /「编号」不能为空/],
    [
      { type: 'complaint', date: '0500-01-01' },
      /「日期」必须是真实日期，写作 YYYY-MM-DD（1900–2199 年），收到 "0500-01-01"/,
    ],
    [
      { type: 'self-check.notice', id: 'n1', date: '2024-03-01', year: 1, deadline: '2024-04-30' },
      /第 1 条事件（年度自查通知）的「年度」应为 1900–2199 之间的年份，收到 1/,
    ],
    [
      { type: 'self-check.notice', date: '2024-03-01', year: 2024.5, deadline: '2024-04-30' },
      /「年度」应为 1900–2199 之间的整数年份/,
    ],
    [
      { type: 'self-check.notice', date: '2024-03-01', year: 2024, deadline: '2026-03-01' },
      /「截止日期」应在通知所属的 2024 年或 2025 年内，收到 2026-03-01/,
    ],
    [
      { type: 'self-check.notice', date: '2024-03-01', year: 2024, deadline: '2023-12-31' },
      /「截止日期」应在通知所属的 2024 年或 2025 年内/,
    ],
    [
      { type: 'self-check.submitted', date: '2024-03-01', year: 2024, result: 'ok' },
      /「结果」应为 normal（正常）或 abnormal（异常）/,
    ],
    ['complaint', /应为 \{ type, date, … \} 形式的对象/],
  ])('rejects %j', (ev, message) => {
    expect(() => compute({ certificate: CS3_2022, events: [ev] })).toThrow(message);
  });

  it('accepts a notice whose deadline falls early in the next year', () => {
    const r = compute({
      certificate: CS2_2022,
      events: [{ type: 'self-check.notice', date: '2023-12-01', year: 2023, deadline: '2024-01-31' }],
    });
    expect(byKey(r, 'self-check.annual:2023').dueDate).toBe('2024-01-31');
  });

  it('lists every bad event at once', () => {
    try {
      compute({ certificate: CS3_2022, events: [{ type: 'x' }, { type: 'complaint' }] });
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidEventError).problems).toHaveLength(2);
    }
  });
});

describe('unpublished calendar years', () => {
  const cert = { level: 'CS3' as const, issuedOn: '2025-03-15' };

  it('throws naming 2027 when a kept obligation needs it', () => {
    try {
      compute({ certificate: cert });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarUnknownYearError);
      expect((e as CalendarUnknownYearError).year).toBe(2027);
    }
  });

  it('computes strictly up to a published until date', () => {
    // Not 2026-12-31: from December 15 the days wait for the 2027 notice (its New Year holiday).
    const r = compute({ certificate: cert, until: '2026-11-30' });
    expect(r.provisional).toBe(false);
    expect(r.obligations.at(-1)?.dueDate).toBe('2026-11-30');
  });

  it('marks obligations in 2027+ provisional with the weekday rule on request', () => {
    const r = compute({ certificate: cert, provisional: true });
    expect(r.provisional).toBe(true);
    expect(r.unknownYears).toEqual([2027, 2028, 2029]);
    const jan = byKey(r, 'audit.internal:2027-01');
    expect(jan).toMatchObject({ dueDate: '2027-01-29', provisional: true, unknownYears: [2027] });
    expect(jan.basis).toContain('2027 年节假日安排尚未发布');
    expect(byKey(r, 'audit.internal:2026-11').provisional).toBe(false);
    // Its last working day depends on whether the 2027 notice puts New Year days into late December.
    expect(byKey(r, 'audit.internal:2026-12')).toMatchObject({ provisional: true, unknownYears: [2027] });
    expect(byKey(r, 'expiry').provisional).toBe(false);
  });

  it('recomputes as final once the year is imported', () => {
    registerCalendarYear({ year: 2027, papers: [], days: [{ name: '春节', date: '2027-01-29', isOffDay: true }] });
    const r = compute({ certificate: cert, until: '2027-11-30' });
    expect(byKey(r, 'audit.internal:2027-01').dueDate).toBe('2027-01-28');
  });
});

describe('rules table', () => {
  it('has one row per rule id with titles, levels, sources and a reminder ladder', () => {
    const ids = OBLIGATION_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of OBLIGATION_RULES) {
      expect(r.titleZh && r.titleEn && r.descriptionZh && r.descriptionEn).toBeTruthy();
      expect(r.levels.length).toBeGreaterThan(0);
      expect(r.sources.length).toBeGreaterThan(0);
      expect(r.reminders.daysBefore.length).toBeGreaterThan(0);
      if (r.sources.includes('X')) expect(r.assumptionZh).toBeTruthy();
    }
  });
});

describe('defaultExpiry', () => {
  it('proposes issue + 4 years − 1 day, month ends included', () => {
    expect(defaultExpiry('2025-03-15')).toBe('2029-03-14');
    expect(defaultExpiry('2024-02-29')).toBe('2028-02-28');
    expect(defaultExpiry('2025-03-01')).toBe('2029-02-28');
  });
});
