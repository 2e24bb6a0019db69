// The backup archive format (version 1), shared by writing, checking and restoring. docs/backup.md
// describes it for people; this file is the definition.
//
//   gzip( tar(
//     zizhi-backup.json          header: format, version, when, which release and database, schema
//     tables/<table>.ndjson      one row_to_json(t)::text per line, ordered by primary key
//     files/<sha256>             the bytes of every blob the files table references
//     settings.json              what the data needs besides itself: the channel key
//     manifest.json              SHA-256 and size of every entry before it, row and file counts
//   ) )
//
// optionally encrypted as a whole with age (passphrase or X25519 recipients). The manifest comes
// last because it is computed while the entries stream out; a reader that reaches it has seen
// everything it vouches for.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Duplex, PassThrough, Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type tarStream from 'tar-stream';
import { z } from 'zod';

// age and tar-stream are loaded by the first archive written or read (a backup, a restore, a
// workspace transfer), not at start: a server that only answers requests has no use for them.
let ageModule: Promise<typeof import('age-encryption')> | undefined;
let tarModule: Promise<typeof tarStream> | undefined;
const loadAge = () => (ageModule ??= import('age-encryption'));
const loadTar = () => (tarModule ??= import('tar-stream').then((m) => m.default));

export const ARCHIVE_FORMAT = 'zizhi-backup';
export const FORMAT_VERSION = 1;
export const HEADER_ENTRY = 'zizhi-backup.json';
export const SETTINGS_ENTRY = 'settings.json';
export const MANIFEST_ENTRY = 'manifest.json';
export const tableEntry = (table: string) => `tables/${table}.ndjson`;
export const fileEntry = (sha256: string) => `files/${sha256}`;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const TABLE_ENTRY = /^tables\/([a-z_][a-z0-9_]*)\.ndjson$/;
const FILE_ENTRY = /^files\/([0-9a-f]{64})$/;

export const HeaderSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int().positive(),
  createdAt: z.string().datetime(),
  zizhiVersion: z.string(),
  database: z.enum(['pglite', 'postgres']),
  schema: z.object({
    applied: z.number().int().min(0),
    lastTag: z.string().nullable(),
    /** SHA-256 of each applied migration, in order, as the source database recorded them. */
    migrations: z.array(z.string().regex(SHA256_HEX)),
  }),
});
export type Header = z.infer<typeof HeaderSchema>;

export const SettingsSchema = z.object({
  /** Base64 of the 32-byte key that seals channel secrets (notify/secret-box.ts), when there is one. */
  secretKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/)
    .nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

const ManifestBodySchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int().positive(),
  /** Every entry before the manifest, in archive order. */
  entries: z.array(z.object({ name: z.string(), size: z.number().int().min(0), sha256: z.string().regex(SHA256_HEX) })),
  /** Tables in archive order (the order they load in) with their row counts. */
  tables: z.array(z.object({ name: z.string(), rows: z.number().int().min(0) })),
  files: z.object({ count: z.number().int().min(0), bytes: z.number().int().min(0) }),
});
export type ManifestBody = z.infer<typeof ManifestBodySchema>;
export type Manifest = ManifestBody & {
  /** SHA-256 of the manifest's own JSON without this field, so a damaged manifest names itself. */
  sha256: string;
};

/** The manifest's text: its body as JSON with the body's own SHA-256 last. */
export function serializeManifest(body: ManifestBody): Buffer {
  const sha256 = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return Buffer.from(`${JSON.stringify({ ...body, sha256 })}\n`);
}

/** Why a restore or check refuses an archive; the message says what, in Chinese then English. */
export class BackupError extends Error {
  constructor(
    readonly code:
      | 'damaged'
      | 'incomplete'
      | 'not-an-archive'
      | 'format'
      | 'encrypted'
      | 'passphrase'
      | 'schema-newer'
      | 'schema-mismatch'
      | 'target-not-empty'
      | 'target-ahead'
      | 'secret-key'
      | 'in-use'
      | 'unreadable',
    zh: string,
    en: string,
  ) {
    super(`${zh}\n${en}`);
  }
}

/** A part of an archive, in Chinese and English. */
type Part = readonly [zh: string, en: string];

