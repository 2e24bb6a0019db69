import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { apiTokens } from '../../db/schema.js';
import { forbidden, invalid, notFound } from '../../errors.js';
import { chinaToday } from '../../clock.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { newSecret, sha256 } from '../../access/crypto.js';
import { recordAccountAudit } from '../../access/audit.js';

/** Recognisable in logs and secret scanners, and never valid as a session cookie. */
export const TOKEN_PREFIX = 'zz_';

const present = (t: typeof apiTokens.$inferSelect) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  expiresAt: t.expiresAt?.toISOString() ?? null,
});

/** The actor's active tokens (revoked ones are gone from the list). */
export async function listTokens({ tx, actor }: { tx: Tx; actor: Actor }) {
  const rows = await tx
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map(present);
}

/** Creates a personal token; the secret is returned this once and only its hash is kept. */
export async function createToken({
  tx,
  actor,
  input,
  meta,
}: {
  tx: Tx;
  actor: Actor;
  input: { name: string; expiresOn?: string };
  meta: RequestMeta;
}) {
  // A leaked token must not be able to mint successors that outlive its revocation.
  if (actor.via !== 'session') {
    throw forbidden({
      zh: 'API 令牌不能用来创建新令牌，请登录网页后在“API 令牌”中创建',
      en: 'An API token cannot create tokens: log in to the web app and create it under “API tokens”',
    });
  }
  if (input.expiresOn && input.expiresOn < chinaToday()) {
    throw invalid('expiresOn', {
      zh: `到期日 ${input.expiresOn} 已过，请选择今天或以后的日期`,
      en: `${input.expiresOn} has passed: choose today or a later day`,
    });
  }
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const [row] = await tx
    .insert(apiTokens)
    .values({
      userId: actor.userId,
      name: input.name,
      prefix: token.slice(0, 8),
      tokenHash: sha256(token),
      // Valid through the whole China day it names.
      expiresAt: input.expiresOn ? new Date(`${input.expiresOn}T23:59:59.999+08:00`) : null,
    })
    .returning();
  await recordAccountAudit(tx, {
    action: 'token.created',
    actorId: actor.userId,
    // The row reaches the admins of each of the account's workspaces: the token's name and
    // prefix say which it was; its id is the account's own business.
    targetType: 'token',
    summary: { name: row!.name, prefix: row!.prefix, expiresAt: row!.expiresAt?.toISOString() ?? null },
    ip: meta.ip,
  });
  return { ...present(row!), token };
}

export async function revokeToken({ tx, actor, id, meta }: { tx: Tx; actor: Actor; id: string; meta: RequestMeta }) {
  const [row] = await tx
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt)))
    .returning();
  if (!row) throw notFound('令牌');
  await recordAccountAudit(tx, {
    action: 'token.revoked',
    actorId: actor.userId,
    targetType: 'token',
    summary: { name: row.name, prefix: row.prefix },
    ip: meta.ip,
  });
}
