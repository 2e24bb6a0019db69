import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config/index.js';
import { queryRows, wrapPglite, type Database } from '../../db/client.js';
import { readMigrations, schemaVersion, migrateDatabase } from '../../db/migrate.js';
import { LocalBlobStore } from '../../storage/index.js';
import {
  createEmptyTarget,
  createSourceInstallation,
  flipByte,
  openFile,
  publicTableCount,
  rewriteArchive,
  SOURCE_SECRET_KEY,
  type ArchiveKeys,
  type EmptyTarget,
  type SourceInstallation,
} from '../../test/backup-archives.js';
import { BACKENDS, login, setupAdmin, type Backend } from '../../test/harness.js';
import {
  BackupError,
  MANIFEST_ENTRY,
  parseManifest,
  serializeManifest,
  type Decryption,
  type Encryption,
} from './archive.js';
import { writeBackup, type BackupSummary } from './backup.js';
import {
  checkArchive,
  readArchiveHeader,
  restoreArchive,
  tableHashes,
  verifyArchive,
  type RestoreOptions,
} from './restore.js';

// Whole restores (each creates an embedded database) take seconds each, more on a busy machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });
const PASSPHRASE = 'correct horse battery staple';
/** A cheap scrypt so tests do not spend seconds and 256 MB per passphrase. */
const WITH_PASSPHRASE: Encryption = { passphrase: PASSPHRASE, scryptLogN: 10 };
const HAS_POSTGRES = BACKENDS.includes('postgres');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'zizhi-backup-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let counter = 0;
const workFile = (suffix: string) => path.join(work, `archive-${++counter}${suffix}`);

interface Backupable {
  database: Database;
  blobs: LocalBlobStore;
  config: Parameters<typeof writeBackup>[2];
}

/** Backs up into a file of the test folder. */
async function backUp(source: Backupable, encryption?: Encryption): Promise<{ file: string; summary: BackupSummary }> {
  const file = workFile(encryption ? '.tar.gz.age' : '.tar.gz');
  const summary = await writeBackup(source.database, source.blobs, source.config, createWriteStream(file), {
    ...(encryption ? { encryption } : {}),
  });
  return { file, summary };
}

const asBackupable = (s: SourceInstallation): Backupable => ({
  database: s.app.database,
  blobs: s.blobs,
  config: s.config,
});

function restoreInto(
  target: EmptyTarget,
  file: string,
  options: RestoreOptions = {},
  env: Record<string, string> = {},
) {
  return restoreArchive(target.database, target.blobs, target.config(env), openFile(file), options);
}

/** The BackupError a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<BackupError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackupError);
  return err as BackupError;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Logs in with the old password, lists obligations, downloads every file and sends through the channel. */
async function expectWorkingApp(target: EmptyTarget, source: SourceInstallation, env: Record<string, string> = {}) {
  const app = await buildApp({ database: target.database, config: target.config(env), logger: false });
  try {
    const owner = await login(app, source.fixture.emails.owner);
    const { ids } = source.fixture;
    const obligations = await owner.get(`/api/orgs/${ids.orgId}/obligations`);
    expect(obligations.statusCode).toBe(200);
    expect(obligations.json().items.length).toBeGreaterThan(0);
    for (const [id, bytes] of source.uploads) {
      const download = await owner.get(`/api/orgs/${ids.orgId}/files/${id}`);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(bytes)).toBe(true);
    }
    // The test message goes out through the channel's sealed URL and secret: they still decrypt.
    const sent = await owner.post(`/api/workspaces/${ids.workspaceId}/channels/${ids.channelId}/test`);
    expect(sent.statusCode).toBe(200);
    expect(sent.json().status).toBe('sent');
  } finally {
    await app.close();
  }
}

