import { addCalendarDays, isDateSettled, isYearPublished } from '@zizhi/core';
import { and, asc, count, eq, gte, inArray, isNotNull, isNull, lt, lte, not, or, sql, type SQL } from 'drizzle-orm';
import { chinaToday, formatInstant, nextChinaMidnight, now } from '../../clock.js';
import { AnswerCache, workspaceStamp } from '../../http/answer-cache.js';
import type { Tx } from '../../db/client.js';
import { certificateEvents, certificates, obligations, organisations } from '../../db/schema.js';
import type { Actor } from '../../access/actor.js';
import { encodeCursor, type Page } from '../../http/paging.js';
import {
  alertsOfMany,
  currentState,
  dueAtKey,
  evaluateStoredMany,
  isOverdue,
  overdueSql,
  pendingSql,
  storedStateSql,
} from '../obligations/api.js';
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

/** Red lines listed at most; the count says how many there are in all. */
const RED_LINES_SHOWN = 50;
/** The nearest deadlines shown on the dashboard; the obligations list has the rest. */
const NEAREST_SHOWN = 10;

/** Deadlines whose passing with nothing recorded raises a needs-record alert (the engine's). */
const ALERT_RULES = ['supervision.first', 'supervision.second', 'self-check.annual'];

/**
 * The organisations of the workspace (or one of them) the actor may see, as SQL conditions and
 * as the part of a cache key that names them.
 */
async function scopeOf(
  tx: Tx,
  actor: Actor,
  workspaceId: string,
  orgId: string | undefined,
): Promise<{ scope: SQL[]; key: string }> {
  const me = await requireMembership(tx, actor, workspaceId);
  const scope: SQL[] = [eq(organisations.workspaceId, workspaceId)];
  if (orgId) scope.push(eq(organisations.id, orgId));
  if (me.orgIds) scope.push(inArray(organisations.id, me.orgIds));
  return { scope, key: `${orgId ?? '*'}|${me.orgIds ? [...me.orgIds].sort().join(',') : '*'}` };
}

export type Dashboard = Awaited<ReturnType<typeof computeDashboard>>['value'];

/** Dashboards as last computed, by workspace counter and scope: a reload while nothing changed is a look-up. */
const dashboards = new AnswerCache<Dashboard>({
  maxEntries: 500,
  maxBytes: 32 * 1024 * 1024,
  size: (d) => 2_000 + (d.redLines.length + d.nearest.length) * 400,
});

export type TimelinePage = Awaited<ReturnType<typeof computeTimelines>>['value'];

/** Pages of timelines as last computed, by the same key and the cursor. */
const timelinePages = new AnswerCache<TimelinePage>({
  maxEntries: 2_000,
  maxBytes: 32 * 1024 * 1024,
  size: (p) => 256 + p.items.reduce((n, t) => n + 300 + (t.segments.length + t.milestones.length) * 120, 0),
});

