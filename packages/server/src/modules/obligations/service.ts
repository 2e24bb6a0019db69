import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { certificates, files, obligationFiles, obligations, organisations, users } from '../../db/schema.js';
import { conflict, forbidden, invalid, notFound } from '../../errors.js';
import { chinaToday, formatInstant, nextChinaMidnight, now } from '../../clock.js';
import { AnswerCache, workspaceStamp } from '../../http/answer-cache.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { diffSummary, recordAudit } from '../../access/audit.js';
import { hasRole, requireMembership, requireOrgAccess, seesOrg } from '../../access/membership.js';
import { encodeCursor, type Page } from '../../http/paging.js';
import { refreshReminders } from './reminder-state.js';

type Status = 'open' | 'in_progress' | 'done' | 'waived';
type ViewStatus = Status | 'cancelled';

export interface ObligationFilter {
  from?: string;
  to?: string;
  status?: ViewStatus | 'overdue';
  rule?: string;
  assigneeId?: string;
  certificateId?: string;
}

const columns = {
  o: obligations,
  orgName: organisations.name,
  certificateNumber: certificates.number,
  level: certificates.level,
  assigneeName: users.name,
};

type Joined = {
  o: typeof obligations.$inferSelect;
  orgName: string;
  certificateNumber: string;
  level: string;
  assigneeName: string | null;
  /** What was attached to it (on completion, usually): minutes, receipts, reports. */
  files: Array<{ id: string; name: string }>;
};

/** The files attached to each of the obligations, in one statement. */
async function filesOf(tx: Tx, ids: string[]): Promise<Map<string, Array<{ id: string; name: string }>>> {
  const out = new Map<string, Array<{ id: string; name: string }>>();
  if (ids.length === 0) return out;
  const rows = await tx
    .select({ obligationId: obligationFiles.obligationId, id: files.id, name: files.name })
    .from(obligationFiles)
    .innerJoin(files, eq(files.id, obligationFiles.fileId))
    .where(sql`${obligationFiles.obligationId} = any(${`{${ids.join(',')}}`}::uuid[])`)
    .orderBy(asc(obligationFiles.createdAt), asc(files.name));
  for (const { obligationId, ...file } of rows) {
    const list = out.get(obligationId) ?? [];
    list.push(file);
    out.set(obligationId, list);
  }
  return out;
}

type Row = typeof obligations.$inferSelect;

/**
 * The status people see: an obligation a recorded state ended is cancelled, one an event
 * satisfied (a supervision recorded as passed, a renewal applied for) is done, whatever was set.
 */
export function viewStatus(o: Pick<Row, 'status' | 'satisfiedOn' | 'cancelledOn'>): ViewStatus {
  if (o.cancelledOn !== null) return 'cancelled';
  if (o.satisfiedOn !== null && o.status !== 'waived') return 'done';
  return o.status;
}

/** Still to be done: not finished by people, not satisfied by an event, not ended by a state. */
export function isPending(o: Pick<Row, 'status' | 'satisfiedOn' | 'cancelledOn'>): boolean {
  const s = viewStatus(o);
  return s === 'open' || s === 'in_progress';
}

/** The SQL form of `isPending`, for counts and lists. */
export function pendingSql(): SQL {
  return and(
    notInArray(obligations.status, ['done', 'waived']),
    isNull(obligations.satisfiedOn),
    isNull(obligations.cancelledOn),
  )!;
}

/**
 * The SQL form of `isOverdue` without the pending test (combine with `pendingSql`): past its
 * instant for hour deadlines, past its day (in China) for the others.
 */
export function overdueSql(at = now()): SQL {
  // A case, not an OR: `due_at < …` is null for date deadlines, and NOT of a null drops the row.
  return sql`(case when ${obligations.dueAt} is not null then ${obligations.dueAt} < ${new Date(at).toISOString()}::timestamptz else ${obligations.dueDate} < ${chinaToday(at)}::date end)`;
}

/** Overdue is derived, never stored: pending work past its date (or, for hour deadlines, its instant). */
export function isOverdue(o: Pick<Row, 'status' | 'dueDate' | 'dueAt' | 'satisfiedOn' | 'cancelledOn'>, at = now()) {
  if (!isPending(o)) return false;
  return o.dueAt ? o.dueAt.getTime() < at : o.dueDate < chinaToday(at);
}

