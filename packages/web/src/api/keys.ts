/** Query keys in one place, so mutations invalidate exactly what they change. */
export const queryKeys = {
  setup: ['setup'] as const,
  me: ['me'] as const,
  workspaces: ['workspaces'] as const,
  orgs: (workspaceId: string) => ['orgs', workspaceId] as const,
  org: (orgId: string) => ['org', orgId] as const,
  members: (workspaceId: string) => ['members', workspaceId] as const,
  audit: (query: object) => ['audit', query] as const,
  tokens: ['tokens'] as const,
};
