import path from 'node:path';
import type { Config } from '../config/index.js';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

export * from './blob-store.js';
export { LocalBlobStore } from './local-blob-store.js';
export { S3BlobStore } from './s3-blob-store.js';

/**
 * The configured blob store: the S3-compatible bucket when ZIZHI_S3_BUCKET is set, else the
 * local folder `<dataDir>/files`. The S3 store spools bytes in transit under `<dataDir>/files/tmp`.
 */
export function createBlobStore(config: Pick<Config, 'filesDir' | 's3'>): BlobStore {
  if (config.s3) return new S3BlobStore({ ...config.s3, spoolDir: path.join(config.filesDir, 'tmp') });
  return new LocalBlobStore(config.filesDir);
}
