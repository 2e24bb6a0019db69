import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { calendarMirrorPath } from '../db/calendar-mirror.js';
import { mirrorImportedYears } from '../db/calendar.js';
import { openPglite } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { importCalendarYear } from '../modules/calendar/service.js';

// `zizhi calendar` as a whole process, on an embedded database with an imported year: the
// command counts with that year from the file beside the database, even while a server holds it.
const cli = fileURLToPath(new URL('./index.ts', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'zizhi-mirror-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const YEAR_2027 = {
  year: 2027,
  papers: ['https://example.test/2027'],
  days: [
    { name: '元旦', date: '2027-01-01', isOffDay: true },
    { name: '春节', date: '2027-02-06', isOffDay: false },
  ],
};

function zizhi(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, '--data-dir', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
  });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

describe('imported years on the command line', () => {
  it('counts with a year imported into a database a server holds, from the file the server wrote', async () => {
    const database = await openPglite(dir);
    try {
      await migrateDatabase(database);
      await importCalendarYear({ db: database.db, file: YEAR_2027, actorId: null, ip: 'test', replace: false });
      await mirrorImportedYears(database, dir);
      // 2027-02-06 is a Saturday made a working day by the (imported) notice.
      expect(zizhi('calendar', 'is-workday', '2027-02-06')).toEqual({ out: 'true\n', err: '', code: 0 });
    } finally {
      await database.close();
    }
  }, 60_000);

  it('drops the file when the database is opened, and reads the database once when it is missing', async () => {
    const database = await openPglite(dir);
    expect(existsSync(calendarMirrorPath(dir))).toBe(false);
    await database.close();
    expect(zizhi('calendar', 'is-workday', '2027-02-06')).toEqual({ out: 'true\n', err: '', code: 0 });
    expect(existsSync(calendarMirrorPath(dir))).toBe(true);
  }, 60_000);
});