/**
 * What a compliance manager opens every morning: certificates by state and level, what is due
 * soon, what is late, red lines and the nearest deadlines, for one organisation or across all
 * the workspace's organisations the actor may see. Aggregates computed in SQL: the size of the
 * answer does not grow with the workspace (the timelines come a page at a time: `getTimelines`).
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
}): Promise<Dashboard> {
  const { scope, key } = await scopeOf(tx, actor, workspaceId, orgId);
  // The counter before the data: an answer kept under it is never older than its writes.
  const stamp = await workspaceStamp(tx, workspaceId);
  return dashboards.get(`${stamp}|${key}|${chinaToday()}`, () => computeDashboard(tx, scope));
}

async function computeDashboard(tx: Tx, scope: SQL[]) {
  const today = chinaToday();
  const at = now();
  const state = storedStateSql(today);
  // Only live certificates make demands.
  const live = sql`${state} in ('active', 'suspended')`;
  const until = (days: number) => addCalendarDays(today, days);

  const stateRows = await tx
    .select({ state, level: certificates.level, n: count() })
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    .where(and(...scope))
    // By position: the state expression carries a parameter, which would not match its repeat.
    .groupBy(sql`1`, sql`2`);
  const byState: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  let total = 0;
  for (const r of stateRows) {
    byState[r.state] = (byState[r.state] ?? 0) + r.n;
    byLevel[r.level] = (byLevel[r.level] ?? 0) + r.n;
    total += r.n;
  }

  // Open work of live certificates counted per due day (a few hundred days, however many rows):
  // one scan with a hashed grouping, and every figure below is summed from these rows.
  const orgIds = (
    await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(...scope))
  ).map((o) => o.id);
  const overdue = overdueSql(at);
  const openWork = and(inArray(obligations.orgId, orgIds), live, pendingSql());
  const days =
    orgIds.length === 0
      ? []
      : await tx
          .select({
            day: obligations.dueDate,
            n: count(),
            overdue: sql<number>`(count(*) filter (where ${overdue}))::int`,
            provisional: sql<boolean>`bool_or(${obligations.provisional})`,
            // When time alone changes the answer: an hour deadline passing, or coming within
            // the 48 hours that make an incident report a red line.
            nextAt: sql<
              number | null
            >`(extract(epoch from min(${obligations.dueAt}) filter (where ${obligations.dueAt} > ${new Date(at).toISOString()}::timestamptz)) * 1000)::float8`,
            nextRedAt: sql<
              number | null
            >`(extract(epoch from min(${obligations.dueAt}) filter (where ${obligations.dueAt} >= ${new Date(at + HOURS_48).toISOString()}::timestamptz)) * 1000)::float8`,
          })
          .from(obligations)
          .innerJoin(certificates, eq(certificates.id, obligations.certificateId))
          .where(openWork)
          .groupBy(obligations.dueDate);
  days.sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
  const due = { d7: 0, d30: 0, d90: 0 };
  let overdueCount = 0;
  const unpublished = new Set<number>();
  let validUntil = nextChinaMidnight(at);
  for (const d of days) {
    if (d.nextAt !== null) validUntil = Math.min(validUntil, d.nextAt);
    if (d.nextRedAt !== null) validUntil = Math.min(validUntil, d.nextRedAt - HOURS_48);
    const waiting = d.n - d.overdue;
    overdueCount += d.overdue;
    if (d.day <= until(7)) due.d7 += waiting;
    if (d.day <= until(30)) due.d30 += waiting;
    if (d.day <= until(90)) due.d90 += waiting;
    const year = Number(d.day.slice(0, 4));
    if (!isYearPublished(year)) unpublished.add(year);
    // A date in the last weeks of a year also waits for the next year's notice.
    else if (d.provisional && !isDateSettled(d.day)) unpublished.add(year + 1);
  }

  // Corrective actions of internal audits still to do, and how many of them are late.
  const [corrective] =
    orgIds.length === 0
      ? [{ open: 0, overdue: 0 }]
      : await tx
          .select({
            open: sql<number>`count(*)::int`,
            overdue: sql<number>`(count(*) filter (where ${overdue}))::int`,
          })
          .from(obligations)
          .where(and(inArray(obligations.orgId, orgIds), pendingSql(), eq(obligations.rule, 'audit.corrective')));

  const redLines = await listRedLines(tx, scope, today, at);
  // The nearest deadlines lie on the first days that still hold work not yet late: read only those.
  let seen = 0;
  let lastDay: string | undefined;
  let firstDay: string | undefined;
  for (const d of days) {
    if (d.n === d.overdue) continue;
    firstDay ??= d.day;
    seen += d.n - d.overdue;
    lastDay = d.day;
    if (seen >= NEAREST_SHOWN) break;
  }
  const nearest =
    firstDay === undefined || lastDay === undefined
      ? []
      : await tx
          .select({
            o: {
              id: obligations.id,
              orgId: obligations.orgId,
              certificateId: obligations.certificateId,
              rule: obligations.rule,
              titleZh: obligations.titleZh,
              titleEn: obligations.titleEn,
              dueDate: obligations.dueDate,
              dueAt: obligations.dueAt,
              provisional: obligations.provisional,
              status: obligations.status,
            },
            orgName: organisations.name,
            certificateNumber: certificates.number,
          })
          .from(obligations)
          .innerJoin(certificates, eq(certificates.id, obligations.certificateId))
          .innerJoin(organisations, eq(organisations.id, obligations.orgId))
          .where(and(openWork, gte(obligations.dueDate, firstDay), lte(obligations.dueDate, lastDay), not(overdue)))
          .orderBy(asc(obligations.dueDate), asc(dueAtKey), asc(obligations.id))
          .limit(NEAREST_SHOWN);

  const value = {
    asOf: today,
    certificates: { total, byState, byLevel },
    due,
    overdue: overdueCount,
    correctiveActions: { open: corrective?.open ?? 0, overdue: corrective?.overdue ?? 0 },
    redLines: redLines.slice(0, RED_LINES_SHOWN),
    redLinesTotal: redLines.length,
    unpublishedYears: [...unpublished].sort(),
    nearest: nearest.map(({ o, orgName, certificateNumber }) => ({
      obligationId: o.id,
      orgId: o.orgId,
      orgName,
      certificateId: o.certificateId,
      certificateNumber,
      rule: o.rule,
      titleZh: o.titleZh,
      titleEn: o.titleEn,
      dueDate: o.dueDate,
      dueAt: o.dueAt ? formatInstant(o.dueAt) : null,
      provisional: o.provisional,
      status: o.status,
    })),
  };
  return { value, validUntil };
}

/**
 * Red lines: incident reports due within 48 hours, suspended certificates, and deadlines that
 * passed with nothing recorded. The last come from the engine, which is run only for the
 * certificates that can have one (a supervision or self-check deadline passed without its
 * record, or a failed supervision), not for the whole workspace.
 */
