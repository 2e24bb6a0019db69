import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgres, queryRows, wrapPglite } from './client.js';
import { isRecordedAs, MIGRATIONS_DIR, migrateDatabase, readMigrations, schemaVersion } from './migrate.js';
import { RowSecurityMissingError, UnknownSchemaError } from './errors.js';

const released = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'released.json'), 'utf8')) as Record<
  string,
  string[]
>;

describe('released migrations', () => {
  it('are never edited: each file still hashes to what was recorded when it was released', () => {
    const migrations = readMigrations();
    const edited = migrations.filter((m) => released[m.tag] && released[m.tag]![0] !== m.hash).map((m) => m.tag);
    // A changed migration never runs again on an installation that already applied it, so its
    // installations and new ones would silently differ. Add a new migration instead.
    expect(edited, 'released migrations were edited; revert them and add a new migration').toEqual([]);
    const unrecorded = migrations.filter((m) => !released[m.tag]).map((m) => m.tag);
    expect(unrecorded, 'new migrations: record them with `node scripts/lock-migrations.mjs`').toEqual([]);
    expect(Object.keys(released).filter((tag) => !migrations.some((m) => m.tag === tag))).toEqual([]);
  });

  it('know each text a release shipped under one name, and no other', () => {
    const m = readMigrations().find((x) => x.tag === '0009_security_rls')!;
    // 0009 shipped with two texts (the later one's change is repeated, idempotently, by 0013).
    expect(isRecordedAs(m, m.hash)).toBe(true);
    expect(isRecordedAs(m, '0225048ed4edbba24df63c411a94f03a840c99eaee4f39e07774f51d5bf99950')).toBe(true);
    expect(isRecordedAs(m, readMigrations()[0]!.hash)).toBe(false);
    expect(isRecordedAs(m, undefined)).toBe(false);
  });

  it('hash the file text as the migrations table records it', () => {
    const first = readMigrations()[0]!;
    const text = readFileSync(path.join(MIGRATIONS_DIR, `${first.tag}.sql`));
    expect(first.hash).toBe(createHash('sha256').update(text).digest('hex'));
  });
});

describe('migrating', () => {
  it('applies up to a migration, then the rest, and refuses a database a newer release migrated', async () => {
    const database = wrapPglite(await PGlite.create());
    try {
      const all = readMigrations();
      const middle = all[5]!.tag;
      expect(await schemaVersion(database.db)).toEqual({ applied: 0, lastTag: null });
      expect(await migrateDatabase(database, { upTo: middle })).toEqual(all.slice(0, 6).map((m) => m.tag));
      expect(await schemaVersion(database.db)).toEqual({ applied: 6, lastTag: middle });
      expect(await migrateDatabase(database)).toEqual(all.slice(6).map((m) => m.tag));
      expect(await migrateDatabase(database)).toEqual([]);
      expect(await schemaVersion(database.db)).toEqual({ applied: all.length, lastTag: all.at(-1)!.tag });

      await database.db.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('future', ${all.at(-1)!.when + 1})`,
      );
      await expect(migrateDatabase(database)).rejects.toThrow(UnknownSchemaError);
      await expect(migrateDatabase(database)).rejects.toThrow(/比当前版本新.*升级 Zizhi/s);
    } finally {
      await database.close();
    }
  });

  it('gives back the app role’s table rights when they are gone', async () => {
    const database = wrapPglite(await PGlite.create());
    try {
      await migrateDatabase(database);
      const rights = () =>
        queryRows<Record<string, boolean>>(
          database.db,
          sql`select has_table_privilege('zizhi_app', 'public.obligations', 'SELECT,INSERT,UPDATE,DELETE') as obligations,
            has_table_privilege('zizhi_app', 'public.login_failures', 'SELECT') as login_failures,
            has_column_privilege('zizhi_app', 'public.users', 'email', 'SELECT') as user_email,
            has_column_privilege('zizhi_app', 'public.users', 'password_hash', 'SELECT') as user_password`,
        );
      const before = await rights();
      expect(before[0]).toEqual({ obligations: true, login_failures: false, user_email: true, user_password: false });
      await database.db.execute(sql`revoke all on all tables in schema public from zizhi_app`);
      await database.db.execute(sql`revoke all on users from zizhi_app`);
      expect((await rights())[0]!.obligations).toBe(false);
      await migrateDatabase(database);
      // The same rights as the migrations gave, tables kept from tenant code included.
      expect(await rights()).toEqual(before);
    } finally {
      await database.close();
    }
  });

  it('refuses to start on a copy that lost the app role and its policies, saying how to restore it', async () => {
    // What pg_restore onto a server without the role leaves behind: no role, no grants, and
    // no policies naming it (this PGlite instance is private to the test; a server's roles are shared).
    const database = wrapPglite(await PGlite.create());
    try {
      await migrateDatabase(database);
      await database.db.execute(sql`drop owned by zizhi_app`);
      await database.db.execute(sql`drop role zizhi_app`);
      const started = migrateDatabase(database);
      await expect(started).rejects.toThrow(RowSecurityMissingError);
      await expect(migrateDatabase(database)).rejects.toThrow(/缺少行级安全策略（.*organisations.*zizhi restore/s);
    } finally {
      await database.close();
    }
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('instances starting together on an empty PostgreSQL database', () => {
  it('migrate once: the others wait for the lock and find nothing left to do', async () => {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `zizhi_race_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const instances = [0, 1, 2].map(() => openPostgres(url.toString()));
    try {
      const results = await Promise.all(instances.map((d) => migrateDatabase(d)));
      const all = readMigrations().map((m) => m.tag);
      expect(results.map((r) => r.length).sort((x, y) => x - y)).toEqual([0, 0, all.length]);
      const rows = await queryRows<{ n: string }>(
        instances[0]!.db,
        sql`select count(*) as n from drizzle.__drizzle_migrations`,
      );
      expect(Number(rows[0]!.n)).toBe(all.length);
    } finally {
      await Promise.all(instances.map((d) => d.close()));
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
