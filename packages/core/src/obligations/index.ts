export {
  computeObligations,
  defaultExpiry,
  type CertificateInput,
  type ComputeObligationsInput,
  type Obligation,
  type ObligationTrigger,
  type ObligationsResult,
  type StateSegment,
} from './engine.js';
export { CertificateEventSchema, parseEvents, type CertificateEvent } from './events.js';
