// Guided cases (变更, 重大变更, 遗失补办, 整改, 政策更新): the procedure an event starts, with its steps
// (each deadline and basis from the engine's obligation of the step's rule), an owner, the material
// checklist the assessment body asks for, the documents the company drafts, and the closing, which
// records the outcome as an event so the certificate and its obligations follow. The opening event
// is the case's identity (docs/cases.md): recording it opens the case, withdrawing it removes it.
import {
  CASE_OUTCOMES,
  CASE_TEMPLATES,
  caseKindOpenedBy,
  stepRule,
  EVENT_TYPE_NAMES_ZH,
  type CaseDocument,
  type CaseKind,
  type CaseStep,
  type EventType,
} from '@zizhi/core';
import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import {
  caseMaterials,
  certificateCases,
  certificateEvents,
  certificateTransitions,
  certificates,
  files,
  obligations,
  organisations,
  users,
} from '../../db/schema.js';
import { conflict, invalid, notFound } from '../../errors.js';
import { encodeCursor } from '../../http/paging.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import {
  loadCertificate,
  requireMembership,
  requireOrgAccess,
  seesOrg,
  visibleOrgsSql,
} from '../../access/membership.js';
import { recordEvent } from '../events/api.js';
import { getFile } from '../files/api.js';
import { addOwnedDuty, isOverdue, updateObligation } from '../obligations/api.js';
import type { CaseDocumentData } from '../../reports/case-documents.js';
import type { CaseActionInput } from './policy-schemas.js';
import type {
  CaseCloseInput,
  CaseListQuery,
  CasePatch,
  CaseStepInput,
  MaterialInput,
  WorkspaceCaseListQuery,
} from './case-schemas.js';

type EventRow = typeof certificateEvents.$inferSelect;
type CaseRow = typeof certificateCases.$inferSelect;
type ObligationRow = typeof obligations.$inferSelect;

/** Event types that open a case of some kind (a supervision only when it was not passed). */
const OPENERS = [...new Set(Object.values(CASE_TEMPLATES).flatMap((t) => t.openedBy))];
/** Event types that record a step of a case as done. */
const FOLLOW_UPS = [...new Set(Object.values(CASE_TEMPLATES).flatMap((t) => t.steps.flatMap((s) => s.doneBy ?? [])))];

const kindOf = (e: Pick<EventRow, 'type' | 'data'>): CaseKind | null =>
  caseKindOpenedBy({ type: e.type as EventType, passed: (e.data as { passed?: boolean }).passed });

/** The opening events a case list reads: not withdrawn, and a supervision only when it failed. */
const openerWhere = (orgs: string | SQL): SQL =>
  and(
    typeof orgs === 'string' ? eq(certificateEvents.orgId, orgs) : orgs,
    isNull(certificateEvents.withdrawnAt),
    inArray(certificateEvents.type, OPENERS),
    or(sql`${certificateEvents.type} <> 'supervision.done'`, sql`(${certificateEvents.data} ->> 'passed') = 'false'`),
  )!;

type StepStatus = 'done' | 'open' | 'waiting' | 'cancelled';
/** How a step is marked done: by recording its event, completing its duty, the certificate's state, by hand, or by closing. */
type StepAction = 'event' | 'obligation' | 'state' | 'manual' | 'close';

interface Loaded {
  events: EventRow[];
  rows: Map<string, CaseRow & { outcomeWithdrawn: boolean; outcomeData: unknown }>;
  followUps: Map<string, Map<EventType, EventRow>>;
  duties: Map<string, ObligationRow>;
  findings: Map<string, ObligationRow[]>;
  suspensions: Map<string, string[]>;
  materials: Map<string, Array<typeof caseMaterials.$inferSelect & { fileName: string | null }>>;
  names: Map<string, string>;
  numbers: Map<string, string>;
}

const dutyKey = (eventId: string, rule: string) => `${eventId}|${rule}`;
/** The keys of a policy case's actions. */
const actionPrefix = (caseId: string) => `policy.action:${caseId}:`;

