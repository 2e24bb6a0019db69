import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

/** The role tenant transactions switch to (db/tenancy.ts); row-level security depends on it. */
export const APP_ROLE = 'zizhi_app';

export interface Check {
  ok: boolean;
  /** What is wrong and how to fix it; only on failure. */
  message?: string;
}

export interface HealthReport {
  ok: boolean;
  checks: { database: Check; role: Check; dataDir: Check };
  /** The underlying errors, for the log (never for the response). */
  errors: unknown[];
}

export interface HealthOptions {
  database: Database;
  dataDir: string;
  /** Tests pass a role that does not exist; a missing role is cluster-wide and shared. */
  role?: string;
  timeoutMs?: number;
}

const pass: Check = { ok: true };
const fail = (message: string): Check => ({ ok: false, message });

class Timeout extends Error {}

/** The SQLSTATE behind a failed statement (Drizzle wraps the driver's error). */
function sqlState(err: unknown): string | undefined {
  const cause = (err as { cause?: unknown }).cause;
  const code = ((cause instanceof Error ? cause : err) as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A name as SQL needs it written: bare when it can be, else double-quoted. */
const ident = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

const grantAdvice = (role: string, user: string) => `请以有授权权限的用户执行 GRANT ${ident(role)} TO ${ident(user)};`;

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answers, has the app role, and can switch to it: what every tenant request does first
 * (a dump restored onto a new server lacks the role, so the database answers yet every tenant
 * request fails). The switch is made for real, in a transaction that changes nothing.
 */
async function checkDatabase(
  { db }: Database,
  role: string,
  timeoutMs: number,
  errors: unknown[],
): Promise<Pick<HealthReport['checks'], 'database' | 'role'>> {
  let user = '';
  let roleExists = false;
  let switching = false;
  try {
    await within(
      timeoutMs,
      db.transaction(async (tx) => {
        const result: unknown = await tx.execute(
          sql`select current_user as "user", exists(select 1 from pg_roles where rolname = ${role}) as "roleExists"`,
        );
        const row = (result as { rows: { user: string; roleExists: boolean }[] }).rows[0];
        user = row?.user ?? '';
        roleExists = row?.roleExists === true;
        if (!roleExists) return;
        switching = true;
        await tx.execute(sql`select set_config('role', ${role}, true)`);
      }),
    );
  } catch (err) {
    errors.push(err);
    const state = sqlState(err);
    if (switching && state === '42501') {
      return { database: pass, role: fail(`数据库用户 ${user} 不能切换到角色 ${role}：${grantAdvice(role, user)}`) };
    }
    if (!(switching && state === '22023')) {
      const database = fail(
        err instanceof Timeout
          ? `数据库无响应（超过 ${timeoutMs / 1000} 秒）`
          : '数据库无法连接，请检查数据库服务和连接设置',
      );
      return { database, role: fail(`数据库无法连接，未能检查角色 ${role}`) };
    }
    roleExists = false;
  }
  if (!roleExists) {
    return {
      database: pass,
      role: fail(
        `缺少数据库角色 ${role}：请以有建角色权限的用户执行 CREATE ROLE ${ident(role)} NOLOGIN; ` +
          `GRANT ${ident(role)} TO ${ident(user)};` +
          `（从备份恢复的数据库须先建角色再恢复，表权限和行级安全策略才会一并恢复）`,
      ),
    };
  }
  return { database: pass, role: pass };
}

/** Where the embedded database and local files live must take a new file. */
export async function checkDataDir(dataDir: string, errors: unknown[]): Promise<Check> {
  const probe = path.join(dataDir, `.health-${randomUUID()}.tmp`);
  try {
    await mkdir(dataDir, { recursive: true });
    // A byte of content, not just an entry: a full disk often still has free inodes.
    await writeFile(probe, 'ok', { flag: 'wx' });
    await rm(probe);
    return pass;
  } catch (err) {
    errors.push(err);
    await rm(probe, { force: true }).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return fail(`数据目录所在磁盘已满：${dataDir}`);
    return fail(`数据目录不可写：${dataDir}`);
  }
}

/** How long a passed data-folder probe stands in for one still running. */
const PROBE_FRESH_MS = 10_000;
/** How long a request waits for a running probe before it takes the last one's result. */
const PROBE_WAIT_MS = 25;

/** Per data folder: the last probe's result and when it ended, and the probe running now. */
const probes = new Map<string, { last?: { check: Check; at: number }; running?: Promise<Check> }>();

/**
 * The data folder's check, one probe at a time per folder. Creating a file waits for the file
 * system's journal, which waits behind the embedded database's fsync at each commit: during a
 * long save in parts a probe took up to a second. A request waits for the running probe up to
 * PROBE_WAIT_MS, then answers with the last result if that passed less than PROBE_FRESH_MS ago;
 * a failure is never taken over, and without a recent result the request waits for its own.
 */
export function probeDataDir(
  dataDir: string,
  errors: unknown[],
  /** The probe itself; tests give a slow one. */
  check: typeof checkDataDir = checkDataDir,
): Promise<Check> {
  const state = probes.get(dataDir) ?? {};
  probes.set(dataDir, state);
  const running = (state.running ??= check(dataDir, errors).then((check) => {
    state.last = { check, at: Date.now() };
    state.running = undefined;
    return check;
  }));
  const last = state.last;
  if (!last?.check.ok || Date.now() - last.at > PROBE_FRESH_MS) return running;
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<Check>((resolve) => (timer = setTimeout(() => resolve(last.check), PROBE_WAIT_MS)));
  return Promise.race([running, waited]).finally(() => clearTimeout(timer));
}

/** Everything a request needs besides its own data; `ok` only when all of it works. */
export async function checkHealth({
  database,
  dataDir,
  role = APP_ROLE,
  timeoutMs = 5_000,
}: HealthOptions): Promise<HealthReport> {
  const errors: unknown[] = [];
  const [db, dir] = await Promise.all([
    checkDatabase(database, role, timeoutMs, errors),
    probeDataDir(dataDir, errors),
  ]);
  const checks = { ...db, dataDir: dir };
  return { ok: Object.values(checks).every((c) => c.ok), checks, errors };
}
