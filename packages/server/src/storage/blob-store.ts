import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { AppError } from '../errors.js';

/** What a store returns for a written blob: its content address and length in bytes. */
export interface StoredBlob {
  sha256: string;
  size: number;
}

/** A blob ready to send: its bytes were checked against their hash before this was returned. */
export interface VerifiedBlob {
  stream: Readable;
  size: number;
}

/**
 * Content-addressed, write-once storage of file bytes. Blobs are named by their SHA-256, so
 * identical content is stored once and a blob is never modified. Implementations: the local
 * folder (default) and S3-compatible storage.
 */
export interface BlobStore {
  /** Stores the bytes (hashing while they stream) and returns their address and size. */
  put(source: Readable | Buffer): Promise<StoredBlob>;
  /**
   * The blob's bytes, resolved only once they have been read and found to hash to `sha256`
   * (headers cannot be taken back once sent). Rejects with BlobCorruptError or BlobMissingError.
   */
  get(sha256: string): Promise<VerifiedBlob>;
  /** True when a blob with this hash is stored. */
  has(sha256: string): Promise<boolean>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Blob names are lower-case SHA-256 hex: anything else is a bug, never a path to follow. */
export function assertSha256(sha256: string): void {
  if (!SHA256.test(sha256)) throw new Error(`not a SHA-256 blob name: ${JSON.stringify(sha256)}`);
}

/** A pass-through stream that hashes and counts the bytes going through it; `result()` once it has ended. */
export function createHasher(): { stream: Transform; result(): StoredBlob } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, result: () => ({ sha256: hash.digest('hex'), size }) };
}

/** Stored bytes that no longer hash to their name: reported, never served. */
export class BlobCorruptError extends AppError {
  constructor(readonly sha256: string) {
    super(
      'INTERNAL',
      '文件已损坏（校验值不符），为免提供错误内容已拒绝下载。请从备份恢复该文件或重新上传，并通知系统管理员检查存储。',
    );
  }
}

/** A file row whose bytes are gone from storage. */
export class BlobMissingError extends AppError {
  constructor(readonly sha256: string) {
    super('INTERNAL', '文件内容在存储中找不到，无法下载。请从备份恢复该文件或重新上传，并通知系统管理员检查存储。');
  }
}
