// The backup settings and progress in words, in the reader's language: the server sends a cron
// expression, counts and byte sizes; none of them is shown raw where a sentence says it better.
import type { TFunction } from 'i18next';
import type { BackupProgress, KeepRule } from '../../api/backups';

const pad = (n: number) => String(n).padStart(2, '0');

/** "每天 02:30（北京时间）", "每周一、四 03:00（北京时间）", else the cron expression itself. */
export function describeSchedule(cron: string | null, t: TFunction): string {
  if (cron === null) return t('backups.scheduleOff');
  const [minute, hour, dom, month, dow] = cron.split(' ');
  const plain = (v: string | undefined, max: number) => v !== undefined && /^\d+$/.test(v) && Number(v) <= max;
  if (!plain(minute, 59) || !plain(hour, 23) || dom !== '*' || month !== '*') return t('backups.cron', { cron });
  const time = `${pad(Number(hour))}:${pad(Number(minute))}`;
  if (dow === '*') return t('backups.daily', { time });
  const days = dow?.split(',') ?? [];
  if (days.length === 0 || !days.every((d) => plain(d, 7))) return t('backups.cron', { cron });
  const names = [...new Set(days.map(Number).map((d) => (d === 7 ? 0 : d)))]
    .sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7))
    .map((d) => t(`backups.weekdays.d${d as 0 | 1 | 2 | 3 | 4 | 5 | 6}`));
  return t('backups.weekly', { days: names.join(t('backups.dayJoin')), time });
}

/** "最近 7 天每天 1 份，最近 4 周每周 1 份，最近 12 个月每月 1 份；最新一份可用的备份永不删除". */
export function describeKeep(rule: KeepRule, t: TFunction): string {
  if (rule.all) return t('backups.keepAll');
  const parts = [
    rule.days > 0 ? t('backups.keepDays', { count: rule.days }) : null,
    rule.weeks > 0 ? t('backups.keepWeeks', { count: rule.weeks }) : null,
    rule.months > 0 ? t('backups.keepMonths', { count: rule.months }) : null,
    rule.years > 0 ? t('backups.keepYears', { count: rule.years }) : null,
  ].filter((p): p is string => p !== null);
  return `${parts.join(t('backups.keepJoin'))}${t('backups.keepNewest')}`;
}

/** A byte size for people: 980 B, 12 KB, 3.4 MB, 1.20 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

const BYTE_PHASES = new Set<BackupProgress['phase']>(['files', 'drill-check', 'drill-files']);

/** What a running backup or drill is doing, and how far it is (null when the total is unknown). */
export function describeProgress(p: BackupProgress, t: TFunction): { text: string; percent: number | null } {
  const count = (n: number) => (BYTE_PHASES.has(p.phase) ? formatBytes(n) : n.toLocaleString());
  const text = t(`backups.progress.${p.phase}`, { done: count(p.done), total: count(p.total) });
  const percent = p.total > 0 ? Math.min(99, Math.floor((p.done / p.total) * 100)) : null;
  return { text, percent };
}
