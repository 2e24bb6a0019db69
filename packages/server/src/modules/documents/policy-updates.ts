// Policy and standard updates (政策和标准更新): the workspace records what was published and what
// it touches (levels, capability items, rules); each organisation assesses its impact. Affected, the
// `policy.update` event recorded on the chosen certificate opens its case (review due by the
// engine's rule), whose actions are duties (`policy.action`), and the quarterly meeting's agenda
// lists the update while its case is open. docs/cases.md.
import { CAPABILITY_CATALOGUES, getRule, type Level } from '@zizhi/core';
import { and, asc, count, desc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import {
  certificateEvents,
  certificates,
  organisations,
  policyUpdateOrgs,
  policyUpdates,
  users,
} from '../../db/schema.js';
import { forbidden, invalid, notFound } from '../../errors.js';
import { encodeCursor } from '../../http/paging.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { requireMembership, requireOrgAccess, visibleOrgsSql } from '../../access/membership.js';
import { recordEvent, withdrawEvent } from '../events/api.js';
import type { ImpactInput, PolicyListQuery, PolicyUpdateInput } from './policy-schemas.js';

type UpdateRow = typeof policyUpdates.$inferSelect;
interface Affects {
  levels: Level[];
  items: string[];
  rules: string[];
}

/** Every capability item id of the shipped catalogues, with its Chinese name. */
const ITEM_NAMES = new Map(CAPABILITY_CATALOGUES.flatMap((c) => c.items.map((i) => [i.id, i.name.zh] as const)));

function presentAffects(raw: unknown) {
  const a = (raw ?? {}) as Partial<Affects>;
  return {
    levels: a.levels ?? [],
    items: (a.items ?? []).map((id) => ({ id, name: ITEM_NAMES.get(id) ?? id })),
    rules: (a.rules ?? []).map((id) => {
      const rule = getRule(id as Parameters<typeof getRule>[0]);
      return { id, name: rule.titleZh, nameEn: rule.titleEn };
    }),
  };
}

export async function listPolicyUpdates({
  tx,
  actor,
  workspaceId,
  query,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  query: PolicyListQuery;
}) {
  const membership = await requireMembership(tx, actor, workspaceId);
  const where: (SQL | undefined)[] = [eq(policyUpdates.workspaceId, workspaceId)];
  if (query.cursor) {
    const [date, id] = query.cursor as [string, string];
    where.push(
      or(lt(policyUpdates.publishedOn, date), and(eq(policyUpdates.publishedOn, date), lt(policyUpdates.id, id))),
    );
  }
  const rows = await tx
    .select({ u: policyUpdates, name: users.name })
    .from(policyUpdates)
    .leftJoin(users, eq(users.id, policyUpdates.createdBy))
    .where(and(...where))
    .orderBy(desc(policyUpdates.publishedOn), desc(policyUpdates.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const counts = new Map<string, { assessed: number; affected: number }>();
  if (page.length > 0) {
    for (const c of await tx
      .select({ updateId: policyUpdateOrgs.updateId, impact: policyUpdateOrgs.impact, n: count() })
      .from(policyUpdateOrgs)
      .where(
        and(
          inArray(
            policyUpdateOrgs.updateId,
            page.map((r) => r.u.id),
          ),
          visibleOrgsSql(policyUpdateOrgs.orgId, workspaceId, membership.orgIds),
        ),
      )
      .groupBy(policyUpdateOrgs.updateId, policyUpdateOrgs.impact)) {
      const entry = counts.get(c.updateId) ?? { assessed: 0, affected: 0 };
      entry.assessed += Number(c.n);
      if (c.impact === 'affected') entry.affected += Number(c.n);
      counts.set(c.updateId, entry);
    }
  }
  const last = page.at(-1);
  return {
    items: page.map(({ u, name }) => present(u, name, counts.get(u.id))),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.u.publishedOn, last.u.id]) : null,
  };
}

const present = (u: UpdateRow, createdByName: string | null, c?: { assessed: number; affected: number }) => ({
  id: u.id,
  title: u.title,
  issuer: u.issuer,
  publishedOn: u.publishedOn,
  link: u.link,
  summary: u.summary,
  affects: presentAffects(u.affects),
  assessed: c?.assessed ?? 0,
  affected: c?.affected ?? 0,
  createdAt: u.createdAt.toISOString(),
  createdBy: u.createdBy ? { id: u.createdBy, name: createdByName ?? '' } : null,
});

/** Records an update (managers and above of the workspace). */
export async function createPolicyUpdate({
  tx,
  actor,
  meta,
  workspaceId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  input: PolicyUpdateInput;
}) {
  const membership = await requireMembership(tx, actor, workspaceId, 'manager');
  // An update concerns every company of the workspace: recorded by those who see them all.
  if (membership.orgIds) {
    throw forbidden({
      zh: '只能访问部分企业的成员不能登记政策更新',
      en: 'A member limited to some companies cannot record a policy update',
    });
  }
  const unknown = input.items.filter((id) => !ITEM_NAMES.has(id));
  if (unknown.length > 0) {
    throw invalid('items', {
      zh: `能力目录中没有这些能力项：${unknown.join('、')}`,
      en: `The capability catalogue has no items ${unknown.join(', ')}`,
    });
  }
  if (input.publishedOn > chinaToday()) {
    throw invalid('publishedOn', { zh: '发布日期不能晚于今天', en: 'The publication date cannot be after today' });
  }
  const affects: Affects = {
    levels: [...new Set(input.levels)],
    items: [...new Set(input.items)],
    rules: [...new Set(input.rules)],
  };
  const [row] = await tx
    .insert(policyUpdates)
    .values({
      workspaceId,
      title: input.title,
      issuer: input.issuer,
      publishedOn: input.publishedOn,
      link: input.link ?? null,
      summary: input.summary,
      affects,
      createdBy: actor.userId,
    })
    .returning();
  await recordAudit(tx, {
    action: 'policy-update.created',
    actorId: actor.userId,
    workspaceId,
    orgId: null,
    targetType: 'policy-update',
    targetId: row!.id,
    summary: { title: input.title, issuer: input.issuer, publishedOn: input.publishedOn },
    ip: meta.ip,
  });
  return present(row!, actor.name);
}

async function loadUpdate(tx: Tx, workspaceId: string, updateId: string): Promise<UpdateRow> {
  const [row] = await tx
    .select()
    .from(policyUpdates)
    .where(and(eq(policyUpdates.id, updateId), eq(policyUpdates.workspaceId, workspaceId)));
  if (!row) throw notFound('政策更新');
  return row;
}

/** The impact rows of `orgs` for an update: current certificates, the suggestion and the assessment. */
async function impacts(tx: Tx, update: UpdateRow, orgs: Array<{ id: string; name: string }>) {
  const levels = presentAffects(update.affects).levels;
  const ids = orgs.map((o) => o.id);
  if (ids.length === 0) return [];
  const certs = await tx
    .select({ id: certificates.id, orgId: certificates.orgId, number: certificates.number, level: certificates.level })
    .from(certificates)
    .where(and(inArray(certificates.orgId, ids), inArray(certificates.state, ['active', 'suspended'])))
    .orderBy(asc(certificates.number));
  const assessments = await tx
    .select({ a: policyUpdateOrgs, name: users.name, e: certificateEvents })
    .from(policyUpdateOrgs)
    .leftJoin(users, eq(users.id, policyUpdateOrgs.assessedBy))
    .leftJoin(certificateEvents, eq(certificateEvents.id, policyUpdateOrgs.eventId))
    .where(and(eq(policyUpdateOrgs.updateId, update.id), inArray(policyUpdateOrgs.orgId, ids)));
  return orgs.map((o) => {
    const mine = certs
      .filter((c) => c.orgId === o.id)
      .map((c) => ({ id: c.id, number: c.number, level: c.level, touched: levels.includes(c.level) }));
    const a = assessments.find((x) => x.a.orgId === o.id);
    // A case withdrawn by hand since is no longer there.
    const live = a?.e && !a.e.withdrawnAt ? a.e : null;
    return {
      orgId: o.id,
      orgName: o.name,
      certificates: mine,
      suggested: mine.some((c) => c.touched),
      assessment: a
        ? {
            impact: a.a.impact,
            note: a.a.note,
            caseId: live?.id ?? null,
            certificateId: live?.certificateId ?? null,
            assessedAt: a.a.assessedAt.toISOString(),
            assessedBy: a.a.assessedBy ? { id: a.a.assessedBy, name: a.name ?? '' } : null,
          }
        : null,
    };
  });
}

/** Each organisation's impact, a page at a time: its current certificates, whether the update names their level, and its assessment. */
export async function listPolicyImpacts({
  tx,
  actor,
  workspaceId,
  updateId,
  query,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  updateId: string;
  query: PolicyListQuery;
}) {
  const membership = await requireMembership(tx, actor, workspaceId);
  const update = await loadUpdate(tx, workspaceId, updateId);
  const where: (SQL | undefined)[] = [visibleOrgsSql(organisations.id, workspaceId, membership.orgIds)];
  if (query.cursor) {
    const [name, id] = query.cursor as [string, string];
    where.push(or(gt(organisations.name, name), and(eq(organisations.name, name), gt(organisations.id, id))));
  }
  const orgs = await tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(and(...where))
    .orderBy(asc(organisations.name), asc(organisations.id))
    .limit(query.limit + 1);
  const page = orgs.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await impacts(tx, update, page),
    nextCursor: orgs.length > query.limit && last ? encodeCursor([last.name, last.id]) : null,
  };
}