/** The parts damage can be found in. */
export const part = {
  entry: (name: string): Part => [`条目 ${name}`, `entry ${name}`],
  header: [`文件头 ${HEADER_ENTRY}`, `header ${HEADER_ENTRY}`] as Part,
  manifest: [`清单 ${MANIFEST_ENTRY}`, `manifest ${MANIFEST_ENTRY}`] as Part,
  ageHeader: ['加密文件头', 'the age header'] as Part,
  encrypted: ['加密数据', 'the encrypted data'] as Part,
  compressed: ['压缩数据', 'the compressed data'] as Part,
  tar: ['tar 结构', 'the tar structure'] as Part,
};

/** Damage in one part of the archive, named so the reader knows what to distrust. */
export const damaged = ([zh, en]: Part, detail: string | Part) => {
  const [detailZh, detailEn] = typeof detail === 'string' ? [detail, detail] : detail;
  return new BackupError(
    'damaged',
    `备份文件已损坏：${zh}（${detailZh}）。`,
    `The archive is damaged: ${en} (${detailEn}).`,
  );
};

// ── Encryption

/** How an archive is encrypted as it is written: with a passphrase (scrypt) or to age public keys. */
export type Encryption =
  | {
      passphrase: string;
      /** scrypt's work factor (log2 N), age's 18 by default; tests lower it to save time and memory. */
      scryptLogN?: number;
    }
  | { recipients: string[] };
/** What may open an encrypted archive: a passphrase and/or age identities (AGE-SECRET-KEY-1…). */
export interface Decryption {
  passphrase?: string;
  identities?: string[];
}

const AGE_MAGIC = Buffer.from('age-encryption.org/v1\n');
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** The identities of an age identity file: every non-comment line. */
export function parseIdentityFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** True when the archive's stored bytes are an age file (it needs a passphrase or identity). */
export async function isEncryptedArchive(open: () => Readable | Promise<Readable>): Promise<boolean> {
  const source = await open();
  try {
    const { head } = await peek(
      relabel(source, (err) => new BackupError('unreadable', reason(err), reason(err))),
      AGE_MAGIC.length,
    );
    return head.equals(AGE_MAGIC);
  } finally {
    source.destroy();
  }
}

/** A duplex that encrypts what is written to it into an age file, streaming in 64 KiB chunks. */
async function encryptingStream(encryption: Encryption): Promise<Duplex> {
  const { Encrypter } = await loadAge();
  const encrypter = new Encrypter();
  if ('passphrase' in encryption) {
    encrypter.setPassphrase(encryption.passphrase);
    if (encryption.scryptLogN !== undefined) encrypter.setScryptWorkFactor(encryption.scryptLogN);
  } else {
    for (const recipient of encryption.recipients) encrypter.addRecipient(recipient);
  }
  const input = new PassThrough();
  const output = await encrypter.encrypt(Readable.toWeb(input) as ReadableStream<Uint8Array>);
  return Duplex.from({ writable: input, readable: Readable.fromWeb(output as never) });
}

/** Rethrows errors of one stage as BackupErrors of that stage (ours pass through unchanged). */
async function* relabel(
  source: AsyncIterable<Uint8Array>,
  label: (err: unknown) => BackupError,
): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of source) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
  } catch (err) {
    throw err instanceof BackupError ? err : label(err);
  }
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The first `n` bytes of a stream and the stream as a whole again (the head put back). */
async function peek(source: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < n) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all() {
    if (head.length > 0) yield head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head: head.subarray(0, n), stream: Readable.from(all(), { objectMode: false }) };
}

/**
 * The archive's tar bytes from its stored bytes: decrypted when it is an age file, then
 * decompressed. Errors name the layer that failed (a wrong passphrase, damaged encrypted data,
 * damaged compressed data) instead of a library's words.
 */
