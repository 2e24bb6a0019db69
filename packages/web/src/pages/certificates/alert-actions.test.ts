import { EVENT_TYPES } from '@zizhi/core';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import { confirmPresetFor, recordPresetFor, transitionTargets } from './alert-actions';

const alert = (over: Partial<Parameters<typeof confirmPresetFor>[0]> & { code: string; obligationKey?: string }) => ({
  possibleState: 'abandoned' as const,
  possibleFrom: '2026-09-16',
  ...over,
});

describe('recordPresetFor', () => {
  it('opens the supervision form for a missed supervision', () => {
    expect(recordPresetFor(alert({ code: 'supervision-missed', obligationKey: 'supervision.first' }))).toEqual({
      type: 'supervision.done',
    });
  });

  it('opens the self-check form with the year of the missed self-check', () => {
    expect(recordPresetFor(alert({ code: 'self-check-missed', obligationKey: 'self-check.annual:2026' }))).toEqual({
      type: 'self-check.submitted',
      year: 2026,
    });
  });

  it('leaves the year to the user when the key does not carry one', () => {
    expect(recordPresetFor(alert({ code: 'self-check-missed' }))).toEqual({ type: 'self-check.submitted' });
  });

  it('records the passed re-assessment after a failed supervision', () => {
    for (const code of ['supervision-failed', 'rectification-ended']) {
      expect(recordPresetFor(alert({ code }))).toEqual({ type: 'supervision.done', passed: true });
    }
  });

  it('offers nothing for an alert it does not know', () => {
    expect(recordPresetFor(alert({ code: 'something-new' }))).toBeNull();
  });
});

describe('confirmPresetFor', () => {
  it('presets the state change with the possible state and its first day', () => {
    expect(confirmPresetFor(alert({ code: 'supervision-missed' }), 'active')).toEqual({
      kind: 'transition',
      to: 'abandoned',
      on: '2026-09-16',
    });
  });

  it('presets the suspension from the day of the failed supervision', () => {
    expect(
      confirmPresetFor(
        alert({ code: 'supervision-failed', possibleState: 'suspended', possibleFrom: '2026-05-01' }),
        'active',
      ),
    ).toEqual({ kind: 'transition', to: 'suspended', on: '2026-05-01' });
  });

  it('sends a possible downgrade to the successor form, not to a state change', () => {
    expect(confirmPresetFor(alert({ code: 'rectification-ended', possibleState: 'downgraded' }), 'suspended')).toEqual({
      kind: 'downgrade',
    });
  });

  it('offers nothing the recorded state cannot move to', () => {
    expect(confirmPresetFor(alert({ code: 'supervision-missed' }), 'revoked')).toBeNull();
    expect(confirmPresetFor(alert({ code: 'x', possibleState: 'suspended' }), 'suspended')).toBeNull();
  });
});

describe('transitionTargets', () => {
  it('never offers a downgrade or a successor as a state change', () => {
    expect(transitionTargets('active')).not.toContain('downgraded');
    expect(transitionTargets('active')).not.toContain('superseded');
    expect(transitionTargets('revoked')).toEqual([]);
  });
});

describe('event type words', () => {
  it('names every event type, its date and its help in both languages', () => {
    for (const lang of [zhCN, en]) {
      for (const type of EVENT_TYPES) {
        expect(lang.events.types[type], type).toBeTruthy();
        expect(lang.events.help[type], type).toBeTruthy();
        expect(lang.events.dateLabel[type], type).toBeTruthy();
      }
    }
  });

  it('names every obligation status, cancelled included', () => {
    for (const lang of [zhCN, en]) {
      expect(Object.keys(lang.obligations.statuses).sort()).toEqual(
        ['cancelled', 'done', 'in_progress', 'open', 'waived'].sort(),
      );
    }
    expect(zhCN.obligations.statuses.cancelled).toBe('已取消');
    expect(en.obligations.statuses.cancelled).toBe('Cancelled');
  });
});