/**
 * An organisation's assessment (managers and above of it). Affected: the `policy.update` event on
 * the chosen certificate opens the case (once; a later assessment keeps it). Not affected after
 * all: the event is withdrawn with the reason, and its case goes.
 */
export async function assessPolicyImpact({
  tx,
  actor,
  meta,
  workspaceId,
  updateId,
  orgId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  updateId: string;
  orgId: string;
  input: ImpactInput;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  if (org.workspaceId !== workspaceId) throw notFound('企业');
  const update = await loadUpdate(tx, workspaceId, updateId);
  const [before] = await tx
    .select()
    .from(policyUpdateOrgs)
    .where(and(eq(policyUpdateOrgs.updateId, updateId), eq(policyUpdateOrgs.orgId, orgId)));
  let eventId = before?.eventId ?? null;
  if (input.impact === 'affected' && eventId === null) {
    const [cert] = await tx
      .select({ id: certificates.id })
      .from(certificates)
      .where(and(eq(certificates.id, input.certificateId!), eq(certificates.orgId, orgId)));
    if (!cert) throw notFound('证书');
    const date = input.date ?? chinaToday();
    if (date > chinaToday()) {
      throw invalid('date', { zh: '评审开始日期不能晚于今天', en: 'The review cannot start after today' });
    }
    const recorded = await recordEvent({
      tx,
      actor,
      meta,
      orgId,
      certId: cert.id,
      body: { type: 'policy.update', date, note: `${update.title}（${update.issuer}，${update.publishedOn} 发布）` },
    });
    eventId = recorded.event.id;
  } else if (input.impact === 'not-affected' && eventId !== null) {
    const [e] = await tx
      .select({ certificateId: certificateEvents.certificateId, withdrawnAt: certificateEvents.withdrawnAt })
      .from(certificateEvents)
      .where(eq(certificateEvents.id, eventId));
    if (e && !e.withdrawnAt) {
      await withdrawEvent({
        tx,
        actor,
        meta,
        orgId,
        certId: e.certificateId,
        eventId,
        reason: `评估后不受“${update.title}”影响：${input.note ?? ''}`,
      });
    }
    eventId = null;
  }
  const values = {
    impact: input.impact,
    note: input.note ?? null,
    eventId,
    assessedBy: actor.userId,
    assessedAt: new Date(),
  };
  await tx
    .insert(policyUpdateOrgs)
    .values({ orgId, updateId, ...values })
    .onConflictDoUpdate({ target: [policyUpdateOrgs.updateId, policyUpdateOrgs.orgId], set: values });
  await recordAudit(tx, {
    action: 'policy-update.assessed',
    actorId: actor.userId,
    workspaceId,
    orgId,
    targetType: 'policy-update',
    targetId: updateId,
    summary: { title: update.title, impact: input.impact, ...(input.note ? { note: input.note } : {}) },
    ip: meta.ip,
  });
  const [row] = await impacts(tx, update, [{ id: orgId, name: org.name }]);
  return row!;
}
