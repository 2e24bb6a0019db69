import type { Db } from '../../db/client.js';
import { loggableError } from '../../errors.js';
import { recomputeAll } from '../obligations/api.js';

export interface RecomputeStatus {
  state: 'idle' | 'running' | 'done' | 'failed';
  /** The calendar year whose import started it. */
  year: number | null;
  total: number;
  done: number;
  startedAt: string | null;
  finishedAt: string | null;
}

interface Log {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The recompute of every certificate after a calendar year is imported, run in the background
 * of this server process so the import answers at once and requests keep being served; its
 * progress is polled by the calendar page. A second import restarts it from the beginning.
 * Nothing is lost if the process stops halfway: the next start recomputes every certificate
 * whose provisional dates the stored years now settle (`recomputeStale`).
 */
export class CalendarRecompute {
  private status: RecomputeStatus = { state: 'idle', year: null, total: 0, done: 0, startedAt: null, finishedAt: null };
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Log,
  ) {}

  current(): RecomputeStatus {
    return { ...this.status };
  }

  /** Starts (or restarts) the recompute for `year`; resolves once the previous run has stopped. */
  async start(year: number): Promise<void> {
    await this.stop();
    const controller = new AbortController();
    this.controller = controller;
    this.status = { state: 'running', year, total: 0, done: 0, startedAt: new Date().toISOString(), finishedAt: null };
    const run = async () => {
      try {
        const done = await recomputeAll(this.db, {
          signal: controller.signal,
          onProgress: (p) => {
            this.status.total = p.total;
            this.status.done = p.done;
          },
        });
        if (controller.signal.aborted) return;
        this.status = { ...this.status, state: 'done', finishedAt: new Date().toISOString() };
        this.log.info({ year, certificates: done }, 'certificates recomputed after a calendar import');
      } catch (err) {
        this.status = { ...this.status, state: 'failed', finishedAt: new Date().toISOString() };
        this.log.error({ err: loggableError(err), year }, 'recompute after a calendar import failed');
      }
    };
    this.running = run();
  }

  /** Stops a run in progress between two certificates, and waits for it. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running;
    this.running = null;
  }
}
