import { stat } from 'node:fs/promises';
import type { Tx } from '../../db/client.js';
import { conflict, invalid, notFound } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { requireOrgAccess } from '../../access/membership.js';
import { isBlank, normaliseIdNumber } from './cells.js';
import { COLUMNS, IMPORT_KIND_LABELS, normaliseHeader, type ImportKind } from './columns.js';
import {
  MAX_DATA_ROWS,
  MAX_LISTED_ERRORS,
  planColumns,
  RowChecker,
  type ImportError,
  type ParsedRow,
} from './parse.js';
import type { ImportProgress } from '../../http/progress.js';
import { detectFormat, readRows } from './read.js';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './xlsx.js';
import {
  deleteMapping,
  deleteRun,
  findOrganisation,
  finishRun,
  leftRuns,
  loadMapping,
  lockImports,
  runBeingSaved,
  startRun,
  storeMapping,
} from './repository.js';
import {
  countKeys,
  insertBatch,
  loadKeys,
  readKeyDigests,
  sumDigests,
  takeUndoPart,
  updateBatch,
  WRITE_BATCH,
  type KeyRows,
} from '../registry/api.js';

/** Runs `fn` in one transaction as the caller: the tenant-scoped one for a request, the system's for the CLI. */
export type RunInTransaction = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

export type ReportProgress = (p: ImportProgress) => void;

/**
 * Lets the event loop run: timers, other requests and their queries. The embedded database runs
 * each statement on the event loop and resolves it without a turn in between, so a loop over
 * rows or statements must give the turn itself.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ImportOutcome {
  /** Data rows read (blank rows not counted). */
  rows: number;
  errors: ImportError[];
  /** Every error, also those past the listed ones. */
  errorCount: number;
  dryRun: boolean;
  columns: string[];
  missingFields: string[];
  /** Rows added and updated (on a dry run: that would be), when there are no errors. */
  created?: number;
  updated?: number;
}

/**
 * The organisation, checked for the actor (contributors and above may import). `actor` null
 * is the system acting from the command line, for whom the organisation only has to exist.
 */
async function organisationFor(tx: Tx, actor: Actor | null, orgId: string, min: 'viewer' | 'contributor') {
  if (actor) return (await requireOrgAccess(tx, actor, orgId, min)).org;
  const org = await findOrganisation(tx, orgId);
  if (!org) throw notFound('企业');
  return org;
}

