// Wording of validation problems for people: Chinese, each pointing at the field to fix.
import { z } from 'zod';

/** Chinese messages for the issues a schema does not word itself, without touching zod's global config. */
export const ZOD_MESSAGES_ZH = z.locales.zhCN().localeError;

/** `projects[3].signedOn` of a zod issue path, for messages that point at the field. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  return s || '(根)';
}
