import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import pg from 'pg';
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
import { buildApp } from '../app.js';
import { loadConfig } from '../config/index.js';
import { openPostgres } from './client.js';
import { auditLog, certificates, loginFailures, organisations, sessions, users, workspaceMembers } from './schema.js';
import { withActor } from './tenancy.js';
import { migrateDatabase } from './migrate.js';

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
    // Names of the people one works with, and no one else's.
    const names = await withActor(db, a.ownerId, (tx) => tx.select({ id: users.id }).from(users));
    expect(names.map((n) => n.id)).toContain(a.ownerId);
    expect(names.map((n) => n.id)).not.toContain(b.ownerId);
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

// A PostgreSQL server where the connecting user owns the tables without being a superuser (the
// usual managed-database set-up): FORCE ROW LEVEL SECURITY binds the owner too, so its system
// transactions must still work, and an owner transaction that carries a user but did not switch
// role is still filtered to that user's tenant.
describe.runIf(BACKENDS.includes('postgres'))('row-level security with a non-superuser owner (postgres)', () => {
  const suffix = randomBytes(4).toString('hex');
  const owner = `zizhi_owner_${suffix}`;
  const dbName = `zizhi_owner_test_${suffix}`;
  let admin: pg.Client;
  let t: TestApp;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create role ${owner} login createrole password 'owner-pw'`);
    await admin.query(`create database ${dbName} owner ${owner}`);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.username = owner;
    url.password = 'owner-pw';
    url.pathname = `/${dbName}`;
    const database = openPostgres(url.toString());
    await migrateDatabase(database);
    const config = loadConfig({}, { dataDir: os.tmpdir(), logLevel: 'silent' });
    const app = await buildApp({ database, config, logger: false });
    t = { app, database, close: async () => (await app.close(), await database.close()) };
  });
  afterAll(async () => {
    await t?.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`drop role if exists ${owner}`);
    await admin.end();
  });

  it('runs set-up, log-in, invitations and tenant work, and filters an owner transaction that carries a user', async () => {
    const a = await setupAdmin(t.app);
    const b = await createTenant(t.app, a.owner);
    const org = await createOrg(a, CREDIT_CODES[0], '甲公司');
    await createOrg(b, CREDIT_CODES[1], '乙公司');
    const cert = await a.owner.post(`/api/orgs/${org.id}/certificates`, {
      level: 'CS3',
      number: 'CS3-OWNER-1',
      issuer: '评估机构',
      issuedOn: '2025-03-15',
      public: true,
    });
    expect(cert.statusCode, cert.body).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: cert.json().publicUrl })).statusCode).toBe(200);
    expect((await a.owner.get('/api/orgs')).json().items.map((o: { name: string }) => o.name)).toEqual(['甲公司']);
    // Owner connection, acting user set, role not switched: still only that user's tenant.
    const seenBy = (userId: string) =>
      t.database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('app.user_id', ${userId}, true)`);
        return tx.select({ number: certificates.number }).from(certificates);
      });
    expect(await seenBy(a.ownerId)).toEqual([{ number: 'CS3-OWNER-1' }]);
    expect(await seenBy(b.ownerId)).toEqual([]);
  });
});
