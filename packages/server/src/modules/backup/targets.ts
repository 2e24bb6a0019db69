// Where archives are kept: a folder, or a bucket and prefix in S3-compatible storage. Each target
// can save an archive stream so that no half-written archive ever carries an archive's name (a
// `.partial` file renamed when complete; an S3 multipart upload, invisible until completed), list
// the archives it holds, open one and delete one.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ListObjectsV2CommandOutput, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { loadS3, loadS3Upload } from '../../storage/s3-sdk.js';
import type { Config } from '../../config/index.js';
import type { BackupTargetSpec } from '../../config/backup.js';

export interface ArchiveInfo {
  name: string;
  bytes: number;
  /** When it was completed at the target (file time, or the object's LastModified). */
  modifiedAt: Date;
}

export interface BackupTarget {
  readonly kind: BackupTargetSpec['kind'];
  /** The target as people see it: a path or s3://bucket/prefix/, never credentials. */
  readonly display: string;
  /** Stores the stream as `name`; the name exists only once every byte is stored. */
  save(name: string, source: Readable): Promise<{ bytes: number }>;
  /** The archives present, newest first; files in progress and foreign names are left out. */
  list(): Promise<ArchiveInfo[]>;
  open(name: string): Promise<Readable>;
  remove(name: string): Promise<void>;
}

/** `zizhi-backup-20261127T023000Z.tar.gz` (optionally `.age`): the UTC instant it was started. */
const ARCHIVE_NAME = /^zizhi-backup-(\d{8}T\d{6}(?:\d{3})?Z)(?:-[a-z0-9]{1,12})?\.tar\.gz(?:\.age)?$/;

/** The name of an archive started at `at`; the suffix keeps two archives of one second apart. */
export function archiveName(at: Date, options: { encrypted: boolean; suffix?: string }): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `zizhi-backup-${stamp}${options.suffix ? `-${options.suffix}` : ''}.tar.gz${options.encrypted ? '.age' : ''}`;
}

export const isArchiveName = (name: string) => ARCHIVE_NAME.test(name);

/** When the archive was started, from its name; null for a name that is not an archive's. */
export function archiveTime(name: string): Date | null {
  const m = ARCHIVE_NAME.exec(name);
  if (!m) return null;
  const s = m[1]!;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** A name from outside (a request, a listing) must be an archive's, so it cannot reach another file. */
function assertArchiveName(name: string): void {
  if (!isArchiveName(name)) throw new Error(`not an archive name: ${name.slice(0, 80)}`);
}

const PARTIAL = '.partial';
/** A `.partial` older than this was left by a process that died while writing it. */
const STALE_PARTIAL_MS = 24 * 3600_000;

export class DirTarget implements BackupTarget {
  readonly kind = 'dir' as const;
  readonly display: string;
  constructor(readonly dir: string) {
    this.display = dir;
  }

  async save(name: string, source: Readable): Promise<{ bytes: number }> {
    assertArchiveName(name);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const partial = path.join(this.dir, `${name}${PARTIAL}`);
    let bytes = 0;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            bytes += chunk.length;
            yield chunk;
          }
        },
        // `flush`: on disk before it is named complete, so a power cut cannot leave a named, empty archive.
        createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true }),
      );
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    await rename(partial, path.join(this.dir, name));
    await syncDir(this.dir);
    return { bytes };
  }

  async list(): Promise<ArchiveInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      // No folder yet: no backup has been written there.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: ArchiveInfo[] = [];
    for (const name of names) {
      if (name.endsWith(PARTIAL)) {
        await this.removeStalePartial(name);
        continue;
      }
      if (!isArchiveName(name)) continue;
      const info = await stat(path.join(this.dir, name)).catch(() => null);
      if (info?.isFile()) out.push({ name, bytes: info.size, modifiedAt: info.mtime });
    }
    return newestFirst(out);
  }

  private async removeStalePartial(name: string): Promise<void> {
    const file = path.join(this.dir, name);
    const info = await stat(file).catch(() => null);
    if (info && Date.now() - info.mtime.getTime() > STALE_PARTIAL_MS && isArchiveName(name.slice(0, -PARTIAL.length))) {
      await rm(file, { force: true });
    }
  }

  open(name: string): Promise<Readable> {
    assertArchiveName(name);
    const stream = createReadStream(path.join(this.dir, name));
    // Surfaces a missing file here, as the S3 target does, rather than on the first read.
    return new Promise((resolve, reject) => {
      stream.once('open', () => resolve(stream));
      stream.once('error', reject);
    });
  }

  async remove(name: string): Promise<void> {
    assertArchiveName(name);
    await rm(path.join(this.dir, name), { force: true });
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename durable; some file systems refuse fsync on a folder, which changes nothing.
  const handle = await open(dir, 'r').catch(() => null);
  await handle?.sync().catch(() => {});
  await handle?.close();
}

