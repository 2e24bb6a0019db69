// Readiness (就绪度): does the organisation meet a level's requirements on a day, by how much, on
// which evidence, and when will that change if nothing new is recorded (against the level's advisory requirement set).
import { addMonthsToDay, checkCount, checkDayInRange, formatDay, parseDate } from '../calendar/days.js';
import type { Level } from '../scheme/levels.js';
import { defaultRequirementSet, type RequirementPurpose, type RequirementSet } from '../scheme/requirements.js';
import type { Evidence } from './evidence.js';
import { Context, evaluateRequirement } from './kinds.js';
import type { ReadinessResult, RequirementResult, RequirementStatus } from './types.js';
import { windowAt, windowLabel } from './window.js';

/** How far ahead the forecast looks by default: beyond a certificate's 4-year validity. */
export const DEFAULT_FORECAST_MONTHS = 60;

/** Readiness input that cannot be used as it is (a requirement set of another level, a bad horizon). */
export class InvalidReadinessInputError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReadinessInputError';
  }
}

export interface EvaluateReadinessInput {
  level: Level;
  /** The evaluation day, `YYYY-MM-DD` (China calendar date). */
  at: string;
  /** Validate untrusted JSON with `parseEvidence` first: here bad dates and amounts count as missing. */
  evidence: Evidence;
  /** The set to check; the level's advisory default when omitted. */
  requirements?: RequirementSet;
  /** Leave out requirements that do not apply to this occasion (e.g. renewal-only growth); all when omitted. */
  purpose?: RequirementPurpose;
  /** Forecast when each status changes (default true). */
  forecast?: boolean;
  /** Forecast horizon in months after `at` (default 60, at most 240). */
  horizonMonths?: number;
}

/**
 * Evaluates every requirement of the level's set on `at`: status (met / not met / unknown), value,
 * gap, the evidence that counts, and the first day within the horizon on which each status changes
 * as time passes with no new evidence (the window rolls forward, certificates expire, people leave).
 */
export function evaluateReadiness(input: EvaluateReadinessInput): ReadinessResult {
  const at = parseDate(input.at, 'readiness date');
  const set = input.requirements ?? defaultRequirementSet(input.level);
  if (set.level !== input.level) {
    throw new InvalidReadinessInputError(
      `Requirement set ${set.id} is for ${set.level}, not ${input.level}: use the ${input.level} set.`,
    );
  }
  const forecast = input.forecast ?? true;
  let until = -Infinity;
  if (forecast) {
    const months = checkCount(input.horizonMonths ?? DEFAULT_FORECAST_MONTHS, 'forecast horizon in months');
    if (months < 1 || months > 240) {
      throw new InvalidReadinessInputError(`The forecast horizon must be 1–240 months, got ${months}.`);
    }
    until = checkDayInRange(addMonthsToDay(at, months), 'forecast horizon');
  }
  const ctx = new Context(input.evidence, at, until, set.window, set.projectDateBasis);
  const purpose = input.purpose ?? null;
  const requirements: RequirementResult[] = [];
  const skipped: ReadinessResult['skipped'] = [];
  for (const req of set.requirements) {
    if (purpose && req.appliesTo && !req.appliesTo.includes(purpose)) {
      skipped.push({ id: req.id, label: req.label, appliesTo: req.appliesTo });
      continue;
    }
    const outcome = evaluateRequirement(req, ctx);
    requirements.push({
      id: req.id,
      kind: req.kind,
      label: req.label,
      source: req.source,
      advisory: req.advisory,
      operator: 'operator' in req ? req.operator : null,
      threshold: 'threshold' in req ? req.threshold : null,
      ...outcome,
    });
  }
  const counts = { met: 0, notMet: 0, unknown: 0 };
  for (const r of requirements) {
    if (r.status === 'met') counts.met++;
    else if (r.status === 'not-met') counts.notMet++;
    else counts.unknown++;
  }
  const status: RequirementStatus = counts.notMet > 0 ? 'not-met' : counts.unknown > 0 ? 'unknown' : 'met';
  let stopsBeingMet: ReadinessResult['stopsBeingMet'] = null;
  for (const r of requirements) {
    if (r.status !== 'met' || !r.forecast) continue;
    if (!stopsBeingMet || r.forecast.date < stopsBeingMet.date) {
      stopsBeingMet = { date: r.forecast.date, requirementIds: [r.id] };
    } else if (r.forecast.date === stopsBeingMet.date) {
      stopsBeingMet.requirementIds.push(r.id);
    }
  }
  const w = windowAt(set.window, at);
  return {
    level: input.level,
    at: formatDay(at),
    requirementSetId: set.id,
    purpose,
    window: { from: formatDay(w.from), to: formatDay(w.to), label: windowLabel(set.window, at) },
    horizon: forecast ? formatDay(until) : null,
    status,
    counts,
    requirements,
    skipped,
    stopsBeingMet,
  };
}

export interface ForecastReadinessInput extends Omit<EvaluateReadinessInput, 'forecast'> {
  /** The later day to look at, e.g. the next supervision or the renewal application deadline. */
  on: string;
}

/**
 * Readiness on a later day `on` (the next supervision, the renewal deadline) with the evidence as
 * recorded today: the window as it will be then, certificates and employment as they will stand.
 * Evidence dated after today counts once its date arrives, as it would in `evaluateReadiness`.
 */
export function forecastReadiness(input: ForecastReadinessInput): ReadinessResult & { asOf: string } {
  const asOf = formatDay(parseDate(input.at, 'readiness date'));
  const on = formatDay(parseDate(input.on, 'forecast date'));
  if (on < asOf) {
    throw new InvalidReadinessInputError(`The forecast date ${on} is before ${asOf}: use evaluateReadiness.`);
  }
  return { ...evaluateReadiness({ ...input, at: on, forecast: true }), asOf };
}
