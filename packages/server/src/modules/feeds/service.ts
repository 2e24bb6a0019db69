import { addCalendarDays } from '@zizhi/core';
import { and, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import { queryRows, type Tx } from '../../db/client.js';
import {
  calendarFeeds,
  certificates,
  obligations,
  organisations,
  workspaceMembers,
  workspaces,
} from '../../db/schema.js';
import { forbidden, notFound } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { newSecret, sha256 } from '../../access/crypto.js';
import { recordAudit } from '../../access/audit.js';
import { requireMembership } from '../../access/membership.js';
import { pendingSql } from '../obligations/api.js';
import type { FeedItem } from './ics.js';

/** Recognisable in logs and secret scanners; distinct from API tokens (zz_). */
export const FEED_TOKEN_PREFIX = 'zzc_';

type FeedRow = typeof calendarFeeds.$inferSelect;

const present = (f: FeedRow) => ({
  id: f.id,
  workspaceId: f.workspaceId,
  createdAt: f.createdAt.toISOString(),
  daysBack: f.daysBack,
  daysAhead: f.daysAhead,
  includeFinished: f.includeFinished,
  orgIds: f.orgIds,
  rules: f.rules,
  assignedToMe: f.assignedToMe,
});

/** What a feed shows (see FeedOptionsSchema). */
export interface FeedOptions {
  daysBack: number;
  daysAhead: number;
  includeFinished: boolean;
  orgIds: string[] | null;
  rules: string[] | null;
  assignedToMe: boolean;
}

/** The address a calendar client subscribes to. */
export const feedUrl = (baseUrl: string, token: string) => `${baseUrl}/api/calendar/${token}.ics`;

/**
 * Creates a private calendar feed of a workspace for the actor (any member). The token is
 * returned this once and only its hash is kept. Only from a browser session: a leaked API token
 * must not be able to mint read access that outlives its revocation.
 */
export async function createFeed({
  tx,
  actor,
  workspaceId,
  options,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  options: FeedOptions;
  meta: RequestMeta;
}) {
  const member = await requireMembership(tx, actor, workspaceId);
  if (actor.via !== 'session') throw forbidden('API 令牌不能创建日历订阅，请登录网页后创建');
  if (options.orgIds) {
    const orgIds = [...new Set(options.orgIds)];
    const found = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.workspaceId, workspaceId), inArray(organisations.id, orgIds)));
    const visible = found.filter((o) => !member.orgIds || member.orgIds.includes(o.id));
    if (visible.length !== orgIds.length) throw notFound('企业');
    options = { ...options, orgIds };
  }
  const token = `${FEED_TOKEN_PREFIX}${newSecret()}`;
  const [row] = await tx
    .insert(calendarFeeds)
    .values({ workspaceId, userId: actor.userId, tokenHash: sha256(token), ...options })
    .returning();
  await recordAudit(tx, {
    action: 'feed.created',
    actorId: actor.userId,
    workspaceId,
    targetType: 'calendar-feed',
    targetId: row!.id,
    summary: { options },
    ip: meta.ip,
  });
  return { ...present(row!), token };
}

/** The actor's active feeds, newest first (revoked ones are gone). */
export async function listFeeds({ tx, actor }: { tx: Tx; actor: Actor }) {
  const rows = await tx
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.userId, actor.userId), isNull(calendarFeeds.revokedAt)))
    .orderBy(desc(calendarFeeds.createdAt));
  return rows.map(present);
}

/** Revokes one of the actor's feeds: its URL answers 404 from now on. */
export async function revokeFeed({ tx, actor, id, meta }: { tx: Tx; actor: Actor; id: string; meta: RequestMeta }) {
  const [row] = await tx
    .update(calendarFeeds)
    .set({ revokedAt: new Date() })
    .where(and(eq(calendarFeeds.id, id), eq(calendarFeeds.userId, actor.userId), isNull(calendarFeeds.revokedAt)))
    .returning();
  if (!row) throw notFound('日历订阅');
  await recordAudit(tx, {
    action: 'feed.revoked',
    actorId: actor.userId,
    workspaceId: row.workspaceId,
    targetType: 'calendar-feed',
    targetId: row.id,
    ip: meta.ip,
  });
}

/**
 * The active feed a token opens, or 404. Runs before anyone is known (the token is the
 * credential), so the caller uses a system transaction and then acts as the feed's owner.
 */
export async function findFeedByToken({ tx, token }: { tx: Tx; token: string }) {
  const [row] = await tx
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.tokenHash, sha256(token)), isNull(calendarFeeds.revokedAt)));
  if (!row) throw notFound('日历订阅');
  return row;
}

export interface FeedMember {
  orgIds: string[] | null;
  workspaceName: string;
}

/** The feed owner's membership of the feed's workspace: a member who has left gets 404. */
export async function findFeedMember({
  tx,
  feed,
}: {
  tx: Tx;
  feed: { workspaceId: string; userId: string };
}): Promise<FeedMember> {
  const [member] = await tx
    .select({ orgIds: workspaceMembers.orgIds, workspaceName: workspaces.name })
    .from(workspaceMembers)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
    .where(and(eq(workspaceMembers.workspaceId, feed.workspaceId), eq(workspaceMembers.userId, feed.userId)));
  if (!member) throw notFound('日历订阅');
  return member;
}