export class S3Target implements BackupTarget {
  readonly kind = 's3' as const;
  readonly display: string;
  private readonly settings: S3ClientConfig;
  private connected: Promise<S3Client> | undefined;

  constructor(
    private readonly spec: Extract<BackupTargetSpec, { kind: 's3' }>,
    connection: NonNullable<Config['backupS3']>,
  ) {
    this.display = spec.display;
    this.settings = {
      region: connection.region,
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      forcePathStyle: connection.forcePathStyle,
      credentials: { accessKeyId: connection.accessKeyId, secretAccessKey: connection.secretAccessKey.reveal() },
      // As for the files bucket: several S3-compatible servers store aws-chunked trailers verbatim.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
  }

  private client(): Promise<S3Client> {
    return (this.connected ??= loadS3().then(({ S3Client }) => new S3Client(this.settings)));
  }

  private key(name: string): string {
    return `${this.spec.prefix}${name}`;
  }

  async save(name: string, source: Readable): Promise<{ bytes: number }> {
    assertArchiveName(name);
    let bytes = 0;
    // Counted on the way through: a 'data' listener would start the stream before the upload reads it.
    const body = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    // A source that fails or stops early fails the body, and with it the upload (never completed).
    let sourceError: unknown = null;
    pipeline(source, body).catch((err: unknown) => (sourceError = err));
    // Multipart for a stream of unknown length; the object appears only when the upload is
    // completed, and a failed upload is aborted so its parts do not linger (and cost).
    const { Upload } = await loadS3Upload();
    const upload = new Upload({
      client: await this.client(),
      params: {
        Bucket: this.spec.bucket,
        Key: this.key(name),
        Body: body,
        ContentType: name.endsWith('.age') ? 'application/octet-stream' : 'application/gzip',
      },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      source.destroy();
      body.destroy();
      // Why the upload stopped, rather than how its clean-up went.
      throw sourceError ?? err;
    }
    return { bytes };
  }

  async list(): Promise<ArchiveInfo[]> {
    const out: ArchiveInfo[] = [];
    let token: string | undefined;
    const { ListObjectsV2Command } = await loadS3();
    const client = await this.client();
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({
          Bucket: this.spec.bucket,
          Prefix: this.spec.prefix,
          Delimiter: '/',
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(this.spec.prefix.length) ?? '';
        if (!isArchiveName(name)) continue;
        out.push({ name, bytes: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return newestFirst(out);
  }

  async open(name: string): Promise<Readable> {
    assertArchiveName(name);
    const { GetObjectCommand } = await loadS3();
    const object = await (
      await this.client()
    ).send(new GetObjectCommand({ Bucket: this.spec.bucket, Key: this.key(name) }));
    return object.Body as Readable;
  }

  async remove(name: string): Promise<void> {
    assertArchiveName(name);
    const { DeleteObjectCommand } = await loadS3();
    await (await this.client()).send(new DeleteObjectCommand({ Bucket: this.spec.bucket, Key: this.key(name) }));
  }
}

/** Archive time from the name where it has one, else when it was completed. */
export const archiveCreatedAt = (a: ArchiveInfo) => archiveTime(a.name) ?? a.modifiedAt;

const newestFirst = (archives: ArchiveInfo[]) =>
  archives.sort((a, b) => archiveCreatedAt(b).getTime() - archiveCreatedAt(a).getTime());

/** The configured targets, ready to use. */
export function openTargets(config: Pick<Config, 'backup' | 'backupS3'>): BackupTarget[] {
  return config.backup.targets.map((spec) => {
    if (spec.kind === 'dir') return new DirTarget(spec.path);
    // Present: config refuses an s3:// target without the S3 keys.
    return new S3Target(spec, config.backupS3!);
  });
}