/** Everything the given opening events' cases show, in a fixed number of statements. */
async function load(tx: Tx, events: EventRow[]): Promise<Loaded> {
  const ids = events.map((e) => e.id);
  const certIds = [...new Set(events.map((e) => e.certificateId))];
  const out: Loaded = {
    events,
    rows: new Map(),
    followUps: new Map(ids.map((id) => [id, new Map<EventType, EventRow>()])),
    duties: new Map(),
    findings: new Map(ids.map((id) => [id, []])),
    suspensions: new Map(),
    materials: new Map(ids.map((id) => [id, []])),
    names: new Map(),
    numbers: new Map(),
  };
  if (events.length === 0) return out;
  const outcome = sql<boolean>`exists (select 1 from certificate_events o where o.id = ${certificateCases.outcomeEventId} and o.withdrawn_at is not null)`;
  for (const r of await tx
    .select({ c: certificateCases, outcomeWithdrawn: outcome })
    .from(certificateCases)
    .where(inArray(certificateCases.eventId, ids))) {
    out.rows.set(r.c.eventId, { ...r.c, outcomeWithdrawn: r.outcomeWithdrawn, outcomeData: null });
  }
  const outcomeIds = [...out.rows.values()].flatMap((r) => (r.outcomeEventId ? [r.outcomeEventId] : []));
  if (outcomeIds.length > 0) {
    const data = new Map(
      (
        await tx
          .select({ id: certificateEvents.id, data: certificateEvents.data })
          .from(certificateEvents)
          .where(inArray(certificateEvents.id, outcomeIds))
      ).map((r) => [r.id, r.data]),
    );
    for (const r of out.rows.values()) if (r.outcomeEventId) r.outcomeData = data.get(r.outcomeEventId) ?? null;
  }
  // Every case of the same kind on these certificates, to hand each follow-up to the latest case
  // opened on or before it (an application after a second loss belongs to the second).
  const all = (
    await tx
      .select()
      .from(certificateEvents)
      .where(
        and(
          inArray(certificateEvents.certificateId, certIds),
          isNull(certificateEvents.withdrawnAt),
          inArray(certificateEvents.type, [...OPENERS, ...FOLLOW_UPS]),
        ),
      )
      .orderBy(certificateEvents.date, certificateEvents.createdAt)
  ).filter((e) => FOLLOW_UPS.includes(e.type as EventType) || kindOf(e) !== null);
  for (const f of all) {
    const type = f.type as EventType;
    if (!FOLLOW_UPS.includes(type)) continue;
    const owner = all
      .filter((e) => {
        const kind = kindOf(e);
        return (
          e.certificateId === f.certificateId &&
          e.date <= f.date &&
          kind !== null &&
          !FOLLOW_UPS.includes(e.type as EventType) &&
          CASE_TEMPLATES[kind].steps.some((s) => s.doneBy === type)
        );
      })
      .at(-1);
    const mine = owner ? out.followUps.get(owner.id) : undefined;
    if (mine && !mine.has(type)) mine.set(type, f);
  }
  const triggerIds = [...ids, ...[...out.followUps.values()].flatMap((m) => [...m.values()].map((e) => e.id))];
  for (const o of await tx
    .select()
    .from(obligations)
    .where(and(inArray(obligations.certificateId, certIds), inArray(obligations.eventId, triggerIds)))) {
    if (o.eventId) out.duties.set(dutyKey(o.eventId, o.rule), o);
  }
  // A failed supervision's findings are the rectification's actions (supervision.finding:<date>:<n>),
  // and a policy case's actions are its own duties (policy.action:<case>:<n>).
  const withActions = events.filter((e) => {
    const kind = kindOf(e);
    return kind === 'rectification' || kind === 'policy';
  });
  if (withActions.length > 0) {
    const rows = await tx
      .select()
      .from(obligations)
      .where(
        and(
          inArray(obligations.certificateId, [...new Set(withActions.map((e) => e.certificateId))]),
          inArray(obligations.rule, ['supervision.finding', 'policy.action']),
        ),
      )
      .orderBy(obligations.createdAt, obligations.id);
    for (const e of withActions) {
      const prefix = kindOf(e) === 'policy' ? actionPrefix(e.id) : `supervision.finding:${e.date}:`;
      out.findings.set(
        e.id,
        rows.filter((o) => o.certificateId === e.certificateId && o.key.startsWith(prefix)),
      );
    }
  }
  for (const t of await tx
    .select({ certificateId: certificateTransitions.certificateId, on: certificateTransitions.on })
    .from(certificateTransitions)
    .where(and(inArray(certificateTransitions.certificateId, certIds), eq(certificateTransitions.toState, 'suspended')))
    .orderBy(certificateTransitions.on)) {
    out.suspensions.set(t.certificateId, [...(out.suspensions.get(t.certificateId) ?? []), t.on]);
  }
  for (const m of await tx
    .select({ m: caseMaterials, fileName: files.name })
    .from(caseMaterials)
    .leftJoin(files, eq(files.id, caseMaterials.fileId))
    .where(inArray(caseMaterials.caseId, ids))) {
    out.materials.get(m.m.caseId)?.push({ ...m.m, fileName: m.fileName });
  }
  for (const c of await tx
    .select({ id: certificates.id, number: certificates.number })
    .from(certificates)
    .where(inArray(certificates.id, certIds))) {
    out.numbers.set(c.id, c.number);
  }
  const people = new Set<string>();
  for (const r of out.rows.values()) for (const id of [r.ownerId, r.closedBy]) if (id) people.add(id);
  for (const o of [...out.duties.values(), ...[...out.findings.values()].flat()]) {
    if (o.assigneeId) people.add(o.assigneeId);
  }
  if (people.size > 0) {
    for (const u of await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, [...people]))) {
      out.names.set(u.id, u.name);
    }
  }
  return out;
}

