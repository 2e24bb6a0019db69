// Test helpers for backups: a rich source installation, empty targets of either kind, and
// archives rewritten the way damage or a newer release would leave them.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { Decrypter, Encrypter } from 'age-encryption';
import pg from 'pg';
import tarStream from 'tar-stream';
import { loadConfig, type Config } from '../config/index.js';
import { buildApp } from '../app.js';
import { openPglite, openPostgres, queryRows, wrapPglite, type Database } from '../db/client.js';
import { tableHashes } from '../modules/backup/restore.js';
import { sql } from 'drizzle-orm';
import { LocalBlobStore } from '../storage/index.js';
import { buildFixture, createSecurityTestApp, startWebhookPeer, type Fixture } from './api-operations.js';
import { createOrg, setupAdmin, type Backend, type TestApp } from './harness.js';
import { pdf, uploadFile } from './multipart.js';
import { migrateDatabase } from '../db/migrate.js';

/** The channel key of the source installation (ZIZHI_SECRET_KEY there). */
export const SOURCE_SECRET_KEY = Buffer.alloc(32, 9).toString('base64');

export interface SourceInstallation {
  app: TestApp & { dir: string };
  fixture: Fixture;
  config: Config;
  blobs: LocalBlobStore;
  /** Bytes of every uploaded file by its id. */
  uploads: Map<string, Buffer>;
  webhook: { url: string; close(): Promise<void> };
  close(): Promise<void>;
}

/**
 * An installation with a bit of everything (the security fixture: two tenants, certificates,
 * events, obligations, evidence with files, members, tokens, audit log, a channel with a sealed
 * secret and its delivery) plus a few more files, one of them of `bigFileBytes`.
 */
export async function createSourceInstallation(
  backend: Backend,
  bigFileBytes = 300 * 1024,
): Promise<SourceInstallation> {
  const app = await createSecurityTestApp(backend);
  const webhook = await startWebhookPeer();
  const fixture = await buildFixture(app, webhook.url);
  const uploads = new Map<string, Buffer>();
  const contents = [pdf('第二份证据'), pdf('第三份证据'), Buffer.concat([pdf('大文件'), randomBytes(bigFileBytes)])];
  for (const [i, content] of contents.entries()) {
    const res = await uploadFile(fixture.a.owner, fixture.ids.orgId, { filename: `证据-${i}.pdf`, content });
    if (res.statusCode !== 201) throw new Error(`upload failed: ${res.body}`);
    uploads.set(res.json().id, content);
  }
  const config = loadConfig(
    { ZIZHI_SECRET_KEY: SOURCE_SECRET_KEY, ZIZHI_CHANNEL_ALLOW_HOSTS: '127.0.0.1' },
    { dataDir: app.dir, logLevel: 'silent' },
  );
  return {
    app,
    fixture,
    config,
    blobs: new LocalBlobStore(config.filesDir),
    uploads,
    webhook,
    close: async () => {
      await app.close();
      await webhook.close();
    },
  };
}

/**
 * An embedded data folder as an installation leaves it (PGlite on disk, files, no server holding
 * it), with one workspace and files of the given sizes. Returns its canonical table hashes.
 */
