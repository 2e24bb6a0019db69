// Backups as the server runs them: on the schedule (jobs/backup.ts) and when an administrator asks
// (routes.ts). One run writes one archive to every configured target at once (fan-out.ts), records
// one row per target, applies retention where the copy succeeded, and may run the restore drill.
// The database is left alone while the archive streams: on the embedded database an open query
// of ours would wait for, or hold up, the snapshot transaction.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import type { Config } from '../../config/index.js';
import type { Database } from '../../db/client.js';
import { withSystem } from '../../db/tenancy.js';
import { AppError, loggableError, type Bilingual } from '../../errors.js';
import { createBlobStore, type BlobStore } from '../../storage/index.js';
import type { Encryption } from './archive.js';
import { writeBackup, type BackupProgress } from './backup.js';
import { FanOut } from './fan-out.js';
import { describeDrillFailure, describeFailure, DRILL_INTERRUPTED, INTERRUPTED } from './failure.js';
import {
  claimDrill,
  claimRuns,
  expireAbandoned,
  failedDrills,
  finishDrill,
  findRun,
  finishRun,
  lastSuccesses,
  listRuns,
  markDeleted,
  runsByIds,
  type BackupRun,
} from './repository.js';
import { planRetention } from './retention.js';
import { archiveCreatedAt, archiveName, openTargets, type ArchiveInfo, type BackupTarget } from './targets.js';
import { verifyArchive } from './restore.js';

