import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { invitations, users, workspaceMembers, workspaces } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { AppError, conflict, forbidden, notFound } from '../../errors.js';
import type { Role } from '../../access/roles.js';
import { now } from '../../clock.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { hashPassword, newSecret, sha256 } from '../../access/crypto.js';
import { createSession, createUser } from '../auth/api.js';
import { recordAudit } from '../../access/audit.js';
import { requireMembership, type Membership } from '../../access/membership.js';
import { checkGrant, checkOrgIds } from '../workspaces/api.js';

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;

type InvitationRow = typeof invitations.$inferSelect;

export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

function stateOf(row: InvitationRow): InvitationState {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now()) return 'expired';
  return 'pending';
}

const present = (row: InvitationRow, invitedByName: string | null = null) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  orgIds: row.orgIds,
  /** While pending: the person logs in with a temporary password instead of following the link. */
  withTemporaryPassword: row.temporaryPasswordHash !== null,
  state: stateOf(row),
  invitedBy: invitedByName,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  acceptedAt: row.acceptedAt?.toISOString() ?? null,
});

export type Invitation = ReturnType<typeof present>;

/** A limited admin manages only invitations that stay within their own organisations. */
function withinLimit(me: Membership, orgIds: string[] | null): boolean {
  return !me.orgIds || (orgIds !== null && orgIds.every((id) => me.orgIds!.includes(id)));
}

/**
 * Invites a person to a workspace by e-mail. Whether the address already has an account, and
 * where, is never looked at or revealed: the person sets their own password when accepting, or
 * accepts while logged in. With a temporary password (offices without e-mail) the account is
 * created at the first log-in with it and must change it then; it never attaches to an existing
 * account. A pending invitation to the same address is replaced. Returns the link's token, which
 * is stored only hashed and shown once.
 */
export async function createInvitation({
  tx,
  actor,
  workspaceId,
  input,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  input: { email: string; name: string; role: Role; orgIds?: string[] | null; temporaryPassword?: string };
  meta: RequestMeta;
}): Promise<{ invitation: Invitation; token: string; workspaceName: string }> {
  const me = await requireMembership(tx, actor, workspaceId, 'admin');
  checkGrant(me.role, input.role);
  // A limited admin's invitees are limited too: "all" is not theirs to give.
  const orgIds = input.orgIds === undefined && me.orgIds ? me.orgIds : input.orgIds;
  await checkOrgIds(tx, me, orgIds);
  const [member] = await tx
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(sql`lower(${users.email})`, input.email)));
  if (member) {
    throw conflict(
      { zh: `${input.email} 已是此工作空间的成员`, en: `${input.email} is already a member of this workspace` },
      'email',
    );
  }
  await tx
    .update(invitations)
    .set({ revokedAt: new Date(now()) })
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        eq(sql`lower(${invitations.email})`, input.email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    );
  const token = newSecret();
  const [row] = await tx
    .insert(invitations)
    .values({
      workspaceId,
      email: input.email,
      name: input.name,
      role: input.role,
      orgIds: orgIds ?? null,
      tokenHash: sha256(token),
      temporaryPasswordHash: input.temporaryPassword ? await hashPassword(input.temporaryPassword) : null,
      invitedBy: actor.userId,
      createdAt: new Date(now()),
      expiresAt: new Date(now() + INVITATION_DAYS * 86_400_000),
    })
    .returning();
  await recordAudit(tx, {
    action: 'member.invited',
    actorId: actor.userId,
    workspaceId,
    targetType: 'invitation',
    targetId: row!.id,
    summary: {
      email: row!.email,
      name: row!.name,
      role: row!.role,
      orgIds: row!.orgIds,
      temporaryPassword: Boolean(input.temporaryPassword),
    },
    ip: meta.ip,
  });
  const [ws] = await tx.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return { invitation: present(row!, actor.name), token, workspaceName: ws?.name ?? '' };
}

