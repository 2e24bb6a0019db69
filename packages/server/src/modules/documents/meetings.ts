// Quarterly qualification meetings (资质维护季度会议): planned for a certificate and a quarter with an
// agenda generated from the quarter (agenda.ts); the minutes record when, where, who and what was
// decided; action items are duties people set (rule meeting.action) with an owner, a due date and
// reminders; closing keeps the minutes and completes the quarter's meeting duty. docs/documents.md.
import { addCalendarDays, evaluateReadiness, isLevel } from '@zizhi/core';
import { and, asc, between, desc, eq, gt, gte, inArray, isNull, like, lte, or, sql } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { certificateEvents, meetings, obligations, users } from '../../db/schema.js';
import { conflict, invalid, notFound } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';
import { isOverdue, pendingSql, updateObligation } from '../obligations/api.js';
import { addOwnedDuty } from '../obligations/api.js';
import { loadEvidence, requirementSetFor } from '../readiness/api.js';
import type { MinutesData } from '../../reports/meeting-minutes.js';
import { quarterZh } from '../../reports/meeting-minutes.js';
import { buildAgenda, quarterBounds } from './agenda.js';
import type { ActionItemInput, MeetingInput, MinutesPatch } from './meeting-schemas.js';

type MeetingRow = typeof meetings.$inferSelect;

const actionKey = (meetingId: string) => `meeting.action:${meetingId}:`;

type Action = {
  obligationId: string;
  title: string;
  dueDate: string;
  status: string;
  assigneeId: string | null;
  assigneeName: string | null;
};

/** The action items of meetings (by meeting id), in one statement. */
async function actionsOf(tx: Tx, list: MeetingRow[]): Promise<Map<string, Action[]>> {
  const out = new Map<string, Action[]>(list.map((m) => [m.id, []]));
  if (list.length === 0) return out;
  const rows = await tx
    .select({
      key: obligations.key,
      obligationId: obligations.id,
      title: obligations.titleZh,
      dueDate: obligations.dueDate,
      status: obligations.status,
      assigneeId: obligations.assigneeId,
      assigneeName: users.name,
    })
    .from(obligations)
    .leftJoin(users, eq(users.id, obligations.assigneeId))
    .where(
      and(
        inArray(obligations.certificateId, [...new Set(list.map((m) => m.certificateId))]),
        eq(obligations.rule, 'meeting.action'),
      ),
    )
    .orderBy(asc(obligations.createdAt), asc(obligations.id));
  for (const { key, ...action } of rows) out.get(key.split(':')[1] ?? '')?.push(action);
  return out;
}

function present(m: MeetingRow, actions: Action[]) {
  return {
    id: m.id,
    certificateId: m.certificateId,
    quarter: m.quarter,
    agenda: m.agenda,
    heldOn: m.heldOn,
    place: m.place,
    chair: m.chair,
    attendees: m.attendees,
    decisions: m.decisions,
    status: m.status,
    obligationId: m.obligationId,
    actions,
    createdAt: m.createdAt.toISOString(),
  };
}

async function presentMeeting(tx: Tx, m: MeetingRow) {
  return present(m, (await actionsOf(tx, [m])).get(m.id) ?? []);
}

async function loadMeeting(tx: Tx, orgId: string, id: string): Promise<MeetingRow> {
  const [row] = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.id, id), eq(meetings.orgId, orgId)));
  if (!row) throw notFound('会议');
  return row;
}

