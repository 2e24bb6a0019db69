// What other features may use of registry: the one door into it (the boundary test holds every
// other feature to this file). Imports and exports read and write the evidence tables here.
export {
  countKeys,
  insertBatch,
  listFinancialYears,
  listIp,
  listManagementCertificates,
  listProjects,
  listQualifications,
  listStaff,
  loadKeys,
  readKeyDigests,
  sumDigests,
  takeUndoPart,
  updateBatch,
  WRITE_BATCH,
} from './repository.js';
export type { KeyRows } from './repository.js';
