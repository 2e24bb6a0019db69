// What other features and jobs may use of obligations: the one door into it (the boundary test
// holds them to this file).
export {
  alertsOfMany,
  currentState,
  engineEvent,
  evaluateStored,
  evaluateStoredMany,
  recomputeAll,
  recomputeCertificate,
  storedState,
  storedStateSql,
} from './recompute.js';
export { dueNow, refreshReminders, wantsReminders } from './reminder-state.js';
export { EngineAlertSchema, EngineMessageSchema, ObligationSchema } from './schemas.js';
export {
  addPersonObligation,
  dueAtKey,
  isOverdue,
  isPending,
  loadObligation,
  overdueSql,
  pendingSql,
  presentObligation,
  updateObligation,
} from './service.js';
export { addOwnedDuty } from './duties.js';
