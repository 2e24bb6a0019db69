import { calendarRevision } from '@zizhi/core';
import { eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { now } from '../clock.js';
import type { Tx } from '../db/client.js';
import { workspaceVersions } from '../db/schema.js';

/** An answer and the instant (epoch ms, on the app's clock) until which time alone cannot change it. */
export interface Timed<T> {
  value: T;
  validUntil: number;
}

/**
 * Answers that are costly to compute and asked for again and again with nothing changed in
 * between: the dashboard a team reloads, the calendar feed a client polls, a list's totals.
 * The caller puts into the key everything the answer depends on except time, starting with the
 * workspace's change counter (`workspaceStamp`, read before the data in the same transaction, so
 * an answer stored under a counter is never older than that counter's writes); the answer says
 * itself until when the clock leaves it true (the next midnight, the next hour deadline).
 * Requests that ask for the same key while it is being computed wait for that one computation.
 * Bounded by entries and by bytes; per process (each server of an installation keeps its own).
 */
export class AnswerCache<T extends object> {
  private readonly entries: LRUCache<string, Timed<T> & { from: number }>;
  private readonly pending = new Map<string, Promise<T>>();

  constructor(options: { maxEntries: number; maxBytes: number; size: (value: T) => number }) {
    this.entries = new LRUCache<string, Timed<T> & { from: number }>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      // An answer larger than the whole budget is simply not kept (lru-cache refuses it).
      sizeCalculation: (entry) => Math.max(1, options.size(entry.value)),
    });
  }

  async get(key: string, compute: () => Promise<Timed<T>>): Promise<T> {
    const at = now();
    const hit = this.entries.get(key);
    // From its computation until its end: a clock set back (tests) does not see a later answer.
    if (hit && hit.from <= at && at < hit.validUntil) return hit.value;
    const running = this.pending.get(key);
    if (running) return running;
    const started = compute().then(
      (answer) => {
        this.pending.delete(key);
        if (now() < answer.validUntil) this.entries.set(key, { ...answer, from: at });
        return answer.value;
      },
      (err: unknown) => {
        this.pending.delete(key);
        throw err;
      },
    );
    this.pending.set(key, started);
    return started;
  }
}

/**
 * The part of a cache key that moves on with every committed write to what a workspace's
 * dashboard and feeds show (the counter the write triggers keep) and with this process's
 * calendar (an imported year settles dates without a write to the workspace).
 */
export async function workspaceStamp(tx: Tx, workspaceId: string): Promise<string> {
  const [row] = await tx
    .select({ version: workspaceVersions.version, epoch: workspaceVersions.epoch })
    .from(workspaceVersions)
    .where(eq(workspaceVersions.workspaceId, workspaceId));
  return `${workspaceId}@${row?.epoch ?? '-'}.${row?.version ?? 0}.${calendarRevision()}`;
}
