import { i18next, translateDynamic } from '../../i18n';

function label(key: string): string {
  return translateDynamic(`audit.fields.${key}`) ?? key;
}

function show(value: unknown, key?: string): string {
  if (key === 'role' && typeof value === 'string') return translateDynamic(`roles.${value}`) ?? value;
  if (key === 'via' && typeof value === 'string') return translateDynamic(`audit.via.${value}`) ?? value;
  if (key === 'orgIds' && value === null) return i18next.t('members.allOrgs');
  if (value === null || value === undefined || value === '') return i18next.t('common.none');
  if (typeof value === 'boolean') return i18next.t(value ? 'common.yes' : 'common.no');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => show(v)).join(', ') : i18next.t('common.none');
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One line for an audit row's summary: `{changed:{k:{before,after}}}` as “k: before → after”,
 * `{after:{…}}` / `{before:{…}}` (a created or deleted record) and other keys as “k: value”;
 * a plain string as it is.
 */
export function formatSummary(summary: unknown): string {
  if (typeof summary === 'string') return summary;
  if (!isRecord(summary)) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(summary)) {
    if (key === 'changed' && isRecord(value)) {
      for (const [field, change] of Object.entries(value)) {
        const { before, after } = isRecord(change) ? change : { before: undefined, after: change };
        parts.push(`${label(field)}: ${show(before, field)} → ${show(after, field)}`);
      }
    } else if ((key === 'after' || key === 'before') && isRecord(value)) {
      for (const [field, v] of Object.entries(value)) parts.push(`${label(field)}: ${show(v, field)}`);
    } else {
      parts.push(`${label(key)}: ${show(value, key)}`);
    }
  }
  return parts.join('；');
}
