import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  BACKENDS,
  createOrg,
  createTenant,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';

interface Row {
  id: string;
  name: string;
  creditCode: string;
  certificate: { number: string; level: string; state: string; expiresOn: string } | null;
  next: { dueDate: string; rule: string; title: { zh: string } } | null;
  overdue: number;
  readiness: { level: string; status: string; met: number; total: number } | null;
}

describe.each(BACKENDS)('organisation overview (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  const ids: Record<string, string> = {};
  const overview = async (query = '') => {
    const res = await a.owner.get(`/api/workspaces/${a.workspaceId}/org-overview${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Row[]; total: number; nextCursor: string | null }>();
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    ids.jia = (await createOrg(a, CREDIT_CODES[0], '甲科技有限公司')).id;
    ids.yi = (await createOrg(a, CREDIT_CODES[1], '乙信息技术有限公司')).id;
    ids.bing = (await createOrg(a, CREDIT_CODES[2], '丙软件有限公司')).id;
    // 甲: CS3 of 2025, supervised on time; 乙: CS2 of 2022, its self-checks never recorded (late
    // work) and expiring within a year; 丙: nothing recorded yet.
    const cs3 = (
      await a.owner.post(`/api/orgs/${ids.jia}/certificates`, {
        level: 'CS3',
        number: 'A-CS3',
        issuer: '机构',
        issuedOn: '2025-03-15',
      })
    ).json();
    await a.owner.post(`/api/orgs/${ids.jia}/certificates/${cs3.id}/events`, {
      type: 'supervision.done',
      date: '2026-06-20',
      passed: true,
    });
    await a.owner.post(`/api/orgs/${ids.yi}/certificates`, {
      level: 'CS2',
      number: 'B-CS2',
      issuer: '机构',
      issuedOn: '2023-02-10',
    });
  });
  afterAll(() => t.close());

  it('lists each organisation with its certificate, next deadline, late work and readiness', async () => {
    const page = await overview();
    expect(page.total).toBe(3);
    expect(page.nextCursor).toBeNull();
    const byName = new Map(page.items.map((r) => [r.name, r]));
    expect(byName.get('丙软件有限公司')).toMatchObject({ certificate: null, next: null, overdue: 0, readiness: null });
    expect(byName.get('甲科技有限公司')!.certificate).toMatchObject({ number: 'A-CS3', level: 'CS3', state: 'active' });
    expect(byName.get('乙信息技术有限公司')!.certificate).toMatchObject({ number: 'B-CS2', expiresOn: '2027-02-09' });

    // The figures agree with the organisation's own pages.
    for (const org of [ids.jia!, ids.yi!]) {
      const row = page.items.find((r) => r.id === org)!;
      const late = (await a.owner.get(`/api/orgs/${org}/obligations?status=overdue`)).json();
      expect(row.overdue).toBe(late.total);
      const open = (await a.owner.get(`/api/orgs/${org}/obligations?from=2026-11-27`)).json();
      const first = open.items.find((o: { status: string; overdue: boolean }) => !o.overdue && o.status === 'open');
      expect(row.next?.dueDate).toBe(first.dueDate);
      const readiness = (await a.owner.get(`/api/orgs/${org}/readiness`)).json();
      expect(row.readiness).toEqual({
        level: readiness.currentLevel,
        status: readiness.status,
        met: readiness.counts.met,
        total: readiness.requirements.length,
      });
    }
    expect(byName.get('乙信息技术有限公司')!.overdue).toBeGreaterThan(0);
  });

  it('searches by name, credit code and filters by level, expiry, late work and next deadline', async () => {
    const names = async (query: string) => (await overview(query)).items.map((r) => r.name);
    expect(await names('?q=乙信息')).toEqual(['乙信息技术有限公司']);
    expect(await names(`?q=${CREDIT_CODES[2]!.slice(0, 8)}`)).toEqual(['丙软件有限公司']);
    expect(await names('?q=%25')).toEqual([]);
    expect(await names('?level=cs3')).toEqual(['甲科技有限公司']);
    expect(await names('?expiry=within90')).toEqual(['乙信息技术有限公司']);
    expect(await names('?expiry=within90&level=CS3')).toEqual([]);
    expect(await names('?expiry=within365')).toEqual(['乙信息技术有限公司']);
    expect(await names('?expiry=none')).toEqual(['丙软件有限公司']);
    const late = (await overview()).items.filter((r) => r.overdue > 0).map((r) => r.name);
    expect(late).toContain('乙信息技术有限公司');
    expect((await names('?overdueOnly=true')).sort()).toEqual(late.sort());
    const soon = (await overview()).items.filter((r) => r.next && r.next.dueDate <= '2027-02-25').map((r) => r.name);
    expect((await names('?dueWithin=90')).sort()).toEqual(soon.sort());
  });

  it('sorts by expiry, next deadline or late work, and pages through every row once', async () => {
    expect((await overview('?sort=expiry')).items.map((r) => r.name)).toEqual([
      '乙信息技术有限公司',
      '甲科技有限公司',
      '丙软件有限公司',
    ]);
    const counts = (await overview('?sort=overdue')).items.map((r) => r.overdue);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    const next = (await overview('?sort=next')).items;
    expect(next.at(-1)!.name).toBe('丙软件有限公司');
    for (const sort of ['name', 'expiry', 'next', 'overdue']) {
      const all = (await overview(`?sort=${sort}`)).items.map((r) => r.id);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const p = await overview(query);
        expect(p.total).toBe(3);
        paged.push(...p.items.map((r) => r.id));
        cursor = p.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all);
    }
  });

  it('filters by readiness, reading on page by page when a page holds fewer matches than asked', async () => {
    const all = (await overview()).items;
    for (const status of ['met', 'not-met', 'unknown']) {
      const expected = all.filter((r) => r.readiness?.status === status).map((r) => r.id);
      const first = await overview(`?readiness=${status}`);
      expect(first.total).toBeNull();
      expect(first.items.map((r) => r.id)).toEqual(expected);
      const paged: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const p = await overview(`?readiness=${status}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        paged.push(...p.items.map((r) => r.id));
        cursor = p.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(paged).toEqual(expected);
    }
    expect((await overview('?readiness=not-met&level=CS3')).items.map((r) => r.name)).toEqual(
      all.filter((r) => r.readiness?.status === 'not-met' && r.certificate?.level === 'CS3').map((r) => r.name),
    );
  });

  it('shows a limited member only their organisations, and nothing to another workspace', async () => {
    const limited = await addMember(t.app, a, 'viewer', [ids.yi!]);
    const res = await limited.client.get(`/api/workspaces/${a.workspaceId}/org-overview`);
    expect(res.json().items.map((r: Row) => r.name)).toEqual(['乙信息技术有限公司']);
    expect(res.json().total).toBe(1);
    const b = await createTenant(t.app, a.owner);
    const other = await b.owner.get(`/api/workspaces/${a.workspaceId}/org-overview`);
    expect(other.statusCode).toBe(404);
  });

  it('refuses a broken query with a message that says what to fix', async () => {
    const bad = await a.owner.get(`/api/workspaces/${a.workspaceId}/org-overview?sort=size&cursor=xyz`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('排序');
    expect(bad.body).toContain('翻页标记无效');
    const days = await a.owner.get(`/api/workspaces/${a.workspaceId}/org-overview?dueWithin=0`);
    expect(days.statusCode).toBe(400);
  });
});
