// The evidence tables (projects, staff and their qualifications, financial years, IP, management
// certificates, standards, adverse records, and the files linked to them): every read and write
// of them goes through here, whether one record at a time from the registry's forms or thousands
// in one statement from an import, so the order, the checks and the columns are written once.
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

export interface Attachment {
  fileId: string;
  role: string;
  amount?: string | null;
}
export interface QualificationInput {
  id?: string;
  kind: (typeof qualifications.$inferSelect)['kind'];
  name?: string | null;
  number?: string | null;
  issuedOn?: string | null;
  expiresOn?: string | null;
}
/** Any kind's input: its own columns plus the attachments (and a staff member's qualifications). */
export type RecordInput = Record<string, unknown> & { files?: Attachment[]; qualifications?: QualificationInput[] };

export type Row = Record<string, unknown> & { id: string; orgId: string; createdAt: Date; updatedAt: Date };

interface KindDef {
  recordType: RecordType;
  /** What the record is called in messages (项目, 人员 …). */
  label: string;
  table: PgTable & { id: PgColumn; orgId: PgColumn; updatedAt: PgColumn };
  order: SQL[];
  /** Checks that need the database (references inside the organisation, unique years). */
  check?: (tx: Tx, orgId: string, values: Record<string, unknown>, id?: string) => Promise<void>;
}