/** Plans the quarter's meeting with its agenda (managers and above). */
export async function createMeeting({
  tx,
  actor,
  meta,
  orgId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  input: MeetingInput;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const cert = await loadCertificate(tx, orgId, input.certificateId);
  if (!isLevel(cert.level)) throw invalid('certificateId', '证书等级无法识别');
  const bounds = quarterBounds(input.quarter)!;
  const today = chinaToday();
  if (bounds.from > today) {
    throw invalid('quarter', {
      zh: `${input.quarter} 还没有开始，只能为本季度或以往季度开会`,
      en: 'That quarter has not begun',
    });
  }
  const end = bounds.to < today ? bounds.to : today;
  const evidence = await loadEvidence(tx, orgId);
  const { set } = await requirementSetFor(tx, org.workspaceId, cert.level);
  const before = evaluateReadiness({
    level: cert.level,
    at: bounds.from,
    evidence,
    requirements: set,
    forecast: false,
  });
  // With the forecast of the next year: what stops being met if nothing new is recorded.
  const after = evaluateReadiness({ level: cert.level, at: end, evidence, requirements: set, horizonMonths: 12 });
  const due = await tx
    .select({
      o: obligations,
    })
    .from(obligations)
    .where(
      and(
        eq(obligations.certificateId, cert.id),
        between(obligations.dueDate, bounds.from, bounds.to),
        isNull(obligations.cancelledOn),
      ),
    )
    .orderBy(asc(obligations.dueDate));
  const upcoming = await tx
    .select({ titleZh: obligations.titleZh, dueDate: obligations.dueDate })
    .from(obligations)
    .where(
      and(
        eq(obligations.certificateId, cert.id),
        pendingSql(),
        gt(obligations.dueDate, end),
        lte(obligations.dueDate, addCalendarDays(end, 90)),
      ),
    )
    .orderBy(asc(obligations.dueDate))
    .limit(100);
  const corrective = await tx
    .select({ o: obligations, owner: users.name })
    .from(obligations)
    .leftJoin(users, eq(users.id, obligations.assigneeId))
    .where(and(eq(obligations.certificateId, cert.id), eq(obligations.rule, 'audit.corrective'), pendingSql()))
    .orderBy(asc(obligations.dueDate));
  // The quarter's updates, and earlier ones whose case (the impact review) is still open.
  const closedCase = sql`exists (select 1 from certificate_cases c where c.event_id = ${certificateEvents.id} and c.closed_on is not null)`;
  const policy = await tx
    .select({ date: certificateEvents.date, data: certificateEvents.data, closed: sql<boolean>`${closedCase}` })
    .from(certificateEvents)
    .where(
      and(
        eq(certificateEvents.certificateId, cert.id),
        eq(certificateEvents.type, 'policy.update'),
        lte(certificateEvents.date, bounds.to),
        or(gte(certificateEvents.date, bounds.from), sql`not ${closedCase}`),
        isNull(certificateEvents.withdrawnAt),
      ),
    )
    .orderBy(asc(certificateEvents.date))
    .limit(100);
  const agenda = buildAgenda({
    quarter: input.quarter,
    ...bounds,
    dueInQuarter: due.map(({ o }) => ({
      title: o.titleZh,
      dueDate: o.dueDate,
      done: o.status === 'done' || o.satisfiedOn !== null,
      overdue: o.status !== 'done' && o.status !== 'waived' && o.satisfiedOn === null && isOverdue(o),
    })),
    upcoming: upcoming.map((u) => ({ title: u.titleZh, dueDate: u.dueDate })),
    before,
    after,
    correctiveActions: corrective.map(({ o, owner }) => ({
      title: o.titleZh,
      dueDate: o.dueDate,
      owner,
      overdue: isOverdue(o),
    })),
    policyUpdates: policy.map((p) => {
      const note = (p.data as { note?: unknown } | null)?.note;
      return { date: p.date, note: typeof note === 'string' && note.trim() ? note.trim() : null, open: !p.closed };
    }),
  });
  const [meeting] = await tx
    .insert(meetings)
    .values({ orgId, certificateId: cert.id, quarter: input.quarter, agenda, createdBy: actor.userId })
    .returning();
  await recordAudit(tx, {
    action: 'meeting.planned',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'meeting',
    targetId: meeting!.id,
    summary: { certificate: cert.number, quarter: quarterZh(input.quarter) },
    ip: meta.ip,
  });
  return presentMeeting(tx, meeting!);
}

export async function listMeetings({
  tx,
  actor,
  orgId,
  certificateId,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certificateId?: string;
}) {
  await requireOrgAccess(tx, actor, orgId);
  const rows = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.orgId, orgId), certificateId ? eq(meetings.certificateId, certificateId) : undefined))
    .orderBy(desc(meetings.quarter), desc(meetings.createdAt))
    .limit(200);
  const actions = await actionsOf(tx, rows);
  return rows.map((row) => present(row, actions.get(row.id) ?? []));
}

export async function getMeeting({ tx, actor, orgId, id }: { tx: Tx; actor: Actor; orgId: string; id: string }) {
  await requireOrgAccess(tx, actor, orgId);
  return presentMeeting(tx, await loadMeeting(tx, orgId, id));
}

async function openMeeting(tx: Tx, actor: Actor, orgId: string, id: string) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const meeting = await loadMeeting(tx, orgId, id);
  if (meeting.status === 'closed') {
    throw conflict({ zh: '会议纪要已定稿，不能再修改', en: 'The minutes are final and can no longer change' });
  }
  return { org, meeting };
}

