import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestApp, CREDIT_CODES, setupAdmin, type Tenant, type TestApp } from '../../test/harness.js';

describe.each(BACKENDS)('organisations (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  const audit = async (action: string) =>
    (await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&action=${action}`)).json().items;

  it('creates an organisation with its full profile and records it in the audit log', async () => {
    const res = await a.owner.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: '华为技术有限公司',
      creditCode: ' 91440300708461136t ',
      address: '深圳市龙岗区坂田华为总部办公楼',
      foundedOn: '1987-09-15',
      legalRepresentative: '赵明路',
    });
    expect(res.statusCode).toBe(201);
    const org = res.json();
    expect(org).toMatchObject({
      creditCode: '91440300708461136T',
      foundedOn: '1987-09-15',
      legalRepresentative: '赵明路',
    });
    expect((await a.owner.get(`/api/orgs/${org.id}`)).json()).toEqual(org);
    const [row] = await audit('org.created');
    expect(row).toMatchObject({ targetId: org.id, orgId: org.id, actor: { id: a.ownerId } });
    expect(row.summary.after.name).toBe('华为技术有限公司');
    expect(row.ip).toBeTruthy();
  });

  it.each([
    ['91440300708461136A', '校验位'],
    ['9144030070846113', '18 位'],
    ['91440300708461136I', '无效字符'],
  ])('rejects credit code %s with a message about the %s and saves nothing', async (creditCode, words) => {
    const before = (await a.owner.get('/api/orgs')).json().items.length;
    const res = await a.owner.post('/api/orgs', { workspaceId: a.workspaceId, name: '错误代码公司', creditCode });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_INPUT', field: 'creditCode' });
    expect(res.json().error.message).toContain(words);
    expect((await a.owner.get('/api/orgs')).json().items.length).toBe(before);
  });

  it('refuses a second organisation with the same credit code in a workspace (409)', async () => {
    const res = await a.owner.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: '重复',
      creditCode: CREDIT_CODES[0],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.field).toBe('creditCode');
  });

  it('rejects an impossible founding date', async () => {
    const res = await a.owner.post('/api/orgs', {
      workspaceId: a.workspaceId,
      name: '日期错误',
      creditCode: CREDIT_CODES[1],
      foundedOn: '2026-02-30',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('foundedOn');
  });

  it('edits the profile, keeping what was not sent, with before/after in the audit log', async () => {
    const org = (
      await a.owner.post('/api/orgs', { workspaceId: a.workspaceId, name: '中国石化', creditCode: CREDIT_CODES[1] })
    ).json();
    const res = await a.owner.patch(`/api/orgs/${org.id}`, { address: '北京市朝阳区朝阳门北大街22号' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '中国石化', address: '北京市朝阳区朝阳门北大街22号' });
    const [row] = await audit('org.updated');
    expect(row.summary.changed).toEqual({ address: { before: null, after: '北京市朝阳区朝阳门北大街22号' } });
    const bad = await a.owner.patch(`/api/orgs/${org.id}`, { creditCode: 'bad' });
    expect(bad.statusCode).toBe(400);
    expect((await a.owner.get(`/api/orgs/${org.id}`)).json().creditCode).toBe(CREDIT_CODES[1]);
    const empty = await a.owner.patch(`/api/orgs/${org.id}`, {});
    expect(empty.statusCode).toBe(400);
  });

  it('deletes an organisation and then answers 404 for it', async () => {
    const org = (await a.owner.get('/api/orgs')).json().items.find((o: { name: string }) => o.name === '中国石化');
    expect((await a.owner.delete(`/api/orgs/${org.id}`)).statusCode).toBe(204);
    expect((await a.owner.get(`/api/orgs/${org.id}`)).statusCode).toBe(404);
    expect((await audit('org.deleted'))[0].summary.before.name).toBe('中国石化');
  });

  it('filters the audit log by date in China time and pages it', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const all = (await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&from=${today}&to=${today}`)).json();
    expect(all.total).toBeGreaterThanOrEqual(4);
    const page = (await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&limit=2&offset=1`)).json();
    expect(page.items).toHaveLength(2);
    expect(page.items[0].id).toBe(all.items[1].id);
    const none = (await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&to=2020-01-01`)).json();
    expect(none.total).toBe(0);
  });
});