const person = (l: Loaded, id: string | null | undefined) => (id ? { id, name: l.names.get(id) ?? '' } : null);

/** The duty a step's deadline comes from: triggered by the opening event or by an earlier step's event. */
function stepDuty(
  l: Loaded,
  e: EventRow,
  step: CaseStep,
): { duty: ObligationRow | null; waitingFor: EventType | null } {
  const rule = stepRule(step, e.type as EventType);
  if (!rule) return { duty: null, waitingFor: null };
  const direct = l.duties.get(dutyKey(e.id, rule));
  if (direct) return { duty: direct, waitingFor: null };
  const kind = kindOf(e)!;
  for (const s of CASE_TEMPLATES[kind].steps) {
    if (!s.doneBy) continue;
    const f = l.followUps.get(e.id)?.get(s.doneBy);
    const d = f ? l.duties.get(dutyKey(f.id, rule)) : undefined;
    if (d) return { duty: d, waitingFor: null };
  }
  // Counted from an earlier step's event that is not recorded yet (or not applicable to the level).
  const before = CASE_TEMPLATES[kind].steps.slice(0, CASE_TEMPLATES[kind].steps.indexOf(step)).find((s) => s.doneBy);
  return { duty: null, waitingFor: before?.doneBy ?? null };
}

function present(l: Loaded, e: EventRow) {
  const kind = kindOf(e)!;
  const t = CASE_TEMPLATES[kind];
  const row = l.rows.get(e.id);
  const closed = Boolean(row?.closedOn) && !row?.outcomeWithdrawn;
  const manual = (row?.stepsDone ?? {}) as Record<string, { on: string; by: string | null }>;
  const ownerId = row?.ownerId ?? null;
  const steps = t.steps.map((step, i) => {
    const last = i === t.steps.length - 1;
    const { duty, waitingFor } = stepDuty(l, e, step);
    const followUp = step.doneBy ? l.followUps.get(e.id)?.get(step.doneBy) : undefined;
    const suspendedOn = step.doneByState
      ? ((l.suspensions.get(e.certificateId) ?? []).find((on) => on >= e.date) ?? null)
      : null;
    let status: StepStatus = 'open';
    let doneOn: string | null = null;
    if (duty) {
      if (duty.cancelledOn) status = 'cancelled';
      else if (duty.satisfiedOn || duty.status === 'done' || duty.status === 'waived') {
        status = 'done';
        doneOn = duty.satisfiedOn ?? duty.completedOn;
      }
    }
    if (followUp) {
      status = 'done';
      doneOn = followUp.date;
    } else if (suspendedOn) {
      status = 'done';
      doneOn = suspendedOn;
    } else if (manual[step.key]) {
      status = 'done';
      doneOn = manual[step.key]!.on;
    } else if (last && closed) {
      status = 'done';
      doneOn = row!.closedOn;
    }
    if (status === 'open' && !duty && waitingFor) status = 'waiting';
    const action: StepAction = last
      ? 'close'
      : step.doneBy
        ? 'event'
        : step.doneByState
          ? 'state'
          : duty
            ? 'obligation'
            : 'manual';
    return {
      key: step.key,
      name: step.zh,
      nameEn: step.en,
      status,
      doneOn,
      action,
      event: step.doneBy ?? null,
      state: step.doneByState ?? null,
      obligationId: duty?.id ?? null,
      dueDate: duty?.dueDate ?? null,
      dueAt: duty?.dueAt?.toISOString() ?? null,
      basis: duty?.basis ?? null,
      basisEn: duty?.basisEn ?? null,
      overdue: status === 'open' && duty !== null && isOverdue(duty),
      assignee: person(l, duty?.assigneeId ?? ownerId),
    };
  });
  const stored = new Map((l.materials.get(e.id) ?? []).map((m) => [m.key, m]));
  const checklist = t.materials.map((m) => {
    const s = stored.get(m.key);
    return {
      id: m.key,
      name: m.zh,
      nameEn: m.en,
      when: m.whenZh ?? null,
      whenEn: m.whenEn ?? null,
      assumed: m.assumed ?? false,
      status: s?.status ?? ('missing' as const),
      file: s?.fileId ? { id: s.fileId, name: s.fileName ?? '' } : null,
      reason: s?.reason ?? null,
    };
  });
  const periodEnd = steps.find((s) => s.key === 'reassess')?.dueDate ?? null;
  const actions = (l.findings.get(e.id) ?? []).map((o) => ({
    obligationId: o.id,
    text: o.titleZh.replace(/^(监督评估问题整改|政策更新落实)：/, ''),
    dueDate: o.dueDate,
    status:
      o.satisfiedOn || o.status === 'done'
        ? ('done' as const)
        : o.status === 'waived'
          ? ('waived' as const)
          : ('open' as const),
    completedOn: o.completedOn,
    overdue: isOverdue(o),
    afterPeriod: periodEnd !== null && o.dueDate > periodEnd,
    assignee: person(l, o.assigneeId),
  }));
  const outcome =
    row?.outcomeEventId && !row.outcomeWithdrawn ? (row.outcomeData as { certificateNo?: string } | null) : null;
  const pendingDue = steps.filter((s) => s.status === 'open' && s.dueDate).map((s) => s.dueDate!);
  return {
    id: e.id,
    kind,
    orgId: e.orgId,
    certificateId: e.certificateId,
    certificateNo: l.numbers.get(e.certificateId) ?? '',
    openedOn: e.date,
    openedBy: e.type as EventType,
    note: (e.data as { note?: string }).note ?? null,
    state: closed ? ('closed' as const) : ('open' as const),
    owner: person(l, ownerId),
    steps,
    checklist,
    actions,
    documents: [...t.documents],
    progress: {
      steps: steps.length,
      stepsDone: steps.filter((s) => s.status === 'done' || s.status === 'cancelled').length,
      materials: checklist.length,
      materialsDone: checklist.filter((c) => c.status !== 'missing').length,
      actions: actions.length,
      actionsDone: actions.filter((a) => a.status !== 'open').length,
    },
    nextDue: pendingDue.sort()[0] ?? null,
    overdue: steps.some((s) => s.overdue) || actions.some((a) => a.status === 'open' && a.overdue),
    closedOn: closed ? row!.closedOn : null,
    closedBy: closed ? person(l, row!.closedBy) : null,
    closingNote: closed ? (row!.closingNote ?? null) : null,
    outcome:
      closed && outcome !== null
        ? { eventId: row!.outcomeEventId!, certificateNo: outcome.certificateNo ?? null }
        : null,
  };
}

