import { evaluateReadiness, isLevel } from '@zizhi/core';
import { and, asc, between, eq, inArray, isNull, sql } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { certificateEvents, certificates, obligations } from '../../db/schema.js';
import { invalid, notFound } from '../../errors.js';
import type { Actor } from '../../access/actor.js';
import { requireOrgAccess } from '../../access/membership.js';
import { flagsOfEvidence, loadEvidence, requirementSetFor } from '../readiness/api.js';
import type { SelfCheckData } from '../../reports/self-check.js';

/** The duties a self-check report counts, by obligation rule. */
const DUTY_RULES = { audits: 'audit.internal', meetings: 'meeting.quarterly' } as const;

/**
 * Everything a certificate's self-check report for `year` says, read in one transaction (viewers
 * and above): the organisation, the certificate, its events of the year, the evidence, readiness
 * for its level at the end of the year (today in the current year), the internal audits and
 * meetings due in the year and the open authenticity flags.
 */
export async function selfCheckData({
  tx,
  actor,
  orgId,
  certId,
  year,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
  year: number;
}): Promise<SelfCheckData> {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const [cert] = await tx
    .select()
    .from(certificates)
    .where(and(eq(certificates.id, certId), eq(certificates.orgId, orgId)));
  if (!cert || !isLevel(cert.level)) throw notFound('证书');
  const today = chinaToday();
  const first = Number(cert.issuedOn.slice(0, 4));
  const last = Math.min(Number(cert.expiresOn.slice(0, 4)), Number(today.slice(0, 4)));
  if (year < first || year > last) {
    throw invalid(
      'year',
      first > last
        ? `证书 ${cert.number} 尚未生效，还不能生成自查报告`
        : `证书 ${cert.number} 可生成 ${first}–${last} 年度的自查报告，${year} 年不在其中`,
    );
  }
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const yearEnd = to < today ? to : today;
  const events = await tx
    .select({ type: certificateEvents.type, date: certificateEvents.date, data: certificateEvents.data })
    .from(certificateEvents)
    .where(
      and(
        eq(certificateEvents.certificateId, certId),
        between(certificateEvents.date, from, to),
        isNull(certificateEvents.withdrawnAt),
      ),
    )
    .orderBy(asc(certificateEvents.date), asc(certificateEvents.createdAt));
  const evidence = await loadEvidence(tx, orgId);
  const { set, custom } = await requirementSetFor(tx, org.workspaceId, cert.level);
  const readiness = evaluateReadiness({ level: cert.level, at: yearEnd, evidence, requirements: set });
  const duties = await tx
    .select({
      rule: obligations.rule,
      due: sql<number>`count(*)::int`,
      // Waived is not held: a waived audit did not take place.
      done: sql<number>`(count(*) filter (where ${obligations.status} = 'done' or ${obligations.satisfiedOn} is not null))::int`,
    })
    .from(obligations)
    .where(
      and(
        eq(obligations.certificateId, certId),
        inArray(obligations.rule, Object.values(DUTY_RULES)),
        between(obligations.dueDate, from, to),
        isNull(obligations.cancelledOn),
      ),
    )
    .groupBy(obligations.rule);
  const count = (rule: string) => {
    const row = duties.find((d) => d.rule === rule);
    return { due: row?.due ?? 0, done: row?.done ?? 0 };
  };
  const flags = await flagsOfEvidence(tx, orgId, evidence, today);
  return {
    year,
    today,
    organisation: {
      name: org.name,
      creditCode: org.creditCode,
      address: org.address,
      legalRepresentative: org.legalRepresentative,
      foundedOn: org.foundedOn,
    },
    certificate: {
      number: cert.number,
      level: cert.level,
      issuedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
      issuer: cert.issuer,
    },
    events: events.map((e) => ({ type: e.type, date: e.date, note: noteOf(e.data) })),
    evidence,
    readiness,
    customRequirements: custom,
    duties: { audits: count(DUTY_RULES.audits), meetings: count(DUTY_RULES.meetings) },
    flags: flags.map((f) => f.message),
  };
}

/** An event's note as people wrote it, when it has one. */
function noteOf(data: unknown): string | null {
  const note = (data as { note?: unknown } | null)?.note;
  return typeof note === 'string' && note.trim() ? note.trim() : null;
}
