import { z } from 'zod';
import { says } from './validation.js';

export type ImportPhase = 'upload' | 'read' | 'validate' | 'save' | 'done';

export interface ImportProgress {
  phase: ImportPhase;
  /** Rows read (upload, read), checked against the database (validate) or saved (save, done). */
  rows: number;
  /** Bytes received (upload) or read from the file (read). */
  bytes?: number;
  /** The upload's size when the client announced it, else the file's size once received. */
  totalBytes?: number;
  /** Rows to check or save in the validate and save phases. */
  totalRows?: number;
}

/** How long a finished or abandoned import's progress stays readable (wall time, not the business clock). */
const TTL_MS = 10 * 60_000;
/** A bound on entries, so clients inventing ids cannot grow the map without end. */
const MAX_ENTRIES = 1000;
/** Updates closer together than this are coalesced (the UI polls about once a second). */
const MIN_INTERVAL_MS = 100;

interface Entry extends ImportProgress {
  owner: string;
  touchedAt: number;
}

/**
 * In-process progress of running imports, readable only by the user who started them for the
 * same organisation. One server process only: behind a load balancer, the poll must reach the
 * process that runs the import (or the UI shows no progress; the import itself is unaffected).
 */
export class ProgressBoard {
  private readonly entries = new Map<string, Entry>();

  private sweep(at: number) {
    for (const [id, e] of this.entries) {
      if (at - e.touchedAt > TTL_MS) this.entries.delete(id);
    }
    while (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** A reporter for one import; without a progress id it reports nowhere. */
  track(scope: { userId: string; orgId: string }, progressId: string | undefined) {
    if (!progressId) return (_p: ImportProgress) => {};
    const owner = `${scope.userId}:${scope.orgId}`;
    const key = `${owner}:${progressId}`;
    let last = 0;
    return (p: ImportProgress) => {
      const at = Date.now();
      if (p.phase === this.entries.get(key)?.phase && p.phase !== 'done' && at - last < MIN_INTERVAL_MS) return;
      last = at;
      if (!this.entries.has(key)) this.sweep(at);
      this.entries.delete(key);
      this.entries.set(key, { ...p, owner, touchedAt: at });
    };
  }

  /** The progress of `progressId`, or null when it is unknown, expired or someone else's. */
  read(scope: { userId: string; orgId: string }, progressId: string): ImportProgress | null {
    const entry = this.entries.get(`${scope.userId}:${scope.orgId}:${progressId}`);
    if (!entry || Date.now() - entry.touchedAt > TTL_MS) return null;
    const { owner: _owner, touchedAt: _touched, ...progress } = entry;
    return progress;
  }
}

export const ProgressIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, {
  message: says('应为 8–64 位字母、数字、- 或 _', 'must be 8–64 letters, digits, - or _'),
});

export const ImportProgressSchema = z.object({
  phase: z.enum(['upload', 'read', 'validate', 'save', 'done']),
  rows: z.number().int(),
  bytes: z.number().int().optional(),
  totalBytes: z.number().int().optional(),
  totalRows: z.number().int().optional(),
});
