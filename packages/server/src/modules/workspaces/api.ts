// What other features may use of workspaces: the one door into it (the boundary test holds every
// other feature to this file).
export { checkGrant, checkOrgIds, listWorkspaces } from './service.js';
