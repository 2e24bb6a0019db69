import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { importMappings, importRuns, organisations } from '../../db/schema.js';
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

/**
 * Starts a run saved in several transactions. Null when another run of the kind is being saved in
 * the organisation (the partial unique index holds it, also against a run begun meanwhile).
 */
export async function startRun(tx: Tx, orgId: string, kind: ImportKind): Promise<string | null> {
  const [row] = await tx
    .insert(importRuns)
    .values({ orgId, kind })
    .onConflictDoNothing({ target: [importRuns.orgId, importRuns.kind], where: sql`finished_at is null` })
    .returning({ id: importRuns.id });
  return row?.id ?? null;
}

/** Whether a run of the kind is being saved in the organisation. */
export async function runBeingSaved(tx: Tx, orgId: string, kind: ImportKind): Promise<boolean> {
  const [row] = await tx
    .select({ id: importRuns.id })
    .from(importRuns)
    .where(and(eq(importRuns.orgId, orgId), eq(importRuns.kind, kind), isNull(importRuns.finishedAt)));
  return row !== undefined;
}

export async function finishRun(tx: Tx, runId: string) {
  await tx
    .update(importRuns)
    .set({ finishedAt: sql`now()` })
    .where(eq(importRuns.id, runId));
}

export async function deleteRun(tx: Tx, runId: string) {
  await tx.delete(importRuns).where(eq(importRuns.id, runId));
}

/** Every run left in the journal: unfinished ones to undo, finished ones whose journal is not yet emptied. */
export async function leftRuns(tx: Tx) {
  return tx
    .select({ id: importRuns.id, orgId: importRuns.orgId, kind: importRuns.kind, finishedAt: importRuns.finishedAt })
    .from(importRuns)
    .orderBy(importRuns.startedAt);
}
