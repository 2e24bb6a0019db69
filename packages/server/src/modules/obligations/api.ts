// What other features may use of obligations: the one door into it (the boundary test holds every
// other feature to this file).
export {
  currentState,
  engineEvent,
  evaluateStored,
  recomputeAll,
  recomputeCertificate,
  storedState,
} from './recompute.js';
export { refreshReminders } from './reminder-state.js';
export { EngineAlertSchema, EngineMessageSchema, ObligationSchema } from './schemas.js';
export { isOverdue, isPending, loadObligation, pendingSql, presentObligation } from './service.js';
