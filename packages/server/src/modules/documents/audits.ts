// Internal audits (内部合规检查): planned for a certificate's organisation over a period with a
// checklist generated from the requirements and the evidence (checklist.ts); auditors give each
// line a result, a nonconformity becomes a corrective action (a duty people set, with an owner, a
// due date and reminders); closing the audit issues its report and completes the period's audit
// duty. docs/documents.md describes each step.
import { addCalendarDays, evaluateReadiness, isLevel } from '@zizhi/core';
import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { auditItems, audits, certificateUsages, obligations, recordFiles, users } from '../../db/schema.js';
import { conflict, invalid, notFound } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';
import { pendingSql, updateObligation } from '../obligations/api.js';
import { addOwnedDuty } from '../obligations/api.js';
import { flagsOfEvidence, loadEvidence, requirementSetFor } from '../readiness/api.js';
import type { AuditReportData } from '../../reports/audit-report.js';
import { buildChecklist } from './checklist.js';
import type { AuditInput, CloseAuditInput, ItemPatch } from './audit-schemas.js';

type AuditRow = typeof audits.$inferSelect;

type Counts = { items: number; conform: number; nonconform: number; observation: number };

/** Each audit's line counts by result, in one statement. */
async function countsOf(tx: Tx, auditIds: string[]): Promise<Map<string, Counts>> {
  if (auditIds.length === 0) return new Map();
  const rows = await tx
    .select({
      auditId: auditItems.auditId,
      items: sql<number>`count(*)::int`,
      conform: sql<number>`(count(*) filter (where ${auditItems.result} = 'conform'))::int`,
      nonconform: sql<number>`(count(*) filter (where ${auditItems.result} = 'nonconform'))::int`,
      observation: sql<number>`(count(*) filter (where ${auditItems.result} = 'observation'))::int`,
    })
    .from(auditItems)
    .where(inArray(auditItems.auditId, auditIds))
    .groupBy(auditItems.auditId);
  return new Map(rows.map(({ auditId, ...c }) => [auditId, c]));
}

function present(audit: AuditRow, c: Counts = { items: 0, conform: 0, nonconform: 0, observation: 0 }) {
  return {
    id: audit.id,
    certificateId: audit.certificateId,
    periodStart: audit.periodStart,
    periodEnd: audit.periodEnd,
    auditors: audit.auditors,
    scope: audit.scope,
    status: audit.status,
    conclusion: audit.conclusion,
    closedOn: audit.closedOn,
    obligationId: audit.obligationId,
    counts: { ...c, undecided: c.items - c.conform - c.nonconform - c.observation },
    createdAt: audit.createdAt.toISOString(),
  };
}

async function presentAudit(tx: Tx, audit: AuditRow) {
  return present(audit, (await countsOf(tx, [audit.id])).get(audit.id));
}
export type PresentedAudit = Awaited<ReturnType<typeof presentAudit>>;

async function loadAudit(tx: Tx, orgId: string, auditId: string): Promise<AuditRow> {
  const [row] = await tx
    .select()
    .from(audits)
    .where(and(eq(audits.id, auditId), eq(audits.orgId, orgId)));
  if (!row) throw notFound('内部检查');
  return row;
}

const period = (a: { periodStart: string; periodEnd: string }) => `${a.periodStart} 至 ${a.periodEnd}`;