export type PresentedCase = ReturnType<typeof present>;

/** The organisation's cases, newest opened first, a page at a time (viewers and above). */
export async function listCases({
  tx,
  actor,
  orgId,
  query,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  query: CaseListQuery;
}) {
  await requireOrgAccess(tx, actor, orgId);
  return casesPage(tx, orgId, query);
}

/**
 * The cases of the workspace's organisations the member may see (or of one of them), newest first:
 * the dashboard's open cases and their progress.
 */
export async function listWorkspaceCases({
  tx,
  actor,
  workspaceId,
  query,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  query: WorkspaceCaseListQuery;
}) {
  const membership = await requireMembership(tx, actor, workspaceId);
  const { orgId, ...rest } = query;
  if (orgId) {
    const [org] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.id, orgId), eq(organisations.workspaceId, workspaceId)));
    if (!org || (membership.orgIds && !membership.orgIds.includes(orgId))) throw notFound('企业');
    return casesPage(tx, orgId, rest);
  }
  return casesPage(tx, visibleOrgsSql(certificateEvents.orgId, workspaceId, membership.orgIds), rest);
}

async function casesPage(tx: Tx, orgs: string | SQL, query: CaseListQuery) {
  const where: (SQL | undefined)[] = [openerWhere(orgs)];
  if (query.certificateId) where.push(eq(certificateEvents.certificateId, query.certificateId));
  if (query.kind) where.push(inArray(certificateEvents.type, [...CASE_TEMPLATES[query.kind].openedBy]));
  if (query.state) {
    const closed = sql`exists (select 1 from certificate_cases c where c.event_id = ${certificateEvents.id} and c.closed_on is not null and not exists (select 1 from certificate_events o where o.id = c.outcome_event_id and o.withdrawn_at is not null))`;
    where.push(query.state === 'closed' ? closed : sql`not ${closed}`);
  }
  if (query.cursor) {
    const [date, id] = query.cursor as [string, string];
    where.push(
      or(lt(certificateEvents.date, date), and(eq(certificateEvents.date, date), lt(certificateEvents.id, id))),
    );
  }
  const rows = await tx
    .select()
    .from(certificateEvents)
    .where(and(...where))
    .orderBy(desc(certificateEvents.date), desc(certificateEvents.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const l = await load(tx, page);
  const last = page.at(-1);
  return {
    items: page.map((e) => present(l, e)),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.date, last.id]) : null,
  };
}

