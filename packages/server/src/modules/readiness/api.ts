// What other features may use of readiness: the one door into it (the boundary test holds every
// other feature to this file).
export { flagsOfEvidence, loadEvidence } from './evidence.js';
export { requirementSetFor } from './requirement-sets.js';
