// The backup settings as index.ts reads them: where backups go, when, how many stay, and
// whether they are encrypted and checked. Pure parsing, so index.ts can validate at start-up
// and tests can check the rules without a database.
import path from 'node:path';
import type { Secret } from './secret.js';

/** A folder on this machine, or a bucket and key prefix in S3-compatible storage. */
export type BackupTargetSpec =
  { kind: 'dir'; path: string; display: string } | { kind: 's3'; bucket: string; prefix: string; display: string };

/** Every backup setting, resolved (defaults applied). */
export interface BackupConfig {
  /** Empty: no scheduled backups and the "back up now" button refuses with a hint. */
  targets: BackupTargetSpec[];
  /** A five-field cron expression in China time, or null when scheduled backups are off. */
  schedule: string | null;
  timezone: typeof BACKUP_TIMEZONE;
  keep: KeepRule;
  encryption?: { passphrase: Secret } | { recipients: string[] };
  /** Run the restore drill on one copy after each scheduled backup. */
  verify: boolean;
}

/** Days, weeks and months of the schedule and of retention are counted in China time. */
export const BACKUP_TIMEZONE = 'Asia/Shanghai';
export const DEFAULT_BACKUP_SCHEDULE = '30 2 * * *';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * One entry of ZIZHI_BACKUP_TARGETS: `s3://bucket/prefix` or a folder path (relative paths are
 * taken from the working directory, like ZIZHI_DATA_DIR). Returns a problem to show instead when
 * the entry is wrong; the problem never repeats what looks like a credential.
 */
export function parseBackupTarget(entry: string): BackupTargetSpec | { problem: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(entry)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return { kind: 'dir', path: path.resolve(entry), display: path.resolve(entry) };
  }
  if (scheme !== 's3') {
    return { problem: `"${scheme}://" is not a backup target: give a folder path or s3://bucket/prefix` };
  }
  const rest = entry.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  if (authority.includes('@')) {
    // Keys in a target would be shown on the admin page and in logs: they have their own settings.
    return {
      problem:
        'an s3:// target must not carry credentials: set ZIZHI_S3_ACCESS_KEY_ID and ZIZHI_S3_SECRET_ACCESS_KEY instead',
    };
  }
  if (!BUCKET.test(authority)) {
    return { problem: `"s3://${authority}" does not name a bucket (3–63 lower-case letters, digits, . and -)` };
  }
  const rawPrefix = slash === -1 ? '' : rest.slice(slash + 1);
  if (/[?#\\]/.test(rawPrefix) || rawPrefix.split('/').some((part) => part === '.' || part === '..')) {
    return { problem: `the prefix of "s3://${authority}/…" may not contain ?, #, \\, . or .. parts` };
  }
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  return { kind: 's3', bucket: authority, prefix, display: `s3://${authority}/${prefix}` };
}

/** ZIZHI_BACKUP_TARGETS as a list; `none` (or `off`) turns backups off, also the embedded default. */
export function parseBackupTargets(value: string): { targets: BackupTargetSpec[]; problems: string[] } {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 1 && /^(none|off)$/i.test(entries[0]!)) return { targets: [], problems: [] };
  const targets: BackupTargetSpec[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const parsed = parseBackupTarget(entry);
    if ('problem' in parsed) problems.push(parsed.problem);
    else if (targets.some((t) => t.display === parsed.display)) problems.push(`${parsed.display} is listed twice`);
    else targets.push(parsed);
  }
  return { targets, problems };
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/**
 * What is wrong with a five-field cron expression (numbers, `*`, ranges, lists and steps), or
 * null. Checked here so a typo stops start-up instead of pg-boss refusing the schedule later.
 */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `"${expression}" must have five fields (minute hour day-of-month month day-of-week), e.g. ${DEFAULT_BACKUP_SCHEDULE}, or be off`;
  }
  for (const [i, field] of fields.entries()) {
    const { name, min, max } = CRON_FIELDS[i]!;
    for (const item of field.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      const inRange = (n: string | undefined) => n === undefined || (Number(n) >= min && Number(n) <= max);
      if (!m || !inRange(m[2]) || !inRange(m[3]) || (m[3] !== undefined && Number(m[3]) < Number(m[2]))) {
        return `"${item}" is not valid in the ${name} field (${min}–${max}, *, a range a-b, a list or a step /n)`;
      }
      if (m[4] !== undefined && Number(m[4]) === 0) return `"${item}": a step must be at least 1`;
    }
  }
  return null;
}

/** An age recipient: X25519 `age1…`, or one with its own part before the data (`age1pq1…`, plugins). */
export const isAgeRecipient = (value: string) => /^age1(?:[a-z0-9]+1)?[02-9ac-hj-np-z]{20,}$/.test(value);

// ZIZHI_BACKUP_KEEP, applied by modules/backup/retention.ts.
export interface KeepRule {
  days: number;
  weeks: number;
  months: number;
  years: number;
  /** `all`: nothing is ever deleted. */
  all: boolean;
}

export const DEFAULT_KEEP = '7d,4w,12m';

const UNITS = { d: 'days', w: 'weeks', m: 'months', y: 'years' } as const;

/** Parses `7d,4w,12m` (any of d, w, m, y once, 0–10000 each) or `all`; a string is what to fix. */
export function parseKeepRule(value: string): KeepRule | string {
  const rule: KeepRule = { days: 0, weeks: 0, months: 0, years: 0, all: false };
  if (value.trim().toLowerCase() === 'all') return { ...rule, all: true };
  const seen = new Set<string>();
  for (const part of value.split(',').map((p) => p.trim())) {
    const m = /^(\d{1,5})([dwmy])$/i.exec(part);
    if (!m) return `"${part}" is not a count and unit, e.g. 7d, 4w, 12m or 2y (days, ISO weeks, months, years)`;
    const unit = m[2]!.toLowerCase() as keyof typeof UNITS;
    if (seen.has(unit)) return `${unit} is given twice`;
    seen.add(unit);
    const n = Number(m[1]);
    if (n > 10_000) return `"${part}": at most 10000`;
    rule[UNITS[unit]] = n;
  }
  if (rule.days + rule.weeks + rule.months + rule.years === 0) {
    return 'would keep no archive by age: give at least one count above 0, or all';
  }
  return rule;
}

/** The rule in words for logs and the admin page's English: "7 daily, 4 weekly, 12 monthly". */
export function describeKeepRule(rule: KeepRule): string {
  if (rule.all) return 'all';
  return (
    [
      [rule.days, 'd'],
      [rule.weeks, 'w'],
      [rule.months, 'm'],
      [rule.years, 'y'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(',');
}