/** The opening event of a case of the organisation, or 404 (also for a withdrawn one). */
async function openingEvent(tx: Tx, orgId: string, caseId: string): Promise<EventRow> {
  const [e] = await tx
    .select()
    .from(certificateEvents)
    .where(and(eq(certificateEvents.id, caseId), openerWhere(orgId)));
  if (!e || kindOf(e) === null) throw notFound('办理事项');
  return e;
}

export async function getCase({ tx, actor, orgId, caseId }: { tx: Tx; actor: Actor; orgId: string; caseId: string }) {
  await requireOrgAccess(tx, actor, orgId);
  const e = await openingEvent(tx, orgId, caseId);
  return present(await load(tx, [e]), e);
}

/** The case's row, written on its first change. */
async function ensureRow(tx: Tx, e: EventRow): Promise<CaseRow> {
  await tx
    .insert(certificateCases)
    .values({ eventId: e.id, orgId: e.orgId, certificateId: e.certificateId })
    .onConflictDoNothing();
  const [row] = await tx.select().from(certificateCases).where(eq(certificateCases.eventId, e.id));
  return row!;
}

/** A case a manager is about to change: 404 for another's, 409 once it is closed. */
async function changeableCase(tx: Tx, actor: Actor, orgId: string, caseId: string) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const e = await openingEvent(tx, orgId, caseId);
  const c = present(await load(tx, [e]), e);
  if (c.state === 'closed') {
    throw conflict({ zh: '这个办理事项已结案，不能再修改', en: 'This case is closed and can no longer change' });
  }
  return { org, e, c };
}

/** A day something in the case was done: not before the case opened, not after today. */
function checkDay(date: string, openedOn: string, field: string, what: { zh: string; en: string }) {
  if (date < openedOn) {
    throw invalid(field, {
      zh: `${what.zh}不能早于办理事项开始的 ${openedOn}`,
      en: `${what.en} cannot be before the case opened on ${openedOn}`,
    });
  }
  if (date > chinaToday()) {
    throw invalid(field, { zh: `${what.zh}不能晚于今天`, en: `${what.en} cannot be after today` });
  }
}

