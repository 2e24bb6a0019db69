// Reading a workspace archive from start to end: its layers are the backup's (age, gzip, tar:
// modules/backup/archive.ts), its entries this module's (format.ts). Every entry is hashed and
// compared with the manifest, which comes last; a reader that hands rows on before reaching it
// (the import's second pass) compares each entry with the first pass's manifest as it ends.
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import {
  MANIFEST_ENTRY,
  fileOfEntry,
  openArchiveLayers,
  tableOfEntry,
  tarEntries,
  type Decryption,
} from '../backup/api.js';
import {
  damagedArchive,
  fromBackupError,
  notWorkspaceArchive,
  parseWorkspaceHeader,
  parseWorkspaceManifest,
  PEOPLE_ENTRY,
  WORKSPACE_HEADER_ENTRY,
  badArchive,
  type WorkspaceHeader,
  type WorkspaceManifest,
} from './format.js';

/** Opens the archive's bytes from the start; called once per pass. */
export type OpenArchive = () => Readable | Promise<Readable>;

export interface ReadHooks {
  /** The first pass's manifest: every entry is compared with it as soon as it ends. */
  expected?: WorkspaceManifest;
  onPeople?: (lines: string[]) => Promise<void>;
  onRows?: (table: string, lines: string[]) => Promise<void>;
  onFile?: (sha256: string, size: number, content: Readable) => Promise<void>;
  /** Bytes of the archive as stored, for progress. */
  onSourceBytes?: (bytes: number) => void;
}

/** An archive whose every entry is as its manifest says. */
export interface CheckedWorkspaceArchive {
  header: WorkspaceHeader;
  manifest: WorkspaceManifest;
  encrypted: boolean;
}

/** Lines handed on together: about this many, fewer when they are large. */
const BATCH_ROWS = 500;
const BATCH_BYTES = 4 * 1024 * 1024;

const sameEntry = (
  a?: { name: string; size: number; sha256: string },
  b?: { name: string; size: number; sha256: string },
) => a !== undefined && b !== undefined && a.name === b.name && a.size === b.size && a.sha256 === b.sha256;

async function collect(chunks: AsyncIterable<Buffer>, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const all: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > limit) throw damagedArchive('条目 entry', 'too large');
    all.push(chunk);
  }
  return Buffer.concat(all);
}

async function drain(chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of chunks);
}

/** Counts an entry's lines, handing them to `onBatch` (when given) in batches. */
async function readLines(
  name: string,
  content: AsyncIterable<Buffer>,
  onBatch?: (lines: string[]) => Promise<void>,
): Promise<number> {
  let rows = 0;
  let partial: Buffer[] = [];
  let batch: string[] = [];
  let batchBytes = 0;
  for await (const chunk of content) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      rows++;
      if (onBatch) {
        const line = Buffer.concat([...partial, chunk.subarray(start, nl)]).toString('utf8');
        batch.push(line);
        batchBytes += line.length;
        if (batch.length >= BATCH_ROWS || batchBytes >= BATCH_BYTES) {
          await onBatch(batch);
          batch = [];
          batchBytes = 0;
        }
      }
      partial = [];
      start = nl + 1;
    }
    if (start < chunk.length) partial.push(chunk.subarray(start));
  }
  if (partial.length > 0) throw damagedArchive(`条目 entry ${name}`, 'its last row is cut off');
  if (batch.length > 0) await onBatch!(batch);
  return rows;
}

