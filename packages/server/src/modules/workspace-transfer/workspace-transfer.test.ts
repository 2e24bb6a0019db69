import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import tarStream from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { runCli } from '../../cli/run.js';
import { registerWorkspaceCommands } from '../../cli/workspace.js';
import { loadConfig } from '../../config/index.js';
import { queryRows, type Database } from '../../db/client.js';
import { withSystem } from '../../db/tenancy.js';
import { LocalBlobStore } from '../../storage/index.js';
import {
  createSourceInstallation,
  flipByte,
  rewriteArchive,
  type SourceInstallation,
} from '../../test/backup-archives.js';
import {
  addMember,
  BACKENDS,
  client,
  createTestDatabase,
  login,
  PASSWORD,
  setupAdmin,
  type Backend,
  type Client,
  type Tenant,
} from '../../test/harness.js';
import { multipart } from '../../test/multipart.js';
import { completePasswordReset, createUser, requestPasswordReset } from '../auth/service.js';
import { canonicalOrder, listForeignKeys, listTables, setCanonicalOutput } from '../backup/catalog.js';
import { tableHashes } from '../backup/restore.js';
import { exportWorkspace } from './export.js';
import {
  parseWorkspaceManifest,
  serializeWorkspaceManifest,
  WORKSPACE_HEADER_ENTRY,
  type WorkspaceHeader,
  type WorkspaceManifestBody,
} from './format.js';
import type { WorkspaceImportReport } from './import.js';
import { EXPORTED_TABLES, planTransfer, publicRelation, scopeCondition } from './tables.js';

const HAS_POSTGRES = BACKENDS.includes('postgres');
/** Export from one kind of database, import into the other (both ways when PostgreSQL is there). */
const PAIRS: [Backend, Backend][] = HAS_POSTGRES
  ? [
      ['pglite', 'postgres'],
      ['postgres', 'pglite'],
    ]
  : [['pglite', 'pglite']];
const TARGET_PASSWORD = 'target-instance-password';
const PASSPHRASE = 'workspace transfer passphrase';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'zizhi-workspace-transfer-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
let counter = 0;
const workFile = (suffix = '.tar.gz') => path.join(work, `archive-${++counter}${suffix}`);

/** Every entry of an (unencrypted) archive file, in order. */
async function archiveEntries(file: string): Promise<Map<string, Buffer>> {
  const extract = tarStream.extract();
  const entries = new Map<string, Buffer>();
  const reading = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  await pipeline(createReadStream(file), createGunzip(), extract as never);
  await reading;
  return entries;
}

const lines = (bytes: Buffer | undefined) => (bytes ?? Buffer.alloc(0)).toString('utf8').split('\n').filter(Boolean);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A workspace's rows per exported table as canonical JSON text, read straight from the tables. */
async function workspaceRows(database: Database, workspaceId: string): Promise<Map<string, string[]>> {
  return database.db.transaction(async (tx) => {
    await setCanonicalOutput(tx);
    const plan = planTransfer(await listTables(tx), await listForeignKeys(tx));
    const out = new Map<string, string[]>();
    for (const t of plan.tables) {
      const where = scopeCondition(plan, t.info.name, 't', publicRelation, workspaceId);
      const rows = await queryRows<{ j: string }>(
        tx,
        sql.raw(
          `select row_to_json(t)::text as j from public."${t.info.name}" t where ${where} order by ${canonicalOrder(t.info)}`,
        ),
      );
      out.set(
        t.info.name,
        rows.map((r) => r.j),
      );
    }
    return out;
  });
}

/** Rewrites entries of an archive and makes its manifest agree, so only the import's own checks can object. */
async function rewriteConsistently(file: string, edit: (name: string, content: Buffer) => Buffer | undefined) {
  const out = workFile();
  const entries: WorkspaceManifestBody['entries'] = [];
  await rewriteArchive(file, out, (name, content) => {
    if (name === 'manifest.json') {
      const { sha256: _, ...body } = parseWorkspaceManifest(content);
      return serializeWorkspaceManifest({ ...body, entries });
    }
    const next = edit(name, content) ?? content;
    entries.push({ name, size: next.length, sha256: sha256(next) });
    return next;
  });
  return out;
}