export async function openArchiveLayers(
  source: Readable,
  decryption: Decryption = {},
): Promise<{ tar: Readable; encrypted: boolean }> {
  const guarded = relabel(source, (err) =>
    (err as NodeJS.ErrnoException).code === 'ENOENT'
      ? new BackupError(
          'unreadable',
          `找不到备份文件（${reason(err)}）。`,
          `The archive was not found (${reason(err)}).`,
        )
      : new BackupError('unreadable', `无法读取备份文件：${reason(err)}`, `Cannot read the archive: ${reason(err)}`),
  );
  const { head, stream } = await peek(guarded, AGE_MAGIC.length);
  let compressed: Readable = stream;
  const encrypted = head.equals(AGE_MAGIC);
  if (encrypted) {
    if (!decryption.passphrase && !decryption.identities?.length) {
      stream.destroy();
      throw new BackupError(
        'encrypted',
        '备份文件已加密：请用 --passphrase（或环境变量 ZIZHI_BACKUP_PASSPHRASE）提供口令，或用 --identity 提供 age 私钥文件。',
        'The archive is encrypted: give its passphrase with --passphrase (or ZIZHI_BACKUP_PASSPHRASE), or an age identity file with --identity.',
      );
    }
    const { Decrypter } = await loadAge();
    const decrypter = new Decrypter();
    if (decryption.passphrase) decrypter.addPassphrase(decryption.passphrase);
    for (const identity of decryption.identities ?? []) decrypter.addIdentity(identity);
    let plain: ReadableStream<Uint8Array>;
    try {
      plain = await decrypter.decrypt(Readable.toWeb(stream) as ReadableStream<Uint8Array>);
    } catch (err) {
      stream.destroy();
      if (err instanceof BackupError) throw err;
      if (/no identity matched/.test(reason(err))) {
        throw new BackupError(
          'passphrase',
          '无法解密备份文件：口令错误，或所给私钥不是该备份的接收方。',
          'Cannot decrypt the archive: wrong passphrase, or the identity given is not one of its recipients.',
        );
      }
      throw damaged(part.ageHeader, reason(err));
    }
    compressed = Readable.from(
      relabel(plain as AsyncIterable<Uint8Array>, (err) => damaged(part.encrypted, reason(err))),
    );
  } else if (!head.subarray(0, 2).equals(GZIP_MAGIC)) {
    stream.destroy();
    throw new BackupError(
      'not-an-archive',
      '这不是 Zizhi 备份文件（既不是 gzip 也不是 age 加密格式）。',
      'This is not a Zizhi backup archive (neither gzip nor age-encrypted).',
    );
  }
  const gunzip = createGunzip();
  pipeline(compressed, gunzip).catch(() => {
    // Reported through the gunzip stream, which pipeline destroys with the same error.
  });
  const tar = Readable.from(relabel(gunzip, (err) => damaged(part.compressed, reason(err))));
  return { tar, encrypted };
}

/** One entry as a reader sees it: its name, declared size and content. */
export interface ArchiveEntry {
  name: string;
  size: number;
  stream: AsyncIterable<Buffer>;
}

/**
 * The entries of a tar stream, in order; each must be read to its end (or not at all) before the
 * next is asked for. Tar-level damage is reported as such.
 */
export async function* tarEntries(tar: Readable): AsyncGenerator<ArchiveEntry> {
  const extract = (await loadTar()).extract();
  tar.on('error', (err) => extract.destroy(err));
  tar.pipe(extract);
  try {
    for await (const entry of relabelEntries(extract)) {
      const { name, size, type } = entry.header;
      if (type !== 'file') throw damaged(part.entry(name), `type ${type}`);
      yield {
        name,
        size: size ?? 0,
        stream: relabel(entry, (err) => damaged(part.entry(name), reason(err))),
      };
      entry.resume();
    }
  } finally {
    tar.destroy();
    extract.destroy();
  }
}

async function* relabelEntries(
  extract: tarStream.Extract,
): AsyncGenerator<AsyncIterable<Buffer> & { header: tarStream.Header; resume(): unknown }> {
  try {
    for await (const entry of extract)
      yield entry as AsyncIterable<Buffer> & { header: tarStream.Header; resume(): unknown };
  } catch (err) {
    throw err instanceof BackupError ? err : damaged(part.tar, reason(err));
  }
}

