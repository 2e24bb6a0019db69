import { i18next } from '../../i18n';

function label(key: string): string {
  const path = `audit.fields.${key}`;
  return i18next.exists(path) ? i18next.t(path as 'audit.fields.name') : key;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return i18next.t('common.none');
  if (typeof value === 'boolean') return i18next.t(value ? 'common.yes' : 'common.no');
  if (Array.isArray(value)) return value.length ? value.map(show).join(', ') : i18next.t('common.none');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number);
}

/**
 * One line for an audit row's summary: `{changed:{k:{before,after}}}` as “k: before → after”,
 * other keys as “k: value”; a plain string as it is.
 */
export function formatSummary(summary: unknown): string {
  if (typeof summary === 'string') return summary;
  if (!summary || typeof summary !== 'object') return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(summary as Record<string, unknown>)) {
    if (key === 'changed' && value && typeof value === 'object') {
      for (const [field, change] of Object.entries(value as Record<string, { before?: unknown; after?: unknown }>)) {
        parts.push(`${label(field)}: ${show(change?.before)} → ${show(change?.after)}`);
      }
    } else {
      parts.push(`${label(key)}: ${show(value)}`);
    }
  }
  return parts.join('；');
}
