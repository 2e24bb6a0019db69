// What other features and jobs may use of backup: the one door into it (the boundary test holds
// them to this file).
export {
  ArchiveWriter,
  BackupError,
  MANIFEST_ENTRY,
  fileEntry,
  fileOfEntry,
  openArchiveLayers,
  tableEntry,
  tableOfEntry,
  tarEntries,
} from './archive.js';
export type { Decryption, Encryption } from './archive.js';
export { linesOf, spoolLines } from './backup.js';
export { canonicalOrder, ident, listForeignKeys, listTables, loadOrder, setCanonicalOutput } from './catalog.js';
export type { ForeignKey, TableInfo } from './catalog.js';
export { ZIZHI_VERSION } from './version.js';
export { BackupService } from './service.js';
export type { BackupLog, BackupServiceOptions } from './service.js';
