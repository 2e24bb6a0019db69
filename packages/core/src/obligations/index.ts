export {
  computeObligations,
  defaultExpiry,
  type CertificateInput,
  type ComputeObligationsInput,
  type EngineAlert,
  type EngineMessage,
  type RecordedTransition,
  type Obligation,
  type ObligationTrigger,
  type ObligationsResult,
  type StateSegment,
} from './engine.js';
export { CertificateEventSchema, EVENT_TYPE_LABELS, parseEvents, type CertificateEvent } from './events.js';
