import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { files } from '../../db/schema.js';
import { invalid, notFound } from '../../errors.js';
import { chinaToday } from '../../clock.js';
import type { StoredBlob } from '../../storage/index.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { requireOrgAccess } from '../../access/membership.js';
import type { UploadFields } from './schemas.js';

type FileRow = typeof files.$inferSelect;

export const presentFile = (f: FileRow) => ({
  id: f.id,
  sha256: f.sha256,
  size: f.size,
  name: f.name,
  contentType: f.contentType,
  effectiveOn: f.effectiveOn,
  validUntil: f.validUntil,
  replacesId: f.replacesId,
  createdAt: f.createdAt.toISOString(),
});
export type FileInfo = ReturnType<typeof presentFile>;

/** Checked before any byte of an upload is read, so refused callers store nothing. */
export async function requireUploadAccess({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  await requireOrgAccess(tx, actor, orgId, 'contributor');
}

/**
 * Records a stored blob as a file of the organisation (contributors and above). A file is
 * never changed: a new version is a new upload that names the one it replaces. The effective
 * date defaults to the day of upload (China time).
 */
export async function recordFile({
  tx,
  actor,
  meta,
  orgId,
  blob,
  name,
  contentType,
  fields,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  blob: StoredBlob;
  name: string;
  contentType: string;
  fields: UploadFields;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'contributor');
  if (fields.replacesId) {
    const [previous] = await tx
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.id, fields.replacesId), eq(files.orgId, orgId)));
    if (!previous) {
      throw invalid('replacesId', {
        zh: '要替换的文件不存在或不属于该企业',
        en: 'The file to replace does not exist or belongs to another organisation',
      });
    }
  }
  const [row] = await tx
    .insert(files)
    .values({
      orgId,
      sha256: blob.sha256,
      size: blob.size,
      name,
      contentType,
      effectiveOn: fields.effectiveOn ?? chinaToday(),
      validUntil: fields.validUntil ?? null,
      replacesId: fields.replacesId ?? null,
      createdBy: actor.userId,
    })
    .returning();
  await recordAudit(tx, {
    action: 'file.uploaded',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'file',
    targetId: row!.id,
    summary: {
      after: { name, sha256: blob.sha256, size: blob.size, contentType, replacesId: row!.replacesId },
    },
    ip: meta.ip,
  });
  return presentFile(row!);
}

/** An organisation's files, newest first (viewers and above). */
export async function listFiles({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  await requireOrgAccess(tx, actor, orgId);
  const rows = await tx
    .select()
    .from(files)
    .where(eq(files.orgId, orgId))
    .orderBy(desc(files.createdAt), desc(files.id));
  return rows.map(presentFile);
}

/** One file's record, for its download (viewers and above); another organisation's is 404. */
export async function getFile({ tx, actor, orgId, fileId }: { tx: Tx; actor: Actor; orgId: string; fileId: string }) {
  await requireOrgAccess(tx, actor, orgId);
  const [row] = await tx
    .select()
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.orgId, orgId)));
  if (!row) throw notFound('文件');
  return presentFile(row);
}
