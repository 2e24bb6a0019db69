import { ASSESSMENT_KINDS, ASSESSMENT_STEPS, parseEvents, type CertificateEvent, type Obligation } from '@zizhi/core';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { certificateEvents, obligations, users } from '../../db/schema.js';
import { conflict, notFound } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { diffSummary, recordAudit } from '../../access/audit.js';
import {
  engineEvent,
  evaluateStored,
  recomputeCertificate,
  loadObligation,
  presentObligation,
} from '../obligations/api.js';
import { formatInstant } from '../../clock.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';

type EventRow = typeof certificateEvents.$inferSelect;

/** The engine's event split into our columns: the date (China date of `at` for incidents) and the rest. */
function toColumns(event: CertificateEvent) {
  const { type, id: _id, ...fields } = event;
  const at = 'at' in fields && fields.at ? new Date(fields.at) : null;
  const date = at ? formatInstant(at).slice(0, 10) : (fields as { date: string }).date;
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (k !== 'at' && k !== 'date' && v !== undefined) data[k] = v;
  return { type, date, at, data };
}

const PREVIEW_ID = 'preview';

/** Validates one event the way the engine will read it; errors name the field to fix. */
function parseOne(raw: unknown): CertificateEvent {
  return parseEvents([raw])[0]!;
}

/** A self-check result as stored (the engine validated it when it was recorded). */
const resultOf = (r: 'normal' | 'abnormal'): 'normal' | 'abnormal' => r;

/** A stored value when it is one of `values` (the engine validated it when it was recorded). */
const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined => values.find((x) => x === v);

const present = (e: EventRow, createdByName: string | null) => {
  const data = e.data as Record<string, unknown>;
  return {
    id: e.id,
    certificateId: e.certificateId,
    type: e.type,
    date: e.date,
    at: e.at ? formatInstant(e.at) : null,
    ...(typeof data.year === 'number' ? { year: data.year } : {}),
    ...(typeof data.deadline === 'string' ? { deadline: data.deadline } : {}),
    ...(typeof data.passed === 'boolean' ? { passed: data.passed } : {}),
    ...(data.result === 'normal' || data.result === 'abnormal' ? { result: resultOf(data.result) } : {}),
    ...(oneOf(ASSESSMENT_KINDS, data.assessment) ? { assessment: oneOf(ASSESSMENT_KINDS, data.assessment)! } : {}),
    ...(oneOf(ASSESSMENT_STEPS, data.step) ? { step: oneOf(ASSESSMENT_STEPS, data.step)! } : {}),
    ...(typeof data.note === 'string' ? { note: data.note } : {}),
    withdrawnAt: e.withdrawnAt?.toISOString() ?? null,
    withdrawnReason: e.withdrawnReason,
    createdAt: e.createdAt.toISOString(),
    createdBy: e.createdBy ? { id: e.createdBy, name: createdByName ?? '' } : null,
  };
};

async function loadEvent(tx: Tx, certId: string, eventId: string) {
  const [row] = await tx
    .select({ e: certificateEvents, name: users.name })
    .from(certificateEvents)
    .leftJoin(users, eq(users.id, certificateEvents.createdBy))
    .where(and(eq(certificateEvents.id, eventId), eq(certificateEvents.certificateId, certId)));
  if (!row) throw notFound('事件');
  return row;
}

/** Obligations that are new or moved between two engine runs: what an event changes. */
function changedBy(before: readonly Obligation[], after: readonly Obligation[]): Obligation[] {
  const old = new Map(before.map((o) => [o.key, o]));
  return after.filter((o) => {
    const b = old.get(o.key);
    return (
      !b ||
      b.dueDate !== o.dueDate ||
      b.dueAt !== o.dueAt ||
      b.satisfiedOn !== o.satisfiedOn ||
      b.cancelled?.on !== o.cancelled?.on
    );
  });
}

const previewFields = (o: Obligation) => ({
  key: o.key,
  rule: o.rule,
  titleZh: o.titleZh,
  titleEn: o.titleEn,
  dueDate: o.dueDate,
  dueAt: o.dueAt ?? null,
  windowStart: o.windowStart ?? null,
  provisional: o.provisional,
  awaitingNotice: o.awaitingNotice ?? false,
  basis: o.basis,
  basisEn: o.basisEn,
  source: o.source,
  satisfiedOn: o.satisfiedOn ?? null,
  cancelReason: o.cancelled?.reasonZh ?? null,
  cancelReasonEn: o.cancelled?.reasonEn ?? null,
});

export async function listEvents({
  tx,
  actor,
  orgId,
  certId,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
}) {
  await requireOrgAccess(tx, actor, orgId);
  await loadCertificate(tx, orgId, certId);
  const rows = await tx
    .select({ e: certificateEvents, name: users.name })
    .from(certificateEvents)
    .leftJoin(users, eq(users.id, certificateEvents.createdBy))
    .where(eq(certificateEvents.certificateId, certId))
    .orderBy(asc(certificateEvents.date), asc(certificateEvents.createdAt));
  return rows.map((r) => present(r.e, r.name));
}

export async function getEvent(args: { tx: Tx; actor: Actor; orgId: string; certId: string; eventId: string }) {
  await requireOrgAccess(args.tx, args.actor, args.orgId);
  await loadCertificate(args.tx, args.orgId, args.certId);
  const row = await loadEvent(args.tx, args.certId, args.eventId);
  return present(row.e, row.name);
}

