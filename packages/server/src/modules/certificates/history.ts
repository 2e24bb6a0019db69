// The history step: a certificate entered after its issue date comes with supervisions or self-checks
// already done and periodic duties already kept. Recording them in one go makes the calendar truthful
// from day one instead of a wall of overdue work.
import type { EngineAlert, EngineMessage, ObligationsResult } from '@zizhi/core';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { certificateEvents, obligations } from '../../db/schema.js';
import { invalid } from '../../errors.js';
import { chinaToday } from '../../clock.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { evaluateStored, recomputeCertificate, isPending, pendingSql, refreshReminders } from '../obligations/api.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';

/** Duties that recur on a schedule and that people keep without the assessment body. */
export const PERIODIC_RULES = ['audit.internal', 'meeting.quarterly'] as const;

export interface HistoryInput {
  supervisions: { date: string; passed: boolean }[];
  selfChecks: { year: number; date: string; result: 'normal' | 'abnormal' }[];
  /** Periodic duties due before this day are recorded as done. */
  periodicDoneBefore?: string | undefined;
  /** The completion date to record for them; by default each one's own due date. */
  periodicCompletedOn?: string | undefined;
  dryRun: boolean;
}

export interface HistoryResult {
  saved: boolean;
  /** Events recorded (or that would be). */
  events: number;
  /** Periodic duties recorded as done (or that would be). */
  closed: number;
  /** Duties still overdue afterwards. */
  overdue: number;
  warnings: EngineMessage[];
  alerts: EngineAlert[];
}

function toEngineEvents(input: HistoryInput): Record<string, unknown>[] {
  return [
    ...input.supervisions.map((s) => ({ type: 'supervision.done', date: s.date, passed: s.passed })),
    ...input.selfChecks.map((c) => ({ type: 'self-check.submitted', date: c.date, year: c.year, result: c.result })),
  ];
}

function checkDates(input: HistoryInput, issuedOn: string, today: string) {
  const dated: [string, string][] = [
    ...input.supervisions.map((s, i): [string, string] => [`supervisions.${i}.date`, s.date]),
    ...input.selfChecks.map((c, i): [string, string] => [`selfChecks.${i}.date`, c.date]),
  ];
  if (input.periodicCompletedOn) dated.push(['periodicCompletedOn', input.periodicCompletedOn]);
  for (const [field, date] of dated) {
    if (date > today)
      throw invalid(field, {
        zh: `日期 ${date} 晚于今天：只能补录已经发生的事`,
        en: `${date} is later than today: only what already happened can be recorded`,
      });
    if (date < issuedOn)
      throw invalid(field, {
        zh: `日期 ${date} 早于发证日期 ${issuedOn}：不属于这张证书`,
        en: `${date} is before the issue date ${issuedOn}: it does not belong to this certificate`,
      });
  }
  if (input.periodicDoneBefore && input.periodicDoneBefore > today) {
    throw invalid('periodicDoneBefore', {
      zh: `日期 ${input.periodicDoneBefore} 晚于今天：只能把已到期的例行事项记为完成`,
      en: `${input.periodicDoneBefore} is later than today: only duties already due can be recorded as done`,
    });
  }
  if (input.periodicCompletedOn && !input.periodicDoneBefore) {
    throw invalid('periodicCompletedOn', {
      zh: '请先选择把哪天之前的例行事项记为完成',
      en: 'First choose the day before which routine duties are recorded as done',
    });
  }
}

/** The engine's periodic duties due before `before` that are still to be done per the stored rows. */
async function periodicToClose(
  tx: Tx,
  certId: string,
  result: ObligationsResult,
  before: string | undefined,
): Promise<{ key: string; dueDate: string }[]> {
  if (!before) return [];
  const candidates = result.obligations.filter(
    (o) =>
      (PERIODIC_RULES as readonly string[]).includes(o.rule) &&
      o.dueDate < before &&
      o.cancelled === undefined &&
      o.satisfiedOn === undefined,
  );
  if (candidates.length === 0) return [];
  const stored = await tx
    .select({
      key: obligations.key,
      status: obligations.status,
      satisfiedOn: obligations.satisfiedOn,
      cancelledOn: obligations.cancelledOn,
    })
    .from(obligations)
    .where(
      and(
        eq(obligations.certificateId, certId),
        inArray(
          obligations.key,
          candidates.map((o) => o.key),
        ),
      ),
    );
  const byKey = new Map(stored.map((r) => [r.key, r]));
  // A duty not stored yet (a preview of a calendar that changed since) is pending by definition.
  return candidates
    .filter((o) => {
      const row = byKey.get(o.key);
      return row === undefined || isPending(row);
    })
    .map((o) => ({ key: o.key, dueDate: o.dueDate }));
}