/**
 * Every obligation the feed's owner may see in the feed's workspace, soonest first. Run it as
 * that user (withActor), so row-level security limits it too; a member who has left the
 * workspace gets 404.
 */
export async function listFeedObligations({
  tx,
  feed,
  member,
}: {
  tx: Tx;
  feed: { workspaceId: string; userId: string } & FeedOptions;
  member: FeedMember;
}): Promise<{ workspaceName: string; items: FeedItem[] }> {
  const today = chinaToday();
  // The organisations first, a few hundred rows: joined to each obligation instead, their
  // row-level policy (a function per row) ran once per obligation, most of a large feed's time.
  const orgs = await tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(
      and(
        eq(organisations.workspaceId, feed.workspaceId),
        member.orgIds ? inArray(organisations.id, member.orgIds) : undefined,
        feed.orgIds ? inArray(organisations.id, feed.orgIds) : undefined,
      ),
    );
  if (orgs.length === 0) return { workspaceName: member.workspaceName, items: [] };
  const orgIds = orgs.map((o) => o.id);
  const orgNames = new Map(orgs.map((o) => [o.id, o.name]));
  // Numbers by certificate, a few thousand rows, rather than one more joined value on every
  // obligation row.
  const certificateNumbers = new Map(
    (
      await tx
        .select({ id: certificates.id, number: certificates.number })
        .from(certificates)
        .where(inArray(certificates.orgId, orgIds))
    ).map((c) => [c.id, c.number]),
  );
  // Only what an event shows, as one JSON value: the embedded database's driver decodes each
  // value of each row by itself, and for ~50,000 rows of 14 values that was most of a feed's
  // time (measured 1.25 s for the rows against 0.62 s for the same rows as one value, parsed).
  // Open work has no completion or waiver to read.
  const none = sql`null`;
  const [aggregated] = await queryRows<{ rows: string }>(
    tx,
    sql`select coalesce(json_agg(json_build_array(${sql.join(
      [
        obligations.id,
        obligations.orgId,
        obligations.certificateId,
        obligations.rule,
        obligations.titleZh,
        obligations.dueDate,
        obligations.dueAt,
        obligations.provisional,
        obligations.basis,
        obligations.status,
        feed.includeFinished ? obligations.satisfiedOn : none,
        feed.includeFinished ? obligations.completedOn : none,
        feed.includeFinished ? obligations.waivedReason : none,
        obligations.updatedAt,
      ],
      sql`, `,
    )})), '[]')::text as rows
      from ${obligations}
      where ${and(
        inArray(obligations.orgId, orgIds),
        feed.rules ? inArray(obligations.rule, feed.rules) : undefined,
        feed.assignedToMe ? eq(obligations.assigneeId, feed.userId) : undefined,
        gte(obligations.dueDate, addCalendarDays(today, -feed.daysBack)),
        lte(obligations.dueDate, addCalendarDays(today, feed.daysAhead)),
        // Duties a recorded state ended are not in anyone's calendar.
        isNull(obligations.cancelledOn),
        feed.includeFinished ? undefined : pendingSql(),
      )}`,
  );
  type Tuple = [
    id: string,
    orgId: string,
    certificateId: string,
    rule: string,
    titleZh: string,
    dueDate: string,
    dueAt: string | null,
    provisional: boolean,
    basis: string,
    status: FeedItem['status'],
    satisfiedOn: string | null,
    completedOn: string | null,
    waivedReason: string | null,
    updatedAt: string,
  ];
  const rows = (JSON.parse(aggregated?.rows ?? '[]') as Tuple[]).map((t) => ({
    id: t[0],
    orgId: t[1],
    certificateId: t[2],
    rule: t[3],
    titleZh: t[4],
    dueDate: t[5],
    dueAt: t[6] === null ? null : new Date(t[6]),
    provisional: t[7],
    basis: t[8],
    status: t[9],
    satisfiedOn: t[10],
    completedOn: t[11],
    waivedReason: t[12],
    updatedAt: new Date(t[13]),
  }));
  // Sorted here, not in SQL, by one key per row: the database sorted whole rows, long texts and
  // all, and spilled a large feed to disk. The key orders as ORDER BY due_date, due_at (nulls
  // last: "~" follows the digits), id.
  const sorted = rows.map((r) => {
    const satisfied = r.satisfiedOn !== null && (r.status === 'open' || r.status === 'in_progress');
    const item: FeedItem = {
      id: r.id,
      orgId: r.orgId,
      certificateId: r.certificateId,
      rule: r.rule,
      titleZh: r.titleZh,
      orgName: orgNames.get(r.orgId)!,
      certificateNumber: certificateNumbers.get(r.certificateId)!,
      dueDate: r.dueDate,
      dueAt: r.dueAt,
      provisional: r.provisional,
      basis: r.basis,
      // A duty an event satisfied (a supervision recorded as passed) is done, whatever was set on it.
      status: satisfied ? 'done' : r.status,
      completedOn: satisfied ? r.satisfiedOn : r.completedOn,
      waivedReason: r.waivedReason,
      updatedAt: r.updatedAt,
    };
    return { key: `${r.dueDate}${r.dueAt ? r.dueAt.toISOString() : '~'}${r.id}`, item };
  });
  sorted.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const items = sorted.map((s) => s.item);
  return { workspaceName: member.workspaceName, items };
}