/** Sets the case's owner (managers and above): a member who can see the company, or nobody. */
export async function updateCase({
  tx,
  actor,
  meta,
  orgId,
  caseId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  caseId: string;
  input: CasePatch;
}) {
  const { org, e } = await changeableCase(tx, actor, orgId, caseId);
  if (input.ownerId) {
    if (!(await seesOrg(tx, org.workspaceId, input.ownerId, orgId))) {
      throw invalid('ownerId', {
        zh: '负责人只能是能访问此企业的工作空间成员',
        en: 'The owner must be a workspace member who can see this company',
      });
    }
  }
  await ensureRow(tx, e);
  await tx
    .update(certificateCases)
    .set({ ownerId: input.ownerId, updatedAt: new Date() })
    .where(eq(certificateCases.eventId, e.id));
  const [owner] = input.ownerId
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, input.ownerId))
    : [];
  await recordAudit(tx, {
    action: 'case.updated',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'case',
    targetId: e.id,
    summary: { kind: kindOf(e)!, owner: owner?.name ?? null },
    ip: meta.ip,
  });
  return getCase({ tx, actor, orgId, caseId });
}

/**
 * Marks a step done (managers and above): records its event (the application), completes its duty,
 * or notes a step without either. The suspension is recorded as the certificate's state, and the
 * last step by closing the case.
 */
export async function completeStep({
  tx,
  actor,
  meta,
  orgId,
  caseId,
  stepKey,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  caseId: string;
  stepKey: string;
  input: CaseStepInput;
}) {
  const { org, e, c } = await changeableCase(tx, actor, orgId, caseId);
  const step = c.steps.find((s) => s.key === stepKey);
  if (!step) throw notFound('办理步骤');
  if (step.status === 'done') {
    throw conflict({
      zh: `「${step.name}」已于 ${step.doneOn} 完成`,
      en: `“${step.nameEn}” was done on ${step.doneOn}`,
    });
  }
  checkDay(input.date, e.date, 'date', { zh: '完成日期', en: 'The date' });
  switch (step.action) {
    case 'close':
      throw conflict({
        zh: `「${step.name}」在结案时记录：请使用“结案”`,
        en: `“${step.nameEn}” is recorded when the case is closed: close the case`,
      });
    case 'state':
      throw conflict({
        zh: '整改期从记录证书状态「暂停使用（整改期）」开始：请在证书页记录状态变更',
        en: 'The rectification period starts when the certificate is recorded as suspended: record the state on the certificate page',
      });
    case 'event':
      await recordEvent({
        tx,
        actor,
        meta,
        orgId,
        certId: e.certificateId,
        body: { type: step.event!, date: input.date, ...(input.note ? { note: input.note } : {}) },
      });
      break;
    case 'obligation':
      await updateObligation({
        tx,
        actor,
        meta,
        orgId,
        id: step.obligationId!,
        input: { status: 'done', completedOn: input.date, ...(input.note ? { note: input.note } : {}) },
      });
      break;
    case 'manual': {
      if (step.status === 'waiting') {
        throw conflict({ zh: '请先完成上一步', en: 'Complete the previous step first' });
      }
      const row = await ensureRow(tx, e);
      const done = { ...(row.stepsDone as Record<string, unknown>), [step.key]: { on: input.date, by: actor.userId } };
      await tx
        .update(certificateCases)
        .set({ stepsDone: done, updatedAt: new Date() })
        .where(eq(certificateCases.eventId, e.id));
      break;
    }
  }
  await recordAudit(tx, {
    action: 'case.step-done',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'case',
    targetId: e.id,
    summary: { kind: c.kind, step: step.key, date: input.date },
    ip: meta.ip,
  });
  return getCase({ tx, actor, orgId, caseId });
}

