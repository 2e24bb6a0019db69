import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import type { Actor } from '../../access/actor.js';
import { flagsOfEvidence, loadEvidence } from '../readiness/api.js';
import { requireOrgAccess } from '../../access/membership.js';

/** The organisation's authenticity flags as of today in China (viewers and above). */
export async function listFlags({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  await requireOrgAccess(tx, actor, orgId);
  return (await flagsOfEvidence(tx, orgId, await loadEvidence(tx, orgId), chinaToday())).map((f) => ({
    ...f,
    // Where the web app opens the record to fix.
    link: `/orgs/${orgId}/evidence/${f.recordType === 'project' ? 'projects' : 'staff'}?id=${f.recordId}`,
  }));
}