/** Overdue duties of an engine result given the stored statuses people set. */
async function countOverdue(tx: Tx, certId: string, result: ObligationsResult, closing: Set<string>, today: string) {
  const rows = await tx
    .select({
      key: obligations.key,
      status: obligations.status,
      satisfiedOn: obligations.satisfiedOn,
      cancelledOn: obligations.cancelledOn,
    })
    .from(obligations)
    .where(eq(obligations.certificateId, certId));
  const status = new Map(rows.map((r) => [r.key, r.status]));
  let n = 0;
  for (const o of result.obligations) {
    if (closing.has(o.key) || o.dueDate >= today) continue;
    const row = {
      status: status.get(o.key) ?? 'open',
      satisfiedOn: o.satisfiedOn ?? null,
      cancelledOn: o.cancelled?.on ?? null,
    };
    if (isPending(row)) n++;
  }
  return n;
}

/**
 * Records what happened before the certificate was entered: supervisions and self-checks (as
 * events, each audited), and periodic duties done before a day. With `dryRun` nothing is saved and
 * the answer says what would change, so the form can show it before the user commits.
 */
export async function recordHistory({
  tx,
  actor,
  meta,
  orgId,
  certId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  certId: string;
  input: HistoryInput;
}): Promise<HistoryResult> {
  const { org } = await requireOrgAccess(tx, actor, orgId, input.dryRun ? 'viewer' : 'manager');
  const cert = await loadCertificate(tx, orgId, certId);
  const today = chinaToday();
  checkDates(input, cert.issuedOn, today);
  const engineEvents = toEngineEvents(input);
  if (engineEvents.length === 0 && !input.periodicDoneBefore) {
    throw invalid('supervisions', {
      zh: '请至少填写一次监督评估、一次年度自查，或选择把哪天之前的例行事项记为完成',
      en: 'Enter at least one supervision or self-check, or choose the day before which routine duties are done',
    });
  }

  if (input.dryRun) {
    const ids = engineEvents.map((_, i) => `history-${i}`);
    const before = await evaluateStored(tx, cert);
    const after = await evaluateStored(tx, cert, {
      extraEvents: engineEvents.map((e, i) => ({ ...e, id: ids[i] })),
    });
    const closing = await periodicToClose(tx, certId, after, input.periodicDoneBefore);
    const seen = new Set(before.warnings.map((w) => w.zh));
    return {
      saved: false,
      events: engineEvents.length,
      closed: closing.length,
      overdue: await countOverdue(tx, certId, after, new Set(closing.map((c) => c.key)), today),
      warnings: after.warnings.filter((w) => !seen.has(w.zh)).map(({ eventId: _id, ...w }) => w),
      alerts: after.alerts,
    };
  }

  const created: string[] = [];
  for (const e of engineEvents) {
    const { type, date, ...data } = e as { type: string; date: string } & Record<string, unknown>;
    const [row] = await tx
      .insert(certificateEvents)
      .values({ orgId, certificateId: certId, type, date, at: null, data, createdBy: actor.userId })
      .returning({ id: certificateEvents.id });
    created.push(row!.id);
    await recordAudit(tx, {
      action: 'event.recorded',
      actorId: actor.userId,
      workspaceId: org.workspaceId,
      orgId,
      targetType: 'event',
      targetId: row!.id,
      summary: { certificateId: certId, type, date, ...data, history: true },
      ip: meta.ip,
    });
  }
  const result = await recomputeCertificate(tx, certId);
  const closing = await periodicToClose(tx, certId, result, input.periodicDoneBefore);
  if (closing.length > 0) {
    const ids: string[] = [];
    for (const c of closing) {
      const completedOn = input.periodicCompletedOn ?? (c.dueDate < today ? c.dueDate : today);
      const [row] = await tx
        .update(obligations)
        .set({ status: 'done', completedOn, updatedAt: new Date() })
        .where(and(eq(obligations.certificateId, certId), eq(obligations.key, c.key), pendingSql()))
        .returning({ id: obligations.id });
      if (row) ids.push(row.id);
    }
    await refreshReminders(tx, { obligationIds: ids });
  }
  await recordAudit(tx, {
    action: 'certificate.history-recorded',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: {
      number: cert.number,
      supervisions: input.supervisions.length,
      selfChecks: input.selfChecks.length,
      periodicDoneBefore: input.periodicDoneBefore ?? null,
      periodicCompletedOn: input.periodicCompletedOn ?? null,
      closed: closing.length,
    },
    ip: meta.ip,
  });
  const createdSet = new Set(created);
  return {
    saved: true,
    events: created.length,
    closed: closing.length,
    overdue: await countOverdue(tx, certId, result, new Set(), today),
    warnings: result.warnings.filter((w) => w.eventId !== undefined && createdSet.has(w.eventId)),
    alerts: result.alerts,
  };
}
