// Importing a workspace archive into this instance, all or nothing. The archive is read twice:
// the first pass checks every entry against the manifest and changes nothing; the second loads
// the rows into temporary tables inside one transaction, where they are checked (every row
// belongs to the archive's workspace, every reference stays inside it or points at nothing, no id
// exists here already), people are linked to accounts by e-mail or created without a usable
// password, and the rows are copied into place. A dry run does all of it and rolls back.
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Tx } from '../../db/client.js';
import { isRecordedAs, readMigrations, schemaVersion, type SchemaVersion } from '../../db/migrate.js';
import { withSystem } from '../../db/tenancy.js';
import { AppError, conflict } from '../../errors.js';
import type { Role } from '../../access/roles.js';
import type { BlobStore } from '../../storage/index.js';
import { recordAudit } from '../../access/audit.js';
import type { Decryption } from '../backup/api.js';
import { ident, listForeignKeys, listTables } from '../backup/api.js';
import type { ImportProgress } from '../../http/progress.js';
import { badArchive, damagedArchive, PersonSchema, type WorkspaceHeader } from './format.js';
import { readWorkspaceArchive, type CheckedWorkspaceArchive, type OpenArchive } from './read.js';
import {
  KIND_ORDER,
  kindOf,
  planTransfer,
  requireSound,
  scopeCondition,
  SOFT_REFERENCES,
  type TransferKind,
  type TransferPlan,
} from './tables.js';

/**
 * The password hash of an account an import creates: no password verifies against it (argon2
 * refuses to read it), so the person sets one through “忘记密码” before logging in.
 */
export const UNUSABLE_PASSWORD_HASH = '!imported-without-password';

/** Evidence records that record_files.record_id may name (its record_type says which). */
const RECORD_TABLES = [
  'projects',
  'staff',
  'financial_years',
  'ip_assets',
  'management_certificates',
  'standards',
  'adverse_records',
  'legal_entities',
];

export interface WorkspaceImportOptions {
  /** The account on this instance that imports and becomes the workspace's owner. */
  importerId: string;
  dryRun: boolean;
  decryption?: Decryption;
  ip?: string | null;
  /** The archive's stored size, for progress. */
  archiveBytes?: number;
  onProgress?(p: ImportProgress): void;
}

/** A person of the archive and what the import does with them. */
export interface ImportPerson {
  email: string;
  name: string;
  /** Their role in the workspace; null when only its history names them (a former member). */
  role: Role | null;
  /** Limited to some organisations. */
  limited: boolean;
  /** `existing`: an account of this instance has the address and is linked; `new`: created without a password. */
  account: 'existing' | 'new';
}

export interface WorkspaceImportReport {
  dryRun: boolean;
  /** True once the workspace is in this instance (never for a dry run). */
  imported: boolean;
  workspace: WorkspaceHeader['workspace'];
  archive: { createdAt: string; zizhiVersion: string; encrypted: boolean };
  kinds: { kind: TransferKind; rows: number }[];
  tables: { name: string; rows: number }[];
  files: { count: number; bytes: number };
  people: ImportPerson[];
  /** Members whose accounts the import creates: each sets a password with “忘记密码”. */
  mustSetPassword: string[];
  /** Rows whose ids exist here already, per table: any of them refuses the import. */
  conflicts: { table: string; kind: TransferKind; rows: number; names: string[] }[];
}

class DryRunDone extends Error {
  constructor(readonly report: WorkspaceImportReport) {
    super('dry run');
  }
}

/**
 * Refuses an archive of another schema than this database's. Rows are loaded as they are, column
 * for column; an older archive's rows would need the data migrations of the releases between,
 * replayed on one workspace inside a live database, which this release does not attempt.
 */
