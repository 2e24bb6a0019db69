import {
  computeObligations,
  isTerminalState,
  isYearPublished,
  type CertificateState,
  type ObligationsResult,
} from '@zizhi/core';
import { and, asc, eq, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../../db/client.js';
import { certificateEvents, certificates, obligations } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { chinaToday } from '../../clock.js';
import { refreshReminders } from '../reminders/state.js';

type CertificateRow = typeof certificates.$inferSelect;
type EventRow = typeof certificateEvents.$inferSelect;

/** An event row as the engine reads it: its id keys the obligations it creates. */
export function engineEvent(e: Pick<EventRow, 'id' | 'type' | 'date' | 'at' | 'data'>): Record<string, unknown> {
  return {
    ...(e.data as Record<string, unknown>),
    id: e.id,
    type: e.type,
    ...(e.at ? { at: formatInstant(e.at) } : { date: e.date }),
  };
}

/** An instant as the engine and the API write it: ISO with +08:00. */
export function formatInstant(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/**
 * Runs the engine over a certificate and its events. Years without a published holiday
 * notice are counted by the weekday rule and marked provisional, never refused: a
 * certificate's four years always reach past the published calendar.
 */
export function evaluateCertificate(
  cert: Pick<CertificateRow, 'level' | 'issuedOn' | 'expiresOn'>,
  events: ReadonlyArray<Record<string, unknown>>,
  asOf = chinaToday(),
): ObligationsResult {
  return computeObligations({
    certificate: { level: cert.level, issuedOn: cert.issuedOn, expiresOn: cert.expiresOn },
    events,
    asOf,
    provisional: true,
  });
}

/** The live (not withdrawn) events of a certificate, oldest first. */
export async function loadLiveEvents(tx: Queryable, certificateId: string) {
  return tx
    .select()
    .from(certificateEvents)
    .where(and(eq(certificateEvents.certificateId, certificateId), isNull(certificateEvents.withdrawnAt)))
    .orderBy(asc(certificateEvents.date), asc(certificateEvents.createdAt));
}

/**
 * The state people see: a recorded terminal state (revoked, superseded …) wins; otherwise the
 * engine's state on `asOf` (suspended during rectification, expired after the expiry date).
 */
export function currentState(recorded: string, result: ObligationsResult, asOf = chinaToday()): CertificateState {
  if (recorded !== 'active' && isTerminalState(recorded as CertificateState)) return recorded as CertificateState;
  const segment = [...result.timeline].reverse().find((s) => s.from <= asOf);
  const derived = segment?.state ?? 'active';
  return recorded === 'suspended' && derived === 'active' ? 'suspended' : derived;
}

/**
 * Brings a certificate's stored obligations in line with the engine: rows are matched by the
 * engine's key, so what people set (assignee, status, notes) survives; obligations the engine
 * no longer produces (a withdrawn event's) are removed. The certificate row is locked first,
 * so two concurrent event writes recompute one after the other and the last one sees both.
 */
export async function recomputeCertificate(tx: Tx, certificateId: string): Promise<ObligationsResult> {
  const [cert] = await tx.select().from(certificates).where(eq(certificates.id, certificateId)).for('update');
  if (!cert) throw new Error(`certificate ${certificateId} not found for recompute`);
  const events = await loadLiveEvents(tx, certificateId);
  const result = evaluateCertificate(cert, events.map(engineEvent));
  const keys = result.obligations.map((o) => o.key);
  if (keys.length > 0) {
    const rows = result.obligations.map((o) => ({
      orgId: cert.orgId,
      certificateId,
      key: o.key,
      rule: o.rule,
      titleZh: o.titleZh,
      titleEn: o.titleEn,
      dueDate: o.dueDate,
      dueAt: o.dueAt ? new Date(o.dueAt) : null,
      windowStart: o.windowStart ?? null,
      provisional: o.provisional,
      awaitingNotice: o.awaitingNotice ?? false,
      basis: o.basis,
      basisEn: o.basisEn,
      source: o.source,
      eventId: o.trigger.eventId ?? null,
      satisfiedOn: o.satisfiedOn ?? null,
    }));
    // Engine fields only: status, assignee, note, completion and waiver belong to people.
    const excluded = (column: string) => sql.raw(`excluded.${column}`);
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insert(obligations)
        .values(rows.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [obligations.certificateId, obligations.key],
          set: {
            rule: excluded('rule'),
            titleZh: excluded('title_zh'),
            titleEn: excluded('title_en'),
            dueDate: excluded('due_date'),
            dueAt: excluded('due_at'),
            windowStart: excluded('window_start'),
            provisional: excluded('provisional'),
            awaitingNotice: excluded('awaiting_notice'),
            basis: excluded('basis'),
            basisEn: excluded('basis_en'),
            source: excluded('source'),
            eventId: excluded('event_id'),
            satisfiedOn: excluded('satisfied_on'),
            updatedAt: sql`now()`,
          },
        });
    }
  }
  await tx
    .delete(obligations)
    .where(
      keys.length > 0
        ? and(eq(obligations.certificateId, certificateId), notInArray(obligations.key, keys))
        : eq(obligations.certificateId, certificateId),
    );
  // A moved due date moves its pending reminder; new obligations get their first one.
  await refreshReminders(tx, { certificateId });
  return result;
}

/**
 * Recomputes every certificate of the installation, e.g. after a calendar year is imported
 * (provisional dates become final). Each certificate in its own transaction, so one bad
 * record does not hold back the others.
 */
export async function recomputeAll(db: Db): Promise<number> {
  const ids = await db.select({ id: certificates.id }).from(certificates);
  for (const { id } of ids) await withSystem(db, (tx) => recomputeCertificate(tx, id));
  return ids.length;
}

/**
 * Recomputes the certificates whose stored dates were provisional for a year that is now
 * published (a newer release or an import brought its holiday notice). Cheap when nothing
 * changed, so the server runs it at every start.
 */
export async function recomputeStale(db: Db): Promise<number> {
  const rows = await db
    .selectDistinct({ id: obligations.certificateId, dueDate: obligations.dueDate })
    .from(obligations)
    .where(and(eq(obligations.provisional, true), eq(obligations.awaitingNotice, false)));
  const stale = new Set(rows.filter((r) => isYearPublished(Number(r.dueDate.slice(0, 4)))).map((r) => r.id));
  for (const id of stale) await withSystem(db, (tx) => recomputeCertificate(tx, id));
  return stale.size;
}