/** The workspace's invitations (pending first, then the last 30 days' others), for admins. */
export async function listInvitations({ tx, actor, workspaceId }: { tx: Tx; actor: Actor; workspaceId: string }) {
  const me = await requireMembership(tx, actor, workspaceId, 'admin');
  const since = new Date(now() - 30 * 86_400_000);
  const rows = await tx
    .select({ row: invitations, invitedBy: users.name })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.workspaceId, workspaceId), gt(invitations.createdAt, since)))
    .orderBy(asc(invitations.createdAt))
    .limit(500);
  const order: Record<InvitationState, number> = { pending: 0, expired: 1, accepted: 2, revoked: 3 };
  return rows
    .filter(({ row }) => withinLimit(me, row.orgIds))
    .map(({ row, invitedBy }) => present(row, invitedBy))
    .sort((a, b) => order[a.state] - order[b.state]);
}

async function loadManageable(tx: Tx, actor: Actor, workspaceId: string, invitationId: string) {
  const me = await requireMembership(tx, actor, workspaceId, 'admin');
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.id, invitationId)));
  if (!row) throw notFound('邀请');
  if (!withinLimit(me, row.orgIds)) {
    throw forbidden({
      zh: '您只能访问部分企业，只能管理这些企业范围内的邀请',
      en: 'You have access to some organisations only, and manage invitations within them only',
    });
  }
  if (row.role === 'owner' && me.role !== 'owner') {
    throw forbidden({ zh: '只有所有者可以管理所有者的邀请', en: "Only owners manage owners' invitations" });
  }
  return row;
}

/** Withdraws a pending invitation: its link and temporary password stop working. */
export async function revokeInvitation({
  tx,
  actor,
  workspaceId,
  invitationId,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  invitationId: string;
  meta: RequestMeta;
}) {
  const row = await loadManageable(tx, actor, workspaceId, invitationId);
  if (row.acceptedAt) {
    throw conflict({
      zh: '邀请已被接受，如需移除请在成员列表中操作',
      en: 'The invitation was accepted: remove the member from the member list instead',
    });
  }
  await tx
    .update(invitations)
    .set({ revokedAt: new Date(now()), temporaryPasswordHash: null })
    .where(eq(invitations.id, row.id));
  await recordAudit(tx, {
    action: 'invitation.revoked',
    actorId: actor.userId,
    workspaceId,
    targetType: 'invitation',
    targetId: row.id,
    summary: { email: row.email, role: row.role },
    ip: meta.ip,
  });
}

/** A new link (and 7 more days) for a pending or expired invitation; the old link stops working. */
export async function renewInvitation({
  tx,
  actor,
  workspaceId,
  invitationId,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
  invitationId: string;
  meta: RequestMeta;
}) {
  const row = await loadManageable(tx, actor, workspaceId, invitationId);
  if (row.acceptedAt) throw conflict({ zh: '邀请已被接受，无需重新发送', en: 'The invitation was already accepted' });
  if (row.revokedAt) {
    throw conflict({ zh: '邀请已撤销，请重新邀请', en: 'The invitation was revoked: invite the person again' });
  }
  const token = newSecret();
  const [after] = await tx
    .update(invitations)
    .set({ tokenHash: sha256(token), expiresAt: new Date(now() + INVITATION_DAYS * 86_400_000) })
    .where(eq(invitations.id, row.id))
    .returning();
  await recordAudit(tx, {
    action: 'invitation.renewed',
    actorId: actor.userId,
    workspaceId,
    targetType: 'invitation',
    targetId: row.id,
    summary: { email: row.email },
    ip: meta.ip,
  });
  const [ws] = await tx.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return { invitation: present(after!, actor.name), token, workspaceName: ws?.name ?? '' };
}

const INVALID_LINK = {
  zh: '邀请链接无效、已使用或已过期，请联系邀请您的管理员重新邀请',
  en: 'The invitation link is not valid, was used or has expired: ask the administrator who invited you to invite you again',
};

