import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { importMappings, organisations } from '../../db/schema.js';
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
