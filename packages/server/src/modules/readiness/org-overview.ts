import { addCalendarDays, evaluateReadiness, isLevel, type Level } from '@zizhi/core';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { chinaToday, nextChinaMidnight, now } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { certificates, obligations, organisations } from '../../db/schema.js';
import type { Actor } from '../../access/actor.js';
import { requireMembership } from '../../access/membership.js';
import { AnswerCache, workspaceStamp } from '../../http/answer-cache.js';
import { encodeCursor, type Page } from '../../http/paging.js';
import { overdueSql, pendingSql, storedStateSql } from '../obligations/api.js';
import { loadEvidence } from './evidence.js';
import { requirementSetFor } from './requirement-sets.js';

export const OVERVIEW_SORTS = ['name', 'expiry', 'next', 'overdue'] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];
export const EXPIRY_FILTERS = ['expired', 'within90', 'within180', 'within365', 'none'] as const;

export interface OverviewFilter {
  q?: string | undefined;
  level?: Level | undefined;
  expiry?: (typeof EXPIRY_FILTERS)[number] | undefined;
  overdueOnly?: boolean | undefined;
  dueWithin?: number | undefined;
  sort?: OverviewSort | undefined;
  readiness?: Readiness['status'] | undefined;
}

interface Readiness {
  level: string;
  status: 'met' | 'not-met' | 'unknown';
  met: number;
  total: number;
}

/** One organisation's readiness for its certificate's level today, by workspace counter: a reload is a look-up. */
const readinessCache = new AnswerCache<Readiness>({ maxEntries: 20_000, maxBytes: 4 * 1024 * 1024, size: () => 200 });

const LAST_DAY = '9999-12-31';
/** Rows whose readiness one request evaluates at most when filtering by it, and how many it reads at a time. */
const SCAN_LIMIT = 200;
const SCAN_BATCH = 50;

/**
 * The workspace's organisations as a consultancy with many clients works through them: each with
 * its current certificate (level, state, expiry), its next open deadline, how many deadlines are
 * late and whether it meets its level's requirements today. Filtered and sorted in SQL, a page
 * at a time by keyset (sort value, name, id); readiness is evaluated for the page's rows only.
 */
