// What other features may use of registry: the one door into it (the boundary test holds every
// other feature to this file). Imports and exports read and write the evidence tables here.
export {
  insertBatch,
  listFinancialYears,
  listIp,
  listManagementCertificates,
  listProjects,
  listQualifications,
  listStaff,
  loadProjectKeys,
  loadQualificationKeys,
  loadStaffKeys,
  updateBatch,
  WRITE_BATCH,
} from './repository.js';