interface Target {
  app: FastifyInstance;
  database: Database;
  blobs: LocalBlobStore;
  importer: Tenant;
  /** The account this instance already has with the source viewer's e-mail. */
  viewerId: string;
  close(): Promise<void>;
}

async function createTarget(backend: Backend, viewerEmail: string): Promise<Target> {
  const database = await createTestDatabase(backend);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-transfer-target-'));
  const config = loadConfig(
    { ZIZHI_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), ZIZHI_CHANNEL_ALLOW_HOSTS: '127.0.0.1' },
    { dataDir: dir, logLevel: 'silent', rateLimitPerMinute: 1_000_000, webDir: path.join(dir, 'no-web') },
  );
  const app = await buildApp({ database, config, logger: false });
  await app.ready();
  const importer = await setupAdmin(app);
  const viewer = await withSystem(database.db, (tx) =>
    createUser(tx, { email: viewerEmail, name: '目标系统的同名账户', password: TARGET_PASSWORD }),
  );
  return {
    app,
    database,
    blobs: new LocalBlobStore(config.filesDir),
    importer,
    viewerId: viewer.id,
    close: async () => {
      await app.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function upload(who: Client, file: Buffer, options: { dryRun: boolean; passphrase?: string; progressId?: string }) {
  const { body, contentType } = multipart([
    ...(options.passphrase ? [{ name: 'passphrase', value: options.passphrase }] : []),
    { name: 'file', filename: '工作空间.tar.gz', content: file },
  ]);
  const query = new URLSearchParams({
    dryRun: String(options.dryRun),
    ...(options.progressId ? { progressId: options.progressId } : {}),
  });
  return who.request('POST', `/api/workspaces/import?${query.toString()}`, body, { 'content-type': contentType });
}

describe('which tables a workspace export holds', () => {
  it('exports every table of schema public with a rule, or excludes it with a reason', async () => {
    const database = await createTestDatabase('pglite');
    try {
      const tables = await listTables(database.db);
      const plan = planTransfer(tables, await listForeignKeys(database.db));
      expect(plan.problems).toEqual([]);
      const exported = plan.tables.map((t) => t.info.name).sort();
      expect(exported).toEqual(Object.keys(EXPORTED_TABLES).sort());
      expect(plan.byName.get('organisations')!.rule).toEqual({ kind: 'workspace', column: 'workspace_id' });
      expect(plan.byName.get('certificates')!.rule).toMatchObject({
        kind: 'parent',
        column: 'org_id',
        parent: 'organisations',
      });
      // Nearest parent first: a qualification belongs through its organisation, not through its staff member.
      expect(plan.byName.get('qualifications')!.rule).toMatchObject({ parent: 'organisations' });
      expect(plan.byName.get('obligations')!.userColumns).toEqual(['assignee_id']);

      // A new table nobody decided about stops the export, whether or not a key leads to a workspace.
      await database.db.execute(
        sql`create table public.zz_new_things (id uuid primary key, workspace_id uuid references workspaces(id))`,
      );
      await database.db.execute(sql`create table public.zz_loose (id uuid primary key)`);
      const again = planTransfer(await listTables(database.db), await listForeignKeys(database.db));
      expect(again.problems.join('\n')).toContain('table zz_new_things is neither exported nor excluded');
      expect(again.problems.join('\n')).toContain('table zz_loose is neither exported nor excluded');
    } finally {
      await database.close();
    }
  });
});

describe.each(PAIRS)('workspace transfer from %s to %s', (from, to) => {
  let source: SourceInstallation;
  let target: Target;
  let archive: string;
  let archiveBytes: Buffer;
  let report: WorkspaceImportReport;
  let sourceRows: Map<string, string[]>;
  let formerEmail: string;
  const exportedRows = (database: Database, workspaceId: string) =>
    queryRows<{ actor_id: string | null; summary: { encrypted: boolean } }>(
      database.db,
      sql`select actor_id, summary from audit_log where workspace_id = ${workspaceId} and action = 'workspace.exported' order by at`,
    );
  let exportsBefore: number;

  beforeAll(async () => {
    source = await createSourceInstallation(from, 64 * 1024);
    const { fixture } = source;
    const { ids } = fixture;
    const owner = fixture.actors.owner;
    // People's fields on an obligation, and a member's own reminder choices.
    const assigned = await owner.patch(`/api/orgs/${ids.orgId}/obligations/${ids.obligationId}`, {
      status: 'in_progress',
      assigneeId: ids.memberId,
      note: '已安排专人跟进',
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const prefs = await fixture.actors.viewer.request(
      'PUT',
      `/api/workspaces/${ids.workspaceId}/notification-preferences`,
      {
        email: true,
        inApp: true,
        digest: 'weekly',
      },
    );
    expect(prefs.statusCode, prefs.body).toBe(200);
    // A former member: in the history only.
    const former = await addMember(source.app.app, fixture.a, 'manager');
    formerEmail = former.email;
    expect((await former.client.post(`/api/orgs/${ids.orgId}/projects`, { name: '前成员录入的项目' })).statusCode).toBe(
      201,
    );
    expect((await owner.delete(`/api/workspaces/${ids.workspaceId}/members/${former.userId}`)).statusCode).toBe(204);
    // A message not sent yet: it must not go out a second time from the target.
    await withSystem(source.app.database.db, (tx) =>
      tx.execute(sql`insert into deliveries (workspace_id, key, kind, channel_id, channel_type, payload, status, next_attempt_at)
        values (${ids.workspaceId}, 't:pending-during-transfer', 'test', ${ids.channelId}, 'webhook', '{}'::jsonb, 'pending', now())`),
    );

    sourceRows = await workspaceRows(source.app.database, ids.workspaceId);
    target = await createTarget(to, fixture.emails.viewer);
    exportsBefore = (await exportedRows(source.app.database, ids.workspaceId)).length;
    const res = await owner.get(`/api/workspaces/${ids.workspaceId}/export`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('我的工作空间-工作空间导出-20261127.tar.gz')}`,
    );
    archiveBytes = res.rawPayload;
    archive = workFile();
    await writeFile(archive, archiveBytes);
  }, 240_000);

  afterAll(async () => {
    await target?.close();
    await source?.close();
  });

  it('holds the workspace and nothing of the other one, no password, token or channel secret', async () => {
    const entries = await archiveEntries(archive);
    const { ids, emails } = source.fixture;
    const header = JSON.parse(entries.get(WORKSPACE_HEADER_ENTRY)!.toString()) as WorkspaceHeader;
    expect(header.workspace.id).toBe(ids.workspaceId);
    const all = Buffer.concat([...entries.values()]).toString('latin1');
    const text = Buffer.concat([...entries.values()]).toString('utf8');
    for (const id of [ids.bWorkspaceId, ids.bOrgId, source.fixture.b.ownerId]) expect(all).not.toContain(id);
    for (const name of ['另一家公司', '北京市乙方科技有限公司', '另一位所有者', emails.otherOwner])
      expect(text).not.toContain(name);
    expect(text).not.toContain('$argon2');
    expect(text).not.toContain('whsec-01234567');
    expect(text).not.toContain(source.webhook.url);
    const secrets = await queryRows<{ v: string }>(
      source.app.database.db,
      sql`select token_hash as v from sessions union all select token_hash from api_tokens
          union all select token_hash from calendar_feeds union all select token_hash from invitations
          union all select config from channels`,
    );
    expect(secrets.length).toBeGreaterThan(5);
    for (const { v } of secrets) expect(text).not.toContain(v);
    const people = lines(entries.get('people.ndjson')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(people.every((p) => Object.keys(p).sort().join() === 'email,id,name')).toBe(true);
    expect(people.map((p) => p.email)).toEqual(expect.arrayContaining([emails.owner, emails.viewer, formerEmail]));

    // Every row of the workspace, and the bytes of every file it references.
    for (const [table, rows] of sourceRows) {
      const archived = lines(entries.get(`tables/${table}.ndjson`));
      const overrides = Object.keys(EXPORTED_TABLES[table]?.overrides ?? {});
      const strip = (l: string) => {
        const row = JSON.parse(l) as Record<string, unknown>;
        for (const c of overrides) delete row[c];
        return JSON.stringify(row);
      };
      expect(archived.map(strip), table).toEqual(rows.map(strip));
    }
    // Three in use and two in the recycle bin: the bin travels with the workspace, still binned.
    expect(sourceRows.get('organisations')).toHaveLength(5);
    const binned = sourceRows.get('organisations')!.filter((o) => JSON.parse(o).deleted_at !== null);
    expect(binned).toHaveLength(2);
    expect(sourceRows.get('certificates')!.length).toBeGreaterThanOrEqual(3);
    const channel = JSON.parse(lines(entries.get('tables/channels.ndjson'))[0]!) as Record<string, unknown>;
    expect(channel).toMatchObject({ config: '', enabled: false, hint: { url: null, hasSecret: false } });
    const deliveries = lines(entries.get('tables/deliveries.ndjson')).map(
      (l) => JSON.parse(l) as Record<string, unknown>,
    );
    expect(deliveries.find((d) => d.key === 't:pending-during-transfer')).toMatchObject({
      status: 'cancelled',
      next_attempt_at: null,
    });
    expect(deliveries.find((d) => d.id === ids.deliveryId)).toMatchObject({ status: 'sent' });
    const blobs = [...entries.keys()].filter((n) => n.startsWith('files/')).map((n) => n.slice(6));
    const used = await queryRows<{ sha256: string }>(
      source.app.database.db,
      sql`select distinct f.sha256 from files f join organisations o on o.id = f.org_id where o.workspace_id = ${ids.workspaceId}`,
    );
    expect(blobs.sort()).toEqual(used.map((u) => u.sha256).sort());
    for (const name of blobs) expect(sha256(entries.get(`files/${name}`)!)).toBe(name);

    const exports = await exportedRows(source.app.database, ids.workspaceId);
    expect(exports).toHaveLength(exportsBefore + 1);
    expect(exports.at(-1)).toMatchObject({ actor_id: source.fixture.a.ownerId, summary: { encrypted: false } });
  });

  it('reports what a dry run would import, and changes nothing', async () => {
    const before = await tableHashes(target.database);
    const res = await upload(target.importer.owner, archiveBytes, { dryRun: true });
    expect(res.statusCode, res.body).toBe(200);
    const dry = res.json<WorkspaceImportReport>();
    const { emails, ids } = source.fixture;
    expect(dry).toMatchObject({ dryRun: true, imported: false, conflicts: [], workspace: { id: ids.workspaceId } });
    expect(dry.kinds.find((k) => k.kind === 'organisations')!.rows).toBe(5);
    expect(dry.kinds.find((k) => k.kind === 'files')!.rows).toBe(sourceRows.get('files')!.length);
    const person = (email: string) => dry.people.find((p) => p.email === email.toLowerCase());
    expect(person(emails.viewer)).toMatchObject({ role: 'viewer', account: 'existing' });
    expect(person(emails.owner)).toMatchObject({ role: 'owner', account: 'new' });
    expect(person(emails.limited)).toMatchObject({ role: 'admin', limited: true, account: 'new' });
    expect(person(formerEmail)).toMatchObject({ role: null, account: 'new' });
    expect(dry.mustSetPassword).toContain(emails.owner.toLowerCase());
    expect(dry.mustSetPassword).not.toContain(emails.viewer.toLowerCase());
    expect(dry.mustSetPassword).not.toContain(formerEmail.toLowerCase());
    expect(await tableHashes(target.database)).toEqual(before);
  });

  it('imports every row, file and person; the importer owns it', async () => {
    const res = await upload(target.importer.owner, archiveBytes, { dryRun: false, progressId: 'transfer-progress-1' });
    expect(res.statusCode, res.body).toBe(200);
    report = res.json<WorkspaceImportReport>();
    expect(report).toMatchObject({ dryRun: false, imported: true, conflicts: [] });
    const progress = await target.importer.owner.get('/api/workspaces/import/progress/transfer-progress-1');
    expect(progress.json()).toMatchObject({ phase: 'done' });

    const { ids, emails } = source.fixture;
    // People: the viewer is this instance's account with that address; everyone else keeps their id.
    const mapped = (line: string) => line.replaceAll(ids.viewerId, target.viewerId);
    const targetRows = await workspaceRows(target.database, ids.workspaceId);
    const archived = await archiveEntries(archive);
    for (const [table, rows] of targetRows) {
      let expected = lines(archived.get(`tables/${table}.ndjson`)).map(mapped);
      let actual = rows;
      if (table === 'audit_log') {
        actual = rows.filter((r) => !r.includes('"workspace.imported"'));
        expect(rows.filter((r) => r.includes('"workspace.imported"'))).toHaveLength(1);
      }
      if (table === 'workspace_members') {
        actual = rows.filter((r) => !r.includes(target.importer.ownerId));
        expect(rows.find((r) => r.includes(target.importer.ownerId))).toContain('"role":"owner"');
      }
      if (table === 'audit_log' || table === 'workspace_members') expected = expected.sort();
      expect(table === 'audit_log' || table === 'workspace_members' ? [...actual].sort() : actual, table).toEqual(
        expected,
      );
    }
    expect(targetRows.get('obligations')!.some((r) => r.includes('已安排专人跟进') && r.includes(ids.memberId))).toBe(
      true,
    );

    // Files: the same bytes, served by the target.
    const importer = target.importer.owner;
    for (const [id, bytes] of source.uploads) {
      const download = await importer.get(`/api/orgs/${ids.orgId}/files/${id}`);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(bytes)).toBe(true);
    }
    const workspaces = (await importer.get('/api/workspaces')).json().items as { id: string; role: string }[];
    expect(workspaces.find((w) => w.id === ids.workspaceId)?.role).toBe('owner');

    // The linked viewer logs in with this instance's password (never the source's) and finds it.
    const viewer = await login(target.app, emails.viewer, TARGET_PASSWORD);
    const theirs = (await viewer.get('/api/workspaces')).json().items as { id: string; role: string }[];
    expect(theirs.find((w) => w.id === ids.workspaceId)?.role).toBe('viewer');
    const viaSourcePassword = await target.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: emails.viewer, password: PASSWORD },
    });
    expect(viaSourcePassword.statusCode).toBe(401);
    // A created member has no password here until they reset it.
    const noPassword = await target.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: emails.limited, password: PASSWORD },
    });
    expect(noPassword.statusCode).toBe(401);
    const reset = await requestPasswordReset({
      db: target.database.db,
      email: emails.limited.toLowerCase(),
      ip: '127.0.0.1',
    });
    await completePasswordReset({
      db: target.database.db,
      token: reset!.token,
      newPassword: 'a-new-password-123',
      ip: '127.0.0.1',
    });
    const limited = await login(target.app, emails.limited, 'a-new-password-123');
    const limitedWs = (await limited.get('/api/workspaces')).json().items as { id: string; role: string }[];
    expect(limitedWs.find((w) => w.id === ids.workspaceId)?.role).toBe('admin');
    const members = (await limited.get(`/api/workspaces/${ids.workspaceId}/members`)).json().items;
    expect(members.find((m: { email: string }) => m.email === emails.limited.toLowerCase())).toMatchObject({
      role: 'admin',
      orgIds: [ids.org2Id],
    });

    // Channels arrive disabled, asking for their URL and secret again; entering them works.
    const channels = (await importer.get(`/api/workspaces/${ids.workspaceId}/channels`)).json().items;
    expect(channels[0]).toMatchObject({ id: ids.channelId, enabled: false, url: null, needsReentry: true });
    const fixed = await importer.patch(`/api/workspaces/${ids.workspaceId}/channels/${ids.channelId}`, {
      url: source.webhook.url,
      enabled: true,
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ enabled: true, needsReentry: false });

    const audit = (
      await importer.get(`/api/audit-log?workspaceId=${ids.workspaceId}&action=workspace.imported`)
    ).json();
    expect(audit.items[0]).toMatchObject({ action: 'workspace.imported', actor: { id: target.importer.ownerId } });
  });

  it('refuses to import the same workspace again, changing nothing', async () => {
    const before = await tableHashes(target.database);
    const again = await upload(target.importer.owner, archiveBytes, { dryRun: false });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error.message).toContain('已有这个工作空间');
    const dry = await upload(target.importer.owner, archiveBytes, { dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().conflicts.find((c: { table: string }) => c.table === 'workspaces')).toMatchObject({
      rows: 1,
      names: ['我的工作空间'],
    });
    expect(await tableHashes(target.database)).toEqual(before);
  });

  it('refuses a damaged archive, a foreign one and a crafted one, changing nothing', async () => {
    const before = await tableHashes(target.database);
    const flipped = await upload(target.importer.owner, flipByte(archiveBytes, Math.floor(archiveBytes.length / 2)), {
      dryRun: false,
    });
    expect(flipped.statusCode).toBe(400);
    expect(flipped.json().error.message).toMatch(/损坏|damaged/);
    const notOurs = await upload(target.importer.owner, Buffer.from('just some text'), { dryRun: true });
    expect(notOurs.statusCode).toBe(400);
    expect(notOurs.json().error.message).toContain('不是 Zizhi 工作空间导出文件');

    // An organisation moved into a workspace of this instance: refused although its manifest agrees.
    const otherWorkspace = target.importer.workspaceId;
    const crafted = await rewriteConsistently(archive, (name, content) =>
      name === 'tables/organisations.ndjson'
        ? Buffer.from(content.toString().replace(source.fixture.ids.workspaceId, otherWorkspace))
        : undefined,
    );
    const refused = await upload(target.importer.owner, await readFile(crafted), { dryRun: true });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.message).toContain('belong to another workspace');
    expect(await tableHashes(target.database)).toEqual(before);
  });

  it('refuses an archive of an older or a newer schema', async () => {
    const withSchema = (change: (h: WorkspaceHeader) => void) =>
      rewriteConsistently(archive, (name, content) => {
        if (name !== WORKSPACE_HEADER_ENTRY) return undefined;
        const header = JSON.parse(content.toString()) as WorkspaceHeader;
        change(header);
        return Buffer.from(JSON.stringify(header));
      });
    const older = await withSchema((h) => {
      h.schema.applied -= 1;
      h.schema.migrations.pop();
    });
    const res = await upload(target.importer.owner, await readFile(older), { dryRun: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('较旧的 Zizhi 版本');
    const newer = await withSchema((h) => {
      h.schema.applied += 1;
      h.schema.lastTag = '9999_from_the_future';
    });
    const res2 = await upload(target.importer.owner, await readFile(newer), { dryRun: true });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().error.message).toContain('更新的 Zizhi 版本');
  });

  it('encrypts with a passphrase, which the import asks for', async () => {
    const file = workFile('.tar.gz.age');
    await exportWorkspace(source.app.database, source.blobs, createWriteStream(file), {
      workspaceId: source.fixture.ids.workspaceId,
      actorId: null,
      encryption: { passphrase: PASSPHRASE, scryptLogN: 10 },
    });
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    const without = await upload(target.importer.owner, bytes, { dryRun: true });
    expect(without.statusCode).toBe(400);
    expect(without.json().error).toMatchObject({ field: 'passphrase' });
    const wrong = await upload(target.importer.owner, bytes, { dryRun: true, passphrase: 'not the right passphrase' });
    expect(wrong.json().error.message).toContain('口令不正确');
    const right = await upload(target.importer.owner, bytes, { dryRun: true, passphrase: PASSPHRASE });
    expect(right.statusCode, right.body).toBe(200);
    expect(right.json()).toMatchObject({ archive: { encrypted: true } });
    expect(right.json().conflicts.length).toBeGreaterThan(0);
  });

  it('exports and imports on the command line with the same functions', async () => {
    const { ids } = source.fixture;
    /** Runs `zizhi …args` in-process against a database and blob store; returns output and exit code. */
    const zizhi = async (database: Database, blobs: LocalBlobStore, ...args: string[]) => {
      let out = '';
      let err = '';
      const program = new Command().name('zizhi');
      registerWorkspaceCommands(program, {
        config: () => loadConfig({ LOG_LEVEL: 'silent' }, { dataDir: work }),
        openDatabase: () => Promise.resolve({ ...database, close: () => Promise.resolve() }),
        blobs: () => blobs,
        write: { out: (t) => void (out += t), err: (t) => void (err += t) },
      });
      process.exitCode = 0;
      await runCli(program, ['node', 'zizhi', ...args]);
      const code = Number(process.exitCode ?? 0);
      process.exitCode = 0;
      return { out, err, code };
    };
    const folder = await mkdtemp(path.join(work, 'cli-'));
    const exported = await zizhi(
      source.app.database,
      source.blobs,
      'workspace',
      'export',
      '我的工作空间',
      '--to',
      folder,
    );
    expect(exported.err).toBe('');
    expect(exported.code).toBe(0);
    expect(await readdir(folder)).toEqual(['我的工作空间-工作空间导出-20261127.tar.gz']);
    const file = path.join(folder, '我的工作空间-工作空间导出-20261127.tar.gz');
    expect(exported.out).toContain('需要在导入后重新填写');
    const again = await zizhi(source.app.database, source.blobs, 'workspace', 'export', ids.workspaceId, '--to', file);
    expect(again.code).toBe(1);
    expect(again.err).toContain('已存在');

    // Into a fresh instance: the dry run changes nothing, the import brings the workspace.
    const fresh = await createTestDatabase('pglite');
    const blobs = new LocalBlobStore(await mkdtemp(path.join(work, 'cli-files-')));
    try {
      await withSystem(fresh.db, (tx) =>
        createUser(tx, { email: 'cli.admin@example.cn', name: '管理员', password: TARGET_PASSWORD }),
      );
      const unknown = await zizhi(fresh, blobs, 'workspace', 'import', file, '--owner', 'nobody@example.cn');
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain('没有邮箱为 nobody@example.cn 的账户');
      const dry = await zizhi(
        fresh,
        blobs,
        'workspace',
        'import',
        file,
        '--owner',
        'cli.admin@example.cn',
        '--dry-run',
      );
      expect(dry.code, dry.err).toBe(0);
      expect(dry.out).toContain('试导入');
      expect(await queryRows(fresh.db, sql`select id from workspaces`)).toEqual([]);
      const done = await zizhi(fresh, blobs, 'workspace', 'import', file, '--owner', 'CLI.Admin@example.cn');
      expect(done.code, done.err).toBe(0);
      expect(done.out).toContain('已导入工作空间“我的工作空间”');
      expect(done.out).toContain('忘记密码');
      const [ws] = await queryRows<{ id: string }>(fresh.db, sql`select id from workspaces`);
      expect(ws!.id).toBe(ids.workspaceId);
      const conflict = await zizhi(fresh, blobs, 'workspace', 'import', file, '--owner', 'cli.admin@example.cn');
      expect(conflict.code).toBe(1);
      expect(conflict.err).toContain('已有这个工作空间');
    } finally {
      await fresh.close();
    }
  });

  it('lets only owners export and only instance administrators import', async () => {
    const { actors, ids } = source.fixture;
    const path = `/api/workspaces/${ids.workspaceId}/export`;
    expect((await actors.viewer.get(path)).statusCode).toBe(403);
    expect((await actors.limited.get(path)).statusCode).toBe(403);
    expect((await actors.otherOwner.get(path)).statusCode).toBe(404);
    expect((await actors.otherOwner.post(path, { passphrase: PASSPHRASE })).statusCode).toBe(404);
    expect((await client(source.app.app, null).get(path)).statusCode).toBe(401);
    expect((await upload(actors.otherOwner, archiveBytes, { dryRun: true })).statusCode).toBe(403);
  });
});
