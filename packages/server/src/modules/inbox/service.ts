import { and, count, desc, eq, isNull, lt, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { inboxItems } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import type { Actor } from '../../access/actor.js';
import { formatInstant } from '../../clock.js';

type InboxRow = typeof inboxItems.$inferSelect;

const presentItem = (r: InboxRow) => ({
  id: r.id,
  workspaceId: r.workspaceId,
  orgId: r.orgId,
  obligationId: r.obligationId,
  title: r.title,
  body: r.body,
  link: r.link,
  read: r.readAt !== null,
  readAt: r.readAt ? formatInstant(r.readAt) : null,
  // With milliseconds: it is also the paging cursor (`before`), and seconds would skip rows.
  createdAt: r.createdAt.toISOString(),
});

/** The caller's unread in-app messages (the header's badge). */
export async function unreadCount({ tx, actor }: { tx: Tx; actor: Actor }): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(inboxItems)
    .where(and(eq(inboxItems.userId, actor.userId), isNull(inboxItems.readAt)));
  return Number(row?.n ?? 0);
}

/** The caller's in-app messages, newest first, with the unread count. Only ever their own. */
export async function listInbox({
  tx,
  actor,
  query,
}: {
  tx: Tx;
  actor: Actor;
  query: { unread?: boolean; limit: number; before?: string };
}) {
  const where: SQL[] = [eq(inboxItems.userId, actor.userId)];
  if (query.unread) where.push(isNull(inboxItems.readAt));
  if (query.before) where.push(lt(inboxItems.createdAt, new Date(query.before)));
  const rows = await tx
    .select()
    .from(inboxItems)
    .where(and(...where))
    .orderBy(desc(inboxItems.createdAt), desc(inboxItems.id))
    .limit(query.limit);
  return { unreadCount: await unreadCount({ tx, actor }), items: rows.map(presentItem) };
}

/** Marks one of the caller's messages read (idempotent); another person's message is 404. */
export async function markRead({ tx, actor, id }: { tx: Tx; actor: Actor; id: string }) {
  const [row] = await tx
    .select()
    .from(inboxItems)
    .where(and(eq(inboxItems.id, id), eq(inboxItems.userId, actor.userId)));
  if (!row) throw notFound('消息');
  if (row.readAt) return presentItem(row);
  const [updated] = await tx.update(inboxItems).set({ readAt: new Date() }).where(eq(inboxItems.id, id)).returning();
  return presentItem(updated!);
}

/** Marks all the caller's messages read; returns how many were unread. */
export async function markAllRead({ tx, actor }: { tx: Tx; actor: Actor }): Promise<number> {
  const rows = await tx
    .update(inboxItems)
    .set({ readAt: new Date() })
    .where(and(eq(inboxItems.userId, actor.userId), isNull(inboxItems.readAt)))
    .returning({ id: inboxItems.id });
  return rows.length;
}
