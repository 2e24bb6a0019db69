// A certificate's supervision plan: the initial assessment's person-days and the visits, with the
// capability items each covers as proposed by the planner (@zizhi/core) or placed by a person.
import {
  DEFAULT_CATALOGUE_VERSION,
  OBLIGATION_RULES,
  planSupervisions,
  type CorrectedCatalogue,
  type EvidenceSource,
  type Plan,
} from '@zizhi/core';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { obligations, supervisionPlans } from '../../db/schema.js';
import { conflict, invalid } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';
import type { PlanInput } from './schemas.js';
import { workspaceCatalogue } from './catalogue.js';
import { loadEvidenceFiles } from './evidence.js';
import { itemGap } from './pack.js';

const SUPERVISION_RULES = ['supervision.first', 'supervision.second'] as const;

/** A CS3+ certificate of the organisation (CS1/CS2 file annual self-checks instead). */
export async function supervisedCertificate(tx: Tx, orgId: string, certId: string) {
  const cert = await loadCertificate(tx, orgId, certId);
  if (cert.level === 'CS1' || cert.level === 'CS2') {
    throw conflict({
      zh: `${cert.level} 证书每年提交年度自查报告，不接受监督评估，不需要监督评估计划`,
      en: `A ${cert.level} certificate files an annual self-check instead of supervisions; it needs no supervision plan`,
    });
  }
  return cert;
}

interface VisitResults {
  items: Record<string, { result: 'conform' | 'finding'; note: string | null }>;
  findings: Array<{ text: string; dueDate: string; obligationId: string }>;
}

export interface StoredPlan {
  initialPersonDays: number;
  visits: Array<{ date: string; personDays: number; itemIds: string[] }>;
  /** What each visit held found, by the visit's day (kept when the plan is saved again). */
  results?: Record<string, VisitResults>;
}

/** The results as the API gives them: per visit, in date order. */
function presentResults(results: StoredPlan['results']) {
  return Object.entries(results ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, r]) => ({
      date,
      items: Object.entries(r.items).map(([itemId, v]) => ({ itemId, result: v.result, note: v.note })),
      findings: r.findings,
    }));
}

/** The planner's view of a catalogue: each item's id and the name the workspace uses. */
export function itemsOf(catalogue: CorrectedCatalogue) {
  return catalogue.items.map((i) => ({ id: i.id, name: i.name.zh }));
}

function present(plan: Plan, today: string, results: StoredPlan['results']) {
  const visits = plan.visits.map((v) => ({ ...v, past: v.date <= today }));
  // Covered: assessed on a visit that has taken place, or given a result.
  const covered = [
    ...visits.filter((v) => v.past).flatMap((v) => v.itemIds),
    ...Object.values(results ?? {}).flatMap((r) => Object.keys(r.items)),
  ];
  const planned = visits.filter((v) => !v.past).flatMap((v) => v.itemIds);
  return {
    visits,
    missingItemIds: plan.missingItemIds,
    problems: plan.problems.map(({ code, visit, zh, en }) => ({
      code,
      ...(visit === undefined ? {} : { visit }),
      message: { zh, en },
    })),
    coverage: {
      covered: new Set(covered).size,
      planned: new Set(planned.filter((id) => !covered.includes(id))).size,
      missing: plan.missingItemIds.length,
    },
  };
}

