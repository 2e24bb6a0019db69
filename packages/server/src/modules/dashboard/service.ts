import { addCalendarDays, isDateSettled, isYearPublished, type CertificateState } from '@zizhi/core';
import { and, asc, eq, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { chinaToday, now } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { certificates, obligations, organisations } from '../../db/schema.js';
import type { Actor } from '../../access/actor.js';
import { currentState, evaluateStoredMany, isOverdue, pendingSql } from '../obligations/api.js';
import { requireMembership } from '../../access/membership.js';

/** Rules shown as milestones on a certificate's timeline: the dates that decide its fate. */
const MILESTONE_RULES = new Set([
  'supervision.first',
  'supervision.second',
  'renewal.apply',
  'self-check.annual',
  'expiry',
  'supervision.failed',
]);

const HOURS_48 = 48 * 3_600_000;

export interface RedLine {
  /** `needs-record`: a deadline passed with nothing recorded (the certificate may be lost). */
  kind: 'incident-report' | 'suspended' | 'needs-record';
  orgId: string;
  orgName: string;
  certificateId: string;
  certificateNumber: string;
  obligationId?: string;
  title: string;
  titleEn: string;
  dueDate?: string;
  dueAt?: string;
}

export interface Milestone {
  rule: string;
  titleZh: string;
  titleEn: string;
  dueDate: string;
  windowStart?: string;
  status: string;
  overdue: boolean;
}

/**
 * What a compliance manager opens every morning: certificates by state and level, what is due
 * soon, what is late, red lines, and each certificate's four years at a glance. For one
 * organisation or across all the workspace's organisations the actor may see.
 */
export async function getDashboard({
  tx,
  actor,
  workspaceId,
  orgId,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  orgId?: string;
}) {
  const me = await requireMembership(tx, actor, workspaceId);
  const today = chinaToday();
  const scope: SQL[] = [eq(organisations.workspaceId, workspaceId)];
  if (orgId) scope.push(eq(organisations.id, orgId));
  if (me.orgIds) scope.push(inArray(organisations.id, me.orgIds));

  const certRows = await tx
    .select({ c: certificates, orgName: organisations.name })
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    .where(and(...scope))
    .orderBy(asc(organisations.name), asc(certificates.issuedOn));
  const at = now();
  const until = (days: number) => addCalendarDays(today, days);
  // Open work counted per certificate in SQL (a consultancy has tens of thousands of open
  // obligations; the page needs a few numbers per certificate, not the rows).
  const overdueSql = sql<boolean>`(case when ${obligations.dueAt} is not null then ${obligations.dueAt} < ${new Date(at).toISOString()}::timestamptz else ${obligations.dueDate} < ${today}::date end)`;
  const openByCert = await tx
    .select({
      certificateId: obligations.certificateId,
      overdue: sql<number>`count(*) filter (where ${overdueSql})::int`,
      d7: sql<number>`count(*) filter (where not ${overdueSql} and ${obligations.dueDate} <= ${until(7)}::date)::int`,
      d30: sql<number>`count(*) filter (where not ${overdueSql} and ${obligations.dueDate} <= ${until(30)}::date)::int`,
      d90: sql<number>`count(*) filter (where not ${overdueSql} and ${obligations.dueDate} <= ${until(90)}::date)::int`,
      years: sql<number[]>`array_agg(distinct extract(year from ${obligations.dueDate})::int)`,
      provisionalDates: sql<
        string[] | null
      >`array_agg(distinct ${obligations.dueDate}::text) filter (where ${obligations.provisional})`,
    })
    .from(obligations)
    .innerJoin(organisations, eq(organisations.id, obligations.orgId))
    .where(and(...scope, pendingSql()))
    .groupBy(obligations.certificateId);
  // Hour deadlines within 48 hours (incident reports): few, so read as rows.
  const incidents = await tx
    .select({ o: obligations, orgName: organisations.name, number: certificates.number })
    .from(obligations)
    .innerJoin(certificates, eq(certificates.id, obligations.certificateId))
    .innerJoin(organisations, eq(organisations.id, obligations.orgId))
    .where(
      and(
        ...scope,
        pendingSql(),
        eq(obligations.rule, 'incident.report'),
        isNotNull(obligations.dueAt),
        lt(obligations.dueAt, new Date(at + HOURS_48)),
      ),
    )
    .orderBy(asc(obligations.dueDate), asc(obligations.dueAt));

  const byState: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  const redLines: RedLine[] = [];
  const timelines = [];
  const states = new Map<string, CertificateState>();
  const evaluated = await evaluateStoredMany(
    tx,
    certRows.map((r) => r.c),
    today,
  );
  for (const { c, orgName } of certRows) {
    const result = evaluated.get(c.id)!;
    const state = currentState(result, today);
    states.set(c.id, state);
    byState[state] = (byState[state] ?? 0) + 1;
    byLevel[c.level] = (byLevel[c.level] ?? 0) + 1;
    if (state === 'suspended') {
      redLines.push({
        kind: 'suspended',
        orgId: c.orgId,
        orgName,
        certificateId: c.id,
        certificateNumber: c.number,
        title: '证书暂停使用（整改期）',
        titleEn: 'Certificate suspended (rectification)',
      });
    }
    for (const alert of result.alerts) {
      redLines.push({
        kind: 'needs-record',
        orgId: c.orgId,
        orgName,
        certificateId: c.id,
        certificateNumber: c.number,
        title: alert.zh,
        titleEn: alert.en,
      });
    }
    timelines.push({
      certificateId: c.id,
      orgId: c.orgId,
      orgName,
      number: c.number,
      level: c.level,
      issuedOn: c.issuedOn,
      expiresOn: c.expiresOn,
      state,
      segments: result.timeline.map((s) => ({ state: s.state, from: s.from, ...(s.to ? { to: s.to } : {}) })),
      milestones: [] as Milestone[],
    });
  }

  const byCert = new Map(timelines.map((t) => [t.certificateId, t]));
  // Only live certificates make demands.
  const live = (certificateId: string) => {
    const state = states.get(certificateId);
    return !state || state === 'active' || state === 'suspended';
  };
  const due = { d7: 0, d30: 0, d90: 0 };
  let overdue = 0;
  const unpublished = new Set<number>();
  for (const row of openByCert) {
    if (!live(row.certificateId)) continue;
    overdue += row.overdue;
    due.d7 += row.d7;
    due.d30 += row.d30;
    due.d90 += row.d90;
    // A date in the last weeks of a year also waits for the next year's notice.
    for (const year of row.years) if (!isYearPublished(year)) unpublished.add(year);
    for (const date of row.provisionalDates ?? []) {
      const year = Number(date.slice(0, 4));
      if (isYearPublished(year) && !isDateSettled(date)) unpublished.add(year + 1);
    }
  }
  for (const { o, orgName, number } of incidents) {
    if (!live(o.certificateId)) continue;
    redLines.push({
      kind: 'incident-report',
      orgId: o.orgId,
      orgName,
      certificateId: o.certificateId,
      certificateNumber: number,
      obligationId: o.id,
      title: o.titleZh,
      titleEn: o.titleEn,
      dueDate: o.dueDate,
      dueAt: o.dueAt!.toISOString(),
    });
  }
  // Milestones include finished ones: the timeline shows what was done, too.
  const milestoneRows =
    certRows.length === 0
      ? []
      : await tx
          .select({
            certificateId: obligations.certificateId,
            rule: obligations.rule,
            titleZh: obligations.titleZh,
            titleEn: obligations.titleEn,
            dueDate: obligations.dueDate,
            dueAt: obligations.dueAt,
            windowStart: obligations.windowStart,
            status: obligations.status,
            satisfiedOn: obligations.satisfiedOn,
            cancelledOn: obligations.cancelledOn,
          })
          .from(obligations)
          .where(
            and(
              inArray(
                obligations.certificateId,
                certRows.map((r) => r.c.id),
              ),
              inArray(obligations.rule, [...MILESTONE_RULES]),
            ),
          )
          .orderBy(asc(obligations.dueDate));
  for (const o of milestoneRows) {
    byCert.get(o.certificateId)?.milestones.push({
      rule: o.rule,
      titleZh: o.titleZh,
      titleEn: o.titleEn,
      dueDate: o.dueDate,
      ...(o.windowStart ? { windowStart: o.windowStart } : {}),
      status: o.status,
      overdue: isOverdue(o, at),
    });
  }
  return {
    asOf: today,
    certificates: { total: certRows.length, byState, byLevel },
    due,
    overdue,
    redLines,
    unpublishedYears: [...unpublished].sort(),
    timelines,
  };
}
