import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { queryRows, type Database, type Queryable } from './client.js';
import { RowSecurityMissingError, UnknownSchemaError } from './errors.js';

// Same relative path from src/db (tests, tsx) and dist/db (the built server).
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/db/migrations');

/** One migration file as the journal lists it. */
export interface Migration {
  tag: string;
  /** SHA-256 of the file's text: what the migrations table records, and what a release freezes. */
  hash: string;
  /**
   * Every hash an installation may have recorded for it: the file's, and the text an earlier
   * release shipped under the same name where one differed (released.json).
   */
  releasedHashes: string[];
  /** The journal's timestamp, the migrations table's `created_at`: the order in which they apply. */
  when: number;
  statements: string[];
}

/** Every migration of this release, in order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const journal = JSON.parse(readFileSync(path.join(dir, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  const files = readMigrationFiles({ migrationsFolder: dir });
  const released = JSON.parse(readFileSync(path.join(dir, 'released.json'), 'utf8')) as Record<string, string[]>;
  return journal.entries.map((entry, i) => ({
    tag: entry.tag,
    hash: files[i]!.hash,
    releasedHashes: released[entry.tag] ?? [files[i]!.hash],
    when: files[i]!.folderMillis,
    statements: files[i]!.sql,
  }));
}

/**
 * Any constant works as long as every Zizhi process uses the same one: the key is per database,
 * so instances on different databases never wait for each other.
 */
const MIGRATION_LOCK_KEY = 0x7a697a68; // "zizh"

/** What a database holds of the migrations: how many applied, and the last one's tag (null when none). */
export interface SchemaVersion {
  applied: number;
  lastTag: string | null;
}

/**
 * The migrations already applied to `db`. The table is drizzle's (an installation migrated by an
 * earlier release keeps working); rows are matched to files by their journal timestamp.
 */
export async function schemaVersion(db: Queryable, migrations = readMigrations()): Promise<SchemaVersion> {
  const exists = await queryRows<{ t: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') as t`,
  );
  if (!exists[0]?.t) return { applied: 0, lastTag: null };
  const last = await queryRows<{ created_at: string }>(
    db,
    sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
  );
  const lastWhen = last[0] ? Number(last[0].created_at) : null;
  if (lastWhen === null) return { applied: 0, lastTag: null };
  const applied = migrations.filter((m) => m.when <= lastWhen);
  return { applied: applied.length, lastTag: applied.at(-1)?.tag ?? null };
}

/** The GRANT, REVOKE and default-privilege statements of `migrations` that concern the app role. */
export function privilegeStatements(migrations: Migration[]): string[] {
  return migrations.flatMap((m) =>
    m.statements.flatMap((chunk) =>
      chunk
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .split(/;\s*$/m)
        .map((statement) => statement.trim())
        .filter(
          (statement) =>
            /^(GRANT|REVOKE|ALTER DEFAULT PRIVILEGES)\b/i.test(statement) &&
            /\bzizhi_app\b/.test(statement) &&
            !/^GRANT zizhi_app TO/i.test(statement),
        ),
    ),
  );
}

/** The migration that introduced the restricted role and the row-level security policies. */
const ROW_SECURITY_SINCE = readMigrations().find((m) => m.tag === '0001_rls')!.when;

/**
 * The role tenant queries run as is a cluster object: a database copied to another server
 * (pg_dump and pg_restore) arrives without it, its grants and the policies naming it, and every
 * workspace request would fail while the rest looks fine. Recreate what can be recreated; refuse
 * to start when policies are gone, because running without them would drop a layer of tenancy.
 */
async function ensureAppRole(tx: Queryable, applied: Migration[]): Promise<void> {
  const state = await queryRows<{ role: boolean; member: boolean; granted: boolean }>(
    tx,
    sql`
    select exists (select 1 from pg_roles where rolname = 'zizhi_app') as role,
      coalesce((select pg_has_role(current_user, 'zizhi_app', 'MEMBER') where exists (select 1 from pg_roles where rolname = 'zizhi_app')), false) as member,
      coalesce((select has_table_privilege('zizhi_app', 'public.organisations', 'SELECT,INSERT,UPDATE,DELETE') where exists (select 1 from pg_roles where rolname = 'zizhi_app')), false) as granted`,
  );
  const { role, member, granted } = state[0]!;
  if (!role) await tx.execute(sql`create role zizhi_app nologin`);
  if (!member) await tx.execute(sql`grant zizhi_app to current_user`);
  // The role's rights are what the migrations granted and revoked, in their order (a blanket
  // grant, then tables kept from tenant code): replay exactly those.
  if (!granted) for (const statement of privilegeStatements(applied)) await tx.execute(sql.raw(statement));
  const unprotected = await queryRows<{ name: string }>(
    tx,
    sql`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity
      and not exists (select 1 from pg_policy p where p.polrelid = c.oid)
    order by 1`,
  );
  if (unprotected.length > 0) {
    throw new RowSecurityMissingError(
      `数据库缺少行级安全策略（${unprotected.map((r) => r.name).join('、')}），可能是用 pg_dump/pg_restore 复制到了没有 zizhi_app 角色的服务器。` +
        '请用 “zizhi restore 备份文件” 恢复到空数据库，或先在新服务器上创建角色（CREATE ROLE zizhi_app NOLOGIN）再重新执行 pg_restore。\n' +
        `Row-level security policies are missing on ${unprotected.map((r) => r.name).join(', ')}: the database was probably copied with pg_dump to a server without the zizhi_app role. ` +
        'Restore a Zizhi backup with "zizhi restore ARCHIVE" into an empty database, or create the role (CREATE ROLE zizhi_app NOLOGIN) on the new server and run pg_restore again.',
    );
  }
}

/** True when `hash`, as an installation or an archive recorded it, is this migration (any released text of it). */
export function isRecordedAs(migration: Migration, hash: string | undefined): boolean {
  return hash !== undefined && migration.releasedHashes.includes(hash);
}

/**
 * Applies the pending migrations (all of them, or those up to and including `upTo`), in one
 * transaction under an advisory lock: instances starting together on one database wait for each
 * other instead of racing to create the same objects, and the second finds nothing left to do.
 * Returns the tags it applied. Safe to call on every start.
 */
export async function migrateDatabase(database: Database, options: { upTo?: string } = {}): Promise<string[]> {
  const all = readMigrations();
  let wanted = all;
  if (options.upTo !== undefined) {
    const end = all.findIndex((m) => m.tag === options.upTo);
    if (end === -1) throw new UnknownSchemaError(`unknown migration ${options.upTo}`);
    wanted = all.slice(0, end + 1);
  }
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const last = await queryRows<{ created_at: string }>(
      tx,
      sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    const lastWhen = last[0] ? Number(last[0].created_at) : -Infinity;
    if (lastWhen > all.at(-1)!.when) {
      throw new UnknownSchemaError(
        '数据库的结构比当前版本新（由更新的 Zizhi 版本创建），为免损坏数据已停止。请升级 Zizhi 后再启动。\n' +
          'The database was migrated by a newer Zizhi release; upgrade Zizhi before starting it on this database.',
      );
    }
    const applied: string[] = [];
    for (const migration of wanted) {
      if (migration.when <= lastWhen) continue;
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.when})`,
      );
      applied.push(migration.tag);
    }
    const present = all.filter((m) => m.when <= lastWhen || applied.includes(m.tag));
    if (present.some((m) => m.when >= ROW_SECURITY_SINCE)) await ensureAppRole(tx, present);
    return applied;
  });
}
