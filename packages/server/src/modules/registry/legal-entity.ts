import { and, eq } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { legalEntities, users } from '../../db/schema.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { diffSummary, recordAudit } from '../../access/audit.js';
import { requireOrgAccess } from '../../access/membership.js';
import { loadAttachments, saveAttachments, type AttachmentView } from './repository.js';

interface LegalEntityInput {
  isIndependent: boolean;
  confirmedOn?: string;
  notes?: string | null;
  files?: { fileId: string; role: string }[];
}

type Row = typeof legalEntities.$inferSelect;

async function findRow(tx: Tx, orgId: string): Promise<Row | undefined> {
  const [row] = await tx.select().from(legalEntities).where(eq(legalEntities.orgId, orgId));
  return row;
}

async function present(tx: Tx, orgId: string, row: Row | undefined) {
  if (!row) {
    return {
      orgId,
      isIndependent: null,
      confirmedOn: null,
      confirmedByName: null,
      notes: null,
      files: [] as AttachmentView[],
      updatedAt: null,
    };
  }
  const attached = await loadAttachments(tx, orgId, 'legal-entity', [row.id]);
  // A person who has since left the workspace is no longer visible: the confirmation stays, unnamed.
  const [by] = row.confirmedBy
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, row.confirmedBy))
    : [];
  return {
    orgId,
    isIndependent: row.isIndependent,
    confirmedOn: row.confirmedOn,
    confirmedByName: by?.name ?? null,
    notes: row.notes,
    files: attached.get(row.id) ?? [],
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Whether the organisation is an independent legal entity, as confirmed (viewers and above);
 * `isIndependent` is null until someone confirms it.
 */
export async function getLegalEntity({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  await requireOrgAccess(tx, actor, orgId);
  return present(tx, orgId, await findRow(tx, orgId));
}

/**
 * Records who confirmed, on which day, whether the organisation is an independent legal entity,
 * with its business licence if attached (contributors and above). A later confirmation replaces
 * the earlier one; the audit log keeps both.
 */
export async function saveLegalEntity({
  tx,
  actor,
  meta,
  orgId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  input: LegalEntityInput;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'contributor');
  const before = await findRow(tx, orgId);
  const values = {
    isIndependent: input.isIndependent,
    confirmedOn: input.confirmedOn ?? chinaToday(),
    confirmedBy: actor.userId,
    notes: input.notes?.trim() || null,
  };
  let row: Row;
  if (before) {
    [row] = (await tx
      .update(legalEntities)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(legalEntities.id, before.id), eq(legalEntities.orgId, orgId)))
      .returning()) as [Row];
  } else {
    [row] = (await tx
      .insert(legalEntities)
      .values({ ...values, orgId })
      .returning()) as [Row];
  }
  if (input.files) await saveAttachments(tx, orgId, 'legal-entity', row.id, input.files);
  const auditable = (r: Row) => ({
    id: r.id,
    isIndependent: r.isIndependent,
    confirmedOn: r.confirmedOn,
    confirmedBy: r.confirmedBy,
    notes: r.notes,
  });
  await recordAudit(tx, {
    action: before ? 'evidence.updated' : 'evidence.created',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'legal-entity',
    targetId: row.id,
    summary: before
      ? { ...diffSummary(auditable(before), auditable(row)), files: input.files?.length }
      : { after: auditable(row), files: input.files?.length },
    ip: meta.ip,
  });
  return present(tx, orgId, row);
}
