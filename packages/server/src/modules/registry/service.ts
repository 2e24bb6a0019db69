import { maskIdNumber } from '@zizhi/core';
import type { Tx } from '../../db/client.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { diffSummary, recordAudit } from '../../access/audit.js';
import { requireOrgAccess } from '../../access/membership.js';
import {
  deleteRow,
  findRow,
  insertRow,
  KINDS,
  listRows,
  loadAttachments,
  normalise,
  qualificationsOf,
  saveAttachments,
  saveQualifications,
  staffNames,
  updateRow,
  type RecordInput,
  type RegistryKind,
  type Row,
} from './repository.js';

export {
  kindLabel,
  REGISTRY_KINDS,
  type AttachmentView,
  type RecordInput,
  type RecordType,
  type RegistryKind,
} from './repository.js';

/** The API form of rows of one kind, with attachments and the kind's extras. */
async function present(tx: Tx, kind: RegistryKind, orgId: string, rows: Row[], { full }: { full: boolean }) {
  const def = KINDS[kind];
  const ids = rows.map((r) => r.id);
  const attached = await loadAttachments(tx, orgId, def.recordType, ids);
  const extras = new Map<string, Record<string, unknown>>();
  if (kind === 'projects') {
    const managerIds = [...new Set(rows.flatMap((r) => (r.managerId ? [r.managerId as string] : [])))];
    const managers = await staffNames(tx, orgId, managerIds);
    for (const r of rows) {
      extras.set(r.id, { managerName: managers.find((m) => m.id === r.managerId)?.name ?? null });
    }
  }
  if (kind === 'staff') {
    const held = await qualificationsOf(tx, orgId, ids);
    for (const r of rows) {
      const idNumber = r.idNumber as string | null;
      extras.set(r.id, {
        idNumber: idNumber && !full ? maskIdNumber(idNumber) : idNumber,
        qualifications: held
          .filter((q) => q.staffId === r.id)
          .map((q) => ({
            id: q.id,
            staffId: q.staffId,
            kind: q.kind,
            name: q.name,
            number: q.number,
            issuedOn: q.issuedOn,
            expiresOn: q.expiresOn,
          })),
      });
    }
  }
  return rows.map((r) => ({
    ...r,
    ...extras.get(r.id),
    files: attached.get(r.id) ?? [],
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

/** An organisation's records of one kind (viewers and above); ID numbers masked. */
export async function listRecords({
  tx,
  actor,
  orgId,
  kind,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  kind: RegistryKind;
}) {
  await requireOrgAccess(tx, actor, orgId);
  return present(tx, kind, orgId, await listRows(tx, kind, orgId), { full: false });
}

/** One record (viewers and above), ID numbers masked; another organisation's is 404. */
export async function getRecord({
  tx,
  actor,
  orgId,
  kind,
  id,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  kind: RegistryKind;
  id: string;
}) {
  await requireOrgAccess(tx, actor, orgId);
  const row = await findRow(tx, kind, orgId, id);
  const [item] = await present(tx, kind, orgId, [row], { full: false });
  return item!;
}

/**
 * A staff member's full ID number, for managers and above; each reveal is written to the audit
 * log (who saw whose, when), since the number is personal data under PIPL.
 */
export async function revealIdNumber({
  tx,
  actor,
  meta,
  orgId,
  id,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  id: string;
}): Promise<{ idNumber: string | null }> {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const row = await findRow(tx, 'staff', orgId, id);
  const idNumber = (row.idNumber as string | null) ?? null;
  await recordAudit(tx, {
    action: 'staff.id-number-revealed',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'staff',
    targetId: id,
    summary: { name: row.name as string, idNumber: idNumber ? maskIdNumber(idNumber) : null },
    ip: meta.ip,
  });
  return { idNumber };
}

const auditable = (row: Row) => {
  const { createdAt: _c, updatedAt: _u, orgId: _o, ...rest } = row;
  // The audit log never holds a full ID number.
  if (typeof rest.idNumber === 'string') rest.idNumber = maskIdNumber(rest.idNumber);
  return rest;
};

/** Records one item (contributors and above), with its attachments and qualifications. */
export async function createRecord({
  tx,
  actor,
  meta,
  orgId,
  kind,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  kind: RegistryKind;
  input: RecordInput;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'contributor');
  const def = KINDS[kind];
  const { files: attachments, qualifications: held, ...fields } = input;
  const row = await insertRow(tx, kind, orgId, normalise(fields));
  if (attachments) await saveAttachments(tx, orgId, def.recordType, row.id, attachments);
  if (held && kind === 'staff') await saveQualifications(tx, orgId, row.id, held);
  await recordAudit(tx, {
    action: 'evidence.created',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: def.recordType,
    targetId: row.id,
    summary: { after: auditable(row), files: attachments?.length, qualifications: held?.length },
    ip: meta.ip,
  });
  return getRecord({ tx, actor, orgId, kind, id: row.id });
}

/** Changes the fields sent (contributors and above); attachments or qualifications sent replace the old list. */
export async function updateRecord({
  tx,
  actor,
  meta,
  orgId,
  kind,
  id,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  kind: RegistryKind;
  id: string;
  input: RecordInput;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'contributor');
  const def = KINDS[kind];
  const before = await findRow(tx, kind, orgId, id);
  const { files: attachments, qualifications: held, ...fields } = input;
  const after = await updateRow(tx, kind, orgId, before, normalise(fields));
  if (attachments) await saveAttachments(tx, orgId, def.recordType, id, attachments);
  if (held && kind === 'staff') await saveQualifications(tx, orgId, id, held);
  await recordAudit(tx, {
    action: 'evidence.updated',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: def.recordType,
    targetId: id,
    summary: {
      ...diffSummary(auditable(before), auditable(after)),
      files: attachments?.length,
      qualifications: held?.length,
    },
    ip: meta.ip,
  });
  return getRecord({ tx, actor, orgId, kind, id });
}

/**
 * Deletes a record (managers and above: evidence is what the assessor judges, so removing it is
 * not a contributor's call). Its files stay stored and listed; only the links go.
 */
export async function deleteRecord({
  tx,
  actor,
  meta,
  orgId,
  kind,
  id,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  kind: RegistryKind;
  id: string;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const def = KINDS[kind];
  const before = await findRow(tx, kind, orgId, id);
  await deleteRow(tx, kind, orgId, id);
  await recordAudit(tx, {
    action: 'evidence.deleted',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: def.recordType,
    targetId: id,
    summary: { before: auditable(before) },
    ip: meta.ip,
  });
}
