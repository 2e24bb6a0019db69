import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/index.js';
import { setClock } from '../clock.js';
import { openPostgres, wrapPglite, type Database } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';

export type Backend = 'pglite' | 'postgres';

/** PGlite always; the PostgreSQL server too when TEST_DATABASE_URL is set (as in CI). */
export const BACKENDS: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

let snapshot: Blob | undefined;

/** A fresh, migrated database of the given kind; closing it drops it. */
export async function createTestDatabase(backend: Backend): Promise<Database> {
  if (backend === 'pglite') {
    snapshot ??= new Blob([await readFile(inject('pgliteSnapshot'))]);
    return wrapPglite(await PGlite.create({ loadDataDir: snapshot }));
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `zizhi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString());
  await migrateDatabase(database);
  return {
    ...database,
    close: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/**
 * The day the server believes it is in tests: deadlines, overdue flags and inferred states
 * must not change as the real calendar moves on. Noon in China.
 */
export const TEST_NOW = Date.parse('2026-11-27T12:00:00+08:00');
setClock(() => TEST_NOW);

export async function createTestApp(backend: Backend): Promise<TestApp> {
  const database = await createTestDatabase(backend);
  const config = loadConfig({}, { dataDir: os.tmpdir(), logLevel: 'silent' });
  const app = await buildApp({ database, config, logger: false });
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** How a test client authenticates: a session cookie with its CSRF token, or a bearer token. */
export type Auth = { cookie: string; csrf: string } | { bearer: string } | null;

export interface Client {
  auth: Auth;
  request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export function client(app: FastifyInstance, auth: Auth): Client {
  const request: Client['request'] = (method, url, body, extra = {}) => {
    const headers: Record<string, string> = { ...extra };
    if (auth && 'cookie' in auth) {
      headers.cookie = auth.cookie;
      headers['x-csrf-token'] = auth.csrf;
    } else if (auth && 'bearer' in auth) {
      headers.authorization = `Bearer ${auth.bearer}`;
    }
    return app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
  };
  return {
    auth,
    request,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body ?? {}),
    patch: (url, body) => request('PATCH', url, body ?? {}),
    delete: (url) => request('DELETE', url),
  };
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'zizhi_session');
  if (!c) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return `zizhi_session=${c.value}`;
}

export const PASSWORD = 'correct-horse-battery';
let counter = 0;
/** A unique, valid e-mail address for a test user. */
export const email = (who = 'user') => `${who}.${process.pid}.${++counter}@example.cn`;

/** Valid credit codes for tests, computed with the real check character. */
export const CREDIT_CODES = ['91440300708461136T', '91110000802100433B', '91110108MA01C2A34G'];

export async function login(app: FastifyInstance, mail: string, password = PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: mail, password } });
  if (res.statusCode !== 200) throw new Error(`login failed ${res.statusCode}: ${res.body}`);
  return client(app, { cookie: sessionCookie(res), csrf: res.json().csrfToken });
}

export interface Tenant {
  owner: Client;
  ownerId: string;
  workspaceId: string;
}

/** Completes set-up: the first administrator with their workspace. */
export async function setupAdmin(app: FastifyInstance): Promise<Tenant> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/setup',
    payload: { email: email('admin'), name: '系统管理员', password: PASSWORD },
  });
  if (res.statusCode !== 201) throw new Error(`setup failed ${res.statusCode}: ${res.body}`);
  const body = res.json();
  return {
    owner: client(app, { cookie: sessionCookie(res), csrf: body.csrfToken }),
    ownerId: body.user.id,
    workspaceId: body.workspace.id,
  };
}

/** The token of an invitation link (`…/invite#<token>`). */
export const inviteToken = (inviteUrl: string) => inviteUrl.slice(inviteUrl.indexOf('#') + 1);

/** Invites an address into a workspace and returns the link's token. */
export async function invite(
  inviter: Client,
  workspaceId: string,
  body: { email: string; name: string; role: string; orgIds?: string[] | null },
): Promise<string> {
  const res = await inviter.post(`/api/workspaces/${workspaceId}/members`, body);
  if (res.statusCode !== 201) throw new Error(`invite failed ${res.statusCode}: ${res.body}`);
  return inviteToken(res.json().inviteUrl);
}

/** Accepts an invitation as a new person choosing their password; returns their logged-in client. */
export async function acceptInvitation(
  app: FastifyInstance,
  token: string,
  password = PASSWORD,
): Promise<{ client: Client; userId: string }> {
  const res = await app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: { password } });
  if (res.statusCode !== 200) throw new Error(`accept failed ${res.statusCode}: ${res.body}`);
  const body = res.json();
  return { client: client(app, { cookie: sessionCookie(res), csrf: body.csrfToken }), userId: body.user.id };
}

/** A second, separate tenant: a new workspace owned by a new instance administrator's account. */
export async function createTenant(app: FastifyInstance, admin: Client, name = '另一家公司'): Promise<Tenant> {
  const ws = await admin.post('/api/workspaces', { name, kind: 'company' });
  if (ws.statusCode !== 201) throw new Error(`workspace failed: ${ws.body}`);
  const workspaceId = ws.json().id;
  const token = await invite(admin, workspaceId, { email: email('owner'), name: '另一位所有者', role: 'owner' });
  const { client: owner, userId: ownerId } = await acceptInvitation(app, token);
  // The administrator who created it leaves, so the tenants share no member.
  const adminId = (await admin.get('/api/me')).json().user.id;
  const left = await owner.delete(`/api/workspaces/${workspaceId}/members/${adminId}`);
  if (left.statusCode !== 204) throw new Error(`leave failed: ${left.body}`);
  return { owner, ownerId, workspaceId };
}

/** Adds a member with the given role and returns their logged-in client. */
export async function addMember(
  app: FastifyInstance,
  tenant: Tenant,
  role: 'owner' | 'admin' | 'manager' | 'contributor' | 'viewer',
  orgIds?: string[],
): Promise<{ client: Client; userId: string; email: string }> {
  const mail = email(role);
  const token = await invite(tenant.owner, tenant.workspaceId, {
    email: mail,
    name: `${role} 成员`,
    role,
    ...(orgIds ? { orgIds } : {}),
  });
  const { client: member, userId } = await acceptInvitation(app, token);
  return { client: member, userId, email: mail };
}

export async function createOrg(tenant: Tenant, creditCode = CREDIT_CODES[0]!, name = '深圳市示例科技有限公司') {
  const res = await tenant.owner.post('/api/orgs', { workspaceId: tenant.workspaceId, name, creditCode });
  if (res.statusCode !== 201) throw new Error(`org failed: ${res.body}`);
  return res.json<{ id: string; name: string; creditCode: string }>();
}