/** Records the minutes: when, where, who chaired and attended, what was decided (managers, while open). */
export async function updateMinutes({
  tx,
  actor,
  meta,
  orgId,
  id,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  id: string;
  input: MinutesPatch;
}) {
  const { org, meeting } = await openMeeting(tx, actor, orgId, id);
  if (input.heldOn && input.heldOn > chinaToday()) {
    throw invalid('heldOn', { zh: '会议日期不能晚于今天', en: 'The meeting cannot be in the future' });
  }
  const [row] = await tx.update(meetings).set(input).where(eq(meetings.id, meeting.id)).returning();
  await recordAudit(tx, {
    action: 'meeting.minutes-updated',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'meeting',
    targetId: meeting.id,
    summary: { quarter: quarterZh(meeting.quarter), ...input },
    ip: meta.ip,
  });
  return presentMeeting(tx, row!);
}

/** Adds an action item: a duty on the certificate with an owner and a due date (managers, while open). */
export async function addActionItem({
  tx,
  actor,
  meta,
  orgId,
  id,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  id: string;
  input: ActionItemInput;
}) {
  const { meeting } = await openMeeting(tx, actor, orgId, id);
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(obligations)
    .where(
      and(eq(obligations.certificateId, meeting.certificateId), like(obligations.key, `${actionKey(meeting.id)}%`)),
    );
  const quarter = quarterZh(meeting.quarter);
  await addOwnedDuty(
    tx,
    actor,
    meta,
    {
      orgId,
      certificateId: meeting.certificateId,
      rule: 'meeting.action',
      key: `${actionKey(meeting.id)}${n + 1}`,
      titleZh: input.title,
      titleEn: `Action item ${n + 1} of the ${meeting.quarter} qualification meeting`,
      dueDate: input.dueDate,
      basis: `${quarter}资质维护会议决定的待办事项`,
      basisEn: `An action the ${meeting.quarter} qualification meeting decided`,
    },
    input.assigneeId,
  );
  return presentMeeting(tx, meeting);
}

/** Checked before the minutes are generated: an open meeting with its day and attendees recorded. */
export async function requireClosableMeeting({
  tx,
  actor,
  orgId,
  id,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  id: string;
}) {
  const { meeting } = await openMeeting(tx, actor, orgId, id);
  if (!meeting.heldOn || meeting.attendees.length === 0) {
    throw conflict({
      zh: '请先填写会议日期和参会人员，再定稿会议纪要',
      en: 'Record the meeting day and the attendees before finalising the minutes',
    });
  }
  return meeting;
}

/**
 * Finalises the minutes: the meeting is closed and the quarter's meeting duty (the pending one due
 * in the quarter, or the first after it) is done on the meeting day. The minutes are kept by the
 * caller as a document version.
 */
export async function closeMeeting({
  tx,
  actor,
  meta,
  orgId,
  id,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  id: string;
}) {
  const meeting = await requireClosableMeeting({ tx, actor, orgId, id });
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const bounds = quarterBounds(meeting.quarter)!;
  const [duty] = await tx
    .select({ id: obligations.id })
    .from(obligations)
    .where(
      and(
        eq(obligations.certificateId, meeting.certificateId),
        eq(obligations.rule, 'meeting.quarterly'),
        pendingSql(),
        between(obligations.dueDate, bounds.from, addCalendarDays(bounds.to, 31)),
      ),
    )
    .orderBy(asc(obligations.dueDate))
    .limit(1);
  if (duty) {
    await updateObligation({
      tx,
      actor,
      meta,
      orgId,
      id: duty.id,
      input: { status: 'done', completedOn: meeting.heldOn!, note: `${quarterZh(meeting.quarter)}资质维护会议纪要` },
    });
  }
  const [closed] = await tx
    .update(meetings)
    .set({ status: 'closed', obligationId: duty?.id ?? null })
    .where(eq(meetings.id, meeting.id))
    .returning();
  await recordAudit(tx, {
    action: 'meeting.closed',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'meeting',
    targetId: meeting.id,
    summary: { quarter: quarterZh(meeting.quarter), heldOn: meeting.heldOn, completedDuty: !!duty },
    ip: meta.ip,
  });
  return presentMeeting(tx, closed!);
}

/** Everything the minutes say, in one transaction (viewers and above). */
export async function minutesData({
  tx,
  actor,
  orgId,
  id,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  id: string;
}): Promise<MinutesData & { meetingRow: { id: string; certificateId: string; heldOn: string | null } }> {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const meeting = await loadMeeting(tx, orgId, id);
  const cert = await loadCertificate(tx, orgId, meeting.certificateId);
  const presented = await presentMeeting(tx, meeting);
  return {
    today: chinaToday(),
    organisation: { name: org.name },
    certificate: { number: cert.number, level: cert.level },
    meeting: presented,
    meetingRow: { id: meeting.id, certificateId: meeting.certificateId, heldOn: meeting.heldOn },
  };
}