/** The plan as saved, recomputed against the catalogue; or, before one is saved, the dates to plan from (viewers and above). */
export async function getSupervisionPlan({
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
  const { org } = await requireOrgAccess(tx, actor, orgId);
  await supervisedCertificate(tx, orgId, certId);
  const suggestedDates = await suggestions(tx, certId);
  const [row] = await tx.select().from(supervisionPlans).where(eq(supervisionPlans.certificateId, certId));
  const catalogue = await workspaceCatalogue(tx, org.workspaceId, row?.catalogueVersion);
  const evidence = await itemEvidence(tx, orgId, certId, catalogue);
  if (!row) {
    const items = itemsOf(catalogue);
    return {
      saved: false,
      catalogueVersion: DEFAULT_CATALOGUE_VERSION,
      initialPersonDays: null,
      visits: [],
      missingItemIds: items.map((i) => i.id),
      problems: [],
      coverage: { covered: 0, planned: 0, missing: items.length },
      results: [],
      minimumPersonDays: null,
      suggestedDates,
      evidence,
      updatedAt: null,
    };
  }
  const stored = row.plan as StoredPlan;
  const plan = planSupervisions({
    items: itemsOf(catalogue),
    initialPersonDays: stored.initialPersonDays,
    visits: stored.visits,
  });
  return {
    saved: true,
    catalogueVersion: row.catalogueVersion,
    initialPersonDays: stored.initialPersonDays,
    ...present(plan, chinaToday(), stored.results),
    results: presentResults(stored.results),
    minimumPersonDays: stored.initialPersonDays / 2,
    suggestedDates,
    evidence,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** For each item of the catalogue: how many current evidence files speak to it, and what it lacks. */
async function itemEvidence(tx: Tx, orgId: string, certId: string, catalogue: CorrectedCatalogue) {
  const files = (await loadEvidenceFiles(tx, orgId, certId, chinaToday())).filter((f) => !f.expired);
  const bySource = new Map<EvidenceSource, number>();
  for (const f of files) bySource.set(f.source, (bySource.get(f.source) ?? 0) + 1);
  const present = new Set(bySource.keys());
  return catalogue.items.map((item) => ({
    itemId: item.id,
    files: item.evidence.reduce((sum, s) => sum + (bySource.get(s) ?? 0), 0),
    gap: itemGap(item.evidence, present),
  }));
}

/** The supervisions the engine expects for the certificate: their due dates, oldest first. */
async function suggestions(tx: Tx, certId: string) {
  const rows = await tx
    .select({ rule: obligations.rule, dueDate: obligations.dueDate })
    .from(obligations)
    .where(
      and(
        eq(obligations.certificateId, certId),
        inArray(obligations.rule, [...SUPERVISION_RULES]),
        isNull(obligations.cancelledOn),
      ),
    )
    .orderBy(asc(obligations.dueDate));
  return rows.map((r) => {
    const rule = OBLIGATION_RULES.find((x) => x.id === r.rule)!;
    return { date: r.dueDate, title: { zh: rule.titleZh, en: rule.titleEn } };
  });
}

/**
 * Saves the plan (managers and above): visits in the certificate's validity, items of the
 * catalogue each on one visit at most; the planner fills the visits without items of their own.
 * What is saved is the resulting assignment, so the plan reads back as it was shown.
 */
export async function saveSupervisionPlan({
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
  input: PlanInput;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const cert = await supervisedCertificate(tx, orgId, certId);
  const items = itemsOf(await workspaceCatalogue(tx, org.workspaceId));
  const names = new Map(items.map((i) => [i.id, i.name]));
  const placedOn = new Map<string, number>();
  input.visits.forEach((v, n) => {
    if (v.date <= cert.issuedOn || v.date > cert.expiresOn) {
      throw invalid('visits', {
        zh: `第 ${n + 1} 次监督评估的日期 ${v.date} 不在证书有效期内（${cert.issuedOn} 之后至 ${cert.expiresOn}）`,
        en: `Supervision ${n + 1} on ${v.date} is outside the certificate’s validity (after ${cert.issuedOn} to ${cert.expiresOn})`,
      });
    }
    for (const id of v.itemIds ?? []) {
      if (!names.has(id)) {
        throw invalid('visits', {
          zh: `第 ${n + 1} 次监督评估中有不在能力目录中的能力项，请刷新页面后重新安排`,
          en: `Supervision ${n + 1} has an item that is not in the capability catalogue; reload the page and place it again`,
        });
      }
      const other = placedOn.get(id);
      if (other !== undefined && other !== n) {
        throw invalid('visits', {
          zh: `能力项“${names.get(id)}”同时安排在第 ${other + 1} 次和第 ${n + 1} 次监督评估中，请只保留一次`,
          en: `“${names.get(id)}” is on supervisions ${other + 1} and ${n + 1}; keep it on one`,
        });
      }
      placedOn.set(id, n);
    }
  });
  const [existing] = await tx
    .select({ plan: supervisionPlans.plan })
    .from(supervisionPlans)
    .where(eq(supervisionPlans.certificateId, certId));
  const results = (existing?.plan as StoredPlan | undefined)?.results ?? {};
  for (const date of Object.keys(results)) {
    if (!input.visits.some((v) => v.date === date)) {
      throw invalid('visits', {
        zh: `${date} 的监督评估已登记结果，不能删除或修改日期`,
        en: `The supervision on ${date} has results recorded: it cannot be removed or moved`,
      });
    }
  }
  const plan = planSupervisions({ items, initialPersonDays: input.initialPersonDays, visits: input.visits });
  const stored: StoredPlan = {
    initialPersonDays: input.initialPersonDays,
    visits: plan.visits.map(({ date, personDays, itemIds }) => ({ date, personDays, itemIds })),
    results,
  };
  await tx
    .insert(supervisionPlans)
    .values({
      orgId,
      certificateId: certId,
      catalogueVersion: DEFAULT_CATALOGUE_VERSION,
      plan: stored,
      updatedBy: actor.userId,
    })
    .onConflictDoUpdate({
      target: [supervisionPlans.certificateId],
      set: {
        catalogueVersion: DEFAULT_CATALOGUE_VERSION,
        plan: stored,
        updatedBy: actor.userId,
        updatedAt: new Date(),
      },
    });
  await recordAudit(tx, {
    action: 'supervision.planned',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: {
      initialPersonDays: input.initialPersonDays,
      visitDates: stored.visits.map((v) => v.date),
      missing: plan.missingItemIds.length,
    },
    ip: meta.ip,
  });
  return getSupervisionPlan({ tx, actor, orgId, certId });
}