async function findPending(tx: Tx, token: string) {
  const [row] = await tx
    .select({ inv: invitations, workspaceName: workspaces.name, invitedBy: users.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        eq(invitations.tokenHash, sha256(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date(now())),
      ),
    )
    // Two tabs accepting at once: the second waits, then finds it accepted.
    .for('update', { of: invitations });
  if (!row) throw new AppError('NOT_FOUND', INVALID_LINK);
  return row;
}

/** What the invitation page shows before accepting: who invites whom to which workspace. */
export async function describeInvitation({ db, token }: { db: Db; token: string }) {
  return withSystem(db, async (tx) => {
    const { inv, workspaceName, invitedBy } = await findPending(tx, token);
    return {
      workspaceName,
      invitedBy: invitedBy ?? '',
      email: inv.email,
      name: inv.name,
      role: inv.role,
      expiresAt: inv.expiresAt.toISOString(),
    };
  });
}

async function join(tx: Tx, inv: InvitationRow, userId: string, ip: string) {
  const [already] = await tx
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, inv.workspaceId), eq(workspaceMembers.userId, userId)));
  if (!already) {
    await tx
      .insert(workspaceMembers)
      .values({ workspaceId: inv.workspaceId, userId, role: inv.role, orgIds: inv.orgIds });
  }
  await tx
    .update(invitations)
    .set({ acceptedAt: new Date(now()), acceptedBy: userId, temporaryPasswordHash: null })
    .where(eq(invitations.id, inv.id));
  await recordAudit(tx, {
    action: 'member.joined',
    actorId: userId,
    workspaceId: inv.workspaceId,
    targetType: 'member',
    targetId: userId,
    summary: { email: inv.email, role: inv.role, orgIds: inv.orgIds, via: 'invitation' },
    ip,
  });
}

/**
 * Accepts an invitation. Logged in: the account's address must be the invited one, and it joins.
 * Not logged in: a new account with the invitation's address and the password chosen here is
 * created and logged in; an address that already has an account must log in first (an
 * invitation never sets the password of an existing account).
 */
export async function acceptInvitation({
  db,
  token,
  actor,
  input,
  meta,
  sessionDays,
  userAgent,
}: {
  db: Db;
  token: string;
  actor: Actor | null;
  input: { name?: string; password?: string };
  meta: RequestMeta;
  sessionDays: number;
  userAgent?: string;
}) {
  return withSystem(db, async (tx) => {
    const { inv } = await findPending(tx, token);
    if (actor) {
      if (actor.email.toLowerCase() !== inv.email.toLowerCase()) {
        throw forbidden({
          zh: `这份邀请发给 ${inv.email}，请退出当前账户，用该邮箱的账户登录后再接受`,
          en: `This invitation is for ${inv.email}: log out, log in with that address's account and accept it then`,
        });
      }
      await join(tx, inv, actor.userId, meta.ip);
      return { workspaceId: inv.workspaceId, session: null };
    }
    if (!input.password) {
      throw new AppError(
        'INVALID_INPUT',
        { zh: '请设置至少 10 个字符的密码', en: 'Choose a password of at least 10 characters' },
        'password',
      );
    }
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, inv.email.toLowerCase()));
    if (existing) {
      throw conflict(
        {
          zh: `${inv.email} 已有账户，请先用该账户登录，再打开邀请链接接受`,
          en: `${inv.email} already has an account: log in with it, then open the invitation link to accept`,
        },
        'email',
      );
    }
    const user = await createUser(tx, { email: inv.email, name: input.name ?? inv.name, password: input.password });
    await recordAudit(tx, {
      action: 'user.created',
      actorId: user.id,
      workspaceId: inv.workspaceId,
      targetType: 'user',
      targetId: user.id,
      summary: { email: user.email, name: user.name, via: 'invitation' },
      ip: meta.ip,
    });
    await join(tx, inv, user.id, meta.ip);
    const session = await createSession(tx, { userId: user.id, ip: meta.ip, userAgent, days: sessionDays });
    return { workspaceId: inv.workspaceId, session: { user, ...session } };
  });
}
