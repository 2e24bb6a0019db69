import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, SETTINGS } from '../config/index.js';
import { calendarMirrorPath } from '../db/calendar-mirror.js';
import { mirrorImportedYears } from '../db/calendar.js';
import { openPglite } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { importCalendarYear } from '../modules/calendar/service.js';
import { mirroredYearsForCli, SETTING_VARIABLES } from './imported-years.js';

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
  return zizhiIn(dir, ...args);
}

function zizhiIn(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, '--data-dir', dataDir, ...args], {
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

describe('imported years without reading the settings', () => {
  const years = [YEAR_2027];
  const folder = (withMirror: boolean) => {
    const d = mkdtempSync(path.join(dir, 'folder-'));
    mkdirSync(path.join(d, 'pgdata'));
    if (withMirror) writeFileSync(calendarMirrorPath(d), JSON.stringify({ years }));
    return d;
  };

  it('knows every variable loadConfig reads, so that a bad one still stops a rule tool', () => {
    for (const s of SETTINGS) expect(s.env).toMatch(SETTING_VARIABLES);
  });

  it('reads the file beside the database loadConfig would open, or finds none without a database', () => {
    const d = folder(true);
    expect(loadConfig({}, { dataDir: d }).pgliteDir).toBe(path.join(d, 'pgdata'));
    expect(mirroredYearsForCli({ dataDir: d }, {})).toEqual(years);
    expect(mirroredYearsForCli({}, { ZIZHI_DATA_DIR: d })).toEqual(years);
    expect(mirroredYearsForCli({ dataDir: path.join(d, 'none') }, {})).toEqual([]);
    // An empty value counts as unset, as in loadConfig: ./data of the working folder.
    expect(path.resolve(loadConfig({ ZIZHI_DATA_DIR: '' }).dataDir)).toBe(path.resolve('./data'));
    expect(mirroredYearsForCli({ dataDir: '' }, {})).toEqual(mirroredYearsForCli({}, {}));
  });

  it('leaves it to the settings and the database when it cannot answer alone', () => {
    expect(mirroredYearsForCli({ dataDir: folder(false) }, {})).toBeNull();
    const d = folder(true);
    expect(mirroredYearsForCli({ dataDir: d, databaseUrl: 'postgres://db/zizhi' }, {})).toBeNull();
    expect(mirroredYearsForCli({ dataDir: d }, { DATABASE_URL: 'postgres://db/zizhi' })).toBeNull();
    expect(mirroredYearsForCli({ dataDir: d }, { PORT: 'eighty' })).toBeNull();
    expect(mirroredYearsForCli({ dataDir: d }, { ZIZHI_SMTP_URL: 'http://not-smtp' })).toBeNull();
    expect(mirroredYearsForCli({ dataDir: d }, { PORT: '', DATABASE_URL: '' })).toEqual(years);
  });

  it('writes an empty file for a database without the calendar table, so later commands skip it', async () => {
    const d = mkdtempSync(path.join(dir, 'unmigrated-'));
    await (await openPglite(d)).close();
    expect(zizhiIn(d, 'calendar', 'is-workday', '2026-10-01')).toEqual({ out: 'false\n', err: '', code: 0 });
    expect(JSON.parse(readFileSync(calendarMirrorPath(d), 'utf8'))).toEqual({ years: [] });
    // Whoever migrates it opens it, which drops the file.
    await (await openPglite(d)).close();
    expect(existsSync(calendarMirrorPath(d))).toBe(false);
  }, 60_000);
});
