// Exporting one workspace: its rows (found from the catalog, tables.ts), the people they name and
// the blobs its files reference, as one archive streamed to any Writable (a download, a file).
// The rows are read in one snapshot and spooled to a temporary folder first (a tar entry needs its
// size before its bytes), so the database is held only while reading, never while a slow client
// downloads.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import { queryRows, type Database, type Queryable } from '../../db/client.js';
import { schemaVersion } from '../../db/migrate.js';
import { withSystem } from '../../db/tenancy.js';
import { AppError, notFound } from '../../errors.js';
import type { BlobStore } from '../../storage/index.js';
import { recordAudit } from '../../access/audit.js';
import {
  ArchiveWriter,
  fileEntry,
  MANIFEST_ENTRY,
  tableEntry,
  type Encryption,
  linesOf,
  spoolLines,
  canonicalOrder,
  ident,
  listForeignKeys,
  listTables,
  setCanonicalOutput,
  ZIZHI_VERSION,
} from '../backup/api.js';
import {
  PEOPLE_ENTRY,
  serializeWorkspaceManifest,
  WORKSPACE_FORMAT,
  WORKSPACE_FORMAT_VERSION,
  WORKSPACE_HEADER_ENTRY,
  type WorkspaceHeader,
  type WorkspaceManifestBody,
} from './format.js';
import {
  planTransfer,
  publicRelation,
  requireSound,
  scopeCondition,
  type TransferPlan,
  type TransferTable,
} from './tables.js';

/** Rows fetched per round trip. */
const FETCH_ROWS = 1000;

interface Spooled {
  file: string;
  rows: number;
  size: number;
  sha256: string;
}

/** A workspace read and spooled, ready to be written as an archive (once). */
export interface PreparedExport {
  header: WorkspaceHeader;
  people: Spooled;
  tables: (Spooled & { name: string })[];
  /** `<sha256>` per line, sorted. */
  blobList: string;
  files: number;
  fileBytes: number;
  /** The download's name: the workspace's name and the day, e.g. 示例公司-工作空间导出-20261127.tar.gz. */
  fileName(encrypted: boolean): string;
  /** Removes the spool; call it when the archive is written (or not). */
  discard(): Promise<void>;
}

export interface ExportSummary {
  workspace: WorkspaceHeader['workspace'];
  createdAt: string;
  tables: { name: string; rows: number }[];
  rows: number;
  people: number;
  files: number;
  fileBytes: number;
  archiveBytes: number;
  sha256: string;
  encrypted: boolean;
}

/** Runs `query` through a cursor, handing its `j` column to `onRows` in pages. Inside a transaction. */
async function streamJson(tx: Queryable, query: string, onRows: (lines: string[]) => Promise<void>): Promise<void> {
  await tx.execute(sql.raw(`declare zizhi_transfer no scroll cursor for ${query}`));
  for (;;) {
    const rows = await queryRows<{ j: string }>(tx, sql.raw(`fetch forward ${FETCH_ROWS} from zizhi_transfer`));
    if (rows.length > 0) await onRows(rows.map((r) => r.j));
    if (rows.length < FETCH_ROWS) break;
  }
  await tx.execute(sql.raw('close zizhi_transfer'));
}

/** The SELECT of a table's exported rows as canonical JSON, in primary key order. */
export function exportQuery(plan: TransferPlan, table: TransferTable, workspaceId: string): string {
  const { info, overrides } = table;
  const columns =
    Object.keys(overrides).length === 0
      ? 't.*'
      : info.columns.map((c) => (c in overrides ? `${overrides[c]} as ${ident(c)}` : `t.${ident(c)}`)).join(', ');
  const where = scopeCondition(plan, info.name, 't', publicRelation, workspaceId);
  return (
    `select row_to_json(t)::text as j from (select ${columns} from public.${ident(info.name)} t where ${where}) t ` +
    `order by ${canonicalOrder(info)}`
  );
}

/** The people the exported rows name (members, authors, assignees, actors), as {id, name, email}. */
function peopleQuery(plan: TransferPlan, workspaceId: string): string {
  const named = plan.tables.flatMap((t) =>
    t.userColumns.map(
      (c) =>
        `select x.${ident(c)} from public.${ident(t.info.name)} x where x.${ident(c)} is not null and ` +
        scopeCondition(plan, t.info.name, 'x', publicRelation, workspaceId),
    ),
  );
  const ids = named.length > 0 ? named.join(' union ') : 'select null::uuid where false';
  return `select row_to_json(u)::text as j from (select id, name, email from public.users where id in (${ids})) u order by u.id`;
}

