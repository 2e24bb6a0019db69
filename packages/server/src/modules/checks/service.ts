import { and, eq } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { recordFiles } from '../../db/schema.js';
import type { Actor } from '../../access/actor.js';
import { loadEvidence } from '../readiness/api.js';
import { requireOrgAccess } from '../../access/membership.js';
import { findFlags } from './flags.js';

/** The organisation's authenticity flags as of today in China (viewers and above). */
export async function listFlags({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  await requireOrgAccess(tx, actor, orgId);
  const evidence = await loadEvidence(tx, orgId);
  const attachments = await tx
    .select({ projectId: recordFiles.recordId, role: recordFiles.role, amount: recordFiles.amount })
    .from(recordFiles)
    .where(and(eq(recordFiles.orgId, orgId), eq(recordFiles.recordType, 'project')));
  return findFlags(evidence, attachments, chinaToday()).map((f) => ({
    ...f,
    // Where the web app opens the record to fix.
    link: `/orgs/${orgId}/evidence/${f.recordType === 'project' ? 'projects' : 'staff'}?id=${f.recordId}`,
  }));
}