/** Reads a small JSON entry whole (header, settings, manifest: kilobytes). */
export async function readSmallEntry(entry: ArchiveEntry, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry.stream) {
    size += chunk.length;
    if (size > limit) throw damaged(part.entry(entry.name), 'too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses and validates a JSON entry; anything wrong with it is damage to that entry. */
export function parseJsonEntry<T>(name: string, bytes: Buffer, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw damaged(part.entry(name), `not JSON: ${reason(err)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw damaged(part.entry(name), parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

/** The header after checking it is ours and of a version this release reads. */
export function parseHeader(bytes: Buffer): Header {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw damaged(part.header, `not JSON: ${reason(err)}`);
  }
  const format = (raw as { format?: unknown; formatVersion?: unknown } | null) ?? {};
  if (format.format !== ARCHIVE_FORMAT) {
    throw new BackupError('not-an-archive', '这不是 Zizhi 备份文件。', 'This is not a Zizhi backup archive.');
  }
  if (typeof format.formatVersion === 'number' && format.formatVersion > FORMAT_VERSION) {
    throw new BackupError(
      'format',
      `备份文件格式版本 ${format.formatVersion} 比当前 Zizhi 支持的版本 ${FORMAT_VERSION} 新：请升级 Zizhi 后再恢复。`,
      `The archive's format version ${format.formatVersion} is newer than this release reads (${FORMAT_VERSION}): upgrade Zizhi to restore it.`,
    );
  }
  return parseJsonEntry(HEADER_ENTRY, bytes, HeaderSchema);
}

/** The manifest after checking its own checksum. */
export function parseManifest(bytes: Buffer): Manifest {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw damaged(part.manifest, `not JSON: ${reason(err)}`);
  }
  const { sha256, ...body } = raw ?? {};
  if (typeof sha256 !== 'string' || createHash('sha256').update(JSON.stringify(body)).digest('hex') !== sha256) {
    throw damaged(part.manifest, ['校验值与内容不符', 'its checksum does not match its content']);
  }
  return { ...parseJsonEntry(MANIFEST_ENTRY, Buffer.from(JSON.stringify(body)), ManifestBodySchema), sha256 };
}

export const tableOfEntry = (name: string) => TABLE_ENTRY.exec(name)?.[1] ?? null;
export const fileOfEntry = (name: string) => FILE_ENTRY.exec(name)?.[1] ?? null;

// ── Writing

/** Writes tar entries to a gzip (and maybe age) stream ending in `sink`, hashing what it stores. */
export class ArchiveWriter {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private readonly done: Promise<void>;
  private failure: Error | null = null;
  private readonly mtime: Date;

  private constructor(
    sink: Writable,
    layers: Duplex[],
    readonly createdAt: Date,
    private readonly pack: tarStream.Pack,
  ) {
    this.mtime = createdAt;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        callback(null, chunk);
      },
    });
    async function* packed() {
      for await (const chunk of pack) yield chunk as Buffer;
    }
    this.done = pipeline([Readable.from(packed()), ...layers, counter, sink]);
    this.done.catch((err: unknown) => {
      this.failure ??= asError(err);
      pack.destroy(this.failure);
    });
  }

  static async open(sink: Writable, createdAt: Date, encryption?: Encryption): Promise<ArchiveWriter> {
    const layers: Duplex[] = [createGzip({ level: 6 })];
    if (encryption) layers.push(await encryptingStream(encryption));
    const tarStream = await loadTar();
    return new ArchiveWriter(sink, layers, createdAt, tarStream.pack());
  }

  /** Adds an entry of known size from bytes or a stream; returns the content's SHA-256. */
  async add(name: string, size: number, content: Buffer | AsyncIterable<Buffer>): Promise<string> {
    if (this.failure) throw this.failure;
    const hash = createHash('sha256');
    let written = 0;
    const finished = new Promise<void>((resolve, reject) => {
      const entry = this.pack.entry({ name, size, mtime: this.mtime, mode: 0o600 }, (err) =>
        err ? reject(err) : resolve(),
      );
      const write = async () => {
        const chunks = Buffer.isBuffer(content) ? [content] : content;
        for await (const chunk of chunks) {
          hash.update(chunk);
          written += chunk.length;
          if (written > size) throw new Error(`${name} grew while it was archived`);
          if (!entry.write(chunk)) await once(entry, 'drain');
          if (this.failure) throw this.failure;
        }
        if (written !== size) throw new Error(`${name} has ${written} bytes, ${size} expected`);
        entry.end(undefined);
      };
      write().catch((err: unknown) => {
        entry.destroy(asError(err));
        reject(asError(err));
      });
    });
    await Promise.race([finished, this.done.then(() => finished)]);
    return hash.digest('hex');
  }

  /** Ends the archive and waits until the sink has taken every byte. */
  async finish(): Promise<{ bytes: number; sha256: string }> {
    if (this.failure) throw this.failure;
    this.pack.finalize();
    await this.done;
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Stops writing: the sink is destroyed with the error, so nothing takes a half archive for whole. */
  abort(err: unknown): void {
    this.failure ??= asError(err);
    this.pack.destroy(this.failure);
  }

  /** Resolves or rejects when the pipeline to the sink ends. */
  settled(): Promise<void> {
    return this.done.catch(() => undefined);
  }
}