/** Restores into a fresh target of `kind`, checks it is identical to `expected`, and returns the target. */
async function restoreAndCompare(
  kind: Backend,
  file: string,
  expected: Map<string, { rows: number; sha256: string }>,
  options: RestoreOptions = {},
): Promise<EmptyTarget> {
  const target = await createEmptyTarget(kind, { onDisk: true });
  await restoreInto(
    target,
    file,
    kind === 'postgres' ? { secretKeyFile: path.join(target.dir, 'key.txt'), ...options } : options,
  );
  expect(await tableHashes(target.database)).toEqual(expected);
  return target;
}

describe.each(BACKENDS)('a backup of a %s installation', (backend: Backend) => {
  let source: SourceInstallation;
  let archive: { file: string; summary: BackupSummary };
  let sourceHashes: Map<string, { rows: number; sha256: string }>;

  beforeAll(async () => {
    source = await createSourceInstallation(backend);
    archive = await backUp(asBackupable(source));
    sourceHashes = await tableHashes(source.app.database);
  });
  afterAll(async () => {
    await source?.close();
  });

  it('summarises what it wrote: every table, its rows, the referenced files and the archive bytes', async () => {
    const { summary } = archive;
    const rows = [...sourceHashes.values()].reduce((n, t) => n + t.rows, 0);
    expect(rows).toBeGreaterThan(50);
    expect(summary).toMatchObject({
      formatVersion: 1,
      schema: { applied: readMigrations().length, lastTag: readMigrations().at(-1)!.tag },
      tables: sourceHashes.size,
      rows,
      files: 4,
      encrypted: false,
    });
    expect(summary.fileBytes).toBeGreaterThan(300 * 1024);
    expect(summary.archiveBytes).toBe((await stat(archive.file)).size);
    expect(summary.sha256).toBe(sha256(await readFile(archive.file)));
    const header = await readArchiveHeader(openFile(archive.file));
    expect(header).toMatchObject({ format: 'zizhi-backup', formatVersion: 1, database: backend, encrypted: false });
    expect(header.createdAt).toBe(summary.createdAt);
    expect(header.schema.migrations).toEqual(readMigrations().map((m) => m.hash));
  });

  it('restores into an empty embedded database: identical tables and files, the channel key in place, a working app', async () => {
    const target = await restoreAndCompare('pglite', archive.file, sourceHashes);
    try {
      for (const bytes of source.uploads.values()) expect(await target.blobs.has(sha256(bytes))).toBe(true);
      expect((await readFile(path.join(target.dir, 'secret.key'), 'utf8')).trim()).toBe(SOURCE_SECRET_KEY);
      await expectWorkingApp(target, source);
    } finally {
      await target.close();
    }
  });

  it.runIf(HAS_POSTGRES)(
    'restores into an empty PostgreSQL database, writing the channel key to the file named for ZIZHI_SECRET_KEY',
    async () => {
      const target = await restoreAndCompare('postgres', archive.file, sourceHashes);
      try {
        const keyFile = path.join(target.dir, 'key.txt');
        expect((await readFile(keyFile, 'utf8')).trim()).toBe(SOURCE_SECRET_KEY);
        expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
        await expectWorkingApp(target, source, { ZIZHI_SECRET_KEY: SOURCE_SECRET_KEY });
      } finally {
        await target.close();
      }
    },
  );

  it.runIf(HAS_POSTGRES && backend === 'pglite')(
    'moves PGlite → PostgreSQL → PGlite with every table identical at each step',
    async () => {
      const server = await restoreAndCompare('postgres', archive.file, sourceHashes);
      try {
        const again = await backUp({
          database: server.database,
          blobs: server.blobs,
          config: server.config({ ZIZHI_SECRET_KEY: SOURCE_SECRET_KEY }),
        });
        expect(again.summary).toMatchObject({ rows: archive.summary.rows, files: 4 });
        expect((await readArchiveHeader(openFile(again.file))).database).toBe('postgres');
        const back = await restoreAndCompare('pglite', again.file, sourceHashes);
        try {
          await expectWorkingApp(back, source);
        } finally {
          await back.close();
        }
      } finally {
        await server.close();
      }
    },
  );
});

