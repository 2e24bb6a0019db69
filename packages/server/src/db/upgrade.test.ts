// Upgrading from the previous release: its data, archived with the backup command, restored
// into an empty database of either kind, migrated to this release and used. The fixture is made
// as docs/upgrades.md describes; remake it at each release.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { and, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/index.js';
import { restoreArchive } from '../modules/backup/restore.js';
import { writeBackup } from '../modules/backup/backup.js';
import { recomputeStale } from '../modules/obligations/recompute.js';
import { pendingSql } from '../modules/obligations/service.js';
import { LocalBlobStore } from '../storage/index.js';
import { createEmptyTarget, type EmptyTarget } from '../test/backup-archives.js';
import { BACKENDS, login } from '../test/harness.js';
import { queryRows, wrapPglite } from './client.js';
import { readMigrations, schemaVersion } from './migrate.js';
import { certificates, obligations, organisations, workspaceVersions } from './schema.js';

const FIXTURE_DIR = fileURLToPath(new URL('../test/fixtures/upgrade/', import.meta.url));
const ARCHIVE = path.join(FIXTURE_DIR, 'previous-release.tar.gz');
const FACTS = path.join(FIXTURE_DIR, 'previous-release.json');
/** The release the fixture comes from, by its last migration. */
const PREVIOUS_SCHEMA = '0013_requirement_source_text';

/** The channel key the seeded installation had. */
const SECRET = { ZIZHI_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };

interface Facts {
  ids: { workspaceId: string; orgId: string; certId: string; fileId: string; channelId: string };
  emails: { owner: string; viewer: string };
  password: string;
  /** SHA-256 of the stored file's bytes. */
  fileSha256: string;
}

// Making the fixture: ZIZHI_UPGRADE_SEED is the folder the seed wrote in the previous release's checkout.
describe.runIf(process.env.ZIZHI_UPGRADE_SEED)('making the upgrade fixture', () => {
  it('archives the seeded installation with this release’s backup command', async () => {
    const seed = process.env.ZIZHI_UPGRADE_SEED!;
    const loadDataDir = new Blob([await readFile(path.join(seed, 'pgdata.tar.gz'))]);
    const database = wrapPglite(await PGlite.create({ loadDataDir }));
    try {
      expect((await schemaVersion(database.db)).lastTag).toBe(PREVIOUS_SCHEMA);
      const config = loadConfig(SECRET, { dataDir: seed, logLevel: 'silent' });
      await writeBackup(database, new LocalBlobStore(path.join(seed, 'files')), config, createWriteStream(ARCHIVE));
      const seeded = JSON.parse(await readFile(path.join(seed, 'facts.json'), 'utf8')) as Omit<Facts, 'fileSha256'>;
      const [file] = await queryRows<{ sha256: string }>(
        database.db,
        sql`select sha256 from files where id = ${seeded.ids.fileId}`,
      );
      const facts: Facts = {
        ids: {
          workspaceId: seeded.ids.workspaceId,
          orgId: seeded.ids.orgId,
          certId: seeded.ids.certId,
          fileId: seeded.ids.fileId,
          channelId: seeded.ids.channelId,
        },
        emails: { owner: seeded.emails.owner, viewer: seeded.emails.viewer },
        password: seeded.password,
        fileSha256: file!.sha256,
      };
      await writeFile(FACTS, `${JSON.stringify(facts, null, 2)}\n`);
    } finally {
      await database.close();
    }
  }, 120_000);
});

describe.each(BACKENDS)('upgrading from the previous release (%s)', (backend) => {
  let target: EmptyTarget;
  let facts: Facts;
  let upgradedWith: string[];

  beforeAll(async () => {
    facts = JSON.parse(await readFile(FACTS, 'utf8')) as Facts;
    target = await createEmptyTarget(backend);
    const summary = await restoreArchive(target.database, target.blobs, target.config(SECRET), () =>
      createReadStream(ARCHIVE),
    );
    expect(summary.schema.lastTag).toBe(PREVIOUS_SCHEMA);
    upgradedWith = summary.upgradedWith;
    // What the server does at every start, after migrating.
    await recomputeStale(target.database.db);
  }, 180_000);
  afterAll(() => target?.close());

  it('loads the old data and applies every later migration', async () => {
    const all = readMigrations().map((m) => m.tag);
    expect(upgradedWith).toEqual(all.slice(all.indexOf(PREVIOUS_SCHEMA) + 1));
    expect(await schemaVersion(target.database.db)).toEqual({ applied: all.length, lastTag: all.at(-1) });
  });

  it('lets the old users log in and work: organisations, certificates, files, channels', async () => {
    const config = target.config(SECRET);
    const app = await buildApp({ database: target.database, config, logger: false });
    try {
      const owner = await login(app, facts.emails.owner, facts.password);
      const orgs = await owner.get(`/api/orgs?workspaceId=${facts.ids.workspaceId}`);
      expect(orgs.statusCode).toBe(200);
      expect(JSON.stringify(orgs.json())).toContain(facts.ids.orgId);
      const cert = await owner.get(`/api/orgs/${facts.ids.orgId}/certificates/${facts.ids.certId}`);
      expect(cert.statusCode).toBe(200);
      const file = await owner.get(`/api/orgs/${facts.ids.orgId}/files/${facts.ids.fileId}`);
      expect(file.statusCode).toBe(200);
      expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(facts.fileSha256);
      const channel = await owner.get(`/api/workspaces/${facts.ids.workspaceId}/channels`);
      expect(channel.statusCode).toBe(200);
      expect(JSON.stringify(channel.json())).toContain(facts.ids.channelId);
      const viewer = await login(app, facts.emails.viewer, facts.password);
      expect((await viewer.get(`/api/orgs?workspaceId=${facts.ids.workspaceId}`)).statusCode).toBe(200);
      await expect(login(app, facts.emails.owner, 'not-the-password')).rejects.toThrow(/401/);
    } finally {
      await app.close();
    }
  });

  it('gives every old workspace its change counter, which the next write moves on', async () => {
    const db = target.database.db;
    const counter = async () =>
      (await db.select().from(workspaceVersions).where(eq(workspaceVersions.workspaceId, facts.ids.workspaceId)))[0]
        ?.version;
    const before = await counter();
    expect(before).toBeTypeOf('number');
    await db.update(organisations).set({ name: '升级后更名' }).where(eq(organisations.id, facts.ids.orgId));
    expect(await counter()).toBe(before! + 1);
  });

  it('keeps reminders going: every open duty still ahead has its next reminder', async () => {
    const db = target.database.db;
    const open = await db
      .select({ id: obligations.id, next: obligations.nextReminderAt })
      .from(obligations)
      .where(and(pendingSql(), gt(obligations.dueDate, '2026-11-27')));
    expect(open.length).toBeGreaterThan(0);
    expect(open.filter((o) => o.next === null)).toEqual([]);
    const stale = await db
      .select({ id: certificates.id })
      .from(certificates)
      .where(sql`${certificates.engineVersion} < (select max(engine_version) from certificates)`);
    expect(stale).toEqual([]);
  });
});