/** The source database's schema: how many migrations, the last one's tag and their recorded hashes. */
async function recordedSchema(tx: Queryable): Promise<WorkspaceHeader['schema']> {
  const version = await schemaVersion(tx);
  const hashes =
    version.applied === 0
      ? []
      : await queryRows<{ hash: string }>(tx, sql`select hash from drizzle.__drizzle_migrations order by created_at`);
  return { applied: version.applied, lastTag: version.lastTag, migrations: hashes.map((h) => h.hash) };
}

/** Characters a file name may not hold on common systems, and control characters. */
const UNSAFE_NAME = /[\\/:*?"<>|\p{Cc}]/gu;

/**
 * Reads the workspace in one REPEATABLE READ, READ ONLY snapshot and spools it: its rows, the
 * people they name, the list of its blobs. Checks that every blob is in storage before anything
 * is sent (a download cannot take back its 200), then records "导出工作空间" in the workspace's
 * audit log. The caller has checked that the actor may export it (owners: routes.ts).
 */
export async function prepareWorkspaceExport(
  database: Database,
  blobs: BlobStore,
  options: { workspaceId: string; actorId: string | null; ip?: string | null; encrypted: boolean; tempDir?: string },
): Promise<PreparedExport> {
  const dir = await mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'zizhi-workspace-export-'));
  const discard = () => rm(dir, { recursive: true, force: true });
  try {
    const snapshot = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set transaction isolation level repeatable read, read only`);
      await setCanonicalOutput(tx);
      const [workspace] = await queryRows<{ id: string; name: string; kind: string }>(
        tx,
        sql`select id, name, kind from workspaces where id = ${options.workspaceId}`,
      );
      if (!workspace) throw notFound('工作空间');
      const plan = requireSound(planTransfer(await listTables(tx), await listForeignKeys(tx)));
      const schema = await recordedSchema(tx);
      const people = await spoolLines(path.join(dir, 'people.ndjson'), (write) =>
        streamJson(tx, peopleQuery(plan, workspace.id), write),
      );
      const tables: PreparedExport['tables'] = [];
      for (const [i, table] of plan.tables.entries()) {
        const file = path.join(dir, `${i}.ndjson`);
        const spooled = await spoolLines(file, (write) =>
          streamJson(tx, exportQuery(plan, table, workspace.id), write),
        );
        tables.push({ name: table.info.name, file, ...spooled });
      }
      let files = 0;
      let fileBytes = 0;
      const blobList = path.join(dir, 'files.list');
      const filesTable = plan.byName.get('files');
      await spoolLines(blobList, async (write) => {
        if (!filesTable) return;
        const where = scopeCondition(plan, 'files', 't', publicRelation, workspace.id);
        await streamJson(
          tx,
          `select json_build_object('sha256', sha256, 'size', max(size))::text as j from public.files t where ${where} ` +
            `group by sha256 order by sha256 collate "C"`,
          async (lines) => {
            const parsed = lines.map((l) => JSON.parse(l) as { sha256: string; size: number });
            files += parsed.length;
            for (const p of parsed) fileBytes += p.size;
            await write(parsed.map((p) => p.sha256));
          },
        );
      });
      return {
        workspace,
        schema,
        people: { file: path.join(dir, 'people.ndjson'), ...people },
        tables,
        blobList,
        files,
        fileBytes,
      };
    });
    for await (const sha256 of linesOf(snapshot.blobList)) {
      if (!(await blobs.has(sha256))) throw await missingBlob(database, snapshot.workspace.id, sha256);
    }
    await withSystem(database.db, (tx) =>
      recordAudit(tx, {
        action: 'workspace.exported',
        actorId: options.actorId,
        workspaceId: snapshot.workspace.id,
        targetType: 'workspace',
        targetId: snapshot.workspace.id,
        summary: { name: snapshot.workspace.name, encrypted: options.encrypted },
        ip: options.ip ?? null,
      }),
    );
    const header: WorkspaceHeader = {
      format: WORKSPACE_FORMAT,
      formatVersion: WORKSPACE_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      zizhiVersion: ZIZHI_VERSION,
      database: database.kind,
      schema: snapshot.schema,
      workspace: snapshot.workspace,
    };
    const base = snapshot.workspace.name.replace(UNSAFE_NAME, '_').trim().slice(0, 80) || '工作空间';
    return {
      header,
      people: snapshot.people,
      tables: snapshot.tables,
      blobList: snapshot.blobList,
      files: snapshot.files,
      fileBytes: snapshot.fileBytes,
      fileName: (encrypted) =>
        `${base}-工作空间导出-${chinaToday().replace(/-/g, '')}.tar.gz${encrypted ? '.age' : ''}`,
      discard,
    };
  } catch (err) {
    await discard();
    throw err;
  }
}

/** A blob the export cannot include, named by the files that use it. */
async function missingBlob(database: Database, workspaceId: string, sha256: string): Promise<AppError> {
  const names = await queryRows<{ name: string }>(
    database.db,
    sql`select f.name from files f join organisations o on o.id = f.org_id
        where f.sha256 = ${sha256} and o.workspace_id = ${workspaceId} order by f.created_at limit 3`,
  ).catch(() => []);
  const which = names.map((n) => n.name).join('、') || sha256.slice(0, 12);
  return new AppError('INTERNAL', {
    zh: `无法导出：文件 ${which} 的内容在存储中找不到。请重新上传该文件（或从备份恢复）后再导出；不完整的导出文件不会生成。`,
    en: `Cannot export: the content of the file ${which} is missing from the file storage. Upload it again (or restore it from a backup) and export again; no incomplete archive is made.`,
  });
}

/**
 * Writes a prepared export to `sink` as a workspace archive, optionally encrypted. Resolves once
 * the sink has every byte; on failure the sink is destroyed with the error, so nobody mistakes a
 * half archive for a whole one.
 */
export async function writeWorkspaceArchive(
  prepared: PreparedExport,
  blobs: BlobStore,
  sink: Writable,
  options: { encryption?: Encryption } = {},
): Promise<ExportSummary> {
  let writer: ArchiveWriter | null = null;
  try {
    writer = await ArchiveWriter.open(sink, new Date(prepared.header.createdAt), options.encryption);
    const entries: WorkspaceManifestBody['entries'] = [];
    const add = async (name: string, size: number, content: Buffer | AsyncIterable<Buffer>, expected?: string) => {
      const sha256 = await writer!.add(name, size, content);
      if (expected !== undefined && sha256 !== expected) throw new Error(`${name} changed while it was archived`);
      entries.push({ name, size, sha256 });
    };
    const headerBytes = Buffer.from(`${JSON.stringify(prepared.header, null, 2)}\n`);
    await add(WORKSPACE_HEADER_ENTRY, headerBytes.length, headerBytes);
    const spooled = (s: Spooled) => createReadStream(s.file) as AsyncIterable<Buffer>;
    await add(PEOPLE_ENTRY, prepared.people.size, spooled(prepared.people), prepared.people.sha256);
    for (const t of prepared.tables) await add(tableEntry(t.name), t.size, spooled(t), t.sha256);
    let files = 0;
    let fileBytes = 0;
    for await (const sha256 of linesOf(prepared.blobList)) {
      const blob = await blobs.get(sha256);
      const stream = blob.stream;
      try {
        await add(fileEntry(sha256), blob.size, stream as AsyncIterable<Buffer>, sha256);
      } finally {
        stream.destroy();
      }
      files++;
      fileBytes += blob.size;
    }
    const manifest = serializeWorkspaceManifest({
      format: WORKSPACE_FORMAT,
      formatVersion: WORKSPACE_FORMAT_VERSION,
      entries,
      tables: prepared.tables.map((t) => ({ name: t.name, rows: t.rows })),
      people: prepared.people.rows,
      files: { count: files, bytes: fileBytes },
    });
    await writer.add(MANIFEST_ENTRY, manifest.length, manifest);
    const archive = await writer.finish();
    return {
      workspace: prepared.header.workspace,
      createdAt: prepared.header.createdAt,
      tables: prepared.tables.map((t) => ({ name: t.name, rows: t.rows })),
      rows: prepared.tables.reduce((n, t) => n + t.rows, 0),
      people: prepared.people.rows,
      files,
      fileBytes,
      archiveBytes: archive.bytes,
      sha256: archive.sha256,
      encrypted: options.encryption !== undefined,
    };
  } catch (err) {
    if (writer) {
      writer.abort(err);
      await writer.settled();
    } else {
      sink.destroy(err as Error);
    }
    throw err;
  }
}

/** Prepares, writes and cleans up: the command line's export, and the tests'. */
export async function exportWorkspace(
  database: Database,
  blobs: BlobStore,
  sink: Writable,
  options: {
    workspaceId: string;
    actorId: string | null;
    ip?: string | null;
    encryption?: Encryption;
    tempDir?: string;
  },
): Promise<ExportSummary & { fileName: string }> {
  const prepared = await prepareWorkspaceExport(database, blobs, {
    ...options,
    encrypted: options.encryption !== undefined,
  });
  try {
    const summary = await writeWorkspaceArchive(prepared, blobs, sink, options);
    return { ...summary, fileName: prepared.fileName(options.encryption !== undefined) };
  } finally {
    await prepared.discard();
  }
}
