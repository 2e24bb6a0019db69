import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.js';

/**
 * Runs `fn` in a transaction as the restricted role zizhi_app with `app.user_id` set, so the
 * row-level security policies limit every query to the user's workspaces and organisations,
 * even one that forgets its own filter.
 */
export function withActor<T>(db: Db, userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // One round trip: setting the `role` parameter locally is SET LOCAL ROLE.
    await tx.execute(sql`select set_config('app.user_id', ${userId}, true), set_config('role', 'zizhi_app', true)`);
    return fn(tx);
  });
}

/**
 * A transaction outside any tenant: set-up, log-in and token checks, which run before a
 * user is known. Keep its use to those.
 */
export function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
