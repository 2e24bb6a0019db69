// What other features and jobs may use of organisations: the one door into it (the boundary
// test holds them to this file).
export { purgeExpiredOrgs, RECYCLE_DAYS } from './recycle-bin.js';