export function checkArchiveSchema(header: WorkspaceHeader, target: SchemaVersion): void {
  const release = readMigrations();
  const { applied, lastTag, migrations } = header.schema;
  const known = lastTag === null || release.some((m) => m.tag === lastTag);
  if (applied > target.applied || !known) {
    throw badArchive({
      zh: `工作空间导出文件来自更新的 Zizhi 版本（${header.zizhiVersion}，数据库结构 ${lastTag ?? '—'}），本系统的数据库结构为 ${target.lastTag ?? '—'}。请先把本系统升级到相同或更新的版本，再导入。`,
      en: `The archive comes from a newer Zizhi release (${header.zizhiVersion}, schema ${lastTag ?? '—'}); this instance's schema is ${target.lastTag ?? '—'}. Upgrade this instance to that release or a newer one, then import it.`,
    });
  }
  if (applied < target.applied) {
    throw badArchive({
      zh: `工作空间导出文件来自较旧的 Zizhi 版本（${header.zizhiVersion}，数据库结构 ${lastTag ?? '—'}），本系统的数据库结构为 ${target.lastTag ?? '—'}，无法直接导入。请先把原系统升级到与本系统相同的版本，再重新导出并导入。`,
      en: `The archive comes from an older Zizhi release (${header.zizhiVersion}, schema ${lastTag ?? '—'}); this instance's schema is ${target.lastTag ?? '—'}, so it cannot be imported as it is. Upgrade the source instance to this release, export again and import the new file.`,
    });
  }
  const differs = release.slice(0, applied).findIndex((m, i) => !isRecordedAs(m, migrations[i]));
  if (migrations.length !== applied || differs !== -1 || lastTag !== target.lastTag) {
    throw badArchive({
      zh: '工作空间导出文件的数据库结构与本系统不一致（迁移文件不同），无法安全导入。请在两个系统上使用相同的 Zizhi 版本。',
      en: "The archive's database migrations differ from this instance's; it cannot be imported safely. Use the same Zizhi release on both instances.",
    });
  }
}

/** The SQLSTATE of a database error (drizzle wraps the driver's error as its cause). */
function sqlState(err: unknown): { code?: string; constraint?: string } {
  const cause = (err as { cause?: unknown }).cause;
  const source = (cause instanceof Error ? cause : err) as { code?: unknown; constraint?: unknown };
  return {
    code: typeof source?.code === 'string' ? source.code : undefined,
    constraint: typeof source?.constraint === 'string' ? source.constraint : undefined,
  };
}

const count = async (tx: Tx, query: string) =>
  Number((await queryRows<{ n: string }>(tx, sql.raw(`select count(*)::text as n from (${query}) q`)))[0]!.n);

/**
 * Imports a workspace archive (see the file's head). Resolves with what was (or, for a dry run,
 * would be) imported; a dry run that finds conflicts lists them, a real import refuses with 409.
 * Damaged, foreign or mismatched archives are refused with 400 before anything changes.
 */
export async function importWorkspace(
  database: Database,
  blobs: BlobStore,
  open: OpenArchive,
  options: WorkspaceImportOptions,
): Promise<WorkspaceImportReport> {
  const progress = (p: ImportProgress) => options.onProgress?.(p);
  let bytes = 0;
  const checked = await readWorkspaceArchive(open, options.decryption, {
    onSourceBytes: (n) => {
      bytes += n;
      progress({ phase: 'read', rows: 0, bytes, totalBytes: options.archiveBytes });
    },
  });
  checkArchiveSchema(checked.header, await schemaVersion(database.db));
  try {
    const report = await withSystem(database.db, (tx) => load(tx, blobs, open, checked, options));
    progress({ phase: 'done', rows: report.tables.reduce((n, t) => n + t.rows, 0) });
    return report;
  } catch (err) {
    if (err instanceof DryRunDone) {
      progress({ phase: 'done', rows: 0 });
      return err.report;
    }
    throw err;
  }
}

