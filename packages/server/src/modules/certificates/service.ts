import {
  canTransition,
  CERTIFICATE_STATE_LABELS,
  defaultExpiry,
  type CertificateState,
  type ObligationsResult,
} from '@zizhi/core';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { certificateTransitions, certificates, files, users } from '../../db/schema.js';
import { conflict, invalid } from '../../errors.js';
import { chinaToday } from '../../clock.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { diffSummary, recordAudit } from '../../access/audit.js';
import { currentState, evaluateStored, recomputeCertificate, storedState } from '../obligations/api.js';
import { newPublicSlug, publicPath } from '../public/api.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';

type CertificateRow = typeof certificates.$inferSelect;
type Level = CertificateRow['level'];

export interface CertificateInput {
  level: Level;
  number: string;
  issuer: string;
  issuedOn: string;
  expiresOn?: string;
  public: boolean;
}

const present = (row: CertificateRow, state: CertificateState, successorId: string | null) => ({
  id: row.id,
  orgId: row.orgId,
  level: row.level,
  number: row.number,
  issuer: row.issuer,
  issuedOn: row.issuedOn,
  expiresOn: row.expiresOn,
  expiresOnProposed: row.expiresOnProposed,
  state,
  recordedState: row.state as CertificateState,
  public: row.isPublic,
  publicUrl: row.isPublic ? publicPath(row.publicSlug) : null,
  predecessorId: row.predecessorId,
  successorId,
  scanFileId: row.scanFileId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const auditFields = (c: CertificateRow) => ({
  level: c.level,
  number: c.number,
  issuer: c.issuer,
  issuedOn: c.issuedOn,
  expiresOn: c.expiresOn,
  public: c.isPublic,
  scanFileId: c.scanFileId,
});

async function evaluate(tx: Tx, row: CertificateRow, asOf?: string): Promise<ObligationsResult> {
  return evaluateStored(tx, row, asOf ? { asOf } : {});
}

async function successorOf(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: certificates.id, predecessorId: certificates.predecessorId })
    .from(certificates)
    .where(inArray(certificates.predecessorId, ids));
  return new Map(rows.map((r) => [r.predecessorId!, r.id]));
}

/** An organisation's certificates, newest first, each with the state that holds today. */
export async function listCertificates({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  await requireOrgAccess(tx, actor, orgId);
  const rows = await tx
    .select()
    .from(certificates)
    .where(eq(certificates.orgId, orgId))
    .orderBy(desc(certificates.issuedOn));
  const successors = await successorOf(
    tx,
    rows.map((r) => r.id),
  );
  const out = [];
  for (const row of rows) {
    out.push(present(row, storedState(row), successors.get(row.id) ?? null));
  }
  return out;
}

/** One certificate with its recorded transitions and the engine's state timeline. */
export async function getCertificate({
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
  const row = await loadCertificate(tx, orgId, certId);
  const result = await evaluate(tx, row);
  const successors = await successorOf(tx, [row.id]);
  const transitions = await tx
    .select({ t: certificateTransitions, actorName: users.name })
    .from(certificateTransitions)
    .leftJoin(users, eq(users.id, certificateTransitions.actorId))
    .where(eq(certificateTransitions.certificateId, certId))
    .orderBy(asc(certificateTransitions.on), asc(certificateTransitions.createdAt));
  return {
    ...present(row, currentState(result), successors.get(row.id) ?? null),
    transitions: transitions.map(({ t, actorName }) => ({
      id: t.id,
      fromState: t.fromState,
      toState: t.toState,
      on: t.on,
      reason: t.reason,
      actor: t.actorId ? { id: t.actorId, name: actorName ?? '' } : null,
      createdAt: t.createdAt.toISOString(),
    })),
    timeline: result.timeline.map((s) => ({
      state: s.state,
      from: s.from,
      ...(s.to ? { to: s.to } : {}),
      reasonZh: s.reasonZh,
      reasonEn: s.reasonEn,
    })),
    warnings: result.warnings,
    alerts: result.alerts,
  };
}

async function ensureNumberFree(tx: Tx, orgId: string, number: string, exceptId?: string) {
  const [dup] = await tx
    .select({ id: certificates.id })
    .from(certificates)
    .where(and(eq(certificates.orgId, orgId), eq(sql`upper(${certificates.number})`, number.toUpperCase())));
  if (dup && dup.id !== exceptId)
    throw conflict(
      {
        zh: `证书编号 ${number} 已登记在此企业`,
        en: `Certificate number ${number} is already recorded for this company`,
      },
      'number',
    );
}

/**
 * A CS certificate is valid 4 years; an expiry more than 5 years after issue is a typing error, and
 * would make the engine schedule hundreds of years of duties.
 */
function ensurePlausibleExpiry(issuedOn: string, expiresOn: string | undefined) {
  if (!expiresOn) return;
  const latest = `${Number(issuedOn.slice(0, 4)) + 5}${issuedOn.slice(4)}`;
  if (expiresOn > latest) {
    throw invalid('expiresOn', {
      zh: `到期日 ${expiresOn} 距发证日期超过 5 年：CS 证书有效期为 4 年，请核对证书上的日期`,
      en: `The expiry ${expiresOn} is more than 5 years after issue: a CS certificate is valid 4 years, check the dates on it`,
    });
  }
}

async function ensureScanFile(tx: Tx, orgId: string, fileId: string | null | undefined) {
  if (!fileId) return;
  const [f] = await tx
    .select({ id: files.id })
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.orgId, orgId)));
  if (!f)
    throw invalid('scanFileId', {
      zh: '扫描件不存在，请先上传文件',
      en: 'The scan does not exist: upload the file first',
    });
}

