// One archive stream written to several targets at once (the local + cloud dual backup): every
// target receives the same bytes from one snapshot, so the copies are identical and the database
// is read once. A target that fails is dropped and the others go on; only when every target has
// failed does the writer see an error.
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';

/** `stopped`: the branch failed because the writer stopped (its error is the writer's, not the target's). */
export type BranchOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown; stopped: boolean };

interface Branch<T> {
  input: PassThrough;
  settled: Promise<BranchOutcome<T>>;
  outcome?: BranchOutcome<T>;
}

/**
 * A Writable feeding one PassThrough per consumer. `consume(input)` stores one copy and resolves
 * when it is complete; the fan-out finishes only after every consumer has settled, so a writer
 * that awaits the end of its sink knows every copy's fate. `outcomes()` gives them in order.
 */
export class FanOut<T> extends Writable {
  private readonly branches: Branch<T>[];
  private stopped = false;

  constructor(consumers: ReadonlyArray<(input: PassThrough) => Promise<T>>) {
    super({ highWaterMark: 1024 * 1024 });
    this.branches = consumers.map((consume) => {
      const input = new PassThrough({ highWaterMark: 1024 * 1024 });
      // Its consumer reports every failure through `consume`; the stream's own event would be unhandled.
      input.on('error', () => {});
      const branch: Branch<T> = { input, settled: Promise.resolve({ ok: false, error: null, stopped: false }) };
      branch.settled = consume(input).then(
        (value): BranchOutcome<T> => (branch.outcome = { ok: true, value }),
        (error: unknown): BranchOutcome<T> => {
          branch.outcome = { ok: false, error, stopped: this.stopped };
          // Nobody reads a failed branch any more: drop what it holds so writes do not wait on it.
          input.destroy();
          return branch.outcome;
        },
      );
      return branch;
    });
  }

  private live(): Branch<T>[] {
    return this.branches.filter((b) => b.outcome?.ok !== false);
  }

  private allFailed(): unknown {
    const failed = this.branches
      .map((b) => b.outcome)
      .filter((o): o is Extract<BranchOutcome<T>, { ok: false }> => o?.ok === false);
    return failed.length === this.branches.length ? (failed[0]?.error ?? new Error('no target')) : null;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const waits: Promise<unknown>[] = [];
    for (const branch of this.live()) {
      if (!branch.input.write(chunk)) {
        // Backpressure from the slowest target, unless that target fails meanwhile.
        waits.push(Promise.race([once(branch.input, 'drain'), branch.settled]).catch(() => undefined));
      }
    }
    Promise.all(waits).then(
      () => {
        const error = this.allFailed();
        callback(error ? (error as Error) : null);
      },
      (err: unknown) => callback(err as Error),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    for (const branch of this.live()) branch.input.end();
    Promise.all(this.branches.map((b) => b.settled)).then(
      () => {
        const error = this.allFailed();
        callback(error ? (error as Error) : null);
      },
      (err: unknown) => callback(err as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // The writer gave up (or failed): no target may complete an archive from a part of it.
    const reason = error ?? new Error('the backup was stopped before it was complete');
    this.stopped = true;
    for (const branch of this.branches) if (!branch.input.destroyed) branch.input.destroy(reason);
    callback(error);
  }

  /** Each consumer's result or error, in the order given; waits for all of them. */
  async outcomes(): Promise<BranchOutcome<T>[]> {
    return Promise.all(this.branches.map((b) => b.settled));
  }
}
