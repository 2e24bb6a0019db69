import { maskIdNumber } from '@zizhi/core';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/client.js';
import {
  adverseRecords,
  files,
  financialYears,
  ipAssets,
  managementCertificates,
  projects,
  qualifications,
  recordFiles,
  staff,
  standards,
} from '../../db/schema.js';
import { conflict, invalid, notFound } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { diffSummary, recordAudit } from '../../access/audit.js';
import { requireOrgAccess } from '../../access/membership.js';

/** The registry's record kinds, by their path segment in the API. */
export const REGISTRY_KINDS = [
  'projects',
  'staff',
  'financial-years',
  'ip',
  'management-certificates',
  'standards',
  'adverse-records',
] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];
export type RecordType = (typeof recordFiles.$inferSelect)['recordType'];

interface Attachment {
  fileId: string;
  role: string;
  amount?: string | null;
}
interface QualificationInput {
  id?: string;
  kind: (typeof qualifications.$inferSelect)['kind'];
  name?: string | null;
  number?: string | null;
  issuedOn?: string | null;
  expiresOn?: string | null;
}
/** Any kind's input: its own columns plus the attachments (and a staff member's qualifications). */
export type RecordInput = Record<string, unknown> & { files?: Attachment[]; qualifications?: QualificationInput[] };

type Row = Record<string, unknown> & { id: string; orgId: string; createdAt: Date; updatedAt: Date };

interface KindDef {
  recordType: RecordType;
  /** What the record is called in messages (项目, 人员 …). */
  label: string;
  table: PgTable & { id: PgColumn; orgId: PgColumn; updatedAt: PgColumn };
  order: SQL[];
  /** Checks that need the database (references inside the organisation, unique years). */
  check?: (tx: Tx, orgId: string, values: Record<string, unknown>, id?: string) => Promise<void>;
}

const KINDS: Record<RegistryKind, KindDef> = {
  projects: {
    recordType: 'project',
    label: '项目',
    table: projects,
    order: [sql`${projects.signedOn} desc nulls last`, asc(projects.name), asc(projects.id)],
    check: async (tx, orgId, values) => {
      const managerId = values.managerId as string | null | undefined;
      if (!managerId) return;
      const [found] = await tx
        .select({ id: staff.id })
        .from(staff)
        .where(and(eq(staff.id, managerId), eq(staff.orgId, orgId)));
      if (!found) throw invalid('managerId', '项目经理不是该企业的人员，请先在“人员”中登记');
    },
  },
  staff: {
    recordType: 'staff',
    label: '人员',
    table: staff,
    order: [asc(staff.name), asc(staff.id)],
    check: async (tx, orgId, values, id) => {
      const idNumber = values.idNumber as string | null | undefined;
      if (!idNumber) return;
      const [twin] = await tx
        .select({ id: staff.id, name: staff.name })
        .from(staff)
        .where(and(eq(staff.orgId, orgId), eq(staff.idNumber, idNumber)));
      if (twin && twin.id !== id) {
        throw conflict(`身份证号已登记给人员“${twin.name}”，同一人请修改原记录`, 'idNumber');
      }
    },
  },
  'financial-years': {
    recordType: 'financial-year',
    label: '财务年度',
    table: financialYears,
    order: [desc(financialYears.year)],
    check: async (tx, orgId, values, id) => {
      const year = values.year as number | undefined;
      if (year === undefined) return;
      const [twin] = await tx
        .select({ id: financialYears.id })
        .from(financialYears)
        .where(and(eq(financialYears.orgId, orgId), eq(financialYears.year, year)));
      if (twin && twin.id !== id) throw conflict(`${year} 年度的财务数据已存在，请修改原记录`, 'year');
    },
  },
  ip: {
    recordType: 'ip',
    label: '知识产权',
    table: ipAssets,
    order: [sql`${ipAssets.grantedOn} desc nulls last`, asc(ipAssets.name), asc(ipAssets.id)],
  },
  'management-certificates': {
    recordType: 'management-certificate',
    label: '管理体系证书',
    table: managementCertificates,
    order: [asc(managementCertificates.kind), asc(managementCertificates.id)],
  },
  standards: {
    recordType: 'standard',
    label: '标准制定',
    table: standards,
    order: [desc(standards.publishedOn), asc(standards.name), asc(standards.id)],
  },
  'adverse-records': {
    recordType: 'adverse-record',
    label: '不良记录',
    table: adverseRecords,
    order: [desc(adverseRecords.listedOn), asc(adverseRecords.id)],
    check: async (tx, orgId, values, id) => {
      // A change of one date is checked against the other as stored.
      if (!id || (values.listedOn === undefined && values.clearedOn === undefined)) return;
      const [stored] = await tx
        .select({ listedOn: adverseRecords.listedOn, clearedOn: adverseRecords.clearedOn })
        .from(adverseRecords)
        .where(and(eq(adverseRecords.id, id), eq(adverseRecords.orgId, orgId)));
      if (!stored) return;
      const listedOn = (values.listedOn as string | undefined) ?? stored.listedOn;
      const clearedOn = values.clearedOn === undefined ? stored.clearedOn : (values.clearedOn as string | null);
      if (clearedOn !== null && clearedOn < listedOn) {
        throw invalid('clearedOn', {
          zh: `移出日期 ${clearedOn} 早于列入日期 ${listedOn}，请检查两个日期`,
          en: `The date cleared (${clearedOn}) is before the date listed (${listedOn}): check both dates`,
        });
      }
    },
  },
};