describe('refusals', () => {
  let source: SourceInstallation;
  let plain: { file: string; summary: BackupSummary };
  let encrypted: { file: string; summary: BackupSummary };
  let target: EmptyTarget;
  const keys: ArchiveKeys = { passphrase: PASSPHRASE };

  beforeAll(async () => {
    source = await createSourceInstallation('pglite', 64 * 1024);
    plain = await backUp(asBackupable(source));
    encrypted = await backUp(asBackupable(source), WITH_PASSPHRASE);
    target = await createEmptyTarget('pglite');
  });
  afterAll(async () => {
    await target?.close();
    await source?.close();
  });

  /** Nothing was created in the target: not a table, not a file, not a key. */
  async function expectUntouched() {
    expect(await publicTableCount(target.database)).toBe(0);
    expect(await target.blobs.has('0'.repeat(64))).toBe(false);
    await expect(stat(path.join(target.dir, 'files'))).rejects.toThrow();
    await expect(stat(path.join(target.dir, 'secret.key'))).rejects.toThrow();
  }

  const firstFileEntry = async (file: string, k: ArchiveKeys) => {
    let name = '';
    await rewriteArchive(
      file,
      workFile('.scan'),
      (entry) => {
        if (!name && entry.startsWith('files/')) name = entry;
        return undefined;
      },
      k,
    );
    return name;
  };

  describe.each([
    ['unencrypted', () => plain.file, {}],
    ['encrypted', () => encrypted.file, keys],
  ] as const)('%s', (_, file, k) => {
    const decryption = 'passphrase' in k ? { decryption: { passphrase: PASSPHRASE } } : {};

    it('refuses an archive with one flipped byte in a table entry, naming the entry', async () => {
      const damaged = workFile('.damaged');
      await rewriteArchive(
        file(),
        damaged,
        (name, c) => (name === 'tables/certificates.ndjson' ? flipByte(c, 40) : undefined),
        k,
      );
      const err = await refusal(restoreInto(target, damaged, decryption));
      expect(err.code).toBe('damaged');
      expect(err.message).toContain('tables/certificates.ndjson');
      expect(err.message).toContain('备份文件已损坏');
      await expectUntouched();
    });

    it('refuses an archive with one flipped byte in a file entry, naming the file', async () => {
      const entry = await firstFileEntry(file(), k);
      expect(entry).toMatch(/^files\/[0-9a-f]{64}$/);
      const damaged = workFile('.damaged');
      await rewriteArchive(file(), damaged, (name, c) => (name === entry ? flipByte(c, 100) : undefined), k);
      const err = await refusal(restoreInto(target, damaged, decryption));
      expect(err.code).toBe('damaged');
      expect(err.message).toContain(entry);
      await expectUntouched();
    });

    it('refuses an archive with one flipped byte in the manifest, naming the manifest', async () => {
      const damaged = workFile('.damaged');
      await rewriteArchive(file(), damaged, (name, c) => (name === MANIFEST_ENTRY ? flipByte(c, 200) : undefined), k);
      const err = await refusal(restoreInto(target, damaged, decryption));
      expect(err.code).toBe('damaged');
      expect(err.message).toContain(MANIFEST_ENTRY);
      await expectUntouched();
    });

    it('refuses an archive with one flipped byte in its stored bytes', async () => {
      const bytes = await readFile(file());
      const damaged = workFile('.damaged');
      await import('node:fs/promises').then((fs) =>
        fs.writeFile(damaged, flipByte(bytes, Math.floor(bytes.length / 2))),
      );
      const err = await refusal(restoreInto(target, damaged, decryption));
      expect(['damaged', 'incomplete']).toContain(err.code);
      await expectUntouched();
    });

    it('refuses an archive cut short', async () => {
      const bytes = await readFile(file());
      const cut = workFile('.cut');
      await import('node:fs/promises').then((fs) =>
        fs.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7))),
      );
      const err = await refusal(restoreInto(target, cut, decryption));
      expect(['damaged', 'incomplete']).toContain(err.code);
      await expectUntouched();
    });
  });

  it('refuses a wrong passphrase, and an encrypted archive without one, clearly and before changing anything', async () => {
    const wrong = await refusal(
      restoreInto(target, encrypted.file, { decryption: { passphrase: 'not the passphrase' } }),
    );
    expect(wrong.code).toBe('passphrase');
    expect(wrong.message).toContain('口令错误');
    expect(wrong.message).toContain('wrong passphrase');
    const none = await refusal(restoreInto(target, encrypted.file));
    expect(none.code).toBe('encrypted');
    expect(none.message).toContain('--passphrase');
    await expectUntouched();
  });

  it('refuses to restore into a database that has accounts, changing nothing there', async () => {
    const before = await tableHashes(source.app.database);
    const err = await refusal(restoreArchive(source.app.database, source.blobs, source.config, openFile(plain.file)));
    expect(err.code).toBe('target-not-empty');
    expect(err.message).toContain('不是空的');
    expect(await tableHashes(source.app.database)).toEqual(before);
  });

  /** Rewrites the header with `change` and the manifest to match, as a release would have written it. */
  async function withHeader(change: (header: Record<string, unknown>) => void): Promise<string> {
    const out = workFile('.tar.gz');
    let headerBytes: Buffer | null = null;
    await rewriteArchive(plain.file, out, (name, content) => {
      if (name === 'zizhi-backup.json') {
        const header = JSON.parse(content.toString('utf8')) as Record<string, unknown>;
        change(header);
        headerBytes = Buffer.from(JSON.stringify(header));
        return headerBytes;
      }
      if (name === MANIFEST_ENTRY) {
        const { sha256: _, ...body } = parseManifest(content);
        const entries = body.entries.map((e) =>
          e.name === 'zizhi-backup.json' ? { ...e, size: headerBytes!.length, sha256: sha256(headerBytes!) } : e,
        );
        return serializeManifest({ ...body, entries });
      }
      return undefined;
    });
    return out;
  }

  it('refuses an archive whose header claims a newer schema, saying to upgrade', async () => {
    const newer = await withHeader((h) => {
      const schema = h.schema as { applied: number; lastTag: string; migrations: string[] };
      schema.applied += 1;
      schema.lastTag = '9999_from_the_future';
      schema.migrations.push('f'.repeat(64));
    });
    await checkArchive(openFile(newer)); // intact: only its schema is refused
    const err = await refusal(restoreInto(target, newer));
    expect(err.code).toBe('schema-newer');
    expect(err.message).toContain('请先升级 Zizhi');
    expect(err.message).toContain('Upgrade Zizhi');
    await expectUntouched();
  });

  it('refuses an archive whose migrations differ from this release’s', async () => {
    const other = await withHeader((h) => {
      (h.schema as { migrations: string[] }).migrations[1] = 'e'.repeat(64);
    });
    const err = await refusal(restoreInto(target, other));
    expect(err.code).toBe('schema-mismatch');
    expect(err.message).toContain(readMigrations()[1]!.tag);
    await expectUntouched();
  });

  it('refuses a PostgreSQL-like target that must hold the channel key in the environment unless a key file is named', async () => {
    const err = await refusal(
      restoreInto(target, plain.file, {}, { ZIZHI_SECRET_KEY: Buffer.alloc(32, 3).toString('base64') }),
    );
    expect(err.code).toBe('secret-key');
    expect(err.message).toContain('--secret-key-file');
    await expectUntouched();
  });

  it('restores with the passphrase, and with an age identity when encrypted to its recipient', async () => {
    const expected = await tableHashes(source.app.database);
    const identity = await generateIdentity();
    const toRecipient = await backUp(asBackupable(source), { recipients: [await identityToRecipient(identity)] });
    expect(toRecipient.summary.encrypted).toBe(true);
    expect((await readFile(toRecipient.file)).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    const cases: [string, Decryption][] = [
      [encrypted.file, { passphrase: PASSPHRASE }],
      [toRecipient.file, { identities: [identity] }],
    ];
    for (const [file, decryption] of cases) {
      const fresh = await createEmptyTarget('pglite');
      try {
        await restoreInto(fresh, file, { decryption });
        expect(await tableHashes(fresh.database)).toEqual(expected);
      } finally {
        await fresh.close();
      }
    }
    const header = await readArchiveHeader(openFile(toRecipient.file), { decryption: { identities: [identity] } });
    expect(header.encrypted).toBe(true);
  });

  it('passes the restore drill for a good archive and fails it, naming why, for a damaged one', async () => {
    const good = await verifyArchive(openFile(encrypted.file), { decryption: { passphrase: PASSPHRASE } });
    expect(good.problems).toEqual([]);
    expect(good).toMatchObject({ ok: true, encrypted: true, rows: plain.summary.rows, files: plain.summary.files });
    expect(good.tables.every((t) => t.ok)).toBe(true);

    const damaged = workFile('.damaged');
    await rewriteArchive(plain.file, damaged, (name, c) =>
      name === 'tables/users.ndjson' ? flipByte(c, 30) : undefined,
    );
    const bad = await verifyArchive(openFile(damaged));
    expect(bad.ok).toBe(false);
    expect(bad.problems.join('\n')).toContain('tables/users.ndjson');
  });

  it('keeps a blank scratch database for later drills, which then start from it', async () => {
    const templates = await mkdtemp(path.join(work, 'templates-'));
    const first = await verifyArchive(openFile(plain.file), { templateDir: templates });
    expect(first.ok).toBe(true);
    const [template] = await readdir(templates);
    expect(template).toMatch(/^scratch-pglite-\d+\.\d+\.\d+\.tar\.gz$/);
    const made = await stat(path.join(templates, template!));
    const second = await verifyArchive(openFile(plain.file), { templateDir: templates });
    expect(second).toMatchObject({ ok: true, rows: first.rows });
    expect((await stat(path.join(templates, template!))).mtimeMs).toBe(made.mtimeMs);
    // A damaged template is not trusted: the drill makes a new one.
    await writeFile(path.join(templates, template!), 'not a template');
    expect((await verifyArchive(openFile(plain.file), { templateDir: templates })).ok).toBe(true);
    expect((await stat(path.join(templates, template!))).size).toBeGreaterThan(100_000);
  });

  it('fails the restore drill when a table does not come back as archived', async () => {
    // A row written with different spacing loads fine, but reads back in the canonical form:
    // only comparing the restored tables with the archive shows it.
    const respaced = workFile('.tar.gz');
    let changed: { name: string; bytes: Buffer } | null = null;
    await rewriteArchive(plain.file, respaced, (name, content) => {
      if (name === 'tables/organisations.ndjson') {
        changed = { name, bytes: Buffer.from(content.toString('utf8').replace(/^\{"/, '{ "')) };
        return changed.bytes;
      }
      if (name === MANIFEST_ENTRY) {
        const { sha256: _, ...body } = parseManifest(content);
        const entries = body.entries.map((e) =>
          e.name === changed!.name ? { ...e, size: changed!.bytes.length, sha256: sha256(changed!.bytes) } : e,
        );
        return serializeManifest({ ...body, entries });
      }
      return undefined;
    });
    const result = await verifyArchive(openFile(respaced));
    expect(result.ok).toBe(false);
    expect(result.tables.find((t) => t.name === 'organisations')?.ok).toBe(false);
    expect(result.tables.filter((t) => !t.ok)).toHaveLength(1);
    expect(result.problems.join('\n')).toContain('organisations');
  });
});

/** Tables of a shape the current schema lacks, as a later migration might add them. */
async function createExtraTables(database: Database) {
  await database.db.execute(
    sql`create table zz_tree (id int primary key, parent_id int references zz_tree(id), name text)`,
  );
  await database.db.execute(sql`create table zz_counter (id int generated always as identity primary key, note text)`);
}

describe('tables the schema may add', () => {
  it('loads a self-referencing table whose rows come before their parents, and an identity column, resetting its sequence', async () => {
    const make = async () => {
      const database = wrapPglite(await PGlite.create());
      await migrateDatabase(database);
      await createExtraTables(database);
      return database;
    };
    const source = await make();
    const dir = await mkdtemp(path.join(work, 'tree-'));
    try {
      // Ordered by primary key each row comes before its parent, which is often in the next batch.
      await source.db.execute(
        sql`insert into zz_tree select g, case when g < 2500 then g + 1 end, '节点' || g from generate_series(1, 2500) g`,
      );
      await source.db.execute(sql`insert into zz_counter (note) values ('一'), ('二'), ('三')`);
      await source.db.execute(sql`delete from zz_counter where note = '二'`);
      const archive = await backUp({ database: source, blobs: new LocalBlobStore(dir), config: { dataDir: dir } });
      const target = wrapPglite(await PGlite.create());
      try {
        await createExtraTables(target);
        await restoreArchive(
          target,
          new LocalBlobStore(path.join(dir, 'to')),
          { dataDir: dir },
          openFile(archive.file),
        );
        expect(await tableHashes(target)).toEqual(await tableHashes(source));
        await target.db.execute(sql`insert into zz_counter (note) values ('四')`);
        const rows = await queryRows<{ id: number }>(target.db, sql`select id from zz_counter where note = '四'`);
        expect(rows[0]!.id).toBe(4);
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  });
});

describe('an archive of an older release', () => {
  it('loads at its own schema, then upgrades to this release’s', async () => {
    const release = readMigrations();
    const older = release.at(-4)!.tag;
    const source = wrapPglite(await PGlite.create());
    const dir = await mkdtemp(path.join(work, 'older-'));
    try {
      await migrateDatabase(source, { upTo: older });
      await source.db.execute(sql`insert into workspaces (name) values ('旧版本的工作空间')`);
      const archive = await backUp({ database: source, blobs: new LocalBlobStore(dir), config: { dataDir: dir } });
      expect(archive.summary.schema).toEqual({ applied: release.length - 3, lastTag: older });
      const target = await createEmptyTarget('pglite');
      try {
        const restored = await restoreInto(target, archive.file);
        expect(restored.schema.lastTag).toBe(older);
        expect(restored.upgradedWith).toEqual(release.slice(-3).map((m) => m.tag));
        expect(await schemaVersion(target.database.db)).toEqual({
          applied: release.length,
          lastTag: release.at(-1)!.tag,
        });
        const names = await queryRows<{ name: string }>(target.database.db, sql`select name from workspaces`);
        expect(names).toEqual([{ name: '旧版本的工作空间' }]);
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  });
});

describe('a target with data of its own', () => {
  it('is refused even when only an account exists', async () => {
    const database = wrapPglite(await PGlite.create());
    await migrateDatabase(database);
    const dir = await mkdtemp(path.join(work, 'busy-'));
    const config = loadConfig({}, { dataDir: dir, logLevel: 'silent' });
    const app = await buildApp({ database, config, logger: false });
    try {
      await setupAdmin(app);
      const empty = await createEmptyTarget('pglite');
      let file: string;
      try {
        file = (await backUp({ database: empty.database, blobs: empty.blobs, config: { dataDir: empty.dir } })).file;
      } finally {
        await empty.close();
      }
      const err = await refusal(restoreArchive(database, new LocalBlobStore(dir), config, openFile(file)));
      expect(err.code).toBe('target-not-empty');
    } finally {
      await app.close();
      await database.close();
    }
  });
});