export const presentObligation = ({ o, orgName, certificateNumber, level, assigneeName, files: attached }: Joined) => ({
  id: o.id,
  orgId: o.orgId,
  orgName,
  certificateId: o.certificateId,
  certificateNumber,
  level,
  key: o.key,
  rule: o.rule,
  titleZh: o.titleZh,
  titleEn: o.titleEn,
  dueDate: o.dueDate,
  dueAt: o.dueAt ? formatInstant(o.dueAt) : null,
  windowStart: o.windowStart,
  provisional: o.provisional,
  awaitingNotice: o.awaitingNotice,
  basis: o.basis,
  basisEn: o.basisEn,
  source: o.source,
  status: viewStatus(o),
  overdue: isOverdue(o),
  assigneeId: o.assigneeId,
  assigneeName,
  note: o.note,
  completedOn: o.completedOn ?? (viewStatus(o) === 'done' ? o.satisfiedOn : null),
  waivedReason: o.waivedReason,
  satisfiedOn: o.satisfiedOn,
  cancelledOn: o.cancelledOn,
  cancelReason: o.cancelReason,
  cancelReasonEn: o.cancelReasonEn,
  eventId: o.eventId,
  files: attached,
  nextReminderAt: o.nextReminderAt ? formatInstant(o.nextReminderAt) : null,
  nextReminderStep: o.nextReminderStep,
});

/**
 * The filter as conditions on obligations. `timeless` leaves out the clock (overdue becomes
 * pending): the rows whose hour deadline may yet move them into the filter.
 */
function filterSql(f: ObligationFilter, timeless = false): SQL[] {
  const where: SQL[] = [];
  if (f.from) where.push(gte(obligations.dueDate, f.from));
  if (f.to) where.push(lte(obligations.dueDate, f.to));
  if (f.rule) where.push(eq(obligations.rule, f.rule));
  if (f.assigneeId) where.push(eq(obligations.assigneeId, f.assigneeId));
  if (f.certificateId) where.push(eq(obligations.certificateId, f.certificateId));
  if (f.status === 'overdue') {
    where.push(pendingSql(), ...(timeless ? [] : [overdueSql()]));
  } else if (f.status === 'cancelled') {
    where.push(isNotNull(obligations.cancelledOn));
  } else if (f.status === 'done') {
    where.push(isNull(obligations.cancelledOn));
    where.push(
      or(eq(obligations.status, 'done'), and(isNotNull(obligations.satisfiedOn), ne(obligations.status, 'waived')))!,
    );
  } else if (f.status === 'waived') {
    where.push(isNull(obligations.cancelledOn), eq(obligations.status, 'waived'));
  } else if (f.status) {
    where.push(pendingSql(), eq(obligations.status, f.status));
  }
  return where;
}

// Hour deadlines sort at their instant among the day's rows, the others after them; the id
// makes the order total, so a cursor never skips or repeats a row. The expression is the one
// obligations_due_order_idx holds, so that the index serves the order.
export const dueAtKey = sql`coalesce(${obligations.dueAt}, 'infinity'::timestamptz)`;

interface Counts {
  total: number;
  overdue: number;
  /** The next hour deadline to pass among the rows the filter may hold (epoch ms), or null. */
  nextAt: number | null;
}

type Presented = ReturnType<typeof presentObligation>;

interface PageRows {
  items: Presented[];
  nextCursor: string | null;
}

/** Totals as last counted, by workspace counter, scope and filter: paging on, or back, counts nothing again. */
const totals = new AnswerCache<Counts>({ maxEntries: 5_000, maxBytes: 5_000, size: () => 1 });

/**
 * Pages as last read, by the same key and the cursor: a team reloading the lists, or a dashboard
 * linking into them, reads nothing again until a write or the clock changes a row. About 1 KB a row.
 */
const pages = new AnswerCache<PageRows>({
  maxEntries: 2_000,
  maxBytes: 64 * 1024 * 1024,
  size: (p) => 256 + p.items.length * 1024,
});

/** The rows of a page, as presentObligation takes them: names from a second, small query. */
async function withNames(tx: Tx, rows: Row[]): Promise<Joined[]> {
  if (rows.length === 0) return [];
  // Read apart rather than joined: planning the four-table join with every table's row policy
  // cost more than reading the page (measured ~10 ms against ~1 ms on the embedded database).
  const certIds = [...new Set(rows.map((r) => r.certificateId))];
  const assigneeIds = [...new Set(rows.flatMap((r) => (r.assigneeId ? [r.assigneeId] : [])))];
  const certs = await tx
    .select({
      id: certificates.id,
      number: certificates.number,
      level: certificates.level,
      orgName: organisations.name,
    })
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    .where(sql`${certificates.id} = any(${`{${certIds.join(',')}}`}::uuid[])`);
  const people =
    assigneeIds.length === 0
      ? []
      : await tx
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(sql`${users.id} = any(${`{${assigneeIds.join(',')}}`}::uuid[])`);
  const certOf = new Map(certs.map((c) => [c.id, c]));
  const nameOf = new Map(people.map((u) => [u.id, u.name]));
  const attached = await filesOf(
    tx,
    rows.map((r) => r.id),
  );
  return rows.flatMap((o) => {
    const c = certOf.get(o.certificateId);
    // A row whose certificate the policies hide is not the member's to see (as the join did).
    return c
      ? [
          {
            o,
            orgName: c.orgName,
            certificateNumber: c.number,
            level: c.level,
            assigneeName: o.assigneeId ? (nameOf.get(o.assigneeId) ?? null) : null,
            files: attached.get(o.id) ?? [],
          },
        ]
      : [];
  });
}

