import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  financialYears,
  importMappings,
  ipAssets,
  managementCertificates,
  organisations,
  projects,
  qualifications,
  staff,
} from '../../db/schema.js';
import type { ImportKind } from './columns.js';

export async function findOrganisation(tx: Tx, orgId: string) {
  const [org] = await tx.select().from(organisations).where(eq(organisations.id, orgId));
  return org ?? null;
}

export async function loadMapping(tx: Tx, orgId: string, kind: ImportKind): Promise<Record<string, string> | null> {
  const [row] = await tx
    .select({ mapping: importMappings.mapping })
    .from(importMappings)
    .where(and(eq(importMappings.orgId, orgId), eq(importMappings.kind, kind)));
  return row?.mapping ?? null;
}

export async function storeMapping(tx: Tx, orgId: string, kind: ImportKind, mapping: Record<string, string>) {
  await tx
    .insert(importMappings)
    .values({ orgId, kind, mapping })
    .onConflictDoUpdate({
      target: [importMappings.orgId, importMappings.kind],
      set: { mapping, updatedAt: sql`now()` },
    });
}

export async function deleteMapping(tx: Tx, orgId: string, kind: ImportKind) {
  await tx.delete(importMappings).where(and(eq(importMappings.orgId, orgId), eq(importMappings.kind, kind)));
}

/**
 * Serialises imports of one kind into one organisation until the transaction ends: two at once
 * would both see a contract number as new and insert it twice (contract numbers are not unique
 * in the table on purpose).
 */
export async function lockImports(tx: Tx, orgId: string, kind: ImportKind) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`zizhi-import:${orgId}:${kind}`}))`);
}

/** Every staff member's id, name and ID number: managers and holders are resolved against these. */
export function loadStaffKeys(tx: Tx, orgId: string) {
  return tx
    .select({ id: staff.id, name: staff.name, idNumber: staff.idNumber })
    .from(staff)
    .where(eq(staff.orgId, orgId));
}

export function loadProjectKeys(tx: Tx, orgId: string) {
  return tx
    .select({ id: projects.id, contractNumber: projects.contractNumber })
    .from(projects)
    .where(eq(projects.orgId, orgId));
}

export function loadQualificationKeys(tx: Tx, orgId: string) {
  return tx
    .select({
      id: qualifications.id,
      staffId: qualifications.staffId,
      kind: qualifications.kind,
      number: qualifications.number,
    })
    .from(qualifications)
    .where(eq(qualifications.orgId, orgId));
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
export const WRITE_TABLES: Record<ImportKind, WriteTable> = {
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

/** Rows per statement: one JSON parameter of about a megabyte, well inside any message limit. */
export const WRITE_BATCH = 5000;

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
  kind: ImportKind,
  orgId: string,
  fields: string[],
  rows: Array<Record<string, unknown>>,
): Promise<void> {
  if (rows.length === 0) return;
  const table = WRITE_TABLES[kind];
  const columns = fields.map((f) => [f, table.columns[f]!] as [string, WriteColumn]);
  const names = columns.map(([, c]) => c.name).join(', ');
  const values = columns
    .map(([, c], i) => (c.insertDefault ? `coalesce(r.c${i}, ${c.insertDefault})` : `r.c${i}`))
    .join(', ');
  await tx.execute(
    sql`insert into ${sql.raw(table.name)} (org_id, ${sql.raw(names)}) select ${orgId}::uuid, ${sql.raw(values)} from ${recordset(rows, columns, false)}`,
  );
}

/** Updates rows (each with its `id`) in one statement; only `fields` change, within the organisation. */
export async function updateBatch(
  tx: Tx,
  kind: ImportKind,
  orgId: string,
  fields: string[],
  rows: Array<Record<string, unknown> & { id: string }>,
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
  await tx.execute(
    sql`update ${sql.raw(table.name)} as t set ${sql.raw(sets.join(', '))} from ${recordset(rows, columns, true)} where t.id = r.id and t.org_id = ${orgId}::uuid`,
  );
}

// ── Exports: plain rows of one organisation, in the registry's order.

export function listProjects(tx: Tx, orgId: string) {
  return tx
    .select({ project: projects, managerName: staff.name })
    .from(projects)
    .leftJoin(staff, and(eq(staff.id, projects.managerId), eq(staff.orgId, orgId)))
    .where(eq(projects.orgId, orgId))
    .orderBy(sql`${projects.signedOn} desc nulls last`, asc(projects.name), asc(projects.id));
}

export function listStaff(tx: Tx, orgId: string) {
  return tx.select().from(staff).where(eq(staff.orgId, orgId)).orderBy(asc(staff.name), asc(staff.id));
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
  return tx.select().from(financialYears).where(eq(financialYears.orgId, orgId)).orderBy(desc(financialYears.year));
}

export function listIp(tx: Tx, orgId: string) {
  return tx
    .select()
    .from(ipAssets)
    .where(eq(ipAssets.orgId, orgId))
    .orderBy(sql`${ipAssets.grantedOn} desc nulls last`, asc(ipAssets.name), asc(ipAssets.id));
}

export function listManagementCertificates(tx: Tx, orgId: string) {
  return tx
    .select()
    .from(managementCertificates)
    .where(eq(managementCertificates.orgId, orgId))
    .orderBy(asc(managementCertificates.kind), asc(managementCertificates.id));
}