async function listRedLines(tx: Tx, scope: SQL[], today: string, at: number): Promise<RedLine[]> {
  const state = storedStateSql(today);
  const live = sql`${state} in ('active', 'suspended')`;
  const redLines: RedLine[] = [];
  const incidents = await tx
    .select({
      id: obligations.id,
      orgId: obligations.orgId,
      certificateId: obligations.certificateId,
      titleZh: obligations.titleZh,
      titleEn: obligations.titleEn,
      dueDate: obligations.dueDate,
      dueAt: obligations.dueAt,
      orgName: organisations.name,
      number: certificates.number,
    })
    .from(obligations)
    .innerJoin(certificates, eq(certificates.id, obligations.certificateId))
    .innerJoin(organisations, eq(organisations.id, obligations.orgId))
    .where(
      and(
        ...scope,
        live,
        pendingSql(),
        eq(obligations.rule, 'incident.report'),
        isNotNull(obligations.dueAt),
        lt(obligations.dueAt, new Date(at + HOURS_48)),
      ),
    )
    .orderBy(asc(obligations.dueAt), asc(obligations.id));
  for (const o of incidents) {
    redLines.push({
      kind: 'incident-report',
      orgId: o.orgId,
      orgName: o.orgName,
      certificateId: o.certificateId,
      certificateNumber: o.number,
      obligationId: o.id,
      title: o.titleZh,
      titleEn: o.titleEn,
      dueDate: o.dueDate,
      dueAt: o.dueAt!.toISOString(),
    });
  }

  const suspended = await tx
    .select({
      id: certificates.id,
      orgId: certificates.orgId,
      number: certificates.number,
      orgName: organisations.name,
    })
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    .where(and(...scope, sql`${state} = 'suspended'`))
    .orderBy(asc(organisations.name), asc(certificates.number));
  for (const c of suspended) {
    redLines.push({
      kind: 'suspended',
      orgId: c.orgId,
      orgName: c.orgName,
      certificateId: c.id,
      certificateNumber: c.number,
      title: '证书暂停使用（整改期）',
      titleEn: 'Certificate suspended (rectification)',
    });
  }

  const missed = tx
    .select({ id: obligations.certificateId })
    .from(obligations)
    .where(
      and(
        eq(obligations.certificateId, certificates.id),
        inArray(obligations.rule, ALERT_RULES),
        isNull(obligations.satisfiedOn),
        lt(obligations.dueDate, today),
      ),
    );
  const failed = tx
    .select({ id: certificateEvents.certificateId })
    .from(certificateEvents)
    .where(
      and(
        eq(certificateEvents.certificateId, certificates.id),
        eq(certificateEvents.type, 'supervision.done'),
        isNull(certificateEvents.withdrawnAt),
        sql`(${certificateEvents.data}->>'passed') = 'false'`,
      ),
    );
  const candidates = await tx
    .select({ c: certificates, orgName: organisations.name })
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    .where(and(...scope, live, or(sql`exists ${missed}`, sql`exists ${failed}`)))
    .orderBy(asc(organisations.name), asc(certificates.issuedOn), asc(certificates.id));
  const alerts = await alertsOfMany(
    tx,
    candidates.map((r) => r.c),
    today,
  );
  for (const { c, orgName } of candidates) {
    for (const alert of alerts.get(c.id) ?? []) {
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
  }
  return redLines;
}

/**
 * A page of the certificates' four-year timelines with their milestones, in the order the
 * dashboard draws them (organisation, then issue date): the engine runs for that page only.
 */
export async function getTimelines({
  tx,
  actor,
  workspaceId,
  orgId,
  page,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  orgId?: string;
  page: Page;
}) {
  const { scope, key } = await scopeOf(tx, actor, workspaceId, orgId);
  const stamp = await workspaceStamp(tx, workspaceId);
  const today = chinaToday();
  return timelinePages.get(`${stamp}|${key}|${today}|${page.limit}|${page.cursor ? page.cursor.join('/') : ''}`, () =>
    computeTimelines(tx, scope, page, today),
  );
}

/** A page of timelines, and until when the clock leaves it true. */
async function computeTimelines(tx: Tx, scope: SQL[], page: Page, today: string) {
  const at = now();
  const after = page.cursor
    ? sql`(${organisations.name}, ${certificates.issuedOn}, ${certificates.id}) > (${page.cursor[0]}, ${page.cursor[1]}::date, ${page.cursor[2]}::uuid)`
    : undefined;
  const certRows = await tx
    .select({ c: certificates, orgName: organisations.name })
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    .where(and(...scope, after))
    .orderBy(asc(organisations.name), asc(certificates.issuedOn), asc(certificates.id))
    .limit(page.limit + 1);
  const [counted] = await tx
    .select({ n: count() })
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    .where(and(...scope));
  const shown = certRows.slice(0, page.limit);
  const evaluated = await evaluateStoredMany(
    tx,
    shown.map((r) => r.c),
    today,
  );
  const timelines = shown.map(({ c, orgName }) => {
    const result = evaluated.get(c.id)!;
    return {
      certificateId: c.id,
      orgId: c.orgId,
      orgName,
      number: c.number,
      level: c.level,
      issuedOn: c.issuedOn,
      expiresOn: c.expiresOn,
      state: currentState(result, today),
      segments: result.timeline.map((s) => ({ state: s.state, from: s.from, ...(s.to ? { to: s.to } : {}) })),
      milestones: [] as Milestone[],
    };
  });
  const byCert = new Map(timelines.map((t) => [t.certificateId, t]));
  // Milestones include finished ones: the timeline shows what was done, too.
  const milestoneRows =
    shown.length === 0
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
                shown.map((r) => r.c.id),
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
  const last = shown.at(-1);
  const nextAt = Math.min(...milestoneRows.map((o) => o.dueAt?.getTime() ?? Infinity).filter((t) => t > at));
  return {
    value: {
      items: timelines,
      total: counted?.n ?? 0,
      nextCursor:
        certRows.length > page.limit && last ? encodeCursor([last.orgName, last.c.issuedOn, last.c.id]) : null,
    },
    // States move with the date; a milestone's overdue flag also when its hour passes.
    validUntil: Math.min(nextChinaMidnight(at), nextAt),
  };
}
