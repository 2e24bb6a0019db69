import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidDateError, CalendarUnknownYearError } from '@zizhi/core';
import { openPostgres, type Database } from './db/client.js';
import { users } from './db/schema.js';
import { AppError, describeStartupError, loggableError, toAppError } from './errors.js';
import { mountTinyDisk } from './test/full-disk.js';
import { createTestDatabase } from './test/harness.js';
import { migrateDatabase } from './db/migrate.js';

describe('error mapping', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(() => database.close());

  async function failingInsert(): Promise<unknown> {
    const row = { email: 'dup@example.cn', name: 'D', passwordHash: 'SECRET-HASH-VALUE' };
    await database.db.insert(users).values(row).onConflictDoNothing();
    try {
      await database.db.insert(users).values(row);
    } catch (err) {
      return err;
    }
    expect.unreachable('the duplicate insert should fail');
  }

  it('logs a failed query without its parameters', async () => {
    const err = await failingInsert();
    expect(String((err as Error).message)).toContain('SECRET-HASH-VALUE');
    const logged = JSON.stringify(loggableError(err));
    expect(logged).not.toContain('SECRET-HASH-VALUE');
    expect(logged).toContain('23505');
  });

  it('turns a unique violation into a 409 conflict', async () => {
    const mapped = toAppError(await failingInsert());
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped!.status).toBe(409);
  });

  it("maps core's errors by their code", () => {
    expect(toAppError(new InvalidDateError('2026-02-30 does not exist'))!.status).toBe(400);
    expect(toAppError(new CalendarUnknownYearError(2027))!.code).toBe('CALENDAR_UNKNOWN_YEAR');
    expect(toAppError(new Error('boom'))).toBeNull();
  });

  it('turns text the database cannot store into a 400, not a 500', async () => {
    for (const query of [
      sql`select ${'a\u0000b'}::text`,
      sql`select ${'{"a":"\\u0000"}'}::jsonb`,
      sql`select ${JSON.stringify({ note: '\ud800' })}::jsonb`,
    ]) {
      const mapped = toAppError(await thrown(() => database.db.execute(query)));
      expect(mapped).toMatchObject({ code: 'INVALID_INPUT', status: 400 });
      expect(mapped!.message).toContain('不成对的代理项');
    }
  });

  it('leaves an invalid value for the database alone: not an outage', async () => {
    const err = await thrown(() => database.db.execute(sql`select 'x'::uuid`));
    expect(toAppError(err)).toBeNull();
  });
});

/** The error a real failing operation throws (these tests need real errors, not look-alikes). */
async function thrown(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  return expect.unreachable('the operation should fail');
}

const DOWN = {
  code: 'DATABASE_UNAVAILABLE',
  status: 503,
  message: '数据库暂不可用，请稍后重试；如持续出现请联系管理员',
};
const FULL = { code: 'INSUFFICIENT_STORAGE', status: 507, message: '服务器磁盘空间不足，请联系管理员清理空间' };

