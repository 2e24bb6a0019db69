import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/index.js';
import { openDatabase } from '../db/client.js';
import { login } from '../test/harness.js';
import { buildApp } from '../app.js';
import { runCli } from './run.js';
import { registerServerCommands } from './server-commands.js';

describe('zizhi migrate, create-admin and reset-link', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const program = () => {
    const p = new Command().name('zizhi');
    registerServerCommands(p, () => loadConfig({}, { dataDir: dir, logLevel: 'silent' }));
    return p;
  };

  async function run(args: string[]) {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    process.exitCode = 0;
    try {
      await runCli(program(), ['node', 'zizhi', ...args]);
      return { code: process.exitCode ?? 0, out: out.join('\n') };
    } finally {
      log.mockRestore();
      err.mockRestore();
      process.exitCode = 0;
    }
  }

  it('creates the first administrator with a workspace, who can then log in', async () => {
    const r = await run([
      'create-admin',
      '--email',
      'Root@Example.cn',
      '--name',
      '运维管理员',
      '--password',
      'a-long-password',
      '--workspace',
      '示例集团',
    ]);
    expect(r.out).toContain('root@example.cn');
    expect(r.code).toBe(0);
    const database = await openDatabase({ dataDir: dir });
    try {
      const app = await buildApp({ database, config: loadConfig({}, { dataDir: dir }), logger: false });
      const session = await login(app, 'root@example.cn', 'a-long-password');
      const me = (await session.get('/api/me')).json();
      expect(me.user.isAdmin).toBe(true);
      expect(me.workspaces[0]).toMatchObject({ name: '示例集团', role: 'owner' });
      await app.close();
    } finally {
      await database.close();
    }
  });

  it('refuses a short password with exit code 2 and a message that says what to fix', async () => {
    const r = await run(['create-admin', '--email', 'x@example.cn', '--name', 'X', '--password', 'short']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('10');
  });

  it('reports a migrated database', async () => {
    const r = await run(['migrate']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('up to date');
  });

  it('prints a single-use reset link for an account, and exits 2 for an unknown one', async () => {
    const unknown = await run(['reset-link', '--email', 'nobody@example.cn']);
    expect(unknown.code).toBe(2);
    const r = await run(['reset-link', '--email', 'root@example.cn']);
    expect(r.code).toBe(0);
    const token = /\/reset-password#([\w-]+)/.exec(r.out)![1]!;
    const database = await openDatabase({ dataDir: dir });
    try {
      const app = await buildApp({ database, config: loadConfig({}, { dataDir: dir }), logger: false });
      const set = await app.inject({
        method: 'POST',
        url: '/api/auth/password-reset/confirm',
        payload: { token, newPassword: 'set-from-the-link' },
      });
      expect(set.statusCode).toBe(204);
      expect((await login(app, 'root@example.cn', 'set-from-the-link')).auth).toBeTruthy();
      await app.close();
    } finally {
      await database.close();
    }
  });
});
