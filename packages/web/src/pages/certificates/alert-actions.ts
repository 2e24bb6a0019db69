// What a person can do about an alert (a deadline passed with nothing recorded): record what took
// place, or confirm the state the assessment body decided. Nothing here changes a state by itself.
import { canTransition, type CertificateState } from '@zizhi/core';
import type { EngineAlert, TransitionTarget } from '../../api/types';

const TRANSITION_TARGETS: readonly TransitionTarget[] = [
  'active',
  'suspended',
  'revoked',
  'abandoned',
  'expired',
  'invalidated',
];

/** The states a manual transition may go to from `state` (downgrade and renewal go through a successor). */
export function transitionTargets(state: CertificateState): TransitionTarget[] {
  return TRANSITION_TARGETS.filter((to) => canTransition(state, to));
}

/** The event form, preset to the event that would settle the alert. */
export type RecordPreset =
  { type: 'supervision.done'; passed?: boolean } | { type: 'self-check.submitted'; year?: number };

/** The form that records the possible state, preset with it and the day it would hold from. */
export type ConfirmPreset =
  | { kind: 'transition'; to: TransitionTarget; on: string }
  /** A downgrade is a new certificate at the lower level, not a state change of this one. */
  | { kind: 'downgrade' };

/** `self-check.annual:2026` → 2026. */
function yearOfKey(key: string | undefined): number | undefined {
  const m = /:(\d{4})$/.exec(key ?? '');
  return m ? Number(m[1]) : undefined;
}

/** What "补录" (record what happened) opens for an alert; null when no event settles it. */
export function recordPresetFor(alert: Pick<EngineAlert, 'code' | 'obligationKey'>): RecordPreset | null {
  switch (alert.code) {
    case 'supervision-missed':
      return { type: 'supervision.done' };
    case 'self-check-missed': {
      const year = yearOfKey(alert.obligationKey);
      return year === undefined ? { type: 'self-check.submitted' } : { type: 'self-check.submitted', year };
    }
    // After a failed supervision, what ends the matter is the passed re-assessment.
    case 'supervision-failed':
    case 'rectification-ended':
      return { type: 'supervision.done', passed: true };
    default:
      return null;
  }
}

/**
 * What "确认状态" opens: the state-change form preset with the possible state and its first day,
 * when that change can be recorded from the recorded state; null otherwise.
 */
export function confirmPresetFor(
  alert: Pick<EngineAlert, 'possibleState' | 'possibleFrom'>,
  recordedState: CertificateState,
): ConfirmPreset | null {
  const to = alert.possibleState;
  if ((TRANSITION_TARGETS as readonly string[]).includes(to)) {
    const target = to as TransitionTarget;
    return canTransition(recordedState, target) ? { kind: 'transition', to: target, on: alert.possibleFrom } : null;
  }
  if (to === 'downgraded' && canTransition(recordedState, 'downgraded')) return { kind: 'downgrade' };
  return null;
}
