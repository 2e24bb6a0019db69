export * from './evidence.js';
export {
  EvidenceAdverseRecordSchema,
  EvidenceFinancialYearSchema,
  EvidenceIpSchema,
  EvidenceLegalEntitySchema,
  EvidenceManagementCertificateSchema,
  EvidenceProjectSchema,
  EvidenceQualificationSchema,
  EvidenceSchema,
  EvidenceStaffSchema,
  EvidenceStandardSchema,
  InvalidEvidenceError,
  MoneySchema,
  evidenceProblems,
  parseEvidence,
} from './evidence-schema.js';
export {
  DEFAULT_FORECAST_MONTHS,
  InvalidReadinessInputError,
  evaluateReadiness,
  forecastReadiness,
  type EvaluateReadinessInput,
  type ForecastReadinessInput,
} from './evaluate.js';
export { formatYuan, formatYuanEn, formatYuanZh, parseYuan } from './money.js';
export { FLAG_CODES, findFlags, type Flag, type FlagCode, type ProjectAttachment } from './flags.js';
export {
  EVIDENCE_REF_TYPES,
  type EvidenceRef,
  type EvidenceRefType,
  type Localized,
  type ReadinessResult,
  type RequirementForecast,
  type RequirementResult,
  type RequirementStatus,
} from './types.js';
