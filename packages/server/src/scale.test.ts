// Responses that must not grow with the workspace, held to byte bounds on a seeded consultancy
// of 200 certificates (the heavy timings live in bench/consultancy.ts). Sizes, not times: they
// do not move on a busy machine, and they fail the day a response starts carrying every row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createTestApp, setupAdmin, type Tenant, type TestApp } from './test/harness.js';
import { creditCode, seedCertificates } from './test/consultancy-seed.js';

const ORGS = 20;
const CERTS = 200;
const KB = 1024;

describe('response sizes at 200 certificates (pglite)', () => {
  let t: TestApp;
  let a: Tenant;
  let orgIds: string[];

  beforeAll(async () => {
    t = await createTestApp('pglite');
    a = await setupAdmin(t.app);
    orgIds = [];
    for (let n = 1; n <= ORGS; n++) {
      const res = await a.owner.post('/api/orgs', {
        workspaceId: a.workspaceId,
        name: `客户企业 ${n} 有限公司`,
        creditCode: creditCode(n),
      });
      expect(res.statusCode, res.body).toBe(201);
      orgIds.push(res.json().id);
    }
    await seedCertificates(t.database.db, orgIds, CERTS);
  }, 600_000);
  afterAll(() => t.close());

  /** The uncompressed bytes of a 200 answer. */
  const bytes = async (url: string) => {
    const res = await a.owner.get(url);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.rawPayload.length;
  };

  it('keeps the dashboard, a page of timelines and a page of obligations small', async () => {
    const sizes = {
      dashboard: await bytes(`/api/workspaces/${a.workspaceId}/dashboard`),
      timelines: await bytes(`/api/workspaces/${a.workspaceId}/dashboard/timelines`),
      workspaceList: await bytes(`/api/workspaces/${a.workspaceId}/obligations`),
      orgList: await bytes(`/api/orgs/${orgIds[0]}/obligations`),
    };
    // Measured when written: dashboard ≈ 23 KB (most of it the 50 red lines it lists at most),
    // timelines ≈ 21 KB, list pages ≈ 91 KB.
    expect(sizes.dashboard, 'dashboard').toBeLessThan(40 * KB);
    expect(sizes.timelines, 'timelines, one page').toBeLessThan(48 * KB);
    expect(sizes.workspaceList, 'workspace obligations, one page').toBeLessThan(160 * KB);
    expect(sizes.orgList, 'organisation obligations, one page').toBeLessThan(160 * KB);
  });

  it('keeps the default calendar feed of a member who sees everything within its bound', async () => {
    const made = await a.owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId });
    expect(made.statusCode, made.body).toBe(201);
    const feed = await client(t.app, null).request('GET', new URL(made.json().url as string).pathname);
    expect(feed.statusCode).toBe(200);
    // 10 MB at 2,000 certificates is the target: a tenth of it here.
    expect(feed.rawPayload.length).toBeLessThan(1024 * KB);
  });
});
