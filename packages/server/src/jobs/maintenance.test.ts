import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.js';
import { createOrg, createTestApp, setupAdmin, type Tenant, type TestApp } from '../test/harness.js';
import { dueTables, maintainDueTables } from './maintenance.js';

describe('embedded database maintenance (pglite)', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    a = await setupAdmin(t.app);
    const orgId = (await createOrg(a)).id;
    const res = await a.owner.post(`/api/orgs/${orgId}/certificates`, {
      level: 'CS3',
      number: 'M-1',
      issuer: '机构',
      issuedOn: '2025-03-15',
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(() => t.close());

  // The per-table counters reach the shared statistics at the end of a later transaction.
  const due = async () => {
    await t.database.db.execute(sql`select pg_stat_force_next_flush()`);
    await t.database.db.execute(sql`select pg_stat_clear_snapshot()`);
    return dueTables(t.database);
  };
  const plannedRows = async () =>
    (
      await queryRows<{ n: number }>(
        t.database.db,
        sql`select reltuples::int as n from pg_class where relname = 'obligations'`,
      )
    )[0]!.n;
  const rows = async () =>
    (await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from obligations`))[0]!.n;

  it('analyses the tables filled since start, so the planner knows their sizes, then leaves them alone', async () => {
    expect((await due()).map((d) => d.name)).toContain('obligations');
    expect(await maintainDueTables(t.database, { vacuum: false })).toBeGreaterThanOrEqual(1);
    expect(await plannedRows()).toBe(await rows());
    expect((await due()).filter((d) => d.analyse).map((d) => d.name)).not.toContain('obligations');
  });

  it('analyses a table whose rows were rewritten at once, and vacuums it only when told (at night)', async () => {
    await t.database.db.execute(sql`update obligations set status = status`);
    const found = (await due()).find((d) => d.name === 'obligations');
    expect(found).toEqual({ name: 'obligations', vacuum: true, analyse: true });
    await maintainDueTables(t.database, { vacuum: false });
    expect((await due()).find((d) => d.name === 'obligations')).toEqual({
      name: 'obligations',
      vacuum: true,
      analyse: false,
    });
    await maintainDueTables(t.database, { vacuum: true });
    expect((await due()).map((d) => d.name)).not.toContain('obligations');
    const [dead] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select n_dead_tup::int as n from pg_stat_user_tables where relname = 'obligations'`,
    );
    expect(dead!.n).toBe(0);
  });
});