/**
 * A page of the rows `baseOf` and `filter` select, in due order, with the counts over all of
 * them. `scope` names what `baseOf` selects in a cache key (with the workspace's counter, read
 * first, and the filter); `baseOf` is read only when something is computed.
 */
async function selectPage(
  tx: Tx,
  baseOf: () => Promise<SQL[]>,
  filter: ObligationFilter,
  page: Page,
  scope: { workspaceId: string; key: string },
) {
  const stamp = await workspaceStamp(tx, scope.workspaceId);
  let read: Promise<SQL[]> | undefined;
  const base = () => (read ??= baseOf());
  const key = `${stamp}|${scope.key}|${filterKey(filter)}|${chinaToday()}`;
  const counts = await totals.get(key, async () => {
    const at = now();
    // One pass over the rows the filter may hold at any time: those it holds now are counted,
    // and the next hour deadline among all of them is when that may change.
    const holds = filter.status === 'overdue' ? overdueSql(at) : sql`true`;
    const [row] = await tx
      .select({
        total: sql<number>`(count(*) filter (where ${holds}))::int`,
        overdue: sql<number>`(count(*) filter (where ${and(pendingSql(), overdueSql(at))}))::int`,
        // The next hour deadline to pass changes the overdue count, the overdue filter and the
        // rows' overdue flags.
        nextAt: sql<
          number | null
        >`(extract(epoch from min(${obligations.dueAt}) filter (where ${obligations.dueAt} > ${new Date(at).toISOString()}::timestamptz)) * 1000)::float8`,
      })
      .from(obligations)
      .where(and(...(await base()), ...filterSql(filter, true)));
    const nextAt = row?.nextAt ?? null;
    return {
      value: { total: row?.total ?? 0, overdue: row?.overdue ?? 0, nextAt },
      validUntil: Math.min(nextChinaMidnight(at), nextAt ?? Infinity),
    };
  });
  const { items, nextCursor } = await pages.get(
    `${key}|${page.limit}|${page.cursor ? page.cursor.join('/') : ''}`,
    async () => {
      const at = now();
      const after = page.cursor
        ? sql`(${obligations.dueDate}, ${dueAtKey}, ${obligations.id}) > (${page.cursor[0]}::date, ${page.cursor[1] ?? 'infinity'}::timestamptz, ${page.cursor[2]}::uuid)`
        : undefined;
      // From obligations alone, in the order of obligations_due_order_idx: the scan stops after
      // the page. Joined in the same query instead, every row of the workspace was joined
      // before the sort.
      const rows = await tx
        .select()
        .from(obligations)
        .where(and(...(await base()), ...filterSql(filter), after))
        .orderBy(asc(obligations.dueDate), asc(dueAtKey), asc(obligations.id))
        .limit(page.limit + 1);
      const shown = rows.slice(0, page.limit);
      const last = shown.at(-1);
      return {
        value: {
          items: (await withNames(tx, shown)).map(presentObligation),
          nextCursor:
            rows.length > page.limit && last
              ? encodeCursor([last.dueDate, last.dueAt ? last.dueAt.toISOString() : null, last.id])
              : null,
        },
        validUntil: Math.min(nextChinaMidnight(at), counts.nextAt ?? Infinity),
      };
    },
  );
  return { items, total: counts.total, overdue: counts.overdue, nextCursor };
}

