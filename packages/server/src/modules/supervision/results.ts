// After a supervision: what it found for each capability item, and the assessment body's findings,
// each a rectification duty.
import { eq } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { supervisionPlans } from '../../db/schema.js';
import { conflict, invalid } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { requireOrgAccess } from '../../access/membership.js';
import { addOwnedDuty } from '../obligations/api.js';
import type { FindingInput, ResultsInput } from './schemas.js';
import { getSupervisionPlan, itemsOf, supervisedCertificate, type StoredPlan } from './service.js';
import { workspaceCatalogue } from './catalogue.js';

/** The saved plan and the visit on `date`, which must have taken place (managers and above). */
async function heldVisit(tx: Tx, actor: Actor, orgId: string, certId: string, date: string) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const cert = await supervisedCertificate(tx, orgId, certId);
  const [row] = await tx.select().from(supervisionPlans).where(eq(supervisionPlans.certificateId, certId));
  if (!row) {
    throw conflict({
      zh: '请先保存监督评估计划，再登记结果',
      en: 'Save the supervision plan before recording results',
    });
  }
  const stored = row.plan as StoredPlan;
  const index = [...stored.visits].sort((a, b) => a.date.localeCompare(b.date)).findIndex((v) => v.date === date);
  if (index < 0) {
    throw invalid('date', {
      zh: `计划中没有 ${date} 的监督评估：请选择计划中的一次`,
      en: `The plan has no supervision on ${date}: choose one of its visits`,
    });
  }
  if (date > chinaToday()) {
    throw invalid('date', {
      zh: `${date} 的监督评估还没有进行，进行后才能登记结果`,
      en: `The supervision on ${date} has not taken place yet`,
    });
  }
  return { org, cert, row, stored, index };
}

/** Records what a held visit found for each item assessed (managers and above); a later call replaces it. */
export async function recordVisitResults({
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
  input: ResultsInput;
}) {
  const { org, stored, index } = await heldVisit(tx, actor, orgId, certId, input.date);
  const known = new Map(itemsOf(await workspaceCatalogue(tx, org.workspaceId)).map((i) => [i.id, i.name]));
  const unknown = input.items.filter((i) => !known.has(i.itemId));
  if (unknown.length > 0) {
    throw invalid('items', {
      zh: '结果中有不在能力目录中的能力项，请刷新页面后重新登记',
      en: 'Some results name items that are not in the capability catalogue; reload the page and record them again',
    });
  }
  const previous = stored.results?.[input.date];
  const results: StoredPlan['results'] = {
    ...stored.results,
    [input.date]: {
      items: Object.fromEntries(input.items.map((i) => [i.itemId, { result: i.result, note: i.note ?? null }])),
      findings: previous?.findings ?? [],
    },
  };
  await tx
    .update(supervisionPlans)
    .set({ plan: { ...stored, results }, updatedBy: actor.userId, updatedAt: new Date() })
    .where(eq(supervisionPlans.certificateId, certId));
  await recordAudit(tx, {
    action: 'supervision.results-recorded',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: {
      date: input.date,
      visit: index + 1,
      conform: input.items.filter((i) => i.result === 'conform').length,
      findings: input.items.filter((i) => i.result === 'finding').length,
    },
    ip: meta.ip,
  });
  return getSupervisionPlan({ tx, actor, orgId, certId });
}

/**
 * Records a finding the assessment body made at a held visit: it becomes a rectification duty
 * (`supervision.finding`) with an owner and a due date, reminded like any other (managers and above).
 */
export async function addFinding({
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
  input: FindingInput;
}) {
  const { org, stored, index } = await heldVisit(tx, actor, orgId, certId, input.date);
  if (input.dueDate < input.date) {
    throw invalid('dueDate', {
      zh: '整改期限不能早于监督评估的日期',
      en: 'The due date cannot be before the supervision',
    });
  }
  const previous = stored.results?.[input.date] ?? { items: {}, findings: [] };
  if (previous.findings.length >= 50) {
    throw invalid('text', { zh: '一次监督评估最多登记 50 个问题', en: 'At most 50 findings per supervision' });
  }
  const n = previous.findings.length + 1;
  const obligationId = await addOwnedDuty(
    tx,
    actor,
    meta,
    {
      orgId,
      certificateId: certId,
      rule: 'supervision.finding',
      key: `supervision.finding:${input.date}:${n}`,
      titleZh: `监督评估问题整改：${input.text}`,
      titleEn: `Supervision finding: ${input.text}`,
      dueDate: input.dueDate,
      basis: `${input.date} 第 ${index + 1} 次监督评估中评估机构指出的问题（第 ${n} 项）`,
      basisEn: `Finding ${n} of supervision ${index + 1} on ${input.date}`,
    },
    input.assigneeId,
  );
  const results: StoredPlan['results'] = {
    ...stored.results,
    [input.date]: {
      ...previous,
      findings: [...previous.findings, { text: input.text, dueDate: input.dueDate, obligationId }],
    },
  };
  await tx
    .update(supervisionPlans)
    .set({ plan: { ...stored, results }, updatedBy: actor.userId, updatedAt: new Date() })
    .where(eq(supervisionPlans.certificateId, certId));
  await recordAudit(tx, {
    action: 'supervision.finding-added',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: { date: input.date, visit: index + 1, text: input.text, dueDate: input.dueDate },
    ip: meta.ip,
  });
  return { obligationId, plan: await getSupervisionPlan({ tx, actor, orgId, certId }) };
}