export interface BackupLog {
  info(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Where a run is, for the admin page (this process only): reading tables (rows) and files (bytes)
 * into the archive, pruning old archives, then the drill's check of the archive (bytes), its load
 * into the scratch database (rows) and its files (bytes).
 */
export interface RunProgress {
  phase: 'tables' | 'files' | 'retention' | 'drill-check' | 'drill-tables' | 'drill-files';
  done: number;
  total: number;
}

/** The restore drill (restore.ts): restores an archive into a scratch database and compares every table. */
export type RestoreDrill = typeof verifyArchive;

export interface BackupServiceOptions {
  database: Database;
  config: Config;
  log: BackupLog;
  /** Defaults: the configured targets, blob store and drill; tests put in their own. */
  targets?: BackupTarget[];
  blobs?: BlobStore;
  drill?: RestoreDrill;
  /** The instant a run starts (wall time: archives are named and kept by it). */
  now?: () => Date;
}

export interface StartedRuns {
  runs: Array<{ id: string; target: string }>;
  /** Settles when the archive is written everywhere, retention has run and any drill is over. */
  finished: Promise<BackupRun[]>;
}

/** A running backup or drill whose process is gone shows as interrupted after this long (PostgreSQL). */
const ABANDONED_AFTER_MS = 12 * 3600_000;
const RUN_LIST_LIMIT = 50;
const LIST_TIMEOUT_MS = 10_000;

class ListingTimeout extends Error {}
const listingTimedOut = (t: BackupTarget): Bilingual => ({
  zh: `列出备份位置 ${t.display} 中的备份超时（${LIST_TIMEOUT_MS / 1000} 秒）：请检查网络和 ZIZHI_S3_ENDPOINT。`,
  en: `Listing the backups in ${t.display} timed out (${LIST_TIMEOUT_MS / 1000} s): check the network and ZIZHI_S3_ENDPOINT.`,
});

// Process-wide: the job and the routes each have a service, but "is this run still going" and
// its progress are facts about the process.
const inFlight = new Set<string>();
const progressOf = new Map<string, RunProgress>();

const NO_TARGETS: Bilingual = {
  zh: '尚未配置备份位置：请设置环境变量 ZIZHI_BACKUP_TARGETS（文件夹路径和/或 s3://存储桶/前缀）后重启 Zizhi。',
  en: 'No backup target is configured: set ZIZHI_BACKUP_TARGETS (a folder path and/or s3://bucket/prefix) and restart Zizhi.',
};
const ALREADY_RUNNING: Bilingual = {
  zh: '已有备份正在进行，请等它完成后再试。',
  en: 'A backup is already running; try again when it has finished.',
};

export class BackupService {
  private readonly database: Database;
  readonly config: Config;
  private readonly log: BackupLog;
  private targetList: BackupTarget[] | undefined;
  private blobStore: BlobStore | undefined;
  private readonly drill: RestoreDrill;
  private readonly now: () => Date;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(options: BackupServiceOptions) {
    this.database = options.database;
    this.config = options.config;
    this.log = options.log;
    this.targetList = options.targets;
    this.blobStore = options.blobs;
    this.drill = options.drill ?? verifyArchive;
    this.now = options.now ?? (() => new Date());
  }

  get databaseKind(): Database['kind'] {
    return this.database.kind;
  }

  /** Whether the server can read an archive: unencrypted, or encrypted with the configured passphrase. */
  canOpen(encrypted: boolean): boolean {
    const e = this.config.backup.encryption;
    return !encrypted || (e !== undefined && 'passphrase' in e);
  }

  get targets(): BackupTarget[] {
    this.targetList ??= openTargets(this.config);
    return this.targetList;
  }

  private get blobs(): BlobStore {
    this.blobStore ??= createBlobStore(this.config);
    return this.blobStore;
  }

  private isLive = (run: BackupRun): boolean =>
    inFlight.has(run.id) ||
    (this.database.kind === 'postgres' && run.startedAt.getTime() > Date.now() - ABANDONED_AFTER_MS);

  /** Marks runs and drills a stopped process left "running" as interrupted (at start-up). */
  async expireAbandoned(): Promise<void> {
    await expireAbandoned(this.database.db, {
      isLive: (run) => inFlight.has(run.id),
      before: this.database.kind === 'postgres' ? new Date(Date.now() - ABANDONED_AFTER_MS) : null,
      interrupted: INTERRUPTED,
      drillInterrupted: DRILL_INTERRUPTED,
    });
  }

  private encryption(): Encryption | undefined {
    const e = this.config.backup.encryption;
    if (!e) return undefined;
    return 'passphrase' in e ? { passphrase: e.passphrase.reveal() } : { recipients: e.recipients };
  }

  /**
   * Starts a backup to every target: the runs are recorded at once (status running) and the
   * work goes on in the background; `finished` settles when it is over. Refused (409) while
   * another backup runs, and when no target is configured.
   */
  async start({
    trigger,
    requestedBy = null,
    verify = false,
  }: {
    trigger: 'scheduled' | 'manual';
    requestedBy?: string | null;
    /** Run the restore drill on one copy afterwards. */
    verify?: boolean;
  }): Promise<StartedRuns> {
    const targets = this.targets;
    if (targets.length === 0) throw new AppError('CONFLICT', NO_TARGETS);
    const startedAt = this.now();
    const encrypted = this.config.backup.encryption !== undefined;
    // The suffix tells apart two archives started in the same second (a manual run after a scheduled one).
    const name = archiveName(startedAt, { encrypted, suffix: randomBytes(2).toString('hex') });
    const runs = await claimRuns(this.database.db, {
      rows: targets.map((t) => ({
        startedAt,
        status: 'running' as const,
        trigger,
        requestedBy,
        target: t.display,
        archiveName: name,
        encrypted,
      })),
      isLive: this.isLive,
      interrupted: INTERRUPTED,
    });
    if (!runs) throw new AppError('CONFLICT', ALREADY_RUNNING);
    for (const run of runs) inFlight.add(run.id);
    const finished = this.track(this.perform(runs, targets, verify));
    return { runs: runs.map((r) => ({ id: r.id, target: r.target })), finished };
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  private setProgress(runs: BackupRun[], p: RunProgress): void {
    for (const run of runs) progressOf.set(run.id, p);
  }

  private async perform(runs: BackupRun[], targets: BackupTarget[], verify: boolean): Promise<BackupRun[]> {
    const name = runs[0]!.archiveName;
    try {
      const fan = new FanOut(targets.map((t) => (input: Readable) => t.save(name, input)));
      let summary: Awaited<ReturnType<typeof writeBackup>> | null = null;
      let writeError: unknown = null;
      try {
        const tempDir = await this.tempDir();
        const encryption = this.encryption();
        summary = await writeBackup(this.database, this.blobs, this.config, fan, {
          ...(encryption ? { encryption } : {}),
          createdAt: runs[0]!.startedAt,
          tempDir,
          onProgress: (p: BackupProgress) => this.setProgress(runs, p),
        });
      } catch (err) {
        writeError = err;
      }
      const outcomes = await fan.outcomes();
      const succeeded: Array<{ run: BackupRun; target: BackupTarget }> = [];
      for (const [i, outcome] of outcomes.entries()) {
        const run = runs[i]!;
        const target = targets[i]!;
        if (outcome.ok && summary) {
          await finishRun(this.database.db, run.id, {
            status: 'ok',
            bytes: summary.archiveBytes,
            rows: summary.rows,
            files: summary.files,
            sha256: summary.sha256,
            encrypted: summary.encrypted,
          });
          succeeded.push({ run, target });
          continue;
        }
        // A copy that failed because the backup itself failed gets the backup's reason.
        const cause = outcome.ok || outcome.stopped ? writeError : outcome.error;
        const error = describeFailure(cause, target);
        this.log.error({ target: target.display, err: loggableError(cause) }, 'backup failed');
        await finishRun(this.database.db, run.id, { status: 'failed', error });
        // A writer failing after a target completed (it should not) leaves an archive no run vouches for.
        if (outcome.ok) await target.remove(name).catch(() => {});
      }
      if (summary) {
        this.log.info(
          {
            archive: name,
            bytes: summary.archiveBytes,
            rows: summary.rows,
            files: summary.files,
            targets: succeeded.length,
          },
          'backup written',
        );
      }
      for (const { run, target } of succeeded) {
        this.setProgress([run], { phase: 'retention', done: 0, total: 1 });
        await this.applyRetention(target, name);
      }
      // Archives encrypted to public keys cannot be opened here: a drill would only fail.
      if (verify && succeeded.length > 0 && this.canOpen(runs[0]!.encrypted)) {
        // One copy proves the archive restores; the others hold the same bytes (same SHA-256). A
        // folder is read rather than a bucket: no transfer out of the cloud.
        const pick = succeeded.find((s) => s.target.kind === 'dir') ?? succeeded[0]!;
        const claimed = await claimDrill(this.database.db, pick.run.id, this.isLive, DRILL_INTERRUPTED);
        if (claimed?.started) await this.runDrill(claimed.run, pick.target);
      }
      return await runsByIds(
        this.database.db,
        runs.map((r) => r.id),
      );
    } finally {
      for (const run of runs) {
        inFlight.delete(run.id);
        progressOf.delete(run.id);
      }
    }
  }

  /**
   * Deletes the archives at `target` that ZIZHI_BACKUP_KEEP no longer keeps. Only after a copy
   * succeeded there, and only when the listing shows that copy: a listing that cannot see the
   * newest archive is not one to delete by. A failure here is logged; the backup stands.
   */
  private async applyRetention(target: BackupTarget, newest: string): Promise<void> {
    try {
      const archives = await target.list();
      if (!archives.some((a) => a.name === newest)) {
        this.log.warn?.({ target: target.display }, 'retention skipped: the new archive is not listed');
        return;
      }
      const bad = await failedDrills(this.database.db, target.display);
      const plan = planRetention(
        archives.map((a) => ({ ...a, createdAt: archiveCreatedAt(a), good: !bad.has(a.name) })),
        this.config.backup.keep,
      );
      const removed: string[] = [];
      for (const archive of plan.remove) {
        await target.remove(archive.name);
        removed.push(archive.name);
      }
      await markDeleted(this.database.db, target.display, removed);
      if (removed.length > 0) this.log.info({ target: target.display, removed: removed.length }, 'backup retention');
    } catch (err) {
      this.log.error({ target: target.display, err: loggableError(err) }, 'backup retention failed');
    }
  }

  /**
   * Runs the restore drill on one run's archive in the background: 202 for the caller, the
   * outcome on the run. Refused when the archive is gone, its target is no longer configured,
   * or the server holds no key to open it.
   */
  async verify(runId: string): Promise<{ id: string; finished: Promise<void> }> {
    const run = await findRun(this.database.db, runId);
    if (!run) throw new AppError('NOT_FOUND', { zh: '该备份记录不存在', en: 'There is no such backup run.' });
    const target = this.targets.find((t) => t.display === run.target);
    const refuse = (zh: string, en: string) => new AppError('CONFLICT', { zh, en });
    if (run.status !== 'ok')
      throw refuse(
        '这次备份没有成功，没有可演练的备份文件。',
        'This backup did not succeed: there is no archive to drill.',
      );
    if (run.deletedAt)
      throw refuse('这个备份文件已按保留规则删除。', 'This archive was deleted by the retention rule.');
    if (!target) {
      throw refuse(
        '这个备份所在的位置已不在 ZIZHI_BACKUP_TARGETS 中，无法读取。',
        'The target of this archive is no longer in ZIZHI_BACKUP_TARGETS, so it cannot be read.',
      );
    }
    if (run.encrypted && this.config.backup.encryption && !('passphrase' in this.config.backup.encryption)) {
      throw refuse(
        '备份已加密给公钥（ZIZHI_BACKUP_RECIPIENTS），服务器没有私钥，无法演练恢复：请在持有私钥的电脑上运行 npx zizhi backup verify 备份文件 --identity 私钥文件。',
        'The archive is encrypted to public keys (ZIZHI_BACKUP_RECIPIENTS) and the server holds no secret key: drill it with npx zizhi backup verify ARCHIVE --identity KEYFILE where the key is.',
      );
    }
    if (run.encrypted && !this.config.backup.encryption) {
      throw refuse(
        '备份已加密，但当前未设置 ZIZHI_BACKUP_PASSPHRASE，无法演练恢复。',
        'The archive is encrypted and ZIZHI_BACKUP_PASSPHRASE is not set, so it cannot be drilled.',
      );
    }
    const claimed = await claimDrill(this.database.db, run.id, this.isLive, DRILL_INTERRUPTED);
    if (!claimed) throw new AppError('NOT_FOUND', { zh: '该备份记录不存在', en: 'There is no such backup run.' });
    if (!claimed.started) {
      throw refuse('这个备份的恢复演练正在进行。', 'A restore drill of this archive is already running.');
    }
    inFlight.add(run.id);
    const finished = this.track(
      this.runDrill(claimed.run, target).finally(() => {
        inFlight.delete(run.id);
        progressOf.delete(run.id);
      }),
    );
    return { id: run.id, finished };
  }

  /**
   * Runs the drill on the archive as stored at its target, and checks on the way that the bytes
   * are the ones recorded when it was written (SHA-256), so a copy changed since is caught even
   * when it still happens to restore.
   */
  private async runDrill(run: BackupRun, target: BackupTarget): Promise<void> {
    let error: Bilingual | null = null;
    this.setProgress([run], { phase: 'drill-check', done: 0, total: run.bytes ?? 0 });
    const hash = createHash('sha256');
    let hashed = false;
    let passes = 0;
    const open = async (): Promise<Readable> => {
      const source = await target.open(run.archiveName);
      // The first pass reads the whole archive: hash that one.
      if (passes++ > 0) return source;
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
        flush(callback) {
          hashed = true;
          callback();
        },
      });
      source.on('error', (err) => hashing.destroy(err));
      return source.pipe(hashing);
    };
    try {
      const e = this.config.backup.encryption;
      const result = await this.drill(open, {
        ...(e && 'passphrase' in e ? { decryption: { passphrase: e.passphrase.reveal() } } : {}),
        ...(run.bytes !== null ? { archiveBytes: run.bytes } : {}),
        tempDir: await this.tempDir(),
        onProgress: (p) => this.setProgress([run], { phase: `drill-${p.phase}`, done: p.done, total: p.total }),
      });
      if (!result.ok) {
        error = fromProblems(result.problems);
      } else if (hashed && run.sha256 && hash.digest('hex') !== run.sha256) {
        error = {
          zh: '备份文件的内容与备份时记录的校验值（SHA-256）不一致：该副本在备份后被改动或损坏。',
          en: 'The archive does not match the SHA-256 recorded when it was written: this copy was changed or damaged since.',
        };
      }
    } catch (err) {
      error = describeDrillFailure(err, target);
    }
    if (error)
      this.log.error({ target: target.display, archive: run.archiveName, error: error.en }, 'restore drill failed');
    else this.log.info({ target: target.display, archive: run.archiveName }, 'restore drill passed');
    await finishDrill(this.database.db, run.id, error);
  }

  /** Spool and scratch space beside the data (the system's temp folder may be small or in memory). */
  private async tempDir(): Promise<string> {
    const dir = path.join(this.config.dataDir, 'tmp');
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** What the admin page shows: settings, each target's archives, and the latest runs. */
  async overview(): Promise<BackupOverview> {
    const { runs, last } = await withSystem(this.database.db, async (tx) => ({
      runs: await listRuns(tx, RUN_LIST_LIMIT),
      last: await lastSuccesses(tx),
    }));
    const targets = await Promise.all(
      this.targets.map(async (t) => {
        let timer: NodeJS.Timeout | undefined;
        // An unreachable bucket must not hold the page: its SDK retries for a long while.
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ListingTimeout()), LIST_TIMEOUT_MS);
        });
        try {
          return { target: t, archives: await Promise.race([t.list(), timeout]), error: null };
        } catch (err) {
          return {
            target: t,
            archives: null,
            error: err instanceof ListingTimeout ? listingTimedOut(t) : describeFailure(err, t),
          };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return {
      runs: runs.map((r) => ({ ...r, progress: progressOf.get(r.id) ?? null })),
      targets,
      ...last,
    };
  }

  /** Waits for backups and drills this service started (the server is closing). */
  async close(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

export interface BackupOverview {
  runs: Array<BackupRun & { progress: RunProgress | null }>;
  targets: Array<{ target: BackupTarget; archives: ArchiveInfo[] | null; error: Bilingual | null }>;
  verifiedAt: Date | null;
  backedUpAt: Date | null;
}

/** The drill's problems (each "Chinese\nEnglish") as one message per language. */
function fromProblems(problems: string[]): Bilingual {
  const shown = problems.slice(0, 3);
  const more = problems.length - shown.length;
  const zh = shown.map((p) => p.split('\n')[0]).join(' ');
  const en = shown.map((p) => p.split('\n').slice(1).join(' ') || p).join(' ');
  return {
    zh: `恢复演练未通过：${zh}${more > 0 ? `（另有 ${more} 个问题）` : ''}`,
    en: `The restore drill did not pass: ${en}${more > 0 ? ` (${more} more problems)` : ''}`,
  };
}
