import type { Config } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

export * from './blob-store.js';
export { LocalBlobStore } from './local-blob-store.js';

/** The configured blob store: the local folder `<dataDir>/files` (S3-compatible storage to come). */
export function createBlobStore(config: Pick<Config, 'filesDir'>): BlobStore {
  return new LocalBlobStore(config.filesDir);
}