export async function createDataFolder(
  fileBytes: number[],
): Promise<{ dir: string; hashes: Map<string, { rows: number; sha256: string }>; files: Buffer[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-data-'));
  const config = loadConfig({}, { dataDir: dir, logLevel: 'silent' });
  const database = await openPglite(config.dataDir);
  const files: Buffer[] = [];
  try {
    await migrateDatabase(database);
    const app = await buildApp({ database, config, logger: false });
    try {
      const tenant = await setupAdmin(app);
      const org = await createOrg(tenant);
      for (const [i, size] of fileBytes.entries()) {
        const content = Buffer.concat([pdf(`文件 ${i}`), randomBytes(size)]);
        const res = await uploadFile(tenant.owner, org.id, { filename: `文件-${i}.pdf`, content });
        if (res.statusCode !== 201) throw new Error(`upload failed: ${res.body}`);
        files.push(content);
      }
    } finally {
      await app.close();
    }
    return { dir, hashes: await tableHashes(database), files };
  } finally {
    await database.close();
  }
}

/** An empty target: a database with nothing in it (not even migrations) and an empty data folder. */
export interface EmptyTarget {
  database: Database;
  dir: string;
  blobs: LocalBlobStore;
  /** The target's configuration: its data folder, its database URL on PostgreSQL. */
  config: (env?: Record<string, string>) => Config;
  close(): Promise<void>;
}

export async function createEmptyTarget(backend: Backend, options: { onDisk?: boolean } = {}): Promise<EmptyTarget> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-restore-target-'));
  let database: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (backend === 'pglite') {
    database = options.onDisk ? await openPglite(dir) : wrapPglite(await PGlite.create());
  } else {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `zizhi_restore_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    database = openPostgres(url);
    drop = async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    };
  }
  return {
    database,
    dir,
    blobs: new LocalBlobStore(path.join(dir, 'files')),
    config: (env = {}) =>
      loadConfig(
        { ZIZHI_CHANNEL_ALLOW_HOSTS: '127.0.0.1', ...env },
        { dataDir: dir, databaseUrl: url, logLevel: 'silent' },
      ),
    close: async () => {
      await database.close().catch(() => {});
      await drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Tables of `public` in a database: none in an untouched target. */
export async function publicTableCount(database: Database): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    database.db,
    sql`select count(*)::text as n from pg_tables where schemaname = 'public'`,
  );
  return Number(row!.n);
}

export const openFile = (file: string) => () => createReadStream(file);

// ── Rewriting archives

export interface ArchiveKeys {
  passphrase?: string;
  identity?: string;
  /** Re-encrypt to this recipient (with `identity`), or with `passphrase`. */
  recipient?: string;
}

async function decryptIfNeeded(bytes: Buffer, keys: ArchiveKeys): Promise<Buffer> {
  if (!bytes.subarray(0, 21).equals(Buffer.from('age-encryption.org/v1'))) return bytes;
  const d = new Decrypter();
  if (keys.passphrase) d.addPassphrase(keys.passphrase);
  if (keys.identity) d.addIdentity(keys.identity);
  return Buffer.from(await d.decrypt(bytes));
}

async function encryptLike(original: Buffer, plain: Buffer, keys: ArchiveKeys): Promise<Buffer> {
  if (!original.subarray(0, 21).equals(Buffer.from('age-encryption.org/v1'))) return plain;
  const e = new Encrypter();
  if (keys.recipient) e.addRecipient(keys.recipient);
  else {
    e.setPassphrase(keys.passphrase!);
    e.setScryptWorkFactor(10);
  }
  return Buffer.from(await e.encrypt(plain));
}

/**
 * Rewrites an archive file entry by entry (decrypting and re-encrypting it when it is
 * encrypted): `edit` returns an entry's new content, or undefined to keep it. The result is a
 * well-formed gzip/tar/age file, so only Zizhi's own checks can find what changed.
 */
export async function rewriteArchive(
  file: string,
  out: string,
  edit: (name: string, content: Buffer) => Buffer | undefined,
  keys: ArchiveKeys = {},
): Promise<void> {
  const original = await readFile(file);
  const gz = await decryptIfNeeded(original, keys);
  const extract = tarStream.extract();
  const entries: { name: string; content: Buffer }[] = [];
  const reading = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.push({ name: entry.header.name, content: Buffer.concat(chunks) });
    }
  })();
  await pipeline(Readable.from([gz]), createGunzip(), extract as never);
  await reading;
  const pack = tarStream.pack();
  for (const { name, content } of entries) {
    const next = edit(name, content) ?? content;
    pack.entry({ name, size: next.length }, next);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  const gzip = createGzip();
  const collecting = (async () => {
    for await (const chunk of gzip) chunks.push(chunk as Buffer);
  })();
  for await (const chunk of pack) gzip.write(chunk);
  gzip.end();
  await collecting;
  await writeFile(out, await encryptLike(original, Buffer.concat(chunks), keys));
}

/** A copy of `content` with one bit flipped at `at` (from the end when negative). */
export function flipByte(content: Buffer, at: number): Buffer {
  const copy = Buffer.from(content);
  const i = at < 0 ? copy.length + at : at;
  copy[i] = copy[i]! ^ 0x01;
  return copy;
}
