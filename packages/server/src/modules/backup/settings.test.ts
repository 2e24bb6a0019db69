import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.js';
import { cronProblem, isAgeRecipient, parseBackupTarget } from '../../config/backup.js';

const PG = { DATABASE_URL: 'postgres://zizhi@db/zizhi' };
const S3_KEYS = { ZIZHI_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', ZIZHI_S3_SECRET_ACCESS_KEY: 'very-secret-key-value' };
const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('the configuration was accepted');
}

describe('backup settings', () => {
  it('back up the embedded database daily at 02:30 China time into <data dir>/backups by default', () => {
    const { backup } = loadConfig({ ZIZHI_DATA_DIR: '/srv/zizhi' });
    expect(backup).toEqual({
      targets: [{ kind: 'dir', path: '/srv/zizhi/backups', display: '/srv/zizhi/backups' }],
      schedule: '30 2 * * *',
      timezone: 'Asia/Shanghai',
      keep: { days: 7, weeks: 4, months: 12, years: 0, all: false },
      verify: true,
    });
  });

  it('have no target on PostgreSQL unless one is given, and no drill after each backup by default', () => {
    expect(loadConfig(PG).backup).toMatchObject({ targets: [], verify: false });
    expect(loadConfig({ ...PG, ZIZHI_BACKUP_VERIFY: 'true' }).backup.verify).toBe(true);
    expect(loadConfig({ ZIZHI_BACKUP_TARGETS: 'none' }).backup.targets).toEqual([]);
  });

  it('take a folder and a bucket at once (local + cloud), the bucket on the ZIZHI_S3_ server and keys', () => {
    const config = loadConfig({
      ZIZHI_BACKUP_TARGETS: ' backups , s3://zizhi-backups/nightly ',
      ZIZHI_S3_ENDPOINT: 'http://minio:9000',
      ...S3_KEYS,
    });
    expect(config.backup.targets).toEqual([
      { kind: 'dir', path: path.resolve('backups'), display: path.resolve('backups') },
      { kind: 's3', bucket: 'zizhi-backups', prefix: 'nightly/', display: 's3://zizhi-backups/nightly/' },
    ]);
    // Files stay in the data folder: the keys are the backup target's.
    expect(config.s3).toBeUndefined();
    expect(config.backupS3).toMatchObject({ endpoint: 'http://minio:9000', accessKeyId: 'AKIAEXAMPLE' });
    expect(inspect(config)).not.toContain('very-secret-key-value');
    expect(JSON.stringify(config)).not.toContain('very-secret-key-value');
  });

  it('refuse an s3:// target without keys, or with keys in it, without repeating them', () => {
    expect(problemsOf({ ZIZHI_BACKUP_TARGETS: 's3://zizhi-backups' })).toMatch(
      /ZIZHI_BACKUP_TARGETS names an s3:\/\/ target but ZIZHI_S3_ACCESS_KEY_ID and ZIZHI_S3_SECRET_ACCESS_KEY are not set/,
    );
    const message = problemsOf({ ZIZHI_BACKUP_TARGETS: 's3://AKIA:hunter2hunter2@zizhi-backups/x', ...S3_KEYS });
    expect(message).toContain('must not carry credentials');
    expect(message).not.toContain('hunter2');
  });

  it('name what is wrong with a target, a schedule, a retention rule or encryption', () => {
    const message = problemsOf({
      ZIZHI_BACKUP_TARGETS: 'ftp://backup.example/x,/var/backups,/var/backups',
      ZIZHI_BACKUP_SCHEDULE: '30 25 * * *',
      ZIZHI_BACKUP_KEEP: '7x',
      ZIZHI_BACKUP_PASSPHRASE: 'short',
      ZIZHI_BACKUP_VERIFY: 'yes',
    });
    for (const expected of [
      'ZIZHI_BACKUP_TARGETS: "ftp://" is not a backup target',
      'ZIZHI_BACKUP_TARGETS: /var/backups is listed twice',
      'ZIZHI_BACKUP_SCHEDULE: "25" is not valid in the hour field',
      'ZIZHI_BACKUP_KEEP: "7x" is not a count and unit',
      'ZIZHI_BACKUP_PASSPHRASE: must be at least 12 characters',
      'ZIZHI_BACKUP_VERIFY: must be true or false',
    ]) {
      expect(message).toContain(expected);
    }
    expect(message).not.toContain('short');
  });

  it('encrypt with a passphrase or to age recipients, not both; a secret key given as a recipient is not echoed', () => {
    const withPassphrase = loadConfig({ ZIZHI_BACKUP_PASSPHRASE: 'correct horse battery staple' });
    expect(inspect(withPassphrase.backup)).not.toContain('correct horse');
    expect(JSON.stringify(withPassphrase.backup)).not.toContain('correct horse');
    expect(
      loadConfig({ ZIZHI_BACKUP_RECIPIENTS: `${RECIPIENT}, ${RECIPIENT.replace('q', 'p')}` }).backup.encryption,
    ).toEqual({ recipients: [RECIPIENT, RECIPIENT.replace('q', 'p')] });
    expect(
      problemsOf({ ZIZHI_BACKUP_PASSPHRASE: 'correct horse battery staple', ZIZHI_BACKUP_RECIPIENTS: RECIPIENT }),
    ).toContain('are both set');
    const secret = 'AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS3R2WJN';
    const message = problemsOf({ ZIZHI_BACKUP_RECIPIENTS: secret });
    expect(message).toContain('an age secret key is not an age recipient');
    expect(message).not.toContain('QYQSZQ');
  });

  it('turn the schedule off with off', () => {
    expect(loadConfig({ ZIZHI_BACKUP_SCHEDULE: 'OFF' }).backup.schedule).toBeNull();
    expect(loadConfig({ ZIZHI_BACKUP_SCHEDULE: '0  3 * * 1-5' }).backup.schedule).toBe('0 3 * * 1-5');
  });
});

