/** Workspace roles, highest first: owner > admin > manager > contributor > viewer. */
export const ROLES = ['owner', 'admin', 'manager', 'contributor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