/** Marks a material provided (with its file) or not applicable (with the reason), or clears it. */
export async function setMaterial({
  tx,
  actor,
  meta,
  orgId,
  caseId,
  itemId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  caseId: string;
  itemId: string;
  input: MaterialInput | null;
}) {
  const { org, e, c } = await changeableCase(tx, actor, orgId, caseId);
  const item = c.checklist.find((m) => m.id === itemId);
  if (!item) throw notFound('材料');
  let fileName: string | null = null;
  if (input?.status === 'provided') fileName = (await getFile({ tx, actor, orgId, fileId: input.fileId })).name;
  await ensureRow(tx, e);
  if (input === null) {
    await tx.delete(caseMaterials).where(and(eq(caseMaterials.caseId, e.id), eq(caseMaterials.key, itemId)));
  } else {
    const values = {
      status: input.status,
      fileId: input.status === 'provided' ? input.fileId : null,
      reason: input.status === 'not-applicable' ? input.reason : null,
      updatedBy: actor.userId,
      updatedAt: new Date(),
    };
    await tx
      .insert(caseMaterials)
      .values({ orgId, caseId: e.id, key: itemId, ...values })
      .onConflictDoUpdate({ target: [caseMaterials.caseId, caseMaterials.key], set: values });
  }
  await recordAudit(tx, {
    action: input === null ? 'case.material-cleared' : 'case.material-set',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'case',
    targetId: e.id,
    summary: {
      kind: c.kind,
      material: item.id,
      ...(input === null ? {} : { status: input.status }),
      ...(fileName ? { file: fileName } : {}),
      ...(input?.status === 'not-applicable' ? { reason: input.reason } : {}),
    },
    ip: meta.ip,
  });
  return getCase({ tx, actor, orgId, caseId });
}

/**
 * Closes the case (managers and above) once every step before the last is done and every material
 * is provided or not applicable: records the outcome as an event (the re-issued certificate with its
 * new number if one was printed, or the passed re-assessment), so the certificate and its duties follow.
 */
export async function closeCase({
  tx,
  actor,
  meta,
  orgId,
  caseId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  caseId: string;
  input: CaseCloseInput;
}) {
  const { org, e, c } = await changeableCase(tx, actor, orgId, caseId);
  const undone = c.steps.slice(0, -1).find((s) => s.status !== 'done' && s.status !== 'cancelled');
  if (undone) {
    throw conflict({
      zh: `请先完成「${undone.name}」，再结案`,
      en: `Complete “${undone.nameEn}” before closing the case`,
    });
  }
  const missing = c.checklist.filter((m) => m.status === 'missing');
  if (missing.length > 0) {
    throw conflict({
      zh: `材料清单还有 ${missing.length} 项未处理（${missing.map((m) => m.name).join('、')}）：请上传，或标记不适用并说明原因`,
      en: `${missing.length} materials are neither provided nor marked not applicable (${missing.map((m) => m.nameEn).join(', ')})`,
    });
  }
  checkDay(input.date, e.date, 'date', { zh: '结案日期', en: 'The closing date' });
  const outcome = CASE_OUTCOMES[c.kind];
  if (input.certificateNo && outcome !== 'reissued') {
    throw invalid('certificateNo', {
      zh: '只有换发或补发证书的办理事项才记录新证书编号',
      en: 'Only a case that ends with a re-issued certificate records a new number',
    });
  }
  const cert = await loadCertificate(tx, orgId, e.certificateId);
  const newNumber =
    input.certificateNo && input.certificateNo.toUpperCase() !== cert.number.toUpperCase() ? input.certificateNo : null;
  if (newNumber) {
    const [other] = await tx
      .select({ id: certificates.id })
      .from(certificates)
      .where(and(eq(certificates.orgId, orgId), sql`upper(${certificates.number}) = upper(${newNumber})`));
    if (other) {
      throw conflict(
        {
          zh: `本企业已有编号为 ${newNumber} 的证书`,
          en: `The company already has a certificate numbered ${newNumber}`,
        },
        'certificateNo',
      );
    }
  }
  const note = input.note ? { note: input.note } : {};
  let outcomeEventId: string | null = null;
  if (outcome === 'reissued') {
    const cause = c.kind === 'loss' ? 'loss' : c.kind === 'major-change' ? 'major-change' : 'change';
    const r = await recordEvent({
      tx,
      actor,
      meta,
      orgId,
      certId: e.certificateId,
      body: {
        type: 'certificate.reissued',
        date: input.date,
        cause,
        ...(newNumber ? { certificateNo: newNumber } : {}),
        ...note,
      },
    });
    outcomeEventId = r.event.id;
  } else if (outcome === 'reassessed') {
    const r = await recordEvent({
      tx,
      actor,
      meta,
      orgId,
      certId: e.certificateId,
      body: { type: 'supervision.done', date: input.date, passed: true, ...note },
    });
    outcomeEventId = r.event.id;
  }
  if (newNumber) {
    await tx
      .update(certificates)
      .set({ number: newNumber, updatedAt: new Date() })
      .where(and(eq(certificates.id, e.certificateId), eq(certificates.orgId, orgId)));
  }
  await ensureRow(tx, e);
  await tx
    .update(certificateCases)
    .set({
      closedOn: input.date,
      closedBy: actor.userId,
      outcomeEventId,
      closingNote: input.note ?? null,
      updatedAt: new Date(),
    })
    .where(eq(certificateCases.eventId, e.id));
  await recordAudit(tx, {
    action: 'case.closed',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'case',
    targetId: e.id,
    summary: {
      kind: c.kind,
      date: input.date,
      ...(newNumber ? { certificateNo: newNumber, certificateNoBefore: cert.number } : {}),
      ...(input.note ? { note: input.note } : {}),
    },
    ip: meta.ip,
  });
  return getCase({ tx, actor, orgId, caseId });
}

