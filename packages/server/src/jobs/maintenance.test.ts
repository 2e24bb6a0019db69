import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.js';
import { createOrg, createTestApp, setupAdmin, type Tenant, type TestApp } from '../test/harness.js';
import { maintainTables } from './maintenance.js';

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

  const neverAnalysed = async () =>
    (
      await queryRows<{ name: string }>(
        t.database.db,
        sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind = 'r' and c.reltuples <> 0
              and not exists (select 1 from pg_statistic s where s.starelid = c.oid)`,
      )
    ).map((r) => r.name);

  it('analyses the tables never analysed, then vacuums every table, and the planner knows their sizes', async () => {
    expect(await neverAnalysed()).toContain('obligations');
    const analysed = await maintainTables(t.database, { analyzeOnly: true, fresh: true });
    expect(analysed).toBeGreaterThan(3);
    expect(await neverAnalysed()).toEqual([]);
    expect(await maintainTables(t.database, { analyzeOnly: true, fresh: true })).toBe(0);
    const [row] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select reltuples::int as n from pg_class where relname = 'obligations'`,
    );
    const [count] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from obligations`);
    expect(row!.n).toBe(count!.n);
    expect(await maintainTables(t.database, { analyzeOnly: false, fresh: false })).toBeGreaterThan(10);
  });
});