function counting(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

/**
 * Reads a workspace archive from start to end, checking its structure, every entry's SHA-256 and
 * size, the row, people and file counts and the manifest itself, handing people, rows and files
 * to the hooks on the way. Refusals are AppErrors in both languages (INVALID_INPUT).
 */
export async function readWorkspaceArchive(
  open: OpenArchive,
  decryption: Decryption | undefined,
  hooks: ReadHooks = {},
): Promise<CheckedWorkspaceArchive> {
  try {
    return await walk(open, decryption, hooks);
  } catch (err) {
    throw fromBackupError(err);
  }
}

async function walk(
  open: OpenArchive,
  decryption: Decryption | undefined,
  hooks: ReadHooks,
): Promise<CheckedWorkspaceArchive> {
  const source = await open();
  const onBytes = hooks.onSourceBytes;
  const counted = onBytes ? source.pipe(counting((n) => onBytes(n))) : source;
  if (counted !== source) source.on('error', (err) => counted.destroy(err));
  const { tar, encrypted } = await openArchiveLayers(counted, decryption);
  let header: WorkspaceHeader | null = null;
  let manifest: WorkspaceManifest | null = null;
  const seen: WorkspaceManifest['entries'] = [];
  const tableRows: { name: string; rows: number }[] = [];
  let people = -1;
  let files = 0;
  let fileBytes = 0;
  let stage: 'header' | 'people' | 'tables' | 'files' | 'end' = 'header';
  const out = (name: string, why: string) => damagedArchive(`条目 entry ${name}`, why);

  for await (const entry of tarEntries(tar)) {
    const { name } = entry;
    if (stage === 'header' && name !== WORKSPACE_HEADER_ENTRY) throw notWorkspaceArchive(name);
    if (stage === 'end') throw out(name, `found after ${MANIFEST_ENTRY}`);
    if (seen.some((e) => e.name === name)) throw out(name, 'appears twice');
    if (name === MANIFEST_ENTRY) {
      manifest = parseWorkspaceManifest(await collect(entry.stream));
      stage = 'end';
      continue;
    }
    const hash = createHash('sha256');
    let size = 0;
    const hashed = async function* () {
      for await (const chunk of entry.stream) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    };
    const table = tableOfEntry(name);
    const file = fileOfEntry(name);
    if (name === WORKSPACE_HEADER_ENTRY) {
      header = parseWorkspaceHeader(await collect(hashed()));
      stage = 'people';
    } else if (name === PEOPLE_ENTRY) {
      if (stage !== 'people') throw out(name, 'must come right after the header');
      const onPeople = hooks.onPeople;
      people = await readLines(name, hashed(), onPeople && ((l) => onPeople(l)));
      stage = 'tables';
    } else if (table !== null) {
      if (stage !== 'tables') throw out(name, 'tables come after the people and before the files');
      tableRows.push({
        name: table,
        rows: await readLines(name, hashed(), hooks.onRows && ((l) => hooks.onRows!(table, l))),
      });
    } else if (file !== null) {
      if (stage !== 'tables' && stage !== 'files') throw out(name, 'files come after the tables');
      stage = 'files';
      if (hooks.onFile) await hooks.onFile(file, entry.size, Readable.from(hashed()));
      else await drain(hashed());
      files++;
      fileBytes += size;
    } else {
      throw out(name, 'not part of the format');
    }
    const sha256 = hash.digest('hex');
    if (file !== null && sha256 !== file) throw out(name, 'its content does not match its SHA-256 name');
    const record = { name, size, sha256 };
    if (hooks.expected && !sameEntry(record, hooks.expected.entries[seen.length])) {
      throw out(name, 'differs from the manifest (changed since it was checked?)');
    }
    seen.push(record);
  }

  if (!header) throw badArchive({ zh: '工作空间导出文件是空的。', en: 'The workspace archive is empty.' });
  if (!manifest) {
    throw badArchive({
      zh: `工作空间导出文件不完整：在 ${seen.at(-1)?.name ?? WORKSPACE_HEADER_ENTRY} 之后就结束了，没有清单（下载被中断或文件被截断）。请重新导出后再导入。`,
      en: `The workspace archive is incomplete: it ends after ${seen.at(-1)?.name ?? WORKSPACE_HEADER_ENTRY} without its manifest (an interrupted download or a truncated file). Export it again.`,
    });
  }
  if (people < 0) throw out(PEOPLE_ENTRY, 'missing');
  if (manifest.entries.length !== seen.length) {
    throw damagedArchive(
      '清单 manifest.json',
      `lists ${manifest.entries.length} entries, the archive has ${seen.length}`,
    );
  }
  for (const [i, entry] of seen.entries()) {
    if (!sameEntry(entry, manifest.entries[i])) {
      throw damagedArchive(`条目 entry ${entry.name}`, 'its SHA-256 or size does not match the manifest');
    }
  }
  const listed = manifest.tables.map((t) => `${t.name}:${t.rows}`).join(',');
  const found = tableRows.map((t) => `${t.name}:${t.rows}`).join(',');
  if (listed !== found) throw damagedArchive('清单 manifest.json', 'its tables or row counts do not match the entries');
  if (manifest.people !== people) throw damagedArchive('清单 manifest.json', 'its count of people does not match');
  if (manifest.files.count !== files || manifest.files.bytes !== fileBytes) {
    throw damagedArchive('清单 manifest.json', 'its file count or size does not match the entries');
  }
  return { header, manifest, encrypted };
}