async function addTransition(
  tx: Tx,
  row: Pick<CertificateRow, 'id' | 'orgId'>,
  t: { from: string | null; to: CertificateState; on: string; reason: string; actorId: string },
) {
  const [created] = await tx
    .insert(certificateTransitions)
    .values({
      orgId: row.orgId,
      certificateId: row.id,
      fromState: t.from,
      toState: t.to,
      on: t.on,
      reason: t.reason,
      actorId: t.actorId,
    })
    .returning();
  return created!;
}

/** Records a certificate from the paper one and computes what it obliges the company to do. */
export async function createCertificate({
  tx,
  actor,
  meta,
  orgId,
  input,
  predecessorId = null,
  publicSlug,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  input: CertificateInput;
  predecessorId?: string | null;
  /** A successor takes over its predecessor's public address, so printed QR codes keep working. */
  publicSlug?: string;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  await ensureNumberFree(tx, orgId, input.number);
  ensurePlausibleExpiry(input.issuedOn, input.expiresOn);
  const [row] = await tx
    .insert(certificates)
    .values({
      orgId,
      level: input.level,
      number: input.number,
      issuer: input.issuer,
      issuedOn: input.issuedOn,
      expiresOn: input.expiresOn ?? defaultExpiry(input.issuedOn),
      expiresOnProposed: !input.expiresOn,
      isPublic: input.public,
      ...(publicSlug ? { publicSlug } : {}),
      predecessorId,
      createdBy: actor.userId,
    })
    .returning();
  await addTransition(tx, row!, {
    from: null,
    to: 'active',
    on: row!.issuedOn,
    reason: predecessorId ? '接续证书颁发' : '证书颁发',
    actorId: actor.userId,
  });
  const result = await recomputeCertificate(tx, row!.id);
  await recordAudit(tx, {
    action: 'certificate.created',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: row!.id,
    summary: { after: auditFields(row!), predecessorId },
    ip: meta.ip,
  });
  return present(row!, currentState(result), null);
}

/** Corrects a certificate's data; dates and level changes recompute its obligations. */
export async function updateCertificate({
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
  input: Partial<Omit<CertificateInput, 'expiresOn'>> & { expiresOn?: string; scanFileId?: string | null };
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const before = await loadCertificate(tx, orgId, certId);
  if (input.number) await ensureNumberFree(tx, orgId, input.number, certId);
  await ensureScanFile(tx, orgId, input.scanFileId);
  const issuedOn = input.issuedOn ?? before.issuedOn;
  // A proposed expiry follows a corrected issue date; a printed one stays as entered.
  const expiresOn =
    input.expiresOn ?? (before.expiresOnProposed && input.issuedOn ? defaultExpiry(issuedOn) : before.expiresOn);
  if (expiresOn <= issuedOn)
    throw invalid('expiresOn', {
      zh: '到期日应晚于发证日期',
      en: 'The expiry date must be after the issue date',
    });
  ensurePlausibleExpiry(issuedOn, expiresOn);
  const [after] = await tx
    .update(certificates)
    .set({
      level: input.level ?? before.level,
      number: input.number ?? before.number,
      issuer: input.issuer ?? before.issuer,
      issuedOn,
      expiresOn,
      expiresOnProposed: input.expiresOn ? false : before.expiresOnProposed,
      isPublic: input.public ?? before.isPublic,
      scanFileId: input.scanFileId === undefined ? before.scanFileId : input.scanFileId,
      updatedAt: new Date(),
    })
    .where(and(eq(certificates.id, certId), eq(certificates.orgId, orgId)))
    .returning();
  const result = await recomputeCertificate(tx, certId);
  await recordAudit(tx, {
    action: 'certificate.updated',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: diffSummary(auditFields(before), auditFields(after!)),
    ip: meta.ip,
  });
  const successors = await successorOf(tx, [certId]);
  return present(after!, currentState(result), successors.get(certId) ?? null);
}

/**
 * Records a state change decided outside the engine (a suspension notice, a revocation, an
 * abandonment found by the assessment body), checked against the lifecycle table.
 */
export async function recordTransition({
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
  input: { to: CertificateState; on: string; reason: string };
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const cert = await loadCertificate(tx, orgId, certId);
  if (input.on < cert.issuedOn)
    throw invalid('on', {
      zh: `日期不能早于发证日期 ${cert.issuedOn}`,
      en: `The date cannot be before the issue date ${cert.issuedOn}`,
    });
  if (input.on > chinaToday())
    throw invalid('on', {
      zh: '状态变更日期不能晚于今天',
      en: 'A state change cannot be dated after today',
    });
  const [latest] = await tx
    .select({ on: certificateTransitions.on })
    .from(certificateTransitions)
    .where(eq(certificateTransitions.certificateId, certId))
    .orderBy(desc(certificateTransitions.on))
    .limit(1);
  if (latest && input.on < latest.on) {
    throw invalid('on', {
      zh: `日期不能早于上一次状态记录（${latest.on}）：状态变更按时间顺序记录`,
      en: `The date cannot be before the last recorded state change (${latest.on}): changes are recorded in order`,
    });
  }
  // The state on the day of the change, not today's: changes are often recorded late.
  const from = currentState(await evaluate(tx, cert, input.on), input.on);
  if (!canTransition(from, input.to)) {
    throw conflict(
      {
        zh: `证书当前状态为「${CERTIFICATE_STATE_LABELS[from].zh}」，不能变更为「${CERTIFICATE_STATE_LABELS[input.to].zh}」`,
        en: `A certificate that is ${CERTIFICATE_STATE_LABELS[from].en} cannot become ${CERTIFICATE_STATE_LABELS[input.to].en}`,
      },
      'to',
    );
  }
  const t = await addTransition(tx, cert, {
    from,
    to: input.to,
    on: input.on,
    reason: input.reason,
    actorId: actor.userId,
  });
  await tx
    .update(certificates)
    .set({ updatedAt: new Date() })
    .where(and(eq(certificates.id, certId), eq(certificates.orgId, orgId)));
  // Recorded states drive the obligations: after a revocation nothing more is due, and reminders stop.
  await recomputeCertificate(tx, certId);
  await recordAudit(tx, {
    action: 'certificate.transition',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: { from, to: input.to, on: input.on, reason: input.reason },
    ip: meta.ip,
  });
  return {
    id: t.id,
    fromState: t.fromState,
    toState: t.toState,
    on: t.on,
    reason: t.reason,
    actor: { id: actor.userId, name: actor.name },
    createdAt: t.createdAt.toISOString(),
  };
}

const SUCCESSOR_STATE = { renewal: 'superseded', upgrade: 'superseded', downgrade: 'downgraded' } as const;
const SUCCESSOR_REASON = { renewal: '再评估换证', upgrade: '升级', downgrade: '降级' } as const;

/**
 * Renewal, upgrade or downgrade: a new certificate continues the history and the old one ends
 * (superseded, or downgraded) on the new one's issue date.
 */
export async function createSuccessor({
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
  input: Omit<CertificateInput, 'public'> & { kind: 'renewal' | 'upgrade' | 'downgrade' };
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const old = await loadCertificate(tx, orgId, certId);
  if ((await successorOf(tx, [certId])).has(certId))
    throw conflict({ zh: '这张证书已有接续证书', en: 'This certificate already has a successor' });
  const rank = (l: Level) => Number(l.slice(2));
  const { kind } = input;
  if (kind === 'upgrade' && rank(input.level) !== rank(old.level) + 1) {
    throw invalid('level', {
      zh: `升级只能逐级进行：${old.level} 只能升为 CS${rank(old.level) + 1}`,
      en: `Upgrades go one level at a time: ${old.level} can only become CS${rank(old.level) + 1}`,
    });
  }
  if (kind === 'downgrade' && rank(input.level) >= rank(old.level)) {
    throw invalid('level', {
      zh: `降级后的等级应低于 ${old.level}`,
      en: `A downgrade must be to a level below ${old.level}`,
    });
  }
  if (kind === 'renewal' && input.level !== old.level) {
    throw invalid('level', {
      zh: `换证等级应与原证书相同（${old.level}）；等级变化请选择升级或降级`,
      en: `A renewal keeps the level (${old.level}); choose upgrade or downgrade for another level`,
    });
  }
  if (input.issuedOn < old.issuedOn)
    throw invalid('issuedOn', {
      zh: `新证书的发证日期不能早于原证书（${old.issuedOn}）`,
      en: `The new certificate cannot be issued before the old one (${old.issuedOn})`,
    });
  const from = currentState(await evaluate(tx, old, input.issuedOn), input.issuedOn);
  const to = SUCCESSOR_STATE[kind];
  if (!canTransition(from, to))
    throw conflict({
      zh: `原证书当前状态为「${CERTIFICATE_STATE_LABELS[from].zh}」，不能再接续`,
      en: `The old certificate is ${CERTIFICATE_STATE_LABELS[from].en} and cannot be continued`,
    });
  // The new certificate inherits publication and the public address: the company's page, badge
  // and printed QR codes move to the new certificate; the old one gets a fresh, unpublished slug.
  await tx
    .update(certificates)
    .set({ isPublic: false, publicSlug: newPublicSlug() })
    .where(eq(certificates.id, certId));
  const created = await createCertificate({
    tx,
    actor,
    meta,
    orgId,
    input: { ...input, public: old.isPublic },
    predecessorId: certId,
    publicSlug: old.publicSlug,
  });
  await addTransition(tx, old, {
    from,
    to,
    on: input.issuedOn,
    reason: `${SUCCESSOR_REASON[kind]}：新证书 ${input.number}`,
    actorId: actor.userId,
  });
  await tx.update(certificates).set({ updatedAt: new Date() }).where(eq(certificates.id, certId));
  await recomputeCertificate(tx, certId);
  await recordAudit(tx, {
    action: 'certificate.transition',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: { from, to, on: input.issuedOn, successorId: created.id, kind },
    ip: meta.ip,
  });
  return created;
}
