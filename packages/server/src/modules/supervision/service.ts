// A certificate's supervision plan: the initial assessment's person-days and the visits, with the
// capability items each covers as proposed by the planner (@zizhi/core) or placed by a person.
import {
  CAPABILITY_CATALOGUES,
  CAPABILITY_DOMAIN_NAMES,
  CAPABILITY_DOMAINS,
  DEFAULT_CATALOGUE_VERSION,
  LEVELS,
  OBLIGATION_RULES,
  evaluateReadiness,
  isLevel,
  type Level,
  EVIDENCE_SOURCE_NAMES,
  catalogueVersion,
  evidenceSourcesOf,
  type EvidenceSource,
  planSupervisions,
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
import type { z } from 'zod';
import type { CatalogueSchema, FindingInput, PlanInput, ResultsInput } from './schemas.js';
import { addOwnedDuty } from '../obligations/api.js';
import { loadEvidenceFiles } from './evidence.js';
import { itemGap, levelWords, type DossierData, type PackData } from './pack.js';
import { loadEvidence, requirementSetFor } from '../readiness/api.js';
import { dateZh } from '../../reports/self-check.js';
import type { PlanDocumentData } from '../../reports/supervision-plan.js';

type CatalogueResponse = z.infer<typeof CatalogueSchema>;

/** Every catalogue version, its items with their Chinese names first (the standard's terms). */
export function capabilityCatalogue(): CatalogueResponse {
  return {
    versions: CAPABILITY_CATALOGUES.map((v) => ({
      id: v.id,
      standard: v.standard,
      domains: CAPABILITY_DOMAINS.map((id) => ({
        id,
        name: CAPABILITY_DOMAIN_NAMES[id].zh,
        nameEn: CAPABILITY_DOMAIN_NAMES[id].en,
      })),
      items: v.items.map((item) => ({
        id: item.id,
        domain: CAPABILITY_DOMAIN_NAMES[item.domain].zh,
        domainId: item.domain,
        subdomain: item.subdomain.zh,
        name: item.name.zh,
        en: { domain: CAPABILITY_DOMAIN_NAMES[item.domain].en, subdomain: item.subdomain.en, name: item.name.en },
        confidence: item.confidence,
        source: item.source,
      })),
    })),
  };
}

const SUPERVISION_RULES = ['supervision.first', 'supervision.second'] as const;

/** A CS3+ certificate of the organisation (CS1/CS2 file annual self-checks instead). */
async function supervisedCertificate(tx: Tx, orgId: string, certId: string) {
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

interface StoredPlan {
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

function itemsOf(version: string) {
  const catalogue = catalogueVersion(version) ?? catalogueVersion(DEFAULT_CATALOGUE_VERSION)!;
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
  await requireOrgAccess(tx, actor, orgId);
  await supervisedCertificate(tx, orgId, certId);
  const suggestedDates = await suggestions(tx, certId);
  const evidence = await itemEvidence(tx, orgId, certId);
  const [row] = await tx.select().from(supervisionPlans).where(eq(supervisionPlans.certificateId, certId));
  if (!row) {
    const items = itemsOf(DEFAULT_CATALOGUE_VERSION);
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
    items: itemsOf(row.catalogueVersion),
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
async function itemEvidence(tx: Tx, orgId: string, certId: string) {
  const files = (await loadEvidenceFiles(tx, orgId, certId, chinaToday())).filter((f) => !f.expired);
  const bySource = new Map<EvidenceSource, number>();
  for (const f of files) bySource.set(f.source, (bySource.get(f.source) ?? 0) + 1);
  const present = new Set(bySource.keys());
  return catalogueVersion(DEFAULT_CATALOGUE_VERSION)!.items.map((item) => ({
    itemId: item.id,
    files: evidenceSourcesOf(item.id).reduce((sum, s) => sum + (bySource.get(s) ?? 0), 0),
    gap: itemGap(item.id, present),
  }));
}

/** Everything a supervision pack holds, read in one transaction (viewers and above). */
export async function supervisionPackData({
  tx,
  actor,
  orgId,
  certId,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
}): Promise<PackData> {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const cert = await supervisedCertificate(tx, orgId, certId);
  const today = chinaToday();
  const [row] = await tx.select().from(supervisionPlans).where(eq(supervisionPlans.certificateId, certId));
  const visitOf = new Map<string, string>();
  if (row) {
    const stored = row.plan as StoredPlan;
    [...stored.visits]
      .sort((a, b) => a.date.localeCompare(b.date))
      .forEach((v, i) => v.itemIds.forEach((id) => visitOf.set(id, `第 ${i + 1} 次 · ${v.date}`)));
  }
  return {
    title: '监督评估准备材料',
    today,
    organisation: { name: org.name, creditCode: org.creditCode },
    certificate: { number: cert.number, level: levelWords(cert.level), issuer: cert.issuer },
    items: (
      catalogueVersion(row?.catalogueVersion ?? DEFAULT_CATALOGUE_VERSION) ??
      catalogueVersion(DEFAULT_CATALOGUE_VERSION)!
    ).items,
    visitOf,
    files: await loadEvidenceFiles(tx, orgId, certId, today),
  };
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
  const items = itemsOf(DEFAULT_CATALOGUE_VERSION);
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

const STATUS_ZH = { met: '符合', 'not-met': '不符合', unknown: '待补充数据' } as const;

/**
 * Everything a renewal (再评估) or upgrade dossier holds, read in one transaction (viewers and
 * above): the evidence files, the audited years the window asks for, and readiness against the
 * target level with the day it is expected to be met.
 */
export async function dossierData({
  tx,
  actor,
  orgId,
  certId,
  targetLevel,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
  targetLevel: Level | undefined;
}): Promise<DossierData> {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const cert = await loadCertificate(tx, orgId, certId);
  if (!isLevel(cert.level)) throw invalid('targetLevel', '证书等级无法识别');
  const target = targetLevel ?? cert.level;
  const next = LEVELS[LEVELS.indexOf(cert.level) + 1];
  if (target !== cert.level && target !== next) {
    throw invalid('targetLevel', {
      zh: next
        ? `${cert.level} 证书只能申请 ${cert.level} 再评估或升级到 ${next}，不能申请 ${target}`
        : `${cert.level} 证书只能申请 ${cert.level} 再评估，不能申请 ${target}`,
      en: next
        ? `A ${cert.level} certificate can be renewed at ${cert.level} or upgraded to ${next}, not ${target}`
        : `A ${cert.level} certificate can only be renewed at ${cert.level}, not ${target}`,
    });
  }
  const today = chinaToday();
  const evidence = await loadEvidence(tx, orgId);
  const { set } = await requirementSetFor(tx, org.workspaceId, target);
  const readiness = evaluateReadiness({ level: target, at: today, evidence, requirements: set });
  const from = Number(readiness.window.from.slice(0, 4));
  const to = Number(readiness.window.to.slice(0, 4));
  const auditYears: number[] = [];
  for (let y = from; y <= to; y++) {
    if (`${y}-01-01` >= readiness.window.from && `${y}-12-31` <= readiness.window.to) auditYears.push(y);
  }
  const open = readiness.requirements.filter((r) => r.status !== 'met');
  let expected: string;
  if (open.length === 0) {
    expected = `截至${dateZh(today)}，已达到 ${target} 的全部量化要求。`;
  } else if (open.every((r) => r.forecast?.status === 'met')) {
    const day = open
      .map((r) => r.forecast!.date)
      .sort()
      .at(-1)!;
    expected = `按当前登记的数据预测，最早于${dateZh(day)}达到 ${target} 的全部量化要求。`;
  } else {
    const names = open.filter((r) => r.forecast?.status !== 'met').map((r) => r.label.zh);
    expected =
      `按当前登记的数据，${readiness.horizon ? `至${dateZh(readiness.horizon)}` : '预测期内'}仍不能全部达到 ${target} 的要求，` +
      `需要补足：${names.join('、')}。`;
  }
  const { met, notMet, unknown } = readiness.counts;
  return {
    title: target === cert.level ? '再评估申请材料' : `升级申请材料（${cert.level} → ${target}）`,
    today,
    organisation: { name: org.name, creditCode: org.creditCode },
    certificate: { number: cert.number, level: levelWords(cert.level), issuer: cert.issuer },
    target: levelWords(target),
    auditYears,
    readiness: {
      summary: `对照 ${target} 的 ${met + notMet + unknown} 项量化要求（统计期 ${readiness.window.label.zh}）：符合 ${met} 项，不符合 ${notMet} 项，缺少数据 ${unknown} 项。`,
      rows: readiness.requirements.map((r) => {
        const gap = r.gap?.zh ?? r.missing?.zh ?? '';
        return [r.label.zh, STATUS_ZH[r.status], r.summary.zh, gap === r.summary.zh ? '' : gap];
      }),
      expected,
    },
    files: await loadEvidenceFiles(tx, orgId, certId, today),
  };
}

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
  const known = new Map(itemsOf(DEFAULT_CATALOGUE_VERSION).map((i) => [i.id, i.name]));
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

const RESULT_ZH = { conform: '符合', finding: '发现问题' } as const;
const STATE_ZH = { covered: '已覆盖', planned: '已计划', missing: '未覆盖' } as const;

/** The plan as its exported document says it, read in one transaction (viewers and above). */
export async function planDocumentData({
  tx,
  actor,
  orgId,
  certId,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
}): Promise<PlanDocumentData> {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const cert = await supervisedCertificate(tx, orgId, certId);
  const plan = await getSupervisionPlan({ tx, actor, orgId, certId });
  const catalogue = catalogueVersion(plan.catalogueVersion) ?? catalogueVersion(DEFAULT_CATALOGUE_VERSION)!;
  const visitOf = new Map(plan.visits.flatMap((v, i) => v.itemIds.map((id) => [id, i] as const)));
  const resultOf = new Map(plan.results.flatMap((r) => r.items.map((x) => [x.itemId, x.result] as const)));
  const evidenceOf = new Map(plan.evidence.map((e) => [e.itemId, e]));
  return {
    today: chinaToday(),
    organisation: { name: org.name, creditCode: org.creditCode },
    certificate: { number: cert.number, level: levelWords(cert.level), issuer: cert.issuer },
    initialPersonDays: plan.initialPersonDays,
    visits: plan.visits.map((v) => ({
      date: v.date,
      personDays: v.personDays,
      items: v.itemIds.length,
      capacity: v.capacity,
      past: v.past,
    })),
    problems: plan.problems.map((p) => p.message.zh),
    coverage: plan.coverage,
    items: catalogue.items.map((item) => {
      const at = visitOf.get(item.id);
      const result = resultOf.get(item.id);
      const state =
        result || (at !== undefined && plan.visits[at]!.past) ? 'covered' : at !== undefined ? 'planned' : 'missing';
      return {
        domain: CAPABILITY_DOMAIN_NAMES[item.domain].zh,
        subdomain: item.subdomain.zh,
        name: item.name.zh,
        visit: at === undefined ? '未安排' : `第 ${at + 1} 次`,
        status: STATE_ZH[state],
        result: result ? RESULT_ZH[result] : '',
        evidence: evidenceSourcesOf(item.id)
          .map((s) => EVIDENCE_SOURCE_NAMES[s].zh)
          .join('、'),
        files: evidenceOf.get(item.id)?.files ?? 0,
        gap: evidenceOf.get(item.id)?.gap?.zh ?? '',
      };
    }),
    findings: plan.results.flatMap((r) => r.findings.map((f) => ({ date: r.date, text: f.text, dueDate: f.dueDate }))),
  };
}