async function load(
  tx: Tx,
  blobs: BlobStore,
  open: OpenArchive,
  checked: CheckedWorkspaceArchive,
  options: WorkspaceImportOptions,
): Promise<WorkspaceImportReport> {
  const { header, manifest } = checked;
  const ws = header.workspace.id;
  const plan = requireSound(planTransfer(await listTables(tx), await listForeignKeys(tx)));
  const archived = manifest.tables.map((t) => t.name);
  const planned = plan.tables.map((t) => t.info.name);
  if ([...archived].sort().join() !== [...planned].sort().join()) {
    throw badArchive({
      zh: '工作空间导出文件中的数据表与本系统不一致，无法导入。请在两个系统上使用相同的 Zizhi 版本。',
      en: "The archive's tables differ from this instance's; it cannot be imported. Use the same Zizhi release on both instances.",
    });
  }
  const [importer] = await queryRows<{ id: string }>(tx, sql`select id from users where id = ${options.importerId}`);
  if (!importer)
    throw new AppError('NOT_FOUND', { zh: '导入人的账户不存在', en: "The importing account doesn't exist" });

  // ── Staging: the archive's rows in temporary tables shaped like the real ones.
  const stage = new Map(plan.tables.map((t, i) => [t.info.name, `zizhi_stage_${i}`]));
  const staged = (table: string) => `pg_temp.${stage.get(table)!}`;
  for (const t of plan.tables) {
    await tx.execute(
      sql.raw(
        `create temp table ${stage.get(t.info.name)!} on commit drop as select * from public.${ident(t.info.name)} with no data`,
      ),
    );
  }
  await tx.execute(
    sql.raw(
      'create temp table zizhi_people (id uuid primary key, name text not null, email text not null) on commit drop',
    ),
  );
  const totalRows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  let rowsDone = 0;
  const phase = options.dryRun ? 'validate' : 'save';
  options.onProgress?.({ phase, rows: 0, totalRows });
  await readWorkspaceArchive(open, options.decryption, {
    expected: manifest,
    onPeople: async (lines) => {
      const people = lines.map((line) => {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw damagedArchive('条目 entry people.ndjson', 'a line is not JSON');
        }
        const parsed = PersonSchema.safeParse(value);
        if (!parsed.success)
          throw damagedArchive('条目 entry people.ndjson', parsed.error.issues[0]?.message ?? 'invalid');
        return parsed.data;
      });
      await stageRows(tx, 'people.ndjson', () =>
        tx.execute(
          sql`insert into zizhi_people select * from json_to_recordset(${JSON.stringify(people)}::json) as p(id uuid, name text, email text)`,
        ),
      );
    },
    onRows: async (table, lines) => {
      if (!stage.has(table)) throw damagedArchive(`条目 entry tables/${table}.ndjson`, 'not a table of this format');
      const target = staged(table);
      const json = `[${lines.join(',')}]`;
      await stageRows(tx, `tables/${table}.ndjson`, () =>
        tx.execute(
          sql`${sql.raw(`insert into ${target} select * from json_populate_recordset(null::public.${ident(table)}, `)}${json}${sql.raw('::json)')}`,
        ),
      );
      rowsDone += lines.length;
      options.onProgress?.({ phase, rows: rowsDone, totalRows });
    },
    ...(options.dryRun
      ? {}
      : {
          onFile: async (sha256, _size, content) => {
            let stored;
            try {
              stored = await blobs.put(content);
            } finally {
              content.destroy();
            }
            if (stored.sha256 !== sha256)
              throw damagedArchive(`文件 file ${sha256}`, 'its content does not match its name');
          },
        }),
  });

  await checkStaged(tx, plan, staged, checked);
  const people = await describePeople(tx, staged);
  const conflicts = await findConflicts(tx, plan, staged);
  const tables = manifest.tables;
  const kinds = KIND_ORDER.map((kind) => ({
    kind,
    rows: tables.filter((t) => kindOf(t.name) === kind).reduce((n, t) => n + t.rows, 0),
  })).filter((k) => k.rows > 0 || k.kind !== 'other');
  const report: WorkspaceImportReport = {
    dryRun: options.dryRun,
    imported: false,
    workspace: header.workspace,
    archive: { createdAt: header.createdAt, zizhiVersion: header.zizhiVersion, encrypted: checked.encrypted },
    kinds,
    tables,
    files: manifest.files,
    people,
    mustSetPassword: people.filter((p) => p.role !== null && p.account === 'new').map((p) => p.email),
    conflicts,
  };
  if (conflicts.length > 0) {
    if (options.dryRun) throw new DryRunDone(report);
    const names = conflicts.flatMap((c) => c.names).slice(0, 3);
    const named = names.length > 0 ? `（${names.join('、')}）` : '';
    throw conflict({
      zh: `本系统中已有这个工作空间或其中的企业、记录${named}，可能已导入过。为免覆盖，导入已停止，未做任何改动。`,
      en: `This instance already has this workspace or some of its organisations or records${names.length > 0 ? ` (${names.join(', ')})` : ''}: it may have been imported before. Nothing was changed.`,
    });
  }

  // ── People: linked to this instance's accounts by e-mail, or created without a password.
  await tx.execute(
    sql.raw(`create temp table zizhi_people_map on commit drop as
      select p.id as source,
        coalesce(u.id, case when exists (select 1 from public.users x where x.id = p.id) then gen_random_uuid() else p.id end) as target,
        u.id is not null as existing
      from zizhi_people p left join public.users u on lower(u.email) = lower(p.email)`),
  );
  await tx.execute(sql`
    insert into users (id, email, name, password_hash)
    select m.target, lower(p.email), p.name, ${UNUSABLE_PASSWORD_HASH}
    from zizhi_people p join zizhi_people_map m on m.source = p.id where not m.existing`);

  // ── The rows, in foreign-key order, people's ids mapped.
  for (const t of plan.tables) {
    const columns = t.info.columns;
    const values = columns.map((c) =>
      t.userColumns.includes(c)
        ? `(select m.target from zizhi_people_map m where m.source = s.${ident(c)})`
        : `s.${ident(c)}`,
    );
    try {
      await tx.execute(
        sql.raw(
          `insert into public.${ident(t.info.name)} (${columns.map(ident).join(', ')}) ${t.info.hasIdentity ? 'overriding system value ' : ''}` +
            `select ${values.join(', ')} from ${staged(t.info.name)} s`,
        ),
      );
    } catch (err) {
      const state = sqlState(err);
      if (state.code === '23505') {
        throw conflict({
          zh: `导入的数据与本系统已有的数据重复（${state.constraint ?? t.info.name}），可能已导入过。导入已停止，未做任何改动。`,
          en: `The archive's data duplicates data this instance has (${state.constraint ?? t.info.name}): it may have been imported before. Nothing was changed.`,
        });
      }
      if (state.code === '23503' || state.code === '23502' || state.code === '23514') {
        throw damagedArchive(
          `条目 entry tables/${t.info.name}.ndjson`,
          `its rows break a rule of the table (${state.constraint ?? state.code})`,
        );
      }
      throw err;
    }
  }

  // Audit rows name people by id in their target and summary: the linked ones have new ids here.
  const remapped = await queryRows<{ source: string; target: string }>(
    tx,
    sql`select source::text, target::text from zizhi_people_map where source <> target`,
  );
  for (const { source, target } of remapped) {
    await tx.execute(sql`
      update audit_log set target_id = ${target} where workspace_id = ${ws} and target_id = ${source}`);
    await tx.execute(sql`
      update audit_log set summary = replace(summary::text, ${source}, ${target})::jsonb
      where workspace_id = ${ws} and strpos(summary::text, ${source}) > 0`);
  }

  // The importer owns what they imported.
  await tx.execute(sql`
    insert into workspace_members (workspace_id, user_id, role, org_ids) values (${ws}, ${options.importerId}, 'owner', null)
    on conflict (workspace_id, user_id) do update set role = 'owner', org_ids = null`);
  await recordAudit(tx, {
    action: 'workspace.imported',
    actorId: options.importerId,
    workspaceId: ws,
    targetType: 'workspace',
    targetId: ws,
    summary: {
      name: header.workspace.name,
      exportedAt: header.createdAt,
      rows: totalRows,
      files: manifest.files.count,
      accountsLinked: people.filter((p) => p.account === 'existing').length,
      accountsCreated: people.filter((p) => p.account === 'new').length,
    },
    ip: options.ip ?? null,
  });
  if (options.dryRun) throw new DryRunDone(report);
  return { ...report, imported: true };
}

