import { z } from 'zod';
import { says } from './validation.js';

/**
 * Keyset paging for lists that grow with a workspace: a page of rows after the last one seen,
 * never an offset (an offset re-reads every skipped row, and shifts when rows are added).
 * The cursor is the sort key of the last row, opaque to clients.
 */

type Key = (string | null)[];

/** Which page of a list: up to `limit` rows after the `cursor` (the last row's sort key). */
export interface Page {
  limit: number;
  cursor?: Key | undefined;
}

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const BAD_CURSOR = says(
  '翻页标记无效或已过期，请从第一页重新加载',
  'the page cursor is not valid: load the list again from the first page',
);

/**
 * A cursor of one part per `parts` check (each a string or null that the check accepts),
 * decoded at the edge so that a forged or truncated one is a 400, never a database error.
 */
export function cursorSchema(parts: readonly ((part: string | null) => boolean)[]) {
  return z
    .string()
    .max(1500, { message: BAD_CURSOR })
    .transform((raw, ctx): Key => {
      try {
        const key: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
        if (
          Array.isArray(key) &&
          key.length === parts.length &&
          key.every(
            (k, i) => (k === null || (typeof k === 'string' && k.length <= 300)) && parts[i]!(k as string | null),
          )
        ) {
          return key as Key;
        }
      } catch {
        // fall through to the one message
      }
      ctx.addIssue({ code: 'custom', message: BAD_CURSOR });
      return z.NEVER;
    });
}

/** `limit`: rows per page, 1 to `max`, `fallback` when left out. */
export const limitSchema = (fallback: number, max: number) =>
  z.coerce
    .number()
    .int({ message: says('每页条数应为整数', 'must be a whole number') })
    .min(1, { message: says('每页至少 1 条', 'must be at least 1') })
    .max(max, { message: says(`每页最多 ${max} 条`, `must be at most ${max}`) })
    .default(fallback);