/**
 * What recording this event would create or move, with the basis of each date, without
 * saving anything: the form shows it before the user commits.
 */
export async function previewEvent({
  tx,
  actor,
  orgId,
  certId,
  body,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
  body: unknown;
}) {
  await requireOrgAccess(tx, actor, orgId);
  const cert = await loadCertificate(tx, orgId, certId);
  const event = parseOne(body);
  const before = await evaluateStored(tx, cert);
  const after = await evaluateStored(tx, cert, { extraEvents: [{ ...event, id: PREVIEW_ID }] });
  const seen = new Set(before.warnings.map((w) => w.zh));
  const alerted = new Set(before.alerts.map((a) => a.zh));
  // What the new event itself raises, without the preview's placeholder id.
  const strip = <T extends { eventId?: string }>({ eventId, ...m }: T) =>
    eventId === PREVIEW_ID ? m : { eventId, ...m };
  return {
    obligations: changedBy(before.obligations, after.obligations).map(previewFields),
    warnings: after.warnings.filter((w) => !seen.has(w.zh)).map(strip),
    alerts: after.alerts.filter((a) => !alerted.has(a.zh)).map(strip),
    // What recording it settles: a missed supervision the event records, for instance.
    resolvedAlerts: before.alerts.filter((a) => !after.alerts.some((b) => b.zh === a.zh)),
  };
}

/** Records what happened and recomputes the certificate's obligations in the same transaction. */
export async function recordEvent({
  tx,
  actor,
  meta,
  orgId,
  certId,
  body,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  certId: string;
  body: unknown;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  await loadCertificate(tx, orgId, certId);
  const cols = toColumns(parseOne(body));
  const [row] = await tx
    .insert(certificateEvents)
    .values({ ...cols, orgId, certificateId: certId, createdBy: actor.userId })
    .returning();
  const result = await recomputeCertificate(tx, certId);
  await recordAudit(tx, {
    action: 'event.recorded',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'event',
    targetId: row!.id,
    summary: { certificateId: certId, type: cols.type, date: cols.date, ...cols.data },
    ip: meta.ip,
  });
  const created = result.obligations.filter((o) => o.trigger.eventId === row!.id).map((o) => o.key);
  const stored =
    created.length === 0
      ? []
      : await tx
          .select({ id: obligations.id })
          .from(obligations)
          .where(and(eq(obligations.certificateId, certId), inArray(obligations.key, created)));
  const presented = [];
  for (const { id } of stored) presented.push(presentObligation(await loadObligation(tx, orgId, id)));
  return {
    event: present(row!, actor.name),
    obligations: presented,
    warnings: result.warnings.filter((w) => w.eventId === row!.id),
  };
}

/** Corrects an event's fields (its type stays); obligations follow. */
export async function correctEvent({
  tx,
  actor,
  meta,
  orgId,
  certId,
  eventId,
  patch,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  certId: string;
  eventId: string;
  patch: Record<string, unknown>;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  await loadCertificate(tx, orgId, certId);
  const { e: before, name } = await loadEvent(tx, certId, eventId);
  if (before.withdrawnAt)
    throw conflict({
      zh: '这条事件已撤回，不能更正；请重新记录',
      en: 'This event was withdrawn and cannot be corrected: record it again',
    });
  const merged: Record<string, unknown> = { ...engineEvent(before), ...patch };
  delete merged.id;
  if ('at' in patch) delete merged.date;
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  const cols = toColumns(parseOne(merged));
  const [after] = await tx
    .update(certificateEvents)
    .set({ date: cols.date, at: cols.at, data: cols.data, updatedAt: new Date() })
    .where(and(eq(certificateEvents.id, eventId), eq(certificateEvents.certificateId, certId)))
    .returning();
  await recomputeCertificate(tx, certId);
  await recordAudit(tx, {
    action: 'event.corrected',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'event',
    targetId: eventId,
    summary: diffSummary(
      { date: before.date, at: before.at?.toISOString() ?? null, ...(before.data as object) },
      { date: after!.date, at: after!.at?.toISOString() ?? null, ...(after!.data as object) },
    ),
    ip: meta.ip,
  });
  return present(after!, name);
}

/** Withdraws an event recorded in error; it stays in the history, its obligations go. */
export async function withdrawEvent({
  tx,
  actor,
  meta,
  orgId,
  certId,
  eventId,
  reason,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  certId: string;
  eventId: string;
  reason: string;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  await loadCertificate(tx, orgId, certId);
  const { e } = await loadEvent(tx, certId, eventId);
  if (e.withdrawnAt) throw conflict({ zh: '这条事件已经撤回', en: 'This event was already withdrawn' });
  await tx
    .update(certificateEvents)
    .set({ withdrawnAt: new Date(), withdrawnReason: reason, updatedAt: new Date() })
    .where(and(eq(certificateEvents.id, eventId), eq(certificateEvents.certificateId, certId)));
  await recomputeCertificate(tx, certId);
  await recordAudit(tx, {
    action: 'event.withdrawn',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'event',
    targetId: eventId,
    summary: { certificateId: certId, type: e.type, date: e.date, reason },
    ip: meta.ip,
  });
}
