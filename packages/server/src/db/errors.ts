// The database layer's own errors, in a module of their own so that the command line can recognise
// them without loading the database drivers.

/** Another process holds the embedded database's data folder. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `数据目录 ${dataDir} 正被另一个 Zizhi 进程使用。请先停止那个进程，或用 ZIZHI_DATA_DIR 指定其他目录。\n` +
        `The data folder ${dataDir} is in use by another Zizhi process. Stop that process first, or set ZIZHI_DATA_DIR to another folder. ` +
        `(Several processes can share one database only on a PostgreSQL server: set DATABASE_URL.)`,
    );
  }
}

/** The restricted role's row-level security policies are missing (refuse to serve without them). */
export class RowSecurityMissingError extends Error {}

/** The database was migrated by a newer release than this one. */
export class UnknownSchemaError extends Error {}
