// `zizhi demo --owner EMAIL`: the demo workspace the web app makes in one click, from the command
// line. It goes through the same route, in-process, as the owner (an instance administrator).
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config/index.js';
import { queryRows, type Database } from '../db/client.js';
import { sessions } from '../db/schema.js';
import { withSystem } from '../db/tenancy.js';
import { AppError } from '../errors.js';
import { SESSION_COOKIE } from '../http/auth.js';
import { createSession } from '../modules/auth/api.js';

export interface DemoMade {
  workspace: { id: string; name: string };
  orgs: number;
}

export async function makeDemoFromCli(database: Database, config: Config, ownerEmail: string): Promise<DemoMade> {
  const [owner] = await queryRows<{ id: string }>(
    database.db,
    sql`select id from users where lower(email) = ${ownerEmail.trim().toLowerCase()}`,
  );
  if (!owner) {
    throw new AppError('NOT_FOUND', {
      zh: `本系统没有邮箱为 ${ownerEmail} 的账户：请用系统管理员的账户（例如 zizhi create-admin 创建的）作为 --owner。`,
      en: `No account of this instance has the address ${ownerEmail}: give an administrator's account (such as one made with zizhi create-admin) as --owner.`,
    });
  }
  // Loaded here: the web server is heavy, and the other commands of this file never need it.
  const { buildApp } = await import('../app.js');
  const app = await buildApp({ database, config, logger: false });
  // A session of a few minutes for the one request, removed again whatever happens.
  const session = await withSystem(database.db, (tx) =>
    createSession(tx, { userId: owner.id, ip: '127.0.0.1', userAgent: 'zizhi demo', days: 1 }),
  );
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/api/workspaces/demo',
      headers: { cookie: `${SESSION_COOKIE}=${session.token}`, 'x-csrf-token': session.csrfToken },
      payload: {},
    });
    const body = res.json<DemoMade & { error?: { code: string; message: string; en?: string } }>();
    if (res.statusCode !== 201) {
      const error = body.error;
      throw new AppError(res.statusCode === 403 ? 'FORBIDDEN' : res.statusCode === 409 ? 'CONFLICT' : 'INTERNAL', {
        zh: error?.message ?? `演示工作区创建失败（${res.statusCode}）`,
        en: error?.en ?? error?.message ?? `The demo workspace could not be made (${res.statusCode})`,
      });
    }
    return body;
  } finally {
    await withSystem(database.db, (tx) => tx.delete(sessions).where(eq(sessions.csrfToken, session.csrfToken)));
    await app.close();
  }
}