export const kindLabel = (kind: RegistryKind) => KINDS[kind].label;

/** Empty text means "no value": stored as null so checks and exports see one form. */
function normalise(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' && v.trim() === '' ? null : v;
  }
  return out;
}

/** An attachment as the API shows it: the link and what is known of its file. */
export interface AttachmentView {
  fileId: string;
  role: string;
  amount: string | null;
  name: string;
  size: number;
  contentType: string;
  effectiveOn: string | null;
  validUntil: string | null;
}

/** The attachments of records of one type, by record id, with each file's name and size. */
export async function loadAttachments(tx: Tx, orgId: string, recordType: RecordType, ids: string[]) {
  const byRecord = new Map<string, AttachmentView[]>();
  if (ids.length === 0) return byRecord;
  const rows = await tx
    .select({ link: recordFiles, file: files })
    .from(recordFiles)
    .innerJoin(files, eq(files.id, recordFiles.fileId))
    .where(
      and(eq(recordFiles.orgId, orgId), eq(recordFiles.recordType, recordType), inArray(recordFiles.recordId, ids)),
    )
    .orderBy(asc(recordFiles.createdAt), asc(recordFiles.id));
  for (const { link, file } of rows) {
    const list = byRecord.get(link.recordId) ?? [];
    list.push({
      fileId: file.id,
      role: link.role,
      amount: link.amount,
      name: file.name,
      size: file.size,
      contentType: file.contentType,
      effectiveOn: file.effectiveOn,
      validUntil: file.validUntil,
    });
    byRecord.set(link.recordId, list);
  }
  return byRecord;
}

/** Replaces a record's attachments; every file must be one of the organisation's uploads. */
export async function saveAttachments(
  tx: Tx,
  orgId: string,
  recordType: RecordType,
  recordId: string,
  list: Attachment[],
) {
  const fileIds = [...new Set(list.map((a) => a.fileId))];
  if (fileIds.length > 0) {
    const known = await tx
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.orgId, orgId), inArray(files.id, fileIds)));
    const missing = fileIds.filter((id) => !known.some((k) => k.id === id));
    if (missing.length > 0) throw invalid('files', `附件 ${missing[0]} 不存在或不属于该企业，请先上传文件`);
  }
  await tx
    .delete(recordFiles)
    .where(
      and(eq(recordFiles.orgId, orgId), eq(recordFiles.recordType, recordType), eq(recordFiles.recordId, recordId)),
    );
  if (list.length > 0) {
    await tx.insert(recordFiles).values(
      list.map((a) => ({
        orgId,
        recordType,
        recordId,
        fileId: a.fileId,
        role: a.role,
        amount: a.amount ?? null,
      })),
    );
  }
}