export const KINDS: Record<RegistryKind, KindDef> = {
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
export function normalise(values: Record<string, unknown>): Record<string, unknown> {
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
export async function saveQualifications(tx: Tx, orgId: string, staffId: string, list: QualificationInput[]) {
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

export async function findRow(tx: Tx, kind: RegistryKind, orgId: string, id: string): Promise<Row> {
  const { table, label } = KINDS[kind];
  const [row] = (await tx
    .select()
    .from(table)
    .where(and(eq(table.id, id), eq(table.orgId, orgId)))) as Row[];
  if (!row) throw notFound(label);
  return row;
}

/** An organisation's records of one kind, in the kind's order (the registry's lists and exports). */
export async function listRows(tx: Tx, kind: RegistryKind, orgId: string): Promise<Row[]> {
  const { table, order } = KINDS[kind];
  return (await tx
    .select()
    .from(table)
    .where(eq(table.orgId, orgId))
    .orderBy(...order)) as Row[];
}

/** Inserts one record after the kind's checks; `values` are already normalised. */
export async function insertRow(tx: Tx, kind: RegistryKind, orgId: string, values: Record<string, unknown>) {
  const def = KINDS[kind];
  await def.check?.(tx, orgId, values);
  const [row] = (await tx
    .insert(def.table)
    .values({ ...values, orgId })
    .returning()) as Row[];
  return row!;
}

/** Changes the given fields of one record after the kind's checks; no fields: the row as it is. */
export async function updateRow(
  tx: Tx,
  kind: RegistryKind,
  orgId: string,
  before: Row,
  values: Record<string, unknown>,
) {
  const def = KINDS[kind];
  await def.check?.(tx, orgId, values, before.id);
  if (Object.keys(values).length === 0) return before;
  const [after] = (await tx
    .update(def.table)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(def.table.id, before.id), eq(def.table.orgId, orgId)))
    .returning()) as [Row];
  return after;
}

/** Deletes one record and its file links (the files stay stored and listed). */
export async function deleteRow(tx: Tx, kind: RegistryKind, orgId: string, id: string) {
  const def = KINDS[kind];
  await tx
    .delete(recordFiles)
    .where(and(eq(recordFiles.orgId, orgId), eq(recordFiles.recordType, def.recordType), eq(recordFiles.recordId, id)));
  await tx.delete(def.table).where(and(eq(def.table.id, id), eq(def.table.orgId, orgId)));
}

/** Staff names by id within the organisation (project managers). */
export function staffNames(tx: Tx, orgId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .select({ id: staff.id, name: staff.name })
    .from(staff)
    .where(and(eq(staff.orgId, orgId), inArray(staff.id, ids)));
}

/** The qualifications of some staff members, in the registry's order. */
export function qualificationsOf(tx: Tx, orgId: string, staffIds: string[]) {
  if (staffIds.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(qualifications)
    .where(and(eq(qualifications.orgId, orgId), inArray(qualifications.staffId, staffIds)))
    .orderBy(asc(qualifications.kind), asc(qualifications.id));
}

// ── Imports: many rows of one table in one statement.

/** The tables an import writes. */
export type BatchTable = 'projects' | 'staff' | 'qualifications';

export interface StaffKey {
  id: string;
  name: string;
  idNumber: string | null;
}
export interface ProjectKey {
  id: string;
  contractNumber: string | null;
}
export interface QualificationKey {
  id: string;
  staffId: string;
  kind: string;
  number: string | null;
}
/** What an import matches rows on, by table: managers and holders are resolved against staff. */
export interface KeyRows {
  staff: StaffKey;
  projects: ProjectKey;
  qualifications: QualificationKey;
}

const KEY_TABLES = { staff, projects, qualifications };

const KEY_COLUMNS: Record<BatchTable, SQL> = {
  staff: sql`json_build_object('id', ${staff.id}, 'name', ${staff.name}, 'idNumber', ${staff.idNumber})`,
  projects: sql`json_build_object('id', ${projects.id}, 'contractNumber', ${projects.contractNumber})`,
  qualifications: sql`json_build_object('id', ${qualifications.id}, 'staffId', ${qualifications.staffId}, 'kind', ${qualifications.kind}, 'number', ${qualifications.number})`,
};

/** What each key row is matched on, as text: a change to it changes the table's digest. */
const KEY_TEXT: Record<BatchTable, SQL> = {
  staff: sql`${staff.name} || ' ' || coalesce(${staff.idNumber}, '')`,
  projects: sql`coalesce(${projects.contractNumber}, '')`,
  qualifications: sql`${qualifications.staffId}::text || ' ' || ${qualifications.kind}::text || ' ' || coalesce(${qualifications.number}, '')`,
};

/**
 * The digest of an organisation's key rows of one table: their count and the sum of 60 bits of
 * each one's MD5 (of its id and key). Equal digests: the same rows with the same keys, so a plan
 * made from keys read in one transaction still holds in another.
 */
const keyDigest = (table: BatchTable) => {
  const t = KEY_TABLES[table];
  const hash = sql`('x' || substr(md5(${t.id}::text || ' ' || ${KEY_TEXT[table]}), 1, 15))::bit(60)::bigint`;
  return sql`count(*)::text || ':' || coalesce(sum(${hash}), 0)::text`;
};

/** How many key rows of one table the organisation has. */
export async function countKeys(tx: Tx, table: BatchTable, orgId: string): Promise<number> {
  const t = KEY_TABLES[table];
  const result: unknown = await tx.execute(sql`select count(*)::int as n from ${t} where ${t.orgId} = ${orgId}`);
  return (result as { rows: Array<{ n: number }> }).rows[0]!.n;
}

/**
 * An organisation's key rows of one table with their digest, in one statement (one snapshot):
 * all of them, or the `part.index`-th of `part.of` parts by a hash of the id, so that reading
 * many is several short statements (each a stall of the embedded database) rather than one
 * long one. The rows travel as one JSON value: building 50,000 driver rows costs more than
 * reading them.
 */
export async function loadKeys<T extends BatchTable>(
  tx: Tx,
  table: T,
  orgId: string,
  part: { index: number; of: number } = { index: 0, of: 1 },
): Promise<{ rows: Array<KeyRows[T]>; digest: string }> {
  const t = KEY_TABLES[table];
  const inPart =
    part.of > 1 ? sql` and mod(hashtext(${t.id}::text)::bigint + 2147483648, ${part.of}) = ${part.index}` : sql``;
  const result: unknown = await tx.execute(
    sql`select coalesce(json_agg(${KEY_COLUMNS[table]}), '[]'::json) as rows, ${keyDigest(table)} as digest from ${t} where ${t.orgId} = ${orgId}${inPart}`,
  );
  const [row] = (result as { rows: Array<{ rows: Array<KeyRows[T]>; digest: string }> }).rows;
  return row!;
}

/** The digest of the union of parts: counts and sums add up. */
export function sumDigests(digests: readonly string[]): string {
  let rows = 0n;
  let sum = 0n;
  for (const digest of digests) {
    const [r, s] = digest.split(':');
    rows += BigInt(r!);
    sum += BigInt(s!);
  }
  return `${rows}:${sum}`;
}

/** The digests of the organisation's key rows of each table as they are now, in one statement. */
export async function readKeyDigests(tx: Tx, orgId: string, tables: readonly BatchTable[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const columns = tables.map((table, i) => {
    const t = KEY_TABLES[table];
    return sql`(select ${keyDigest(table)} from ${t} where ${t.orgId} = ${orgId}) as ${sql.raw(`d${i}`)}`;
  });
  const result: unknown = await tx.execute(sql`select ${sql.join(columns, sql`, `)}`);
  const [row] = (result as { rows: Array<Record<string, string>> }).rows;
  return tables.map((_, i) => row![`d${i}`]!);
}

/** A column written by an import: its SQL name and type, and what an empty value becomes. */
interface WriteColumn {
  name: string;
  type: string;
  /** SQL used on insert when the value is null (the column is NOT NULL with a default). */
  insertDefault?: string;
  /** On update, a null keeps the stored value instead of clearing it. */
  keepOnNull?: boolean;
}

interface WriteTable {
  name: string;
  hasUpdatedAt: boolean;
  /** The natural key, matched without case: an update keeps the stored spelling. */
  keyFields: string[];
  columns: Record<string, WriteColumn>;
}

/** Import fields → columns; only the fields a file has are written on update. */
export const WRITE_TABLES: Record<BatchTable, WriteTable> = {
  projects: {
    name: 'projects',
    hasUpdatedAt: true,
    keyFields: ['contractNumber'],
    columns: {
      name: { name: 'name', type: 'text' },
      client: { name: 'client', type: 'text' },
      contractNumber: { name: 'contract_number', type: 'text' },
      amount: { name: 'amount', type: 'numeric' },
      signedOn: { name: 'signed_on', type: 'date' },
      acceptedOn: { name: 'accepted_on', type: 'date' },
      status: { name: 'status', type: 'text', insertDefault: `'signed'`, keepOnNull: true },
      managerId: { name: 'manager_id', type: 'uuid' },
      technologies: { name: 'technologies', type: 'text[]', insertDefault: `'{}'::text[]` },
    },
  },
  staff: {
    name: 'staff',
    hasUpdatedAt: true,
    keyFields: ['idNumber'],
    columns: {
      name: { name: 'name', type: 'text' },
      idNumber: { name: 'id_number', type: 'text' },
      role: { name: 'role', type: 'text' },
      isRnd: { name: 'is_rnd', type: 'boolean', insertDefault: 'false' },
      isTechnical: { name: 'is_technical', type: 'boolean', insertDefault: 'false' },
      employedFrom: { name: 'employed_from', type: 'date' },
      employedUntil: { name: 'employed_until', type: 'date' },
      socialInsuranceFrom: { name: 'social_insurance_from', type: 'text' },
      socialInsuranceUntil: { name: 'social_insurance_until', type: 'text' },
    },
  },
  qualifications: {
    name: 'qualifications',
    hasUpdatedAt: false,
    keyFields: ['staffId', 'kind', 'number'],
    columns: {
      staffId: { name: 'staff_id', type: 'uuid' },
      kind: { name: 'kind', type: 'text' },
      name: { name: 'name', type: 'text' },
      number: { name: 'number', type: 'text' },
      issuedOn: { name: 'issued_on', type: 'date' },
      expiresOn: { name: 'expires_on', type: 'date' },
    },
  },
};

/**
 * Rows per statement. The embedded database runs a statement on the event loop from start to end,
 * so a batch is a stall of the whole server: 1,000 rows are tens of milliseconds, 5,000 were half
 * a second. The JSON parameter (about 200 KB) stays far inside any message limit.
 */
export const WRITE_BATCH = 1000;

/**
 * The rows as one JSON array of objects with short keys (c0, c1 …: the keys are most of the
 * bytes otherwise), and the recordset that reads them back typed.
 */
function recordset(rows: Array<Record<string, unknown>>, columns: Array<[string, WriteColumn]>, withId: boolean) {
  const json = JSON.stringify(
    rows.map((row) => {
      const out: Record<string, unknown> = withId ? { id: row.id } : {};
      columns.forEach(([field], i) => (out[`c${i}`] = row[field] ?? null));
      return out;
    }),
  );
  const types = [...(withId ? ['id uuid'] : []), ...columns.map(([, c], i) => `c${i} ${c.type}`)].join(', ');
  return sql`jsonb_to_recordset(${json}::jsonb) as r(${sql.raw(types)})`;
}

/**
 * Inserts rows of `fields` in one statement: the rows travel as one JSON parameter expanded by
 * jsonb_to_recordset, far faster than thousands of bound parameters on both drivers.
 */
export async function insertBatch(
  tx: Tx,
  kind: BatchTable,
  orgId: string,
  fields: string[],
  rows: Array<Record<string, unknown>>,
  /** The import run whose undo journal records the new rows' ids (a save in several transactions). */
  runId?: string,
): Promise<void> {
  if (rows.length === 0) return;
  const table = WRITE_TABLES[kind];
  const columns = fields.map((f) => [f, table.columns[f]!] as [string, WriteColumn]);
  const names = columns.map(([, c]) => c.name).join(', ');
  const values = columns
    .map(([, c], i) => (c.insertDefault ? `coalesce(r.c${i}, ${c.insertDefault})` : `r.c${i}`))
    .join(', ');
  const insert = sql`insert into ${sql.raw(table.name)} (org_id, ${sql.raw(names)}) select ${orgId}::uuid, ${sql.raw(values)} from ${recordset(rows, columns, false)}`;
  await tx.execute(
    runId
      ? sql`with added as (${insert} returning id) insert into import_undo (run_id, org_id, row_id) select ${runId}::uuid, ${orgId}::uuid, id from added`
      : insert,
  );
}

/** Updates rows (each with its `id`) in one statement; only `fields` change, within the organisation. */
export async function updateBatch(
  tx: Tx,
  kind: BatchTable,
  orgId: string,
  fields: string[],
  rows: Array<Record<string, unknown> & { id: string }>,
  /** The import run whose undo journal keeps each row as it was (a save in several transactions). */
  runId?: string,
): Promise<void> {
  if (rows.length === 0) return;
  const table = WRITE_TABLES[kind];
  const columns = fields
    .filter((f) => !table.keyFields.includes(f))
    .map((f) => [f, table.columns[f]!] as [string, WriteColumn]);
  const sets = columns.map(([, c], i) =>
    c.keepOnNull
      ? `${c.name} = coalesce(r.c${i}, t.${c.name})`
      : c.insertDefault
        ? `${c.name} = coalesce(r.c${i}, ${c.insertDefault})`
        : `${c.name} = r.c${i}`,
  );
  if (table.hasUpdatedAt) sets.push('updated_at = now()');
  // Only the key columns in the file: the rows already say all of it.
  if (sets.length === 0) return;
  const update = sql`update ${sql.raw(table.name)} as t set ${sql.raw(sets.join(', '))} from ${recordset(rows, columns, true)} where t.id = r.id and t.org_id = ${orgId}::uuid`;
  if (runId) {
    // Before the update, in its transaction: the journal and the rows it undoes commit together.
    await tx.execute(
      sql`insert into import_undo (run_id, org_id, row_id, before) select ${runId}::uuid, ${orgId}::uuid, t.id, to_jsonb(t) from ${sql.raw(table.name)} as t where t.id = any(${`{${rows.map((r) => r.id).join(',')}}`}::uuid[]) and t.org_id = ${orgId}::uuid`,
    );
  }
  await tx.execute(update);
}

/**
 * Undoes up to `limit` of a run's journalled writes and removes them from the journal: rows it
 * inserted are deleted, rows it updated get back the columns an import writes. Returns how many
 * were undone (0: nothing left). With `keep` true the writes stay and only the journal is emptied,
 * after the run finished.
 */
export async function takeUndoPart(
  tx: Tx,
  kind: BatchTable,
  runId: string,
  limit: number,
  keep = false,
): Promise<number> {
  const table = WRITE_TABLES[kind];
  const taken = sql`delete from import_undo where ctid = any(array(select ctid from import_undo where run_id = ${runId}::uuid limit ${limit})) returning row_id, before`;
  if (keep) {
    const result: unknown = await tx.execute(sql`with taken as (${taken}) select count(*)::int as n from taken`);
    return (result as { rows: Array<{ n: number }> }).rows[0]!.n;
  }
  const restored = [...Object.values(table.columns).map((c) => c.name), ...(table.hasUpdatedAt ? ['updated_at'] : [])];
  const name = sql.raw(table.name);
  const result: unknown = await tx.execute(sql`
    with taken as (${taken}),
    removed as (delete from ${name} as t using taken where taken.before is null and t.id = taken.row_id),
    restored as (
      update ${name} as t set ${sql.raw(restored.map((c) => `${c} = b.${c}`).join(', '))}
      from taken cross join lateral jsonb_populate_record(null::${name}, taken.before) as b
      where taken.before is not null and t.id = taken.row_id
    )
    select count(*)::int as n from taken`);
  return (result as { rows: Array<{ n: number }> }).rows[0]!.n;
}

// ── Exports: plain rows of one organisation, in the registry's order.

export function listProjects(tx: Tx, orgId: string) {
  return tx
    .select({ project: projects, managerName: staff.name })
    .from(projects)
    .leftJoin(staff, and(eq(staff.id, projects.managerId), eq(staff.orgId, orgId)))
    .where(eq(projects.orgId, orgId))
    .orderBy(...KINDS.projects.order);
}

export function listStaff(tx: Tx, orgId: string) {
  return tx
    .select()
    .from(staff)
    .where(eq(staff.orgId, orgId))
    .orderBy(...KINDS.staff.order);
}

export function listQualifications(tx: Tx, orgId: string) {
  return tx
    .select({ qualification: qualifications, staffName: staff.name, idNumber: staff.idNumber })
    .from(qualifications)
    .innerJoin(staff, eq(staff.id, qualifications.staffId))
    .where(eq(qualifications.orgId, orgId))
    .orderBy(asc(staff.name), asc(qualifications.kind), asc(qualifications.id));
}

export function listFinancialYears(tx: Tx, orgId: string) {
  return tx
    .select()
    .from(financialYears)
    .where(eq(financialYears.orgId, orgId))
    .orderBy(...KINDS['financial-years'].order);
}

export function listIp(tx: Tx, orgId: string) {
  return tx
    .select()
    .from(ipAssets)
    .where(eq(ipAssets.orgId, orgId))
    .orderBy(...KINDS.ip.order);
}

export function listManagementCertificates(tx: Tx, orgId: string) {
  return tx
    .select()
    .from(managementCertificates)
    .where(eq(managementCertificates.orgId, orgId))
    .orderBy(...KINDS['management-certificates'].order);
}