/** Checked before any byte of an upload is read, so refused callers send nothing for nothing. */
export async function requireImportAccess({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  await requireOrgAccess(tx, actor, orgId, 'contributor');
}

/** Templates are for everyone who may see the organisation. */
export async function requireTemplateAccess({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  await requireOrgAccess(tx, actor, orgId);
}

export interface FileCheck {
  rows: number;
  parsed: ParsedRow[];
  errors: ImportError[];
  errorCount: number;
  /** The fields the file has, and each one's header as written there. */
  headers: Record<string, string>;
  /** Every column header of the file, for the mapping screen. */
  columns: string[];
  /** Required fields (keys) the file has no column for, even with the saved mapping. */
  missingFields: string[];
}

/**
 * Reads an import file and checks every row on its own (types, required values, dates in
 * order, repeated natural keys); the database is not consulted. Streams: only the checked
 * values are kept, never the workbook.
 */
export async function checkImportFile({
  kind,
  path,
  mapping,
  limits = DEFAULT_IMPORT_LIMITS,
  onProgress = () => {},
}: {
  kind: ImportKind;
  path: string;
  mapping: Record<string, string>;
  /** What reading a workbook may cost (ZIZHI_IMPORT_MAX_CELLS, ZIZHI_IMPORT_MAX_INFLATED_MB). */
  limits?: ImportLimits;
  onProgress?: ReportProgress;
}): Promise<FileCheck> {
  const format = await detectFormat(path);
  const { size } = await stat(path);
  let checker: RowChecker | null = null;
  let headerErrors: ImportError[] = [];
  let headers: Record<string, string> = {};
  let columns: string[] = [];
  let missingFields: string[] = [];
  let rows = 0;
  let titleRows = 0;
  let bytes = 0;
  onProgress({ phase: 'read', rows: 0, bytes: 0, totalBytes: size });
  for await (const { row, cells } of readRows(path, format, (b) => (bytes = b), limits)) {
    if (cells.every((c) => isBlank(c))) continue;
    if (!checker && headerErrors.length === 0) {
      const planned = planColumns(kind, { row, cells }, mapping);
      // A report's title above the header (one filled cell, no known column) is not the header.
      if (planned.plan.length === 0 && titleRows < 3 && cells.filter((c) => !isBlank(c)).length === 1) {
        titleRows++;
        continue;
      }
      headers = Object.fromEntries(planned.plan.map((p) => [p.def.key, p.header]));
      columns = planned.columns;
      missingFields = planned.missing;
      if (planned.errors.length > 0) headerErrors = planned.errors;
      else checker = new RowChecker(kind, planned.plan);
      continue;
    }
    rows++;
    if (rows > MAX_DATA_ROWS) {
      throw invalid('file', `文件超过 ${MAX_DATA_ROWS} 行数据，请拆分成几个文件分别导入`);
    }
    checker?.check(row, cells);
    if (rows % 500 === 0) {
      onProgress({ phase: 'read', rows, bytes, totalBytes: size });
      // The reader hands over a chunk's rows without a turn of the event loop in between.
      await nextTurn();
    }
  }
  onProgress({ phase: 'read', rows, bytes: size, totalBytes: size });
  if (headerErrors.length > 0) {
    return { rows, parsed: [], errors: headerErrors, errorCount: headerErrors.length, headers, columns, missingFields };
  }
  if (!checker) {
    const error = { row: 1, column: null, message: '第 1 行：文件中没有表头和数据，请按模板填写后再导入' };
    return { rows: 0, parsed: [], errors: [error], errorCount: 1, headers, columns, missingFields };
  }
  if (rows === 0) {
    const error = { row: 2, column: null, message: '第 2 行：表头下没有数据行，请填写后再导入' };
    return { rows: 0, parsed: [], errors: [error], errorCount: 1, headers, columns, missingFields };
  }
  return {
    rows,
    parsed: checker.rows,
    errors: checker.errors,
    errorCount: checker.errorCount,
    headers,
    columns,
    missingFields,
  };
}

/** Rows placed between two turns of the event loop. */
const PLAN_SLICE = 2000;

/** The organisation's records a plan rests on: references (staff) and the rows to update. */
interface Known {
  staff: Array<KeyRows['staff']>;
  projects: Array<KeyRows['projects']>;
  qualifications: Array<KeyRows['qualifications']>;
  /** Digests of the tables in `KEYS_READ[kind]` order, to check in the write transaction. */
  digests: string[];
}

/** The tables an import of a kind reads keys from: references first, then its own. */
const KEYS_READ = {
  projects: ['staff', 'projects'],
  staff: ['staff'],
  qualifications: ['staff', 'qualifications'],
} as const satisfies Record<ImportKind, ReadonlyArray<keyof KeyRows>>;

/**
 * Key rows read per transaction: a statement over about this many holds the embedded database
 * (which lets no other request in while a transaction is open) for some tens of milliseconds.
 */
const KEY_PART = 10_000;

/**
 * Every key row of one table, in parts of about KEY_PART rows, each read in a transaction of
 * its own with a turn of the event loop before it. The parts' digests add up to the table's:
 * whatever changed between two parts shows in the write transaction's check.
 */
async function readTable<T extends keyof KeyRows>(read: RunInTransaction, table: T, orgId: string) {
  const of = Math.max(1, Math.ceil((await read((tx) => countKeys(tx, table, orgId))) / KEY_PART));
  const rows: Array<KeyRows[T]> = [];
  const digests: string[] = [];
  for (let index = 0; index < of; index++) {
    await nextTurn();
    const part = await read((tx) => loadKeys(tx, table, orgId, { index, of }));
    for (const row of part.rows) rows.push(row);
    digests.push(part.digest);
  }
  return { rows, digest: sumDigests(digests) };
}

/** Reads what a plan of `kind` needs through `read`, with the digests of what was read. */
async function readKnown(read: RunInTransaction, kind: ImportKind, orgId: string): Promise<Known> {
  const staff = await readTable(read, 'staff', orgId);
  const known: Known = { staff: staff.rows, projects: [], qualifications: [], digests: [staff.digest] };
  if (kind === 'projects') {
    const projects = await readTable(read, 'projects', orgId);
    known.projects = projects.rows;
    known.digests.push(projects.digest);
  } else if (kind === 'qualifications') {
    const qualifications = await readTable(read, 'qualifications', orgId);
    known.qualifications = qualifications.rows;
    known.digests.push(qualifications.digest);
  }
  return known;
}

interface WritePlan {
  errors: ImportError[];
  fields: string[];
  inserts: Array<Record<string, unknown>>;
  updates: Array<Record<string, unknown> & { id: string }>;
}

const rowError = (row: number, column: string | null, detail: string): ImportError => ({
  row,
  column,
  message: `第 ${row} 行：${detail}`,
});

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

const upperKey = (s: string | null) => (s && s.trim() ? s.trim().toUpperCase() : null);
const ID_NUMBER_LIKE = /^\d{17}[\dXx]$/;

/**
 * Places each checked row as an insert or an update by its natural key, resolving references
 * against `known`. No database: it runs outside any transaction, giving the event loop a turn
 * every few thousand rows.
 */
async function planWrites(
  kind: ImportKind,
  check: FileCheck,
  known: Known,
  onRow: (done: number) => void,
): Promise<WritePlan> {
  const errors: ImportError[] = [];
  const inserts: WritePlan['inserts'] = [];
  const updates: WritePlan['updates'] = [];
  const header = (key: string) => check.headers[key] ?? COLUMNS[kind].find((d) => d.key === key)?.header ?? key;
  const place = (
    row: number,
    column: string,
    values: Record<string, unknown>,
    existing: string[] | undefined,
    what: string,
  ) => {
    // The checked values are completed in place: copies of 50,000 rows would double the memory.
    if (!existing || existing.length === 0) inserts.push(values);
    else if (existing.length === 1) updates.push(Object.assign(values, { id: existing[0]! }));
    else
      errors.push(
        rowError(
          row,
          column,
          `${what}在系统中已有 ${existing.length} 条记录，无法确定更新哪一条；请先在登记册中合并重复记录`,
        ),
      );
  };
  const pause = (i: number) => {
    onRow(i);
    return nextTurn();
  };
  const staffRows = kind === 'staff' ? [] : known.staff;
  const staffByIdNumber = new Map(staffRows.flatMap((s) => (s.idNumber ? [[normaliseIdNumber(s.idNumber), s]] : [])));
  let fields = Object.keys(check.headers);

  if (kind === 'projects') {
    fields = fields.map((f) => (f === 'manager' ? 'managerId' : f));
    const staffByName = groupBy(staffRows, (s) => s.name.trim());
    const existing = groupBy(known.projects, (p) => upperKey(p.contractNumber));
    for (const [i, { row, values }] of check.parsed.entries()) {
      if (i % PLAN_SLICE === 0) await pause(i);
      const manager = values.manager;
      const out: Record<string, unknown> = values;
      if (typeof manager === 'string' && manager) {
        const byId = ID_NUMBER_LIKE.test(manager) ? staffByIdNumber.get(normaliseIdNumber(manager)) : undefined;
        const named = byId ? [byId] : (staffByName.get(manager) ?? []);
        if (named.length === 1) out.managerId = named[0]!.id;
        else {
          errors.push(
            rowError(
              row,
              header('manager'),
              named.length === 0
                ? `${header('manager')}“${manager}”不是本企业登记的人员；请先导入或登记人员，或填写其身份证号`
                : `本企业有 ${named.length} 名人员叫“${manager}”，请改填项目经理的身份证号`,
            ),
          );
          continue;
        }
      } else if ('manager' in values) out.managerId = null;
      place(
        row,
        header('contractNumber'),
        out,
        existing.get(upperKey(String(values.contractNumber))!)?.map((p) => p.id),
        `合同编号 ${String(values.contractNumber)} `,
      );
    }
  } else if (kind === 'staff') {
    const existing = groupBy(known.staff, (s) => (s.idNumber ? normaliseIdNumber(s.idNumber) : null));
    for (const [i, { row, values }] of check.parsed.entries()) {
      if (i % PLAN_SLICE === 0) await pause(i);
      place(
        row,
        header('idNumber'),
        values,
        existing.get(String(values.idNumber))?.map((s) => s.id),
        `身份证号 ${String(values.idNumber)} `,
      );
    }
  } else {
    fields = ['staffId', ...fields.filter((f) => f !== 'idNumber')];
    const existing = groupBy(known.qualifications, (q) =>
      q.number ? `${q.staffId}\u0000${q.kind}\u0000${upperKey(q.number)}` : null,
    );
    for (const [i, { row, values }] of check.parsed.entries()) {
      if (i % PLAN_SLICE === 0) await pause(i);
      const idNumber = values.idNumber;
      const holder = staffByIdNumber.get(String(idNumber));
      if (!holder) {
        errors.push(
          rowError(
            row,
            header('idNumber'),
            `${header('idNumber')} ${String(idNumber)} 不是本企业登记的人员；请先导入或登记该人员`,
          ),
        );
        continue;
      }
      const key = `${holder.id}\u0000${String(values.kind)}\u0000${upperKey(String(values.number))}`;
      place(
        row,
        header('number'),
        Object.assign(values, { staffId: holder.id }),
        existing.get(key)?.map((q) => q.id),
        `该人员的这项资质（证书编号 ${String(values.number)}）`,
      );
    }
  }
  return { errors, fields, inserts, updates };
}

/**
 * Checks the rows against the database (references, existing records) and, when nothing is
 * wrong and it is not a dry run, writes them all in one transaction with one audit entry. Any
 * error: nothing is written.
 *
 * The embedded database lets no other request in while a transaction is open, so the records are
 * read in short transactions of their own and the rows placed outside any, giving the event loop
 * a turn every few thousand rows; the write transaction holds the writes. Under the import lock
 * it first checks that the records read are still those in the database (their digests): when
 * another import or an edit changed them in between, it reads them and places the rows again
 * inside, as if it had read them there.
 *
 * With `parts`, more rows than `parts.rows` are saved in transactions of about that many rows
 * (saveInParts), so that other requests get the embedded database's one connection in between.
 */
export async function applyImport({
  run,
  actor,
  orgId,
  kind,
  check,
  dryRun,
  fileName,
  ip,
  parts,
  onProgress = () => {},
}: {
  run: RunInTransaction;
  actor: Actor | null;
  orgId: string;
  kind: ImportKind;
  check: FileCheck;
  dryRun: boolean;
  fileName: string;
  ip: string;
  parts?: SaveParts;
  onProgress?: ReportProgress;
}): Promise<ImportOutcome> {
  const totalRows = check.parsed.length;
  const onRow = (rows: number) => onProgress({ phase: 'validate', rows, totalRows });
  onRow(0);
  await run((tx) => organisationFor(tx, actor, orgId, 'contributor'));
  const known = await readKnown(run, kind, orgId);
  const planned = await planWrites(kind, check, known, onRow);
  const base = { rows: check.rows, dryRun, columns: check.columns, missingFields: check.missingFields };
  const failed = (plan: WritePlan): ImportOutcome => ({
    ...base,
    errors: plan.errors.slice(0, MAX_LISTED_ERRORS),
    errorCount: plan.errors.length,
  });
  if (planned.errors.length > 0) return failed(planned);
  if (dryRun) {
    return { ...base, errors: [], errorCount: 0, created: planned.inserts.length, updated: planned.updates.length };
  }
  /** Under the import lock: the plan again if the records changed since they were read. */
  const current = async (tx: Tx) => {
    await lockImports(tx, orgId, kind);
    if (await runBeingSaved(tx, orgId, kind)) throw busy(kind);
    const now = await readKeyDigests(tx, orgId, KEYS_READ[kind]);
    if (now.every((digest, i) => digest === known.digests[i])) return planned;
    return planWrites(kind, check, await readKnown((fn) => fn(tx), kind, orgId), onRow);
  };
  const audit = (tx: Tx, workspaceId: string, counts: { created: number; updated: number }) =>
    recordAudit(tx, {
      action: 'import.completed',
      actorId: actor?.userId ?? null,
      workspaceId,
      orgId,
      targetType: 'import',
      summary: { kind, file: fileName, rows: check.rows, ...counts, ...(actor ? {} : { via: 'cli' }) },
      ip,
    });
  if (parts && planned.inserts.length + planned.updates.length > parts.rows) {
    return saveInParts({ run, parts, actor, orgId, kind, current, audit, onProgress, totalRows, failed, base });
  }
  return run(async (tx) => {
    const org = await organisationFor(tx, actor, orgId, 'contributor');
    const plan = await current(tx);
    if (plan.errors.length > 0) return failed(plan);
    const counts = { created: plan.inserts.length, updated: plan.updates.length };
    let saved = 0;
    onProgress({ phase: 'save', rows: 0, totalRows });
    for (const { rows, write } of planStatements(kind, orgId, plan, WRITE_BATCH)) {
      await write(tx);
      onProgress({ phase: 'save', rows: (saved += rows), totalRows });
      await nextTurn();
    }
    await audit(tx, org.workspaceId, counts);
    return { ...base, errors: [], errorCount: 0, ...counts };
  });
}

/** A plan's statements, each of at most `size` rows; with `runId`, journalled for undo. */
function planStatements(kind: ImportKind, orgId: string, plan: WritePlan, size: number, runId?: string) {
  const writes: Array<{ rows: number; write: (tx: Tx) => Promise<void> }> = [];
  for (let i = 0; i < plan.inserts.length; i += size) {
    const batch = plan.inserts.slice(i, i + size);
    writes.push({ rows: batch.length, write: (tx) => insertBatch(tx, kind, orgId, plan.fields, batch, runId) });
  }
  for (let i = 0; i < plan.updates.length; i += size) {
    const batch = plan.updates.slice(i, i + size);
    writes.push({ rows: batch.length, write: (tx) => updateBatch(tx, kind, orgId, plan.fields, batch, runId) });
  }
  return writes;
}

/** How an import too large for one short transaction is saved. */
export interface SaveParts {
  /** Rows per transaction. */
  rows: number;
  /** The system's transactions, which undo a failed run whoever may still see the organisation. */
  system: RunInTransaction;
  /** Where a journal that could not be emptied is reported (the next start empties it). */
  log: (err: unknown, message: string) => void;
}

const busy = (kind: ImportKind) =>
  conflict({
    zh: `本企业正在保存另一份${IMPORT_KIND_LABELS[kind]}导入，请等它完成后再导入`,
    en: `Another ${kind} import is being saved into this organisation; import again when it has finished`,
  });

/** Journal rows undone or dropped per transaction. */
const UNDO_PART = 2000;

/**
 * Undoes a run's writes (or with `keep`, only empties its journal) in transactions of UNDO_PART
 * rows, then removes the run.
 */
async function closeRun(run: RunInTransaction, kind: ImportKind, runId: string, keep: boolean) {
  while ((await run((tx) => takeUndoPart(tx, kind, runId, UNDO_PART, keep))) > 0) await nextTurn();
  await run((tx) => deleteRun(tx, runId));
}

/**
 * Saves an import in transactions of about `parts.rows` rows, so that the embedded database's
 * one connection is free between them. The first transaction takes the import lock, checks the
 * plan and starts a run, which keeps other imports of the kind out until it finishes; each write
 * journals what undoes it. The last one writes the audit entry and finishes the run. Should any
 * part fail, the journal undoes the run's writes before the error is answered; a server stopped
 * half-way undoes them when it starts (undoUnfinishedImports). Between parts, others see the rows
 * saved so far.
 */
async function saveInParts({
  run,
  parts,
  actor,
  orgId,
  kind,
  current,
  audit,
  onProgress,
  totalRows,
  failed,
  base,
}: {
  run: RunInTransaction;
  parts: SaveParts;
  actor: Actor | null;
  orgId: string;
  kind: ImportKind;
  current: (tx: Tx) => Promise<WritePlan>;
  audit: (tx: Tx, workspaceId: string, counts: { created: number; updated: number }) => Promise<unknown>;
  onProgress: ReportProgress;
  totalRows: number;
  failed: (plan: WritePlan) => ImportOutcome;
  base: Omit<ImportOutcome, 'errors' | 'errorCount'>;
}): Promise<ImportOutcome> {
  const started = await run(async (tx) => {
    await organisationFor(tx, actor, orgId, 'contributor');
    const plan = await current(tx);
    if (plan.errors.length > 0) return { plan, runId: null };
    const runId = await startRun(tx, orgId, kind);
    if (!runId) throw busy(kind);
    return { plan, runId };
  });
  if (!started.runId) return failed(started.plan);
  const { plan, runId } = started;
  const counts = { created: plan.inserts.length, updated: plan.updates.length };
  // A statement runs on the event loop from start to end: none is larger than a part.
  const size = Math.min(WRITE_BATCH, parts.rows);
  const writes = planStatements(kind, orgId, plan, size, runId);
  const perPart = Math.max(1, Math.floor(parts.rows / size));
  let saved = 0;
  onProgress({ phase: 'save', rows: 0, totalRows });
  try {
    for (let i = 0; i < writes.length; i += perPart) {
      await nextTurn();
      const part = writes.slice(i, i + perPart);
      await run(async (tx) => {
        for (const { write } of part) await write(tx);
      });
      onProgress({ phase: 'save', rows: (saved += part.reduce((n, w) => n + w.rows, 0)), totalRows });
    }
    await run(async (tx) => {
      // Access is checked again: a member removed meanwhile does not finish the import.
      const org = await organisationFor(tx, actor, orgId, 'contributor');
      await audit(tx, org.workspaceId, counts);
      await finishRun(tx, runId);
    });
  } catch (err) {
    await closeRun(parts.system, kind, runId, false).catch((undoErr: unknown) =>
      parts.log(undoErr, 'undoing a failed import failed; the next start undoes it'),
    );
    throw err;
  }
  await closeRun(parts.system, kind, runId, true).catch((err: unknown) =>
    parts.log(err, 'emptying a finished import journal failed; the next start empties it'),
  );
  return { ...base, errors: [], errorCount: 0, ...counts };
}

/**
 * At start: undoes every import run a stopped server left unfinished, and empties the journals of
 * finished ones. Returns the runs undone.
 */
export async function undoUnfinishedImports(system: RunInTransaction): Promise<number> {
  let undone = 0;
  for (const left of await system((tx) => leftRuns(tx))) {
    await closeRun(system, left.kind as ImportKind, left.id, left.finishedAt !== null);
    if (left.finishedAt === null) undone++;
  }
  return undone;
}

/**
 * A whole import of a received file: the saved mapping, the file check (outside any
 * transaction: reading a large file must not hold the database), then the database check and
 * the writes (applyImport), so an import is all or nothing.
 */
export async function importFile({
  run,
  actor,
  orgId,
  kind,
  file,
  dryRun,
  ip,
  limits = DEFAULT_IMPORT_LIMITS,
  parts,
  onProgress = () => {},
}: {
  run: RunInTransaction;
  actor: Actor | null;
  orgId: string;
  kind: ImportKind;
  file: { path: string; name: string };
  dryRun: boolean;
  ip: string;
  limits?: ImportLimits;
  parts?: SaveParts;
  onProgress?: ReportProgress;
}): Promise<ImportOutcome> {
  const mapping = await run(async (tx) => {
    await organisationFor(tx, actor, orgId, 'contributor');
    return (await loadMapping(tx, orgId, kind)) ?? {};
  });
  const check = await checkImportFile({ kind, path: file.path, mapping, limits, onProgress });
  let outcome: ImportOutcome;
  if (check.errorCount > 0) {
    outcome = {
      rows: check.rows,
      errors: check.errors,
      errorCount: check.errorCount,
      dryRun,
      columns: check.columns,
      missingFields: check.missingFields,
    };
  } else {
    outcome = await applyImport({ run, actor, orgId, kind, check, dryRun, fileName: file.name, ip, parts, onProgress });
  }
  onProgress({ phase: 'done', rows: outcome.rows });
  return outcome;
}

/** Each field of a kind as the mapping screen shows it. */
export const describeFields = (kind: ImportKind) =>
  COLUMNS[kind].map((d) => ({
    key: d.key,
    header: d.header,
    aliases: [...d.aliases],
    type: d.type,
    required: d.required,
    help: d.help,
    ...(d.options ? { options: d.options.map((o) => ({ code: o.code, label: o.label })) } : {}),
  }));

/** The organisation's saved mapping for a kind (empty when none) with the kind's fields; viewers and above. */
export async function getMapping({
  tx,
  actor,
  orgId,
  kind,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  kind: ImportKind;
}) {
  await requireOrgAccess(tx, actor, orgId);
  return { kind, mapping: (await loadMapping(tx, orgId, kind)) ?? {}, fields: describeFields(kind) };
}

/**
 * Saves which source column each field comes from (a Jira or 禅道 export mapped once);
 * contributors and above. An empty mapping removes the saved one.
 */
export async function saveMapping({
  tx,
  actor,
  meta,
  orgId,
  kind,
  mapping,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  kind: ImportKind;
  mapping: Record<string, string>;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'contributor');
  const known = new Set(COLUMNS[kind].map((d) => d.key));
  const cleaned: Record<string, string> = {};
  const fieldOf = new Map<string, string>();
  for (const [key, header] of Object.entries(mapping)) {
    if (!known.has(key)) {
      throw invalid(`mapping.${key}`, `未知字段 ${key}；${IMPORT_KIND_LABELS[kind]}的字段有：${[...known].join('、')}`);
    }
    const trimmed = header.trim();
    if (!trimmed) continue;
    const other = fieldOf.get(normaliseHeader(trimmed));
    if (other) {
      throw invalid(`mapping.${key}`, `列“${trimmed}”已对应到字段 ${other}，一列只能对应一个字段`);
    }
    fieldOf.set(normaliseHeader(trimmed), key);
    cleaned[key] = trimmed;
  }
  if (Object.keys(cleaned).length === 0) await deleteMapping(tx, orgId, kind);
  else await storeMapping(tx, orgId, kind, cleaned);
  await recordAudit(tx, {
    action: 'import.mapping-saved',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'import-mapping',
    summary: { kind, mapping: cleaned },
    ip: meta.ip,
  });
  return { kind, mapping: cleaned, fields: describeFields(kind) };
}
