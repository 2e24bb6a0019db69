import { createInterface } from 'node:readline/promises';
import type { CalendarYearFile } from '@zizhi/core';
import type { Command } from 'commander';
import type { Config } from '../config/index.js';
import { openDatabase, type Database } from '../db/client.js';
import { withSystem } from '../db/tenancy.js';
import { AppError } from '../errors.js';
import { EmailSchema, NameSchema, PasswordSchema } from '../http/schemas.js';
import {
  completeSetup,
  createUser,
  isSetupNeeded,
  PASSWORD_RESET,
  requestPasswordReset,
} from '../modules/auth/service.js';
import { recordAudit } from '../access/audit.js';
import { importCalendarYear } from '../modules/calendar/service.js';
import { mirrorImportedYears } from '../db/calendar.js';
import { startServer } from './serve.js';
import { migrateDatabase } from '../db/migrate.js';

async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    await migrateDatabase(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

function parseOr(
  schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { message: string }[] } } },
  value: unknown,
  what: string,
): string {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('INVALID_INPUT', `${what}: ${r.error!.issues.map((i) => i.message).join('; ')}`);
  return r.data as string;
}

async function readPassword(): Promise<string> {
  if (process.env.ZIZHI_ADMIN_PASSWORD) return process.env.ZIZHI_ADMIN_PASSWORD;
  if (!process.stdin.isTTY) {
    throw new AppError(
      'INVALID_INPUT',
      'Give the password with --password or ZIZHI_ADMIN_PASSWORD (no terminal to ask on).',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question('Password (at least 10 characters): ');
  } finally {
    rl.close();
  }
}

/** Stores an imported calendar year and recomputes; running servers use it from their next request. */
export async function storeYearFromCli(config: Config, file: CalendarYearFile, replace: boolean) {
  return withDatabase(config, async (database) => {
    const stored = await importCalendarYear({ db: database.db, file, actorId: null, ip: 'cli', replace });
    await mirrorImportedYears(database, config.dataDir);
    return stored;
  });
}

/** serve, migrate and create-admin. */
export function registerServerCommands(program: Command, config: () => Config): void {
  program
    .command('serve')
    .description('start the web app and API (embedded database unless DATABASE_URL is set)')
    .option('-p, --port <port>', 'HTTP port (env PORT, default 8080)')
    .option('--host <host>', 'address to listen on (env HOST, default 0.0.0.0)')
    .action(async (opts: { port?: string; host?: string }) => {
      const base = config();
      await startServer({
        ...base,
        port: opts.port ? Number(opts.port) : base.port,
        host: opts.host ?? base.host,
      });
    });

  program
    .command('migrate')
    .description('apply pending database migrations and exit (the server also does this at start)')
    .action(async () => {
      const c = config();
      const kind = await withDatabase(c, (db) => Promise.resolve(db.kind));
      console.log(`Database is up to date (${kind === 'postgres' ? 'PostgreSQL server' : c.pgliteDir}).`);
    });

  program
    .command('create-admin')
    .description('create an administrator account without a browser; the first one also gets a workspace')
    .requiredOption('--email <email>', 'log-in e-mail')
    .requiredOption('--name <name>', 'display name')
    .option('--password <password>', 'at least 10 characters (or env ZIZHI_ADMIN_PASSWORD, or asked)')
    .option('--workspace <name>', 'name of the first workspace', '我的工作空间')
    .action(async (opts: { email: string; name: string; password?: string; workspace: string }) => {
      const email = parseOr(EmailSchema, opts.email, '--email');
      const name = parseOr(NameSchema, opts.name, '--name');
      const password = parseOr(PasswordSchema, opts.password ?? (await readPassword()), 'password');
      await withDatabase(config(), async ({ db }) => {
        if (await isSetupNeeded(db)) {
          const r = await completeSetup({
            db,
            input: { email, name, password, workspaceName: opts.workspace },
            ip: 'cli',
          });
          console.log(`Created administrator ${r.user.email}, owner of workspace "${r.workspace.name}".`);
          return;
        }
        const user = await withSystem(db, async (tx) => {
          const u = await createUser(tx, { email, name, password, isAdmin: true });
          await recordAudit(tx, {
            action: 'user.created',
            actorId: null,
            targetType: 'user',
            targetId: u.id,
            summary: { email: u.email, isAdmin: true, via: 'cli' },
            ip: 'cli',
          });
          return u;
        });
        console.log(`Created administrator ${user.email}. Add them to workspaces from the Members page.`);
      });
    });

  program
    .command('reset-link')
    .description(
      'print a password-reset link for an account (30 minutes, single use), for installations without e-mail',
    )
    .requiredOption('--email <email>', 'log-in e-mail of the account')
    .action(async (opts: { email: string }) => {
      const email = parseOr(EmailSchema, opts.email, '--email');
      const c = config();
      await withDatabase(c, async ({ db }) => {
        const started = await requestPasswordReset({ db, email, ip: 'cli' });
        if (!started) {
          console.error(`No account with the e-mail ${email}, or too many reset links asked for it in the last hour.`);
          process.exitCode = 2;
          return;
        }
        const base = (c.publicUrl ?? `http://localhost:${c.port}`).replace(/\/+$/, '');
        console.log(`${base}/reset-password#${started.token}`);
        console.error(`Valid for ${PASSWORD_RESET.minutes} minutes, once. Give it to ${started.name} in person.`);
      });
    });
}