/** An organisation's obligations, by due date. */
export async function listObligations({
  tx,
  actor,
  orgId,
  filter,
  page,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  filter: ObligationFilter;
  page: Page;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  return selectPage(tx, () => Promise.resolve([eq(obligations.orgId, orgId)]), filter, page, {
    workspaceId: org.workspaceId,
    key: `org:${orgId}`,
  });
}

/** Obligations across the workspace's organisations the actor may see (a consultancy's calendar). */
export async function listWorkspaceObligations({
  tx,
  actor,
  workspaceId,
  filter,
  page,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  filter: ObligationFilter & { orgId?: string };
  page: Page;
}) {
  const me = await requireMembership(tx, actor, workspaceId);
  const visible = me.orgIds ? [...me.orgIds].sort().join(',') : '*';
  return selectPage(
    tx,
    // The organisations first (a few hundred rows), so that the rows are selected by their own
    // column: the page then comes from obligations alone (see selectPage). Only when something
    // is computed: the key says which organisations without reading them.
    async () => {
      const orgIds = (
        await tx
          .select({ id: organisations.id })
          .from(organisations)
          .where(
            and(
              eq(organisations.workspaceId, workspaceId),
              filter.orgId ? eq(organisations.id, filter.orgId) : undefined,
              me.orgIds ? inArray(organisations.id, me.orgIds) : undefined,
            ),
          )
      ).map((o) => o.id);
      // No organisation: a condition no row meets.
      return [orgIds.length === 0 ? sql`false` : inArray(obligations.orgId, orgIds)];
    },
    filter,
    page,
    { workspaceId, key: `ws:${filter.orgId ?? '*'}|${visible}` },
  );
}

/** A filter as text for a cache key: its fields in a fixed order. */
const filterKey = (f: ObligationFilter) =>
  [f.from, f.to, f.status, f.rule, f.assigneeId, f.certificateId].map((v) => v ?? '').join('|');

export async function loadObligation(tx: Tx, orgId: string, id: string) {
  const [row] = await tx
    .select(columns)
    .from(obligations)
    .innerJoin(certificates, eq(certificates.id, obligations.certificateId))
    .innerJoin(organisations, eq(organisations.id, obligations.orgId))
    .leftJoin(users, eq(users.id, obligations.assigneeId))
    .where(and(eq(obligations.id, id), eq(obligations.orgId, orgId)));
  if (!row) throw notFound('义务');
  return { ...row, files: (await filesOf(tx, [row.o.id])).get(row.o.id) ?? [] };
}

/**
 * What people set on an obligation: assignee, status (open → in progress → done with a date,
 * or waived with a reason), note. Managers set anything; the assignee may move their own work
 * along and write notes.
 */
export async function updateObligation({
  tx,
  actor,
  meta,
  orgId,
  id,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  id: string;
  input: {
    status?: Status;
    assigneeId?: string | null;
    note?: string | null;
    completedOn?: string;
    waivedReason?: string;
    /** The files attached, as a whole: uploaded first to the organisation's files. */
    fileIds?: string[];
  };
}) {
  const { org, membership } = await requireOrgAccess(tx, actor, orgId, 'contributor');
  const before = await loadObligation(tx, orgId, id);
  const isManager = hasRole(membership.role, 'manager');
  if (!isManager) {
    if (before.o.assigneeId !== actor.userId)
      throw forbidden({
        zh: '只有资质专员或被指派的人可以更新这项义务',
        en: 'Only a compliance officer or the assignee may update this duty',
      });
    if (input.assigneeId !== undefined || input.status === 'waived') {
      throw forbidden({
        zh: '指派他人或豁免义务需要资质专员及以上角色',
        en: 'Assigning others or waiving a duty needs the compliance officer role or higher',
      });
    }
  }
  if (input.assigneeId) {
    if (!(await seesOrg(tx, org.workspaceId, input.assigneeId, orgId))) {
      throw invalid('assigneeId', {
        zh: '只能指派给能访问此企业的工作空间成员',
        en: 'Assign only to a workspace member who can see this company',
      });
    }
  }
  if (before.o.cancelledOn !== null && (input.status !== undefined || input.completedOn || input.waivedReason)) {
    throw conflict(
      {
        zh: `这项义务已取消（${before.o.cancelReason ?? '证书状态已变更'}），不能再更改状态；如状态记录有误，请先更正证书的状态记录`,
        en: `This duty was cancelled (${before.o.cancelReasonEn ?? 'the certificate state changed'}): its status cannot change; if the state record is wrong, correct it first`,
      },
      'status',
    );
  }
  const status = input.status ?? before.o.status;
  if (input.completedOn && status !== 'done')
    throw invalid('completedOn', {
      zh: '只有“已完成”的义务才有完成日期',
      en: 'Only a done duty has a completion date',
    });
  if (input.completedOn && input.completedOn > chinaToday())
    throw invalid('completedOn', {
      zh: '完成日期不能晚于今天',
      en: 'The completion date cannot be after today',
    });
  if (input.waivedReason && status !== 'waived')
    throw invalid('waivedReason', {
      zh: '只有“豁免”的义务才有豁免原因',
      en: 'Only a waived duty has a waiver reason',
    });
  if (status === 'waived' && !input.waivedReason && !before.o.waivedReason) {
    throw invalid('waivedReason', { zh: '豁免义务需要说明原因', en: 'Give the reason for waiving the duty' });
  }
  const next = {
    status,
    assigneeId: input.assigneeId === undefined ? before.o.assigneeId : input.assigneeId,
    note: input.note === undefined ? before.o.note : input.note,
    completedOn: status === 'done' ? (input.completedOn ?? before.o.completedOn ?? chinaToday()) : null,
    waivedReason: status === 'waived' ? (input.waivedReason ?? before.o.waivedReason) : null,
  };
  await tx
    .update(obligations)
    .set({ ...next, updatedAt: new Date() })
    .where(and(eq(obligations.id, id), eq(obligations.orgId, orgId)));
  const fileIds = input.fileIds === undefined ? undefined : [...new Set(input.fileIds)];
  if (fileIds !== undefined) {
    const known =
      fileIds.length === 0
        ? []
        : await tx
            .select({ id: files.id })
            .from(files)
            .where(and(eq(files.orgId, orgId), sql`${files.id} = any(${`{${fileIds.join(',')}}`}::uuid[])`));
    if (known.length !== fileIds.length) {
      throw invalid('fileIds', {
        zh: '所选文件不存在或不属于该企业，请重新上传',
        en: 'A file does not exist or belongs to another organisation: upload it again',
      });
    }
    await tx.delete(obligationFiles).where(eq(obligationFiles.obligationId, id));
    if (fileIds.length > 0) {
      await tx
        .insert(obligationFiles)
        .values(fileIds.map((fileId) => ({ orgId, obligationId: id, fileId, createdBy: actor.userId })));
    }
  }
  // Done or waived: no more reminders (pending ones are cancelled); reopened: they resume.
  if (next.status !== before.o.status) await refreshReminders(tx, { obligationIds: [id] });
  await recordAudit(tx, {
    action: 'obligation.updated',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'obligation',
    targetId: id,
    summary: {
      rule: before.o.rule,
      dueDate: before.o.dueDate,
      ...diffSummary(
        {
          status: before.o.status,
          assigneeId: before.o.assigneeId,
          note: before.o.note,
          completedOn: before.o.completedOn,
          waivedReason: before.o.waivedReason,
        },
        next,
      ),
      ...(fileIds !== undefined && fileIds.join() !== before.files.map((f) => f.id).join()
        ? { files: fileIds.length }
        : {}),
    },
    ip: meta.ip,
  });
  return presentObligation(await loadObligation(tx, orgId, id));
}

/**
 * Applies one update to several obligations of an organisation, all or none: a certificate
 * entered after years of validity comes with past duties to close, each still checked and
 * audited one by one.
 */
export async function updateObligations({
  tx,
  actor,
  meta,
  orgId,
  ids,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  ids: string[];
  input: { status?: Status; note?: string | null; completedOn?: string; waivedReason?: string };
}) {
  const items = [];
  for (const id of new Set(ids)) items.push(await updateObligation({ tx, actor, meta, orgId, id, input }));
  return items;
}

/**
 * Adds a duty a person set (origin `person`: recompute leaves it alone) to a certificate: a
 * corrective action, a meeting's action item. `key` names what it came from, so asking twice
 * for the same source gives the same row. Reminders follow the rule's ladder like any duty's.
 */
export async function addPersonObligation(
  tx: Tx,
  input: {
    orgId: string;
    certificateId: string;
    rule: 'audit.corrective' | 'meeting.action' | 'supervision.finding' | 'policy.action';
    key: string;
    titleZh: string;
    titleEn: string;
    dueDate: string;
    basis: string;
    basisEn: string;
    assigneeId: string | null;
  },
): Promise<string> {
  const [row] = await tx
    .insert(obligations)
    .values({ ...input, origin: 'person', source: 'S', windowStart: null })
    .onConflictDoUpdate({
      target: [obligations.certificateId, obligations.key],
      set: {
        titleZh: input.titleZh,
        titleEn: input.titleEn,
        dueDate: input.dueDate,
        basis: input.basis,
        basisEn: input.basisEn,
        assigneeId: input.assigneeId,
        updatedAt: sql`now()`,
      },
    })
    .returning({ id: obligations.id });
  await refreshReminders(tx, { certificateId: input.certificateId });
  return row!.id;
}
