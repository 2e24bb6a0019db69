// What the packs, the dossier and the plan's documents hold, each read in one transaction before
// anything is written or streamed.
import {
  CAPABILITY_DOMAIN_NAMES,
  EVIDENCE_SOURCE_NAMES,
  LEVELS,
  evaluateReadiness,
  isLevel,
  type Level,
} from '@zizhi/core';
import { eq } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { supervisionPlans } from '../../db/schema.js';
import { invalid } from '../../errors.js';
import type { Actor } from '../../access/actor.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';
import { dateZh } from '../../reports/self-check.js';
import type { PlanDocumentData } from '../../reports/supervision-plan.js';
import { loadEvidence, requirementSetFor } from '../readiness/api.js';
import { loadEvidenceFiles } from './evidence.js';
import { levelWords, type DossierData, type PackData } from './pack.js';
import { getSupervisionPlan, supervisedCertificate, type StoredPlan } from './service.js';
import { workspaceCatalogue } from './catalogue.js';

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
    items: (await workspaceCatalogue(tx, org.workspaceId, row?.catalogueVersion)).items,
    visitOf,
    files: await loadEvidenceFiles(tx, orgId, certId, today),
  };
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
  const catalogue = await workspaceCatalogue(tx, org.workspaceId, plan.catalogueVersion);
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
        evidence: item.evidence.map((s) => EVIDENCE_SOURCE_NAMES[s].zh).join('、'),
        files: evidenceOf.get(item.id)?.files ?? 0,
        gap: evidenceOf.get(item.id)?.gap?.zh ?? '',
      };
    }),
    findings: plan.results.flatMap((r) => r.findings.map((f) => ({ date: r.date, text: f.text, dueDate: f.dueDate }))),
  };
}
