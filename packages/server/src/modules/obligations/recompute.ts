import { createHash } from 'node:crypto';
import {
  calendarRevision,
  computeObligations,
  isDateSettled,
  type CertificateState,
  type ObligationsResult,
  type RecordedTransition,
} from '@zizhi/core';
import { LRUCache } from 'lru-cache';
import { and, asc, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../../db/client.js';
import { certificateEvents, certificateTransitions, certificates, obligations } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { chinaToday, formatInstant } from '../../clock.js';
import { syncCalendar } from '../../db/calendar.js';
import { refreshReminders } from './reminder-state.js';

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

/**
 * The release of the obligation rules: raise it when a change must reach stored obligations, and
 * every certificate computed by an older release is recomputed at the next start.
 */
export const ENGINE_VERSION = 3;

/**
 * Runs the engine over a certificate, its events and its recorded state changes. Years without a
 * published holiday notice are counted by the weekday rule and marked provisional, never refused:
 * a certificate's four years always reach past the published calendar.
 */
export function evaluateCertificate(
  cert: Pick<CertificateRow, 'level' | 'issuedOn' | 'expiresOn'>,
  events: ReadonlyArray<Record<string, unknown>>,
  recorded: readonly RecordedTransition[],
  asOf = chinaToday(),
): ObligationsResult {
  return computeObligations({
    certificate: { level: cert.level, issuedOn: cert.issuedOn, expiresOn: cert.expiresOn },
    events,
    recorded,
    asOf,
    provisional: true,
  });
}

/**
 * What the engine needs besides the certificate rows: their live (not withdrawn) events, oldest
 * first, and the state changes people recorded (an issue is not one), in two queries whatever
 * the number of certificates.
 */
async function loadInputs(tx: Queryable, ids: readonly string[]) {
  const events = new Map<string, Record<string, unknown>[]>();
  const recorded = new Map<string, RecordedTransition[]>();
  if (ids.length === 0) return { events, recorded };
  const eventRows = await tx
    .select()
    .from(certificateEvents)
    .where(and(inArray(certificateEvents.certificateId, [...ids]), isNull(certificateEvents.withdrawnAt)))
    .orderBy(asc(certificateEvents.date), asc(certificateEvents.createdAt));
  for (const e of eventRows) {
    const list = events.get(e.certificateId) ?? [];
    list.push(engineEvent(e));
    events.set(e.certificateId, list);
  }
  const transitionRows = await tx
    .select({
      certificateId: certificateTransitions.certificateId,
      state: certificateTransitions.toState,
      on: certificateTransitions.on,
      reason: certificateTransitions.reason,
    })
    .from(certificateTransitions)
    .where(and(inArray(certificateTransitions.certificateId, [...ids]), isNotNull(certificateTransitions.fromState)))
    .orderBy(asc(certificateTransitions.on), asc(certificateTransitions.createdAt));
  for (const r of transitionRows) {
    const list = recorded.get(r.certificateId) ?? [];
    list.push({ state: r.state as CertificateState, on: r.on, reason: r.reason });
    recorded.set(r.certificateId, list);
  }
  return { events, recorded };
}

/**
 * A stored certificate evaluated on `asOf`, optionally with events not saved yet (a preview, the
 * history step) appended to its live ones.
 */
export async function evaluateStored(
  tx: Queryable,
  cert: Pick<CertificateRow, 'id' | 'level' | 'issuedOn' | 'expiresOn'>,
  {
    extraEvents = [],
    asOf = chinaToday(),
  }: { extraEvents?: ReadonlyArray<Record<string, unknown>>; asOf?: string } = {},
): Promise<ObligationsResult> {
  const { events, recorded } = await loadInputs(tx, [cert.id]);
  return evaluateCertificate(cert, [...(events.get(cert.id) ?? []), ...extraEvents], recorded.get(cert.id) ?? [], asOf);
}

/**
 * Many stored certificates evaluated on `asOf` with two queries in all, not two per certificate
 * (the dashboard's red lines, a page of timelines).
 */
export async function evaluateStoredMany(
  tx: Queryable,
  certs: ReadonlyArray<Pick<CertificateRow, 'id' | 'level' | 'issuedOn' | 'expiresOn'>>,
  asOf = chinaToday(),
): Promise<Map<string, ObligationsResult>> {
  const { events, recorded } = await loadInputs(
    tx,
    certs.map((c) => c.id),
  );
  const results = new Map<string, ObligationsResult>();
  for (const c of certs) {
    results.set(c.id, evaluateCertificate(c, events.get(c.id) ?? [], recorded.get(c.id) ?? [], asOf));
  }
  return results;
}

/**
 * The engine's alerts of each certificate as kept by what they were computed from (the
 * certificate, its events and recorded changes, the day, the calendar and the engine release):
 * the dashboard asks for the same certificates' alerts after every write to the workspace, and
 * most of them have not changed.
 */
const keptAlerts = new LRUCache<string, ObligationsResult['alerts']>({ max: 20_000 });

/** The engine's alerts of many certificates (the dashboard's red lines); treat them as read-only. */
export async function alertsOfMany(
  tx: Queryable,
  certs: ReadonlyArray<Pick<CertificateRow, 'id' | 'level' | 'issuedOn' | 'expiresOn'>>,
  asOf = chinaToday(),
): Promise<Map<string, ObligationsResult['alerts']>> {
  const { events, recorded } = await loadInputs(
    tx,
    certs.map((c) => c.id),
  );
  const revision = calendarRevision();
  const alerts = new Map<string, ObligationsResult['alerts']>();
  for (const c of certs) {
    const own = events.get(c.id) ?? [];
    const changes = recorded.get(c.id) ?? [];
    const key = createHash('sha256')
      .update(JSON.stringify([ENGINE_VERSION, revision, asOf, c.level, c.issuedOn, c.expiresOn, own, changes]))
      .digest('base64');
    let found = keptAlerts.get(key);
    if (!found) {
      found = evaluateCertificate(c, own, changes, asOf).alerts;
      keptAlerts.set(key, found);
    }
    alerts.set(c.id, found);
  }
  return alerts;
}

/**
 * The state on `asOf`: the timeline holds recorded facts only (state changes people recorded,
 * recorded events such as an acquisition or a passed re-assessment, the printed expiry), never
 * what the engine infers from missing records.
 */
export function currentState(result: ObligationsResult, asOf = chinaToday()): CertificateState {
  const segment = [...result.timeline].reverse().find((s) => s.from <= asOf);
  return segment?.state ?? 'active';
}

/**
 * Today's state from the stored row, without the engine: recompute keeps `state` current with
 * every recorded change and event, and only the passing of the printed expiry needs the date.
 */
export function storedState(row: Pick<CertificateRow, 'state' | 'expiresOn'>, asOf = chinaToday()): CertificateState {
  const state = row.state as CertificateState;
  return (state === 'active' || state === 'suspended') && asOf > row.expiresOn ? 'expired' : state;
}

/** `storedState` in SQL, for lists and counts over many certificates. */
export const storedStateSql = (asOf: string) =>
  sql<string>`(case when ${certificates.state} in ('active', 'suspended') and ${certificates.expiresOn} < ${asOf}::date then 'expired' else ${certificates.state} end)`;

/**
 * Brings a certificate's stored obligations in line with the engine: rows are matched by the
 * engine's key, so what people set (assignee, status, notes) survives; obligations the engine
 * no longer produces (a withdrawn event's) are removed. The certificate row is locked first,
 * so two concurrent event writes recompute one after the other and the last one sees both.
 */
export async function recomputeCertificate(tx: Tx, certificateId: string): Promise<ObligationsResult> {
  const [cert] = await tx.select().from(certificates).where(eq(certificates.id, certificateId)).for('update');
  if (!cert) throw new Error(`certificate ${certificateId} not found for recompute`);
  // After the lock: an import committed meanwhile is seen, so no provisional date overwrites a final one.
  await syncCalendar(tx);
  const result = await evaluateStored(tx, cert);
  const keys = result.obligations.map((o) => o.key);
  if (keys.length > 0) {
    // The engine's columns, by their names in the table; everything else keeps its default
    // (a new row) or what people set (an existing one).
    const rows = result.obligations.map((o) => ({
      org_id: cert.orgId,
      certificate_id: certificateId,
      key: o.key,
      rule: o.rule,
      title_zh: o.titleZh,
      title_en: o.titleEn,
      due_date: o.dueDate,
      due_at: o.dueAt ?? null,
      window_start: o.windowStart ?? null,
      provisional: o.provisional,
      awaiting_notice: o.awaitingNotice ?? false,
      basis: o.basis,
      basis_en: o.basisEn,
      source: o.source,
      event_id: o.trigger.eventId ?? null,
      satisfied_on: o.satisfiedOn ?? null,
      cancelled_on: o.cancelled?.on ?? null,
      cancel_reason: o.cancelled?.reasonZh ?? null,
      cancel_reason_en: o.cancelled?.reasonEn ?? null,
    }));
    const engine = Object.keys(rows[0]!).filter((c) => c !== 'org_id' && c !== 'certificate_id' && c !== 'key');
    const list = (prefix: string, names: readonly string[]) => sql.raw(names.map((c) => `${prefix}${c}`).join(', '));
    const all = Object.keys(rows[0]!);
    // One JSON parameter rather than ~25 per row: building and binding a few thousand
    // parameters was most of a recompute. Only rows the engine changed are rewritten (the
    // others would be dead versions for nothing), and their updated_at moves.
    await tx.execute(sql`
      insert into ${obligations} (${list('', all)})
      select ${list('', all)} from json_populate_recordset(null::obligations, ${JSON.stringify(rows)}::json)
      on conflict (certificate_id, key) do update set ${sql.raw(engine.map((c) => `${c} = excluded.${c}`).join(', '))}, updated_at = now()
      where (${list('obligations.', engine)}) is distinct from (${list('excluded.', engine)})`);
  }
  // Duties people set (corrective actions, action items) are not the engine's to remove.
  const engines = and(eq(obligations.certificateId, certificateId), eq(obligations.origin, 'engine'));
  await tx.delete(obligations).where(
    keys.length > 0
      ? // One array parameter: planning NOT IN over dozens of parameters took milliseconds.
        and(
          engines,
          sql`${obligations.key} <> all(array(select json_array_elements_text(${JSON.stringify(keys)}::json)))`,
        )
      : engines,
  );
  // A moved due date moves its pending reminder; new obligations get their first one; cancelled
  // and satisfied ones lose theirs.
  await refreshReminders(tx, { certificateId });
  // The stored state is today's fact-based state: public pages and lists read it without the engine.
  const state = currentState(result);
  if (state !== cert.state || cert.engineVersion !== ENGINE_VERSION) {
    await tx
      .update(certificates)
      .set({ state, engineVersion: ENGINE_VERSION })
      .where(eq(certificates.id, certificateId));
  }
  return result;
}

/**
 * Recomputes every certificate of the installation, e.g. after a calendar year is imported
 * (provisional dates become final). Each certificate in its own transaction, so one bad
 * record does not hold back the others, and requests get the database between two of them;
 * the event loop is given back after each, so a server stays responsive while this runs.
 * Stops between certificates once `signal` is aborted.
 */
export async function recomputeAll(
  db: Db,
  { onProgress, signal }: { onProgress?: (p: { done: number; total: number }) => void; signal?: AbortSignal } = {},
): Promise<number> {
  const ids = await db.select({ id: certificates.id }).from(certificates).orderBy(asc(certificates.id));
  let done = 0;
  onProgress?.({ done, total: ids.length });
  for (const { id } of ids) {
    if (signal?.aborted) break;
    await withSystem(db, (tx) => recomputeCertificate(tx, id));
    done += 1;
    onProgress?.({ done, total: ids.length });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return done;
}

/**
 * Recomputes the certificates whose stored dates were provisional for a year that is now
 * published (a newer release or an import brought its holiday notice). Cheap when nothing
 * changed, so the server runs it at every start.
 */
export async function recomputeStale(db: Db): Promise<number> {
  await syncCalendar(db);
  const rows = await db
    .selectDistinct({ id: obligations.certificateId, dueDate: obligations.dueDate })
    .from(obligations)
    .where(and(eq(obligations.provisional, true), eq(obligations.awaitingNotice, false)));
  const stale = new Set(rows.filter((r) => isDateSettled(r.dueDate)).map((r) => r.id));
  // Certificates an older release computed: changed rules reach the obligations already stored.
  const older = await db
    .select({ id: certificates.id })
    .from(certificates)
    .where(lt(certificates.engineVersion, ENGINE_VERSION));
  for (const { id } of older) stale.add(id);
  for (const id of stale) await withSystem(db, (tx) => recomputeCertificate(tx, id));
  return stale.size;
}