/** Runs one staging statement; a row the database cannot read is damage to its entry. */
async function stageRows(tx: Tx, entry: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    const { code } = sqlState(err);
    if (code && /^(22|23|42804)/.test(code))
      throw damagedArchive(`条目 entry ${entry}`, `a row cannot be read (${code})`);
    throw err;
  }
}

/**
 * Checks the staged rows: the header's workspace and nothing else, every row in its scope, every
 * reference inside the archive (or, for references without a foreign key, at nothing), the
 * files' blobs all there, the people unique. Refuses a crafted archive before it can reach any
 * other workspace's data.
 */
async function checkStaged(
  tx: Tx,
  plan: TransferPlan,
  staged: (table: string) => string,
  checked: CheckedWorkspaceArchive,
): Promise<void> {
  const { header, manifest } = checked;
  const ws = header.workspace.id;
  const wrong = (table: string, why: string) => damagedArchive(`条目 entry tables/${table}.ndjson`, why);
  for (const { name, rows } of manifest.tables) {
    if ((await count(tx, `select 1 from ${staged(name)}`)) !== rows)
      throw wrong(name, 'a line holds more or fewer than one row');
  }
  const [root] = await queryRows<{ n: string; id: string | null }>(
    tx,
    sql.raw(`select count(*)::text as n, max(id::text) as id from ${staged('workspaces')}`),
  );
  if (Number(root!.n) !== 1 || root!.id !== ws.toLowerCase())
    throw wrong('workspaces', 'it must hold the header’s workspace, once');
  for (const t of plan.tables) {
    const name = t.info.name;
    const outside = await count(
      tx,
      `select 1 from ${staged(name)} t where not coalesce(${scopeCondition(plan, name, 't', staged, ws)}, false)`,
    );
    if (outside > 0) throw wrong(name, `${outside} rows belong to another workspace`);
    for (const ref of t.references) {
      const key = ident(plan.byName.get(ref.table)!.info.primaryKey[0]!.column);
      const dangling = await count(
        tx,
        `select 1 from ${staged(name)} s where s.${ident(ref.column)} is not null and not exists ` +
          `(select 1 from ${staged(ref.table)} r where r.${key} = s.${ident(ref.column)})`,
      );
      if (dangling > 0) throw wrong(name, `${dangling} rows reference ${ref.table} outside the archive`);
    }
    for (const column of t.userColumns) {
      const unknown = await count(
        tx,
        `select 1 from ${staged(name)} s where s.${ident(column)} is not null and not exists ` +
          `(select 1 from zizhi_people p where p.id = s.${ident(column)})`,
      );
      if (unknown > 0) throw wrong(name, `${unknown} rows name a person the archive does not list`);
    }
  }
  for (const ref of SOFT_REFERENCES) {
    if (!plan.byName.has(ref.table)) continue;
    const targets = ref.references === '*' ? RECORD_TABLES : [ref.references];
    const values = ref.array
      ? `select v from ${staged(ref.table)} s cross join lateral unnest(s.${ident(ref.column)}) v`
      : `select s.${ident(ref.column)} as v from ${staged(ref.table)} s`;
    const inArchive = targets.map((t) => `select id from ${staged(t)}`).join(' union all ');
    const here = targets.map((t) => `select id from public.${ident(t)}`).join(' union all ');
    const foreign = await count(
      tx,
      `select 1 from (${values}) x where x.v is not null and x.v not in (${inArchive}) and x.v in (${here})`,
    );
    if (foreign > 0) throw wrong(ref.table, `${foreign} rows point at records of this instance outside the archive`);
  }
  const blobs = manifest.entries.flatMap((e) => (e.name.startsWith('files/') ? [e.name.slice(6)] : [])).sort();
  const used = (
    await queryRows<{ sha256: string }>(tx, sql.raw(`select distinct sha256 from ${staged('files')} order by 1`))
  ).map((r) => r.sha256);
  if (blobs.join() !== [...used].sort().join())
    throw wrong('files', 'its files and the archive’s file contents do not match');
  const twice = await count(tx, 'select lower(email) from zizhi_people group by lower(email) having count(*) > 1');
  if (twice > 0) throw damagedArchive('条目 entry people.ndjson', 'an e-mail address appears twice');
}

