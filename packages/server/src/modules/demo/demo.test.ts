import os from 'node:os';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run.js';
import { registerWorkspaceCommands } from '../../cli/workspace.js';
import { loadConfig } from '../../config/index.js';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import {
  addMember,
  BACKENDS,
  createTenant,
  createTestApp,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';

describe.each(BACKENDS)('demo workspace (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let demoId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('is made in one call with clients at every point of the cycle, through the same checks as typing', async () => {
    const res = await a.owner.post('/api/workspaces/demo', {});
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json();
    expect(made).toMatchObject({ orgs: 6, workspace: { name: '演示工作区（示例数据）', demo: true, role: 'owner' } });
    demoId = made.workspace.id;
    const me = (await a.owner.get('/api/me')).json();
    expect(me.workspaces.find((w: { id: string }) => w.id === demoId)).toMatchObject({ demo: true });
    expect(me.workspaces.find((w: { id: string }) => w.id === a.workspaceId)).toMatchObject({ demo: false });

    const overview = (await a.owner.get(`/api/workspaces/${demoId}/org-overview?limit=50`)).json();
    expect(overview.total).toBe(6);
    const rows = overview.items as Array<{
      name: string;
      certificate: { level: string; state: string } | null;
      overdue: number;
      readiness: { status: string } | null;
    }>;
    expect(rows.filter((r) => r.certificate === null).map((r) => r.name)).toEqual(['成都天府云图科技有限公司']);
    expect(new Set(rows.flatMap((r) => (r.certificate ? [r.certificate.level] : [])))).toEqual(
      new Set(['CS1', 'CS2', 'CS3', 'CS4']),
    );
    // One client meets its level's requirements; the others show what readiness finds missing.
    expect(rows.filter((r) => r.readiness?.status === 'met').map((r) => r.name)).toEqual(['深圳前海智联软件有限公司']);
    expect(rows.some((r) => r.overdue > 0)).toBe(true);
    expect(rows.filter((r) => r.readiness).length).toBe(5);
    const renewing = (await a.owner.get(`/api/workspaces/${demoId}/org-overview?expiry=within90`)).json();
    expect(renewing.items.map((r: { name: string }) => r.name)).toEqual(['杭州数智科技有限公司']);
    const soon = (await a.owner.get(`/api/workspaces/${demoId}/org-overview?dueWithin=30`)).json();
    expect(soon.total).toBeGreaterThan(0);

    // Evidence and history went through the ordinary routes: audited, under the person's name.
    const audit = (await a.owner.get(`/api/audit-log?workspaceId=${demoId}&limit=500`)).json();
    const actions = new Set(audit.items.map((e: { action: string }) => e.action));
    for (const action of ['workspace.created', 'org.created', 'certificate.created', 'event.recorded']) {
      expect(actions, action).toContain(action);
    }
  });

  it('is one per person, and only instance administrators make one', async () => {
    const again = await a.owner.post('/api/workspaces/demo', {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('您已有演示工作区');
    const manager = await addMember(t.app, a, 'manager');
    const refused = await manager.client.post('/api/workspaces/demo', {});
    expect(refused.statusCode).toBe(403);
  });

  it('is removed as a whole by its owner; a real workspace never is', async () => {
    const b = await createTenant(t.app, a.owner);
    expect((await b.owner.delete(`/api/workspaces/${demoId}`)).statusCode).toBe(404);
    const real = await a.owner.delete(`/api/workspaces/${a.workspaceId}`);
    expect(real.statusCode).toBe(409);
    expect(real.json().error.message).toContain('只有演示工作区可以整个删除');
    expect((await a.owner.get(`/api/workspaces/${a.workspaceId}/org-overview`)).statusCode).toBe(200);

    const removed = await a.owner.delete(`/api/workspaces/${demoId}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({ removed: true, name: '演示工作区（示例数据）' });
    expect((await a.owner.get(`/api/workspaces/${demoId}/org-overview`)).statusCode).toBe(404);
    const me = (await a.owner.get('/api/me')).json();
    expect(me.workspaces.map((w: { id: string }) => w.id)).not.toContain(demoId);
    const audit = (await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&limit=50`)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toContain('workspace.demo-removed');
    // A new one can be made again.
    expect((await a.owner.post('/api/workspaces/demo', {})).statusCode).toBe(201);
  });

  it('is made from the command line too (`zizhi demo --owner`), for administrators only', async () => {
    const zizhi = async (...args: string[]) => {
      let out = '';
      let err = '';
      const program = new Command().name('zizhi');
      registerWorkspaceCommands(program, {
        config: () => loadConfig({ LOG_LEVEL: 'silent' }, { dataDir: os.tmpdir() }),
        openDatabase: () => Promise.resolve({ ...t.database, close: () => Promise.resolve() }),
        write: { out: (text) => void (out += text), err: (text) => void (err += text) },
      });
      process.exitCode = 0;
      await runCli(program, ['node', 'zizhi', ...args]);
      const code = Number(process.exitCode ?? 0);
      process.exitCode = 0;
      return { out, err, code };
    };
    const adminEmail = (await a.owner.get('/api/me')).json().user.email as string;
    const sessionsBefore = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from sessions`);
    // The owner has one from the test above: the command says so and changes nothing.
    const taken = await zizhi('demo', '--owner', adminEmail);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('您已有演示工作区');
    const manager = await addMember(t.app, a, 'manager');
    const refused = await zizhi('demo', '--owner', manager.email);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('只有系统管理员可以创建演示工作区');
    const nobody = await zizhi('demo', '--owner', 'nobody@example.cn');
    expect(nobody.err).toContain('本系统没有邮箱为 nobody@example.cn 的账户');

    const me = (await a.owner.get('/api/me')).json();
    const demo = me.workspaces.find((w: { demo: boolean }) => w.demo);
    expect((await a.owner.delete(`/api/workspaces/${demo.id}`)).statusCode).toBe(200);
    const made = await zizhi('demo', '--owner', adminEmail.toUpperCase(), '--json');
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    const report = JSON.parse(made.out);
    expect(report).toMatchObject({ orgs: 6, workspace: { name: '演示工作区（示例数据）' } });
    const overview = await a.owner.get(`/api/workspaces/${report.workspace.id}/org-overview`);
    expect(overview.json().total).toBe(6);
    // The command's own session is gone again.
    const sessionsAfter = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from sessions`);
    expect(sessionsAfter[0]!.n).toBe(sessionsBefore[0]!.n + 1); // the manager's log-in
  });
});