describe('a database that is down or a disk that is full', () => {
  it('maps a refused connection to 503, for a query and for a transaction', async () => {
    const database = openPostgres('postgres://postgres@127.0.0.1:1/zizhi');
    try {
      const query = await thrown(() => database.db.execute(sql`select ${'SECRET-PARAMETER'}`));
      expect(toAppError(query)).toMatchObject(DOWN);
      // The transaction's pool.connect() error is bare: the client marks it as the database's.
      const tx = await thrown(() => database.db.transaction((t) => t.execute(sql`select 1`)));
      expect((tx as Error).message).toContain('ECONNREFUSED');
      expect(toAppError(tx)).toMatchObject(DOWN);
      // Drizzle's message lists the parameters: the log gets the cause instead.
      expect(String((query as Error).message)).toContain('SECRET-PARAMETER');
      const logged = JSON.stringify(loggableError(query));
      expect(logged).not.toContain('SECRET-PARAMETER');
      expect(logged).toContain('ECONNREFUSED');
    } finally {
      await database.close();
    }
  });

  it('does not blame the database for another service that refuses connections', async () => {
    // An S3 endpoint that is down fails with the same bare socket error as the pool's connect().
    const err = await thrown(() => new Promise((_, reject) => net.connect(1, '127.0.0.1').once('error', reject)));
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(toAppError(err)).toBeNull();
  });

  it('maps a connection the server drops at once to 503', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const database = openPostgres(`postgres://postgres@127.0.0.1:${port}/zizhi`);
    try {
      const err = await thrown(() => database.db.transaction((t) => t.execute(sql`select 1`)));
      expect((err as Error).message).toMatch(/^Connection terminated/);
      expect(toAppError(err)).toMatchObject(DOWN);
    } finally {
      await database.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('maps a closed embedded database to 503', async () => {
    const closed = await createTestDatabase('pglite');
    await closed.close();
    expect(toAppError(await thrown(() => closed.db.execute(sql`select 1`)))).toMatchObject(DOWN);
    expect(toAppError(await thrown(() => closed.db.transaction((t) => t.execute(sql`select 1`))))).toMatchObject(DOWN);
  });

  it.runIf(existsSync('/dev/full'))('maps ENOSPC from the file system to 507', async () => {
    // /dev/full refuses every write with ENOSPC, like a full disk.
    const err = await thrown(() => writeFile('/dev/full', 'x'));
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(toAppError(err)).toMatchObject(FULL);
  });

  it.each([
    // States a test cannot bring about on demand (a server starting up, a broken protocol):
    // errors shaped as node-postgres reports them.
    ['08006', 'connection_failure', DOWN],
    ['08P01', 'protocol_violation', DOWN],
    ['57P01', 'admin_shutdown', DOWN],
    ['57P03', 'cannot_connect_now', DOWN],
    ['53000', 'insufficient_resources', DOWN],
    ['53200', 'out_of_memory', DOWN],
    ['53300', 'too_many_connections', DOWN],
    ['53100', 'disk_full', FULL],
  ])('maps SQLSTATE %s (%s)', (code, name, expected) => {
    const driverError = Object.assign(new Error(name), { code, severity: 'FATAL' });
    const wrapped = new DrizzleQueryError('select 1', [], driverError);
    expect(toAppError(wrapped)).toMatchObject(expected);
    expect(toAppError(driverError)).toMatchObject(expected);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('a PostgreSQL server refusing service', () => {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  let server: Database;
  beforeAll(async () => {
    server = await createTestDatabase('postgres');
  });
  afterAll(() => server.close());

  async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.end();
    }
  }

  it('maps an administrator terminating the connection (57P01) to 503', async () => {
    const marker = `zizhi_terminate_${randomBytes(4).toString('hex')}`;
    const running = thrown(() => server.db.execute(sql.raw(`select pg_sleep(30) /* ${marker} */`)));
    await expect
      .poll(() =>
        asAdmin(async (admin) => {
          const r = await admin.query(
            `select pg_terminate_backend(pid) from pg_stat_activity where query like $1 and pid <> pg_backend_pid()`,
            [`%${marker} */`],
          );
          return r.rowCount;
        }),
      )
      .toBeGreaterThan(0);
    const err = await running;
    expect(((err as Error).cause as { code?: string }).code).toBe('57P01');
    expect(toAppError(err)).toMatchObject(DOWN);
  });

  it('maps too many connections (53300) and a missing database (3D000) to 503', async () => {
    const role = `zizhi_limited_${randomBytes(4).toString('hex')}`;
    await asAdmin((admin) => admin.query(`create role ${role} login connection limit 0`));
    try {
      const url = new URL(adminUrl);
      url.username = role;
      const limited = openPostgres(url.toString());
      const err = await thrown(() => limited.db.transaction((t) => t.execute(sql`select 1`)));
      await limited.close();
      expect((err as { code?: string }).code).toBe('53300');
      expect(toAppError(err)).toMatchObject(DOWN);
    } finally {
      await asAdmin((admin) => admin.query(`drop role ${role}`));
    }
    const url = new URL(adminUrl);
    url.pathname = `/zizhi_missing_${randomBytes(4).toString('hex')}`;
    const missing = openPostgres(url.toString());
    const err = await thrown(() => missing.db.execute(sql`select 1`));
    await missing.close();
    expect(toAppError(err)).toMatchObject(DOWN);
  });

  it('maps a tablespace on a full disk (53100) to 507', async (ctx) => {
    // A real full disk for the server: a tablespace on a 256 KB file system it owns.
    const disk = await mountTinyDisk(256, 'postgres');
    if (!disk) return ctx.skip();
    const space = `zizhi_full_${randomBytes(4).toString('hex')}`;
    try {
      await server.db.execute(sql.raw(`create tablespace ${space} location '${disk.dir}'`));
      await server.db.execute(sql.raw(`create table disk_filler (x text) tablespace ${space}`));
      const err = await thrown(() =>
        server.db.execute(sql`insert into disk_filler select repeat('x', 1000) from generate_series(1, 2000)`),
      );
      expect(((err as Error).cause as { code?: string }).code).toBe('53100');
      expect(toAppError(err)).toMatchObject(FULL);
    } finally {
      await server.db.execute(sql`drop table if exists disk_filler`);
      await server.db.execute(sql.raw(`drop tablespace if exists ${space}`));
      await disk.unmount();
    }
  });
});

describe('start-up errors', () => {
  const failure = async (url: string) => {
    const database = openPostgres(url);
    try {
      await migrateDatabase(database);
    } catch (err) {
      return err;
    } finally {
      await database.close();
    }
    throw new Error('migrating should have failed');
  };

  it('show the database’s own message and what to do, not only the failed query', async () => {
    const text = describeStartupError(await failure('postgres://postgres@127.0.0.1:1/zizhi'));
    expect(text).toMatch(/^数据库出错：.*ECONNREFUSED/);
    expect(text).toContain('无法连接数据库：请确认 PostgreSQL 正在运行');
    expect(text).toContain('Cannot reach the database');
    expect(text).not.toContain('Failed query');
  });

  it.runIf(process.env.TEST_DATABASE_URL)('name a database that does not exist', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/zizhi_missing_${randomBytes(4).toString('hex')}`;
    const text = describeStartupError(await failure(url.toString()));
    expect(text).toMatch(/数据库出错：database "zizhi_missing_\w+" does not exist \[3D000\]/);
    expect(text).toContain('数据库不存在：请先创建');
  });

  it('leave other errors to the caller', () => {
    expect(describeStartupError(new Error('plain'))).toBeNull();
    expect(describeStartupError('text')).toBeNull();
  });
});
