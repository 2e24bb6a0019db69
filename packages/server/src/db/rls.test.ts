import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  createOrg,
  createTenant,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../test/harness.js';
import { auditLog, loginFailures, organisations, sessions, users, workspaceMembers } from './schema.js';
import { withActor } from './tenancy.js';

describe.each(BACKENDS)('row-level security (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    await createOrg(a, CREDIT_CODES[0], '甲公司');
    await createOrg(b, CREDIT_CODES[1], '乙公司');
  });
  afterAll(() => t.close());

  it('shows a query that forgets its workspace filter only the actor’s own rows', async () => {
    const { db } = t.database;
    const seen = await withActor(db, a.ownerId, (tx) => tx.select().from(organisations));
    expect(seen.map((o) => o.name)).toEqual(['甲公司']);
    const members = await withActor(db, a.ownerId, (tx) => tx.select().from(workspaceMembers));
    expect(new Set(members.map((m) => m.workspaceId))).toEqual(new Set([a.workspaceId]));
    const audit = await withActor(db, b.ownerId, (tx) => tx.select().from(auditLog));
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.some((r) => r.workspaceId === a.workspaceId)).toBe(false);
    expect(audit.every((r) => r.workspaceId === b.workspaceId || r.actorId === b.ownerId)).toBe(true);
  });

  it('refuses to write a row into another workspace even when the service check is skipped', async () => {
    const { db } = t.database;
    await expect(
      withActor(db, a.ownerId, (tx) =>
        tx.insert(organisations).values({ workspaceId: b.workspaceId, name: '越权', creditCode: 'X' }),
      ),
    ).rejects.toSatisfy((err: Error & { cause?: Error }) =>
      /row-level security/.test(err.cause?.message ?? err.message),
    );
    const updated = await withActor(db, a.ownerId, (tx) =>
      tx
        .update(organisations)
        .set({ name: '被改' })
        .where(sql`true`)
        .returning(),
    );
    expect(updated.map((o) => o.workspaceId)).toEqual([a.workspaceId]);
  });

  it('never lets tenant code read password hashes, or other people’s sessions and tokens', async () => {
    const { db } = t.database;
    await expect(withActor(db, a.ownerId, (tx) => tx.select().from(users))).rejects.toSatisfy(
      (err: Error & { cause?: Error }) => /permission denied/.test(err.cause?.message ?? err.message),
    );
    const names = await withActor(db, a.ownerId, (tx) => tx.select({ email: users.email }).from(users));
    expect(names.length).toBeGreaterThan(1);
    const seen = await withActor(db, a.ownerId, (tx) => tx.select().from(sessions));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.userId === a.ownerId)).toBe(true);
    await expect(withActor(db, a.ownerId, (tx) => tx.select().from(loginFailures))).rejects.toThrow();
  });

  it('runs tenant transactions as the restricted role, not as the table owner', async () => {
    const result = await withActor(t.database.db, a.ownerId, (tx) => tx.execute(sql`select current_user as who`));
    expect(result).toMatchObject({ rows: [{ who: 'zizhi_app' }] });
  });
});