/** What a case's document is drafted from (viewers and above); 404 for a document the case does not have. */
export async function caseDocumentData({
  tx,
  actor,
  orgId,
  caseId,
  document,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  caseId: string;
  document: CaseDocument;
}): Promise<CaseDocumentData> {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const e = await openingEvent(tx, orgId, caseId);
  const c = present(await load(tx, [e]), e);
  if (!c.documents.includes(document)) throw notFound('文书');
  const cert = await loadCertificate(tx, orgId, e.certificateId);
  return {
    today: chinaToday(),
    organisation: { name: org.name },
    certificate: {
      number: cert.number,
      level: cert.level,
      issuer: cert.issuer,
      issuedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
    },
    case: {
      kindZh: CASE_TEMPLATES[c.kind].zh,
      openedOn: c.openedOn,
      openedByZh: EVENT_TYPE_NAMES_ZH[c.openedBy],
      note: c.note,
      materials: c.checklist.map((m) => ({ name: m.name, status: m.status, reason: m.reason })),
    },
    findings: c.actions.map((a) => ({
      text: a.text,
      owner: a.assignee?.name ?? null,
      dueDate: a.dueDate,
      status: a.status,
      completedOn: a.completedOn,
    })),
    periodEnd: c.steps.find((s) => s.key === 'reassess')?.dueDate ?? null,
  };
}

/** Adds an action to a policy case (managers and above): a duty with an owner and a due date. */
export async function addCaseAction({
  tx,
  actor,
  meta,
  orgId,
  caseId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  caseId: string;
  input: CaseActionInput;
}) {
  const { org, e, c } = await changeableCase(tx, actor, orgId, caseId);
  if (c.kind !== 'policy') {
    throw conflict({
      zh: '只有政策更新的办理事项在这里添加落实事项；整改事项在监督评估结果中登记',
      en: 'Actions are added here to policy cases only; rectification actions are the supervision’s findings',
    });
  }
  if (c.actions.length >= 50) {
    throw invalid('title', { zh: '一个办理事项最多 50 个落实事项', en: 'At most 50 actions per case' });
  }
  if (input.dueDate < e.date) {
    throw invalid('dueDate', {
      zh: `完成期限不能早于办理事项开始的 ${e.date}`,
      en: `The due date cannot be before the case opened on ${e.date}`,
    });
  }
  const n = c.actions.length + 1;
  await addOwnedDuty(
    tx,
    actor,
    meta,
    {
      orgId,
      certificateId: e.certificateId,
      rule: 'policy.action',
      key: `${actionPrefix(e.id)}${n}`,
      titleZh: `政策更新落实：${input.title}`,
      titleEn: `Policy update action: ${input.title}`,
      dueDate: input.dueDate,
      basis: `${e.date} 政策更新评审确定的落实事项（第 ${n} 项）${c.note ? `：${c.note}` : ''}`,
      basisEn: `Action ${n} decided when reviewing the policy update of ${e.date}`,
    },
    input.assigneeId,
  );
  await recordAudit(tx, {
    action: 'case.action-added',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'case',
    targetId: e.id,
    summary: { kind: c.kind, title: input.title, dueDate: input.dueDate },
    ip: meta.ip,
  });
  return getCase({ tx, actor, orgId, caseId });
}
