import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Config } from '../config/index.js';
import { loadS3 } from './s3-sdk.js';
import {
  assertSha256,
  BlobCorruptError,
  BlobMissingError,
  createHasher,
  type BlobStore,
  type StoredBlob,
  type VerifiedBlob,
} from './blob-store.js';

export interface S3BlobStoreOptions extends S3Config {
  /** A local folder for bytes in transit (at most one file per upload or download in progress). */
  spoolDir: string;
}

/** Downloads up to this size are verified in memory; larger ones go through a spool file. */
const IN_MEMORY_BYTES = 1024 * 1024;
const PUT_ATTEMPTS = 3;

const statusOf = (err: unknown) =>
  (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;

/** Worth another try with a fresh body: network failures, throttling and server errors. */
function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  return status === undefined || status >= 500 || status === 429 || (err as Error).name === 'RequestTimeout';
}

/**
 * Blobs in an S3-compatible bucket as `<prefix><first two hex digits>/<sha256>`, the same
 * layout as the local folder.
 *
 * An upload is spooled to a local file while it is hashed, then sent with one PutObject under
 * its final key. The alternative, streaming to a temporary key and copying once the hash is
 * known, needs the length up front (PutObject requires Content-Length, which a file part of a
 * form upload does not carry) or a multipart upload (which backups use for archives of unknown
 * size, but which for a file of a few MB is several requests where one does), and costs a copy
 * and a delete per file, leaving orphans when the server dies in between. The
 * spool file also lets a failed PutObject be retried with a fresh stream, which the SDK cannot do
 * for a stream body. A key is written only when absent (or damaged, see `store`).
 */
export class S3BlobStore implements BlobStore {
  private readonly settings: S3ClientConfig;
  private connected: Promise<S3Client> | undefined;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.settings = {
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey.reveal() },
      // The SDK's default checksums send uploads as aws-chunked with a trailer, which several
      // S3-compatible servers store verbatim (corrupting the object); we verify by SHA-256 anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
  }

  private client(): Promise<S3Client> {
    return (this.connected ??= loadS3().then(({ S3Client }) => new S3Client(this.settings)));
  }

  /** A blob's object key (exported for tests and backups). */
  keyOf(sha256: string): string {
    assertSha256(sha256);
    return `${this.options.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }

  async put(source: Readable | Buffer): Promise<StoredBlob> {
    if (Buffer.isBuffer(source)) {
      const blob = { sha256: createHash('sha256').update(source).digest('hex'), size: source.length };
      await this.store(blob, () => source);
      return blob;
    }
    const spool = await this.spoolPath();
    try {
      const hasher = createHasher();
      await pipeline(source, hasher.stream, createWriteStream(spool, { flags: 'wx', mode: 0o600 }));
      const blob = hasher.result();
      await this.store(blob, () => createReadStream(spool));
      return blob;
    } finally {
      await rm(spool, { force: true });
    }
  }

  /** Writes the bytes under their key unless a blob of that length is there already. */
  private async store({ sha256, size }: StoredBlob, body: () => Readable | Buffer): Promise<void> {
    const key = this.keyOf(sha256);
    const existing = await this.sizeOf(key);
    // Same name and length: the same bytes. Another length can only be a damaged copy, which
    // the verified bytes in hand repair, so uploading the file again fixes a BlobCorruptError.
    if (existing === size) return;
    for (let attempt = 1; ; attempt++) {
      const Body = body();
      try {
        const { PutObjectCommand } = await loadS3();
        await (
          await this.client()
        ).send(
          new PutObjectCommand({
            Bucket: this.options.bucket,
            Key: key,
            Body,
            ContentLength: size,
            ContentType: 'application/octet-stream',
          }),
        );
        return;
      } catch (err) {
        if (Body instanceof Readable) Body.destroy();
        // The SDK retries Buffer bodies itself; a stream it cannot rewind, so that is ours to do.
        if (!(Body instanceof Readable) || attempt >= PUT_ATTEMPTS || !isTransient(err)) throw err;
        await sleep(250 * attempt);
      }
    }
  }

  async get(sha256: string): Promise<VerifiedBlob> {
    const key = this.keyOf(sha256);
    let body: Readable;
    let length: number | undefined;
    try {
      const { GetObjectCommand } = await loadS3();
      const object = await (await this.client()).send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      body = object.Body as Readable;
      length = object.ContentLength;
    } catch (err) {
      // Only the key: a missing bucket is a configuration problem, not a lost file.
      if (err instanceof (await loadS3()).S3ServiceException && err.name === 'NoSuchKey') {
        throw new BlobMissingError(sha256);
      }
      throw err;
    }
    // The whole blob is read and hashed before anything is returned, as headers cannot be taken
    // back once sent: small ones in memory, larger ones through a spool file.
    if (length !== undefined && length <= IN_MEMORY_BYTES) {
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      for await (const chunk of body) {
        hash.update(chunk as Buffer);
        chunks.push(chunk as Buffer);
      }
      if (hash.digest('hex') !== sha256) throw new BlobCorruptError(sha256);
      const bytes = Buffer.concat(chunks);
      return { stream: Readable.from([bytes]), size: bytes.length };
    }
    const spool = await this.spoolPath();
    try {
      const hasher = createHasher();
      await pipeline(body, hasher.stream, createWriteStream(spool, { flags: 'wx', mode: 0o600 }));
      const { sha256: actual, size } = hasher.result();
      if (actual !== sha256) throw new BlobCorruptError(sha256);
      // The open handle keeps the bytes readable after the name is removed below, so nothing is
      // left behind however the download ends.
      const handle = await open(spool, 'r');
      return { stream: handle.createReadStream({ start: 0 }), size };
    } finally {
      await rm(spool, { force: true });
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.sizeOf(this.keyOf(sha256))) !== undefined;
  }

  /** The stored object's length, or undefined when there is none. */
  private async sizeOf(key: string): Promise<number | undefined> {
    try {
      const { HeadObjectCommand } = await loadS3();
      const head = await (await this.client()).send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (err) {
      // HEAD answers have no body, so a missing bucket looks the same; the PutObject that
      // follows reports it as NoSuchBucket.
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  private async spoolPath(): Promise<string> {
    await mkdir(this.options.spoolDir, { recursive: true });
    return path.join(this.options.spoolDir, `${randomUUID()}.part`);
  }
}