/** The archive's people: role and limit from its members, linked or new by e-mail here. */
async function describePeople(tx: Tx, staged: (table: string) => string): Promise<ImportPerson[]> {
  const rows = await queryRows<{
    email: string;
    name: string;
    role: Role | null;
    limited: boolean | null;
    existing: boolean;
  }>(
    tx,
    sql.raw(`select p.email, p.name, m.role, m.org_ids is not null as limited,
        exists (select 1 from public.users u where lower(u.email) = lower(p.email)) as existing
      from zizhi_people p left join ${staged('workspace_members')} m on m.user_id = p.id
      order by (m.role is null), lower(p.email)`),
  );
  return rows.map((r) => ({
    email: r.email.toLowerCase(),
    name: r.name,
    role: r.role,
    limited: r.role !== null && r.limited === true,
    account: r.existing ? 'existing' : 'new',
  }));
}

/** Rows of the archive whose primary key exists here, per table, with a few names to show. */
async function findConflicts(
  tx: Tx,
  plan: TransferPlan,
  staged: (table: string) => string,
): Promise<WorkspaceImportReport['conflicts']> {
  const found: WorkspaceImportReport['conflicts'] = [];
  for (const t of plan.tables) {
    if (t.info.primaryKey.length !== 1) continue;
    const key = ident(t.info.primaryKey[0]!.column);
    const clash = `select s.* from ${staged(t.info.name)} s where exists (select 1 from public.${ident(t.info.name)} p where p.${key} = s.${key})`;
    const rows = await count(tx, clash);
    if (rows === 0) continue;
    const names =
      t.info.name === 'workspaces' || t.info.name === 'organisations'
        ? (
            await queryRows<{ name: string }>(tx, sql.raw(`select c.name from (${clash}) c order by c.name limit 5`))
          ).map((r) => r.name)
        : [];
    found.push({ table: t.info.name, kind: kindOf(t.info.name), rows, names });
  }
  return found;
}
