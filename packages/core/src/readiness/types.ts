// The readiness answer: per requirement, met / not met / unknown, by how much, which evidence
// counts, and when that will change as time passes with no new evidence.
import type { Level } from '../scheme/levels.js';
import type {
  RequirementKind,
  RequirementOperator,
  RequirementPurpose,
  RequirementUnit,
} from '../scheme/requirements.js';
import type { Localized } from './text.js';

export type { Localized } from './text.js';

/** `unknown`: the data needed is missing (the answer says which). */
export type RequirementStatus = 'met' | 'not-met' | 'unknown';

export const EVIDENCE_REF_TYPES = [
  'project',
  'staff',
  'qualification',
  'financial-year',
  'ip',
  'management-certificate',
  'standard',
  'legal-entity',
  'adverse-record',
] as const;
export type EvidenceRefType = (typeof EVIDENCE_REF_TYPES)[number];

/**
 * A piece of evidence that counts towards a requirement. `id` is the evidence id (the year for a
 * financial year; `legal-entity` for the organisation's confirmation).
 */
export interface EvidenceRef {
  type: EvidenceRefType;
  id: string;
  label: string;
}

/** The first change of a requirement's status after `at`, with no new evidence. */
export interface RequirementForecast {
  /** First day (`YYYY-MM-DD`) with the new status. */
  date: string;
  status: RequirementStatus;
  /** What happens that day, e.g. "2027-01-01 起 2023 年签约的项目（A、B）移出近三年窗口，…". */
  reason: Localized;
}

export interface RequirementResult {
  id: string;
  kind: RequirementKind;
  label: Localized;
  source: string;
  advisory: boolean;
  status: RequirementStatus;
  /** Null for a condition without a threshold (independent legal entity, no adverse records). */
  operator: RequirementOperator | null;
  /**
   * The measured value: a count, whole years, a percent (two decimals) or decimal yuan
   * ("65000000.00"); null when it cannot be computed or the requirement is a plain condition.
   */
  value: number | string | null;
  threshold: number | string | null;
  unit: RequirementUnit;
  /** Behind a ratio: e.g. R&D insured staff / insured staff. */
  parts?: { numerator: number; denominator: number };
  /** What was measured, in a sentence. */
  summary: Localized;
  /** Not met: what is short, e.g. "还差 1 个 1000 万 以上项目". Null otherwise. */
  gap: Localized | null;
  /** Unknown: which data is missing, e.g. "缺少 2024 年财务数据（系统集成收入）". Null otherwise. */
  missing: Localized | null;
  /** The evidence that counts on `at`. */
  evidence: EvidenceRef[];
  /**
   * The first day within the horizon on which the status differs from today's (for a met
   * requirement: the day it stops being met); null when unchanged through the horizon or when the
   * forecast was not asked for.
   */
  forecast: RequirementForecast | null;
}

export interface ReadinessResult {
  level: Level;
  /** The evaluation day. */
  at: string;
  requirementSetId: string;
  purpose: RequirementPurpose | null;
  /** The window used on `at` (inclusive). */
  window: { from: string; to: string; label: Localized };
  /** Last day the forecast looked at; null when no forecast was asked for. */
  horizon: string | null;
  /** `not-met` if any requirement is not met, else `unknown` if any is unknown, else `met`. */
  status: RequirementStatus;
  counts: { met: number; notMet: number; unknown: number };
  requirements: RequirementResult[];
  /** Requirements left out because they do not apply to `purpose`. */
  skipped: { id: string; label: Localized; appliesTo: readonly RequirementPurpose[] }[];
  /** The earliest day one of today's met requirements stops being met, and which; null if none within the horizon. */
  stopsBeingMet: { date: string; requirementIds: string[] } | null;
}
