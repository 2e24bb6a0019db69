// SQL for backup_runs. The table is the installation's, not a tenant's: these run in system
// transactions (the app role has no rights on it), after the caller was checked to be an
// instance administrator or is the server's own backup job.
import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { backupRuns } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import type { Bilingual } from '../../errors.js';

export type BackupRun = typeof backupRuns.$inferSelect;

/** Any constant shared by every Zizhi process: serialises "is a backup running? then start one". */
const BACKUP_LOCK_KEY = 0x7a7a6275; // "zzbu"

/**
 * Claims the right to run a backup: inside one transaction under an advisory lock, refuses when a
 * run is still going (`isLive` says whether a running row is really running) and otherwise inserts
 * the new runs. Across server processes on PostgreSQL the lock makes the check and the insert one step.
 */
export async function claimRuns(
  db: Db,
  {
    rows,
    isLive,
    interrupted,
  }: {
    rows: Array<typeof backupRuns.$inferInsert>;
    isLive: (run: BackupRun) => boolean;
    interrupted: Bilingual;
  },
): Promise<BackupRun[] | null> {
  return withSystem(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${BACKUP_LOCK_KEY})`);
    const running = await tx.select().from(backupRuns).where(eq(backupRuns.status, 'running'));
    const stale = running.filter((r) => !isLive(r));
    if (stale.length < running.length) return null;
    if (stale.length > 0) {
      await tx
        .update(backupRuns)
        .set({ status: 'failed', finishedAt: new Date(), error: interrupted })
        .where(
          inArray(
            backupRuns.id,
            stale.map((r) => r.id),
          ),
        );
    }
    return tx.insert(backupRuns).values(rows).returning();
  });
}

export async function finishRun(
  db: Db,
  id: string,
  values: Partial<Pick<BackupRun, 'status' | 'bytes' | 'rows' | 'files' | 'sha256' | 'encrypted' | 'error'>>,
): Promise<void> {
  await withSystem(db, (tx) =>
    tx
      .update(backupRuns)
      .set({ ...values, finishedAt: new Date() })
      .where(eq(backupRuns.id, id)),
  );
}

/** Starts a drill on a run unless one is going; the row as it was, or null when refused. */
export async function claimDrill(
  db: Db,
  id: string,
  isLive: (run: BackupRun) => boolean,
  interrupted: Bilingual,
): Promise<{ run: BackupRun; started: boolean } | null> {
  return withSystem(db, async (tx) => {
    const [run] = await tx.select().from(backupRuns).where(eq(backupRuns.id, id)).for('update');
    if (!run) return null;
    if (run.verifyStatus === 'running' && isLive(run)) return { run, started: false };
    await tx
      .update(backupRuns)
      .set({ verifyStatus: 'running', verifyError: run.verifyStatus === 'running' ? interrupted : null })
      .where(eq(backupRuns.id, id));
    return { run, started: true };
  });
}

export async function finishDrill(db: Db, id: string, error: Bilingual | null): Promise<void> {
  await withSystem(db, (tx) =>
    tx
      .update(backupRuns)
      .set(
        error
          ? { verifyStatus: 'failed', verifyError: error }
          : { verifyStatus: 'ok', verifiedAt: new Date(), verifyError: null },
      )
      .where(eq(backupRuns.id, id)),
  );
}

/** The newest runs first (id breaks ties, so pages are stable). */
export function listRuns(db: Queryable, limit: number): Promise<BackupRun[]> {
  return db.select().from(backupRuns).orderBy(desc(backupRuns.startedAt), desc(backupRuns.id)).limit(limit);
}

export async function findRun(db: Db, id: string): Promise<BackupRun | undefined> {
  return withSystem(db, async (tx) => (await tx.select().from(backupRuns).where(eq(backupRuns.id, id)))[0]);
}

export async function runsByIds(db: Db, ids: string[]): Promise<BackupRun[]> {
  return withSystem(db, (tx) =>
    tx.select().from(backupRuns).where(inArray(backupRuns.id, ids)).orderBy(backupRuns.target),
  );
}

/** The latest drill that succeeded, and the latest successful backup: what the page leads with. */
export async function lastSuccesses(db: Queryable): Promise<{ verifiedAt: Date | null; backedUpAt: Date | null }> {
  const [verified] = await db
    .select({ at: backupRuns.verifiedAt })
    .from(backupRuns)
    .where(isNotNull(backupRuns.verifiedAt))
    .orderBy(desc(backupRuns.verifiedAt))
    .limit(1);
  const [backedUp] = await db
    .select({ at: backupRuns.finishedAt })
    .from(backupRuns)
    .where(eq(backupRuns.status, 'ok'))
    .orderBy(desc(backupRuns.finishedAt))
    .limit(1);
  return { verifiedAt: verified?.at ?? null, backedUpAt: backedUp?.at ?? null };
}

/** Archives at `target` whose drill failed: retention does not count them as good. */
export async function failedDrills(db: Db, target: string): Promise<Set<string>> {
  const rows = await withSystem(db, (tx) =>
    tx
      .select({ name: backupRuns.archiveName })
      .from(backupRuns)
      .where(and(eq(backupRuns.target, target), eq(backupRuns.verifyStatus, 'failed'))),
  );
  return new Set(rows.map((r) => r.name));
}

/** Records that retention deleted these archives at `target`. */
export async function markDeleted(db: Db, target: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await withSystem(db, (tx) =>
    tx
      .update(backupRuns)
      .set({ deletedAt: new Date() })
      .where(and(eq(backupRuns.target, target), inArray(backupRuns.archiveName, names), isNull(backupRuns.deletedAt))),
  );
}

/**
 * Runs (or drills) left "running" by a process that is gone. On the embedded database this process
 * is the only one, so any it is not running itself; on PostgreSQL only those older than `before`.
 */
export async function expireAbandoned(
  db: Db,
  {
    isLive,
    before,
    interrupted,
    drillInterrupted,
  }: { isLive: (run: BackupRun) => boolean; before: Date | null; interrupted: Bilingual; drillInterrupted: Bilingual },
): Promise<void> {
  await withSystem(db, async (tx) => {
    const candidates = await tx
      .select()
      .from(backupRuns)
      .where(
        and(
          or(eq(backupRuns.status, 'running'), eq(backupRuns.verifyStatus, 'running')),
          before ? lt(backupRuns.startedAt, before) : undefined,
        ),
      );
    for (const run of candidates.filter((r) => !isLive(r))) {
      await tx
        .update(backupRuns)
        .set({
          ...(run.status === 'running'
            ? { status: 'failed' as const, finishedAt: new Date(), error: interrupted }
            : {}),
          ...(run.verifyStatus === 'running' ? { verifyStatus: 'failed' as const, verifyError: drillInterrupted } : {}),
        })
        .where(eq(backupRuns.id, run.id));
    }
  });
}