describe('setting parsers', () => {
  it('read five-field cron expressions with lists, ranges and steps', () => {
    for (const ok of ['30 2 * * *', '*/15 * * * *', '0 3 1,15 * *', '0 4 * * 0-6/2', '0 0 * * 7']) {
      expect(cronProblem(ok), ok).toBeNull();
    }
    expect(cronProblem('* * * *')).toMatch(/five fields/);
    expect(cronProblem('60 * * * *')).toMatch(/"60" is not valid in the minute field/);
    expect(cronProblem('0 5-3 * * *')).toMatch(/"5-3" is not valid in the hour field/);
    expect(cronProblem('*/0 * * * *')).toMatch(/step must be at least 1/);
    expect(cronProblem('0 0 * JAN *')).toMatch(/"JAN" is not valid in the month field/);
  });

  it('read targets: s3 prefixes end in / and may not climb out', () => {
    expect(parseBackupTarget('s3://b-1.example')).toMatchObject({ bucket: 'b-1.example', prefix: '' });
    expect(parseBackupTarget('s3://bucket/a/b/')).toMatchObject({ prefix: 'a/b/' });
    expect(parseBackupTarget('s3://bucket/../x')).toHaveProperty('problem');
    expect(parseBackupTarget('s3://Bucket_Name')).toHaveProperty('problem');
    expect(parseBackupTarget('relative/dir')).toMatchObject({ kind: 'dir', path: path.resolve('relative/dir') });
  });

  it('know an age recipient from anything else', () => {
    expect(isAgeRecipient(RECIPIENT)).toBe(true);
    expect(isAgeRecipient(`age1pq1${RECIPIENT.slice(4)}`)).toBe(true);
    expect(isAgeRecipient('ssh-ed25519 AAAA')).toBe(false);
    expect(isAgeRecipient('AGE-SECRET-KEY-1ABC')).toBe(false);
  });
});