/** Replaces a staff member's qualifications, keeping the ids of those sent back with their id. */
async function saveQualifications(tx: Tx, orgId: string, staffId: string, list: QualificationInput[]) {
  const keep = list.flatMap((q) => (q.id ? [q.id] : []));
  const existing = await tx
    .select({ id: qualifications.id })
    .from(qualifications)
    .where(and(eq(qualifications.orgId, orgId), eq(qualifications.staffId, staffId)));
  const unknown = keep.find((id) => !existing.some((e) => e.id === id));
  if (unknown) throw invalid('qualifications', `资质 ${unknown} 不属于该人员`);
  await tx.delete(qualifications).where(and(eq(qualifications.orgId, orgId), eq(qualifications.staffId, staffId)));
  if (list.length > 0) {
    await tx.insert(qualifications).values(
      list.map((q) => ({
        ...(q.id ? { id: q.id } : {}),
        orgId,
        staffId,
        kind: q.kind,
        name: q.name?.trim() || null,
        number: q.number?.trim() || null,
        issuedOn: q.issuedOn ?? null,
        expiresOn: q.expiresOn ?? null,
      })),
    );
  }
}

/** The API form of rows of one kind, with attachments and the kind's extras. */
async function present(tx: Tx, kind: RegistryKind, orgId: string, rows: Row[], { full }: { full: boolean }) {
  const def = KINDS[kind];
  const ids = rows.map((r) => r.id);
  const attached = await loadAttachments(tx, orgId, def.recordType, ids);
  const extras = new Map<string, Record<string, unknown>>();
  if (kind === 'projects') {
    const managerIds = [...new Set(rows.flatMap((r) => (r.managerId ? [r.managerId as string] : [])))];
    const managers =
      managerIds.length === 0
        ? []
        : await tx
            .select({ id: staff.id, name: staff.name })
            .from(staff)
            .where(and(eq(staff.orgId, orgId), inArray(staff.id, managerIds)));
    for (const r of rows) {
      extras.set(r.id, { managerName: managers.find((m) => m.id === r.managerId)?.name ?? null });
    }
  }
  if (kind === 'staff') {
    const held =
      ids.length === 0
        ? []
        : await tx
            .select()
            .from(qualifications)
            .where(and(eq(qualifications.orgId, orgId), inArray(qualifications.staffId, ids)))
            .orderBy(asc(qualifications.kind), asc(qualifications.id));
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

async function findRow(tx: Tx, kind: RegistryKind, orgId: string, id: string): Promise<Row> {
  const { table, label } = KINDS[kind];
  const [row] = (await tx
    .select()
    .from(table)
    .where(and(eq(table.id, id), eq(table.orgId, orgId)))) as Row[];
  if (!row) throw notFound(label);
  return row;
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
  const { table, order } = KINDS[kind];
  const rows = (await tx
    .select()
    .from(table)
    .where(eq(table.orgId, orgId))
    .orderBy(...order)) as Row[];
  return present(tx, kind, orgId, rows, { full: false });
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
  const values = normalise(fields);
  await def.check?.(tx, orgId, values);
  const [row] = (await tx
    .insert(def.table)
    .values({ ...values, orgId })
    .returning()) as Row[];
  if (attachments) await saveAttachments(tx, orgId, def.recordType, row!.id, attachments);
  if (held && kind === 'staff') await saveQualifications(tx, orgId, row!.id, held);
  await recordAudit(tx, {
    action: 'evidence.created',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: def.recordType,
    targetId: row!.id,
    summary: { after: auditable(row!), files: attachments?.length, qualifications: held?.length },
    ip: meta.ip,
  });
  return getRecord({ tx, actor, orgId, kind, id: row!.id });
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
  const values = normalise(fields);
  await def.check?.(tx, orgId, values, id);
  let after = before;
  if (Object.keys(values).length > 0) {
    [after] = (await tx
      .update(def.table)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(def.table.id, id), eq(def.table.orgId, orgId)))
      .returning()) as [Row];
  }
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
  await tx
    .delete(recordFiles)
    .where(and(eq(recordFiles.orgId, orgId), eq(recordFiles.recordType, def.recordType), eq(recordFiles.recordId, id)));
  await tx.delete(def.table).where(and(eq(def.table.id, id), eq(def.table.orgId, orgId)));
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