/** Plans an audit and generates its checklist (managers and above). */
export async function createAudit({
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
  input: AuditInput;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const cert = await loadCertificate(tx, orgId, input.certificateId);
  if (!isLevel(cert.level)) throw invalid('certificateId', '证书等级无法识别');
  if (input.periodEnd < input.periodStart) {
    throw invalid('periodEnd', {
      zh: '检查期的结束日期不能早于开始日期',
      en: 'The period cannot end before it starts',
    });
  }
  if (input.periodEnd > addCalendarDays(input.periodStart, 366)) {
    throw invalid('periodEnd', { zh: '检查期最长一年', en: 'A period is at most one year' });
  }
  const today = chinaToday();
  const asOf = input.periodEnd < today ? input.periodEnd : today;
  const evidence = await loadEvidence(tx, orgId);
  const { set } = await requirementSetFor(tx, org.workspaceId, cert.level);
  const readiness = evaluateReadiness({ level: cert.level, at: asOf, evidence, requirements: set });
  const flags = await flagsOfEvidence(tx, orgId, evidence, today);
  const files = await tx
    .select({ projectId: recordFiles.recordId, role: recordFiles.role })
    .from(recordFiles)
    .where(and(eq(recordFiles.orgId, orgId), eq(recordFiles.recordType, 'project')));
  const projectFiles = new Map<string, Set<string>>();
  for (const f of files) {
    const roles = projectFiles.get(f.projectId) ?? new Set<string>();
    roles.add(f.role);
    projectFiles.set(f.projectId, roles);
  }
  const usages = await tx
    .select({
      id: certificateUsages.id,
      registrationNo: certificateUsages.registrationNo,
      date: certificateUsages.date,
      recipient: certificateUsages.recipient,
      approvedBy: certificateUsages.approvedBy,
      voidedAt: certificateUsages.voidedAt,
    })
    .from(certificateUsages)
    .where(
      and(
        eq(certificateUsages.certificateId, cert.id),
        gte(certificateUsages.date, input.periodStart),
        lte(certificateUsages.date, input.periodEnd),
      ),
    )
    .orderBy(asc(certificateUsages.date), asc(certificateUsages.registrationNo));
  const checklist = buildChecklist({
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    asOf,
    evidence,
    projectFiles,
    flags,
    readiness,
    usages: usages.map(({ voidedAt, ...u }) => ({ ...u, voided: voidedAt !== null })),
  });
  const [audit] = await tx
    .insert(audits)
    .values({
      orgId,
      certificateId: cert.id,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      auditors: input.auditors,
      scope: input.scope ?? null,
      createdBy: actor.userId,
    })
    .returning();
  await tx.insert(auditItems).values(
    checklist.map((item, position) => ({
      auditId: audit!.id,
      orgId,
      position: position + 1,
      kind: item.kind,
      text: item.text,
      refs: item.refs,
    })),
  );
  await recordAudit(tx, {
    action: 'audit.planned',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'internal-audit',
    targetId: audit!.id,
    summary: { certificate: cert.number, period: period(input), auditors: input.auditors, items: checklist.length },
    ip: meta.ip,
  });
  return presentAudit(tx, audit!);
}

/** The organisation's audits, newest period first (viewers and above). */
export async function listAudits({
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
    .from(audits)
    .where(and(eq(audits.orgId, orgId), certificateId ? eq(audits.certificateId, certificateId) : undefined))
    .orderBy(desc(audits.periodStart), desc(audits.createdAt))
    .limit(200);
  const counts = await countsOf(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((row) => present(row, counts.get(row.id)));
}

export async function getAudit({
  tx,
  actor,
  orgId,
  auditId,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  auditId: string;
}) {
  await requireOrgAccess(tx, actor, orgId);
  return presentAudit(tx, await loadAudit(tx, orgId, auditId));
}

type ItemRow = typeof auditItems.$inferSelect;

/** The checklist's lines with each corrective action as it stands. */
async function checklistOf(tx: Tx, auditId: string) {
  const rows = await tx
    .select({
      item: auditItems,
      action: {
        id: obligations.id,
        titleZh: obligations.titleZh,
        dueDate: obligations.dueDate,
        status: obligations.status,
        completedOn: obligations.completedOn,
        assigneeId: obligations.assigneeId,
        assigneeName: users.name,
        note: obligations.note,
      },
    })
    .from(auditItems)
    .leftJoin(obligations, eq(obligations.id, auditItems.actionId))
    .leftJoin(users, eq(users.id, obligations.assigneeId))
    .where(eq(auditItems.auditId, auditId))
    .orderBy(asc(auditItems.position));
  return rows.map(({ item, action }) => presentItem(item, action?.id ? action : null));
}

function presentItem(
  item: ItemRow,
  action: {
    id: string | null;
    titleZh: string | null;
    dueDate: string | null;
    status: string | null;
    completedOn: string | null;
    assigneeId: string | null;
    assigneeName: string | null;
    note: string | null;
  } | null,
) {
  return {
    id: item.id,
    position: item.position,
    kind: item.kind,
    text: item.text,
    refs: item.refs,
    result: item.result,
    note: item.note,
    action:
      action && action.id
        ? {
            obligationId: action.id,
            title: action.titleZh ?? '',
            dueDate: action.dueDate ?? '',
            status: action.status ?? 'open',
            completedOn: action.completedOn,
            assigneeId: action.assigneeId,
            assigneeName: action.assigneeName,
            note: action.note,
          }
        : null,
  };
}
export type PresentedItem = ReturnType<typeof presentItem>;

export async function getChecklist({
  tx,
  actor,
  orgId,
  auditId,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  auditId: string;
}) {
  await requireOrgAccess(tx, actor, orgId);
  await loadAudit(tx, orgId, auditId);
  return checklistOf(tx, auditId);
}

const RESULT_ZH = { conform: '符合', nonconform: '不符合', observation: '观察项' } as const;

/**
 * Gives a checklist line its result and note (managers and above, while the audit is open). A
 * nonconformity gets its corrective action: a duty on the certificate with an owner (the auditor
 * unless another member is named) and a due date (30 days on unless given), reminded like any
 * other. A line no longer nonconforming waives its open action, saying why.
 */
export async function updateItem({
  tx,
  actor,
  meta,
  orgId,
  auditId,
  itemId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  auditId: string;
  itemId: string;
  input: ItemPatch;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const audit = await loadAudit(tx, orgId, auditId);
  if (audit.status === 'closed') {
    throw conflict({
      zh: '这次检查已结束，检查表不能再修改',
      en: 'This audit is closed: its checklist can no longer change',
    });
  }
  const [item] = await tx
    .select()
    .from(auditItems)
    .where(and(eq(auditItems.id, itemId), eq(auditItems.auditId, auditId)));
  if (!item) throw notFound('检查项');
  let actionId = item.actionId;
  if (input.result === 'nonconform') {
    const today = chinaToday();
    const dueDate = input.action?.dueDate ?? addCalendarDays(today, 30);
    if (dueDate < audit.periodStart) {
      throw invalid('action.dueDate', {
        zh: '纠正期限不能早于检查期开始',
        en: 'The due date cannot be before the audit period',
      });
    }
    const title = (input.action?.title ?? item.text).slice(0, 180);
    const created = await addOwnedDuty(
      tx,
      actor,
      meta,
      {
        orgId,
        certificateId: audit.certificateId,
        rule: 'audit.corrective',
        key: `audit.corrective:${item.id}`,
        titleZh: `纠正措施：${title}`,
        titleEn: `Corrective action: item ${item.position} of the internal audit of ${audit.periodStart} to ${audit.periodEnd}`,
        dueDate,
        basis: `${period(audit)}内部合规检查发现的不符合项（检查表第 ${item.position} 项）`,
        basisEn: `A nonconformity found by the internal audit of ${audit.periodStart} to ${audit.periodEnd} (checklist item ${item.position})`,
      },
      input.action?.assigneeId,
    );
    actionId = created;
  } else if (item.actionId) {
    const [open] = await tx
      .select({ id: obligations.id })
      .from(obligations)
      .where(and(eq(obligations.id, item.actionId), pendingSql()));
    if (open) {
      await updateObligation({
        tx,
        actor,
        meta,
        orgId,
        id: open.id,
        input: { status: 'waived', waivedReason: `检查结论已改为“${RESULT_ZH[input.result]}”` },
      });
    }
  }
  await tx
    .update(auditItems)
    .set({
      result: input.result,
      note: input.note === undefined ? item.note : input.note,
      actionId,
      updatedBy: actor.userId,
      updatedAt: sql`now()`,
    })
    .where(eq(auditItems.id, item.id));
  await recordAudit(tx, {
    action: 'audit.item-updated',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'internal-audit',
    targetId: audit.id,
    summary: { item: item.position, result: RESULT_ZH[input.result], note: input.note ?? null },
    ip: meta.ip,
  });
  const [presented] = (await checklistOf(tx, auditId)).filter((i) => i.id === item.id);
  return { item: presented!, obligationId: input.result === 'nonconform' ? actionId : null };
}

/**
 * Checked before the report is generated: managers close an open audit whose every line has a
 * result, on a day from the period's start to today.
 */
export async function requireClosable({
  tx,
  actor,
  orgId,
  auditId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  auditId: string;
  input: CloseAuditInput;
}) {
  await requireOrgAccess(tx, actor, orgId, 'manager');
  const audit = await loadAudit(tx, orgId, auditId);
  if (audit.status === 'closed') throw conflict({ zh: '这次检查已结束', en: 'This audit is already closed' });
  if (input.closedOn < audit.periodStart || input.closedOn > chinaToday()) {
    throw invalid('closedOn', `结束日期应在 ${audit.periodStart} 至今天（${chinaToday()}）之间`);
  }
  const presented = await presentAudit(tx, audit);
  if (presented.counts.undecided > 0) {
    throw conflict(
      {
        zh: `检查表还有 ${presented.counts.undecided} 项没有结论，请逐项给出“符合”“不符合”或“观察项”后再结束检查`,
        en: `${presented.counts.undecided} checklist items have no result yet`,
      },
      'closedOn',
    );
  }
  return audit;
}

/**
 * Closes the audit with its conclusion: the period's internal-audit duty (the pending one whose
 * period overlaps the audit's, earliest first) is done on the closing day, and the audit records
 * which duty it completed. The report is kept by the caller as a document version.
 */
export async function closeAudit({
  tx,
  actor,
  meta,
  orgId,
  auditId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  auditId: string;
  input: CloseAuditInput;
}) {
  const audit = await requireClosable({ tx, actor, orgId, auditId, input });
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const [duty] = await tx
    .select({ id: obligations.id })
    .from(obligations)
    .where(
      and(
        eq(obligations.certificateId, audit.certificateId),
        eq(obligations.rule, 'audit.internal'),
        pendingSql(),
        lte(sql`coalesce(${obligations.windowStart}, ${obligations.dueDate})`, audit.periodEnd),
        gte(obligations.dueDate, audit.periodStart),
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
      input: { status: 'done', completedOn: input.closedOn, note: `内部合规检查报告（检查期 ${period(audit)}）` },
    });
  }
  const [closed] = await tx
    .update(audits)
    .set({ status: 'closed', conclusion: input.conclusion, closedOn: input.closedOn, obligationId: duty?.id ?? null })
    .where(eq(audits.id, audit.id))
    .returning();
  await recordAudit(tx, {
    action: 'audit.closed',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'internal-audit',
    targetId: audit.id,
    summary: { period: period(audit), closedOn: input.closedOn, conclusion: input.conclusion, completedDuty: !!duty },
    ip: meta.ip,
  });
  return presentAudit(tx, closed!);
}

/** Everything the audit report says, in one transaction (viewers and above). */
export async function auditReportData({
  tx,
  actor,
  orgId,
  auditId,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  auditId: string;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const audit = await loadAudit(tx, orgId, auditId);
  const cert = await loadCertificate(tx, orgId, audit.certificateId);
  const items = await checklistOf(tx, auditId);
  const data: AuditReportData = {
    today: chinaToday(),
    organisation: { name: org.name, creditCode: org.creditCode },
    certificate: { number: cert.number, level: cert.level },
    audit: await presentAudit(tx, audit),
    items,
  };
  return data;
}