export async function orgOverview({
  tx,
  actor,
  workspaceId,
  filter,
  page,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  filter: OverviewFilter;
  page: Page;
}) {
  const me = await requireMembership(tx, actor, workspaceId);
  const stamp = await workspaceStamp(tx, workspaceId);
  const today = chinaToday();
  const at = now();
  const state = storedStateSql(today);
  const live = sql`${state} in ('active', 'suspended')`;

  // The certificate a client is known by: its newest live one, else its newest of any state.
  const cert = tx
    .select({
      id: sql<string>`${certificates.id}`.as('cert_id'),
      number: sql<string>`${certificates.number}`.as('cert_number'),
      level: sql<string>`${certificates.level}`.as('cert_level'),
      state: sql<string>`${state}`.as('cert_state'),
      expiresOn: sql<string>`${certificates.expiresOn}`.as('cert_expires_on'),
    })
    .from(certificates)
    .where(eq(certificates.orgId, organisations.id))
    .orderBy(sql`(${live}) desc`, sql`${certificates.issuedOn} desc`, sql`${certificates.id}`)
    .limit(1)
    .as('cert');
  const work = and(eq(obligations.orgId, organisations.id), pendingSql());
  const liveCertOf = sql`exists (select 1 from ${certificates} where ${certificates.id} = ${obligations.certificateId} and ${live})`;
  const overdueCount = sql<number>`(select count(*)::int from ${obligations} where ${work} and ${liveCertOf} and ${overdueSql(at)})`;
  const next = tx
    .select({
      dueDate: sql<string>`${obligations.dueDate}`.as('next_due'),
      rule: sql<string>`${obligations.rule}`.as('next_rule'),
      titleZh: sql<string>`${obligations.titleZh}`.as('next_title_zh'),
      titleEn: sql<string>`${obligations.titleEn}`.as('next_title_en'),
    })
    .from(obligations)
    .where(and(work, liveCertOf, sql`not ${overdueSql(at)}`))
    .orderBy(sql`${obligations.dueDate}`, sql`coalesce(${obligations.dueAt}, 'infinity'::timestamptz)`)
    .limit(1)
    .as('next');

  const where: SQL[] = [eq(organisations.workspaceId, workspaceId)];
  if (me.orgIds) where.push(inArray(organisations.id, me.orgIds));
  const q = filter.q?.trim();
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      sql`(${organisations.name} ilike ${like} or ${organisations.creditCode} ilike ${like} or ${organisations.legalRepresentative} ilike ${like})`,
    );
  }
  if (filter.level) where.push(sql`${cert.level} = ${filter.level}`);
  switch (filter.expiry) {
    case 'expired':
      where.push(sql`${cert.state} = 'expired'`);
      break;
    case 'none':
      where.push(sql`(${cert.id} is null or ${cert.state} not in ('active', 'suspended'))`);
      break;
    case undefined:
      break;
    default: {
      const days = Number(filter.expiry.slice('within'.length));
      where.push(
        sql`${cert.state} in ('active', 'suspended') and ${cert.expiresOn} <= ${addCalendarDays(today, days)}::date`,
      );
    }
  }
  if (filter.overdueOnly) where.push(sql`${overdueCount} > 0`);
  // Only a live certificate has a readiness to filter by.
  if (filter.readiness) where.push(sql`${cert.state} in ('active', 'suspended')`);
  if (filter.dueWithin) where.push(sql`${next.dueDate} <= ${addCalendarDays(today, filter.dueWithin)}::date`);

  const sort = filter.sort ?? 'name';
  // One text sort value per row, so that one cursor shape serves every order (nulls last).
  const key =
    sort === 'expiry'
      ? sql<string>`coalesce(case when ${cert.state} in ('active', 'suspended') then ${cert.expiresOn}::text end, ${LAST_DAY})`
      : sort === 'next'
        ? sql<string>`coalesce(${next.dueDate}::text, ${LAST_DAY})`
        : sort === 'overdue'
          ? sql<string>`lpad((1000000 - ${overdueCount})::text, 7, '0')`
          : sql<string>`''`;

  const from = tx
    .select({
      id: organisations.id,
      name: organisations.name,
      creditCode: organisations.creditCode,
      certId: cert.id,
      certNumber: cert.number,
      certLevel: cert.level,
      certState: cert.state,
      certExpiresOn: cert.expiresOn,
      nextDue: next.dueDate,
      nextRule: next.rule,
      nextTitleZh: next.titleZh,
      nextTitleEn: next.titleEn,
      overdue: overdueCount.as('overdue'),
      key: key.as('sort_key'),
    })
    .from(organisations)
    .leftJoinLateral(cert, sql`true`)
    .leftJoinLateral(next, sql`true`)
    .where(and(...where))
    .as('rows');

  type Row = Awaited<ReturnType<typeof rowsAfter>>[number];
  const rowsAfter = (cursor: Page['cursor'], limit: number) =>
    tx
      .select()
      .from(from)
      .where(
        cursor
          ? sql`(${from.key}, ${from.name}, ${from.id}) > (${cursor[0]}, ${cursor[1]}, ${cursor[2]}::uuid)`
          : undefined,
      )
      .orderBy(from.key, from.name, from.id)
      .limit(limit);

  const readinessOf = async (r: Row): Promise<Readiness | null> => {
    if (!r.certLevel || !isLevel(r.certLevel) || (r.certState !== 'active' && r.certState !== 'suspended')) return null;
    const level = r.certLevel;
    return readinessCache.get(`${stamp}|${r.id}|${level}|${today}`, async () => {
      const { set } = await requirementSetFor(tx, workspaceId, level);
      const result = evaluateReadiness({ level, at: today, evidence: await loadEvidence(tx, r.id), requirements: set });
      return {
        value: { level, status: result.status, met: result.counts.met, total: result.requirements.length },
        validUntil: nextChinaMidnight(at),
      };
    });
  };
  const present = (r: Row, readiness: Readiness | null) => ({
    id: r.id,
    name: r.name,
    creditCode: r.creditCode,
    certificate: r.certId
      ? { id: r.certId, number: r.certNumber, level: r.certLevel, state: r.certState, expiresOn: r.certExpiresOn }
      : null,
    next: r.nextDue ? { dueDate: r.nextDue, rule: r.nextRule, title: { zh: r.nextTitleZh, en: r.nextTitleEn } } : null,
    overdue: r.overdue,
    readiness,
  });
  const keyOf = (r: Row) => [r.key, r.name, r.id];

  if (!filter.readiness) {
    const rows = await rowsAfter(page.cursor, page.limit + 1);
    const [counted] = await tx.select({ n: sql<number>`count(*)::int` }).from(from);
    const shown = rows.slice(0, page.limit);
    const items = [];
    for (const r of shown) items.push(present(r, await readinessOf(r)));
    const last = shown.at(-1);
    return {
      items,
      total: counted?.n ?? 0,
      nextCursor: rows.length > page.limit && last ? encodeCursor(keyOf(last)) : null,
    };
  }

  // Readiness is evaluated, not stored: the rows are read on in order and kept when they match,
  // up to SCAN_LIMIT rows a request. A page may then hold fewer rows than asked, with a cursor to
  // read on from; the total is not known without evaluating every organisation.
  const items = [];
  let cursor = page.cursor;
  let scanned = 0;
  let exhausted = false;
  while (items.length < page.limit && scanned < SCAN_LIMIT) {
    const want = Math.min(SCAN_BATCH, SCAN_LIMIT - scanned);
    const batch = await rowsAfter(cursor, want);
    let full = false;
    for (const r of batch) {
      scanned++;
      cursor = keyOf(r);
      const readiness = await readinessOf(r);
      if (readiness?.status === filter.readiness) items.push(present(r, readiness));
      if (items.length === page.limit) {
        full = true;
        break;
      }
    }
    if (!full && batch.length < want) {
      exhausted = true;
      break;
    }
  }
  // Whether anything follows the last row read: the next request reads on from there.
  if (!exhausted) exhausted = (await rowsAfter(cursor, 1)).length === 0;
  return { items, total: null, nextCursor: exhausted || !cursor ? null : encodeCursor(cursor) };
}
