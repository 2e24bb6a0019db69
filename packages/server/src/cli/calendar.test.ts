import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetCalendarYears } from '@zizhi/core';
import type { Database } from '../db/client.js';
import { calendarYears } from '../db/schema.js';
import { importCalendarYear } from '../modules/calendar/service.js';
import { loadImportedYears as loadFromDb } from '../db/calendar.js';
import { createTestDatabase } from '../test/harness.js';
import { registerCalendarCommands } from './calendar.js';
import { registerObligationsCommand } from './obligations.js';

const dir = mkdtempSync(join(tmpdir(), 'zizhi-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The commands run against a real database through the same services `npx zizhi` uses.
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase('pglite');
});
afterAll(() => database.close());
const storedYears = async () =>
  (await database.db.select({ year: calendarYears.year }).from(calendarYears)).map((r) => r.year);

beforeEach(async () => {
  await database.db.delete(calendarYears);
  process.exitCode = undefined;
});
afterEach(() => {
  resetCalendarYears();
  process.exitCode = undefined;
});

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const write = { out: (s: string) => void (out += s), err: (s: string) => void (err += s) };
  const program = new Command();
  const loadImportedYears = () => loadFromDb(database.db);
  const storeYear = (file: unknown, replace: boolean) =>
    importCalendarYear({ db: database.db, file, actorId: null, ip: 'cli', replace });
  registerCalendarCommands(program, { loadImportedYears, storeYear, write });
  registerObligationsCommand(program, { loadImportedYears, write });
  program.exitOverride();
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, err, code };
}

function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

describe('zizhi calendar', () => {
  it.each([
    [['is-workday', '2026-10-10'], 'true\n'],
    [['is-workday', '2026-10-03'], 'false\n'],
    [['add-workdays', '2026-09-28', '7'], '2026-10-13\n'],
    [['add-workdays', '2026-10-13', '-7'], '2026-09-28\n'],
    [['count-workdays', '2025-01-01', '2025-12-31'], '248\n'],
    [['add-days', '2026-09-30', '1'], '2026-10-08\n'],
    [['add-months', '2025-08-31', '18'], '2027-02-28\n'],
  ])('calendar %j prints %j', async (args, expected) => {
    const r = await run('calendar', ...args);
    expect(r).toEqual({ out: expected, err: '', code: 0 });
  });

  it('lists the published years with their notice URLs', async () => {
    const r = await run('calendar', 'years');
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(20);
    expect(lines.at(-1)).toBe('2026\tbuiltin\thttps://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm');
    expect(r.code).toBe(0);
  });

  it('exits 2 with what to fix for a bad date, a bad number or a missing argument', async () => {
    const bad = await run('calendar', 'is-workday', '2026-02-30');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/2026-02-30.*必须是真实日期/);
    const n = await run('calendar', 'add-workdays', '2026-09-28', 'seven');
    expect(n.code).toBe(2);
    expect(n.err).toMatch(/whole number/);
    const missing = await run('calendar', 'add-days', '2026-09-28');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing required argument/);
    expect((await run('calendar', 'no-such-command')).code).toBe(2);
  });

  it('exits 3 for an unpublished year, naming it and how to import it', async () => {
    const r = await run('calendar', 'add-workdays', '2026-12-28', '5');
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toContain('2027');
    expect(r.err).toContain('npx zizhi calendar import FILE');
  });

  it('--provisional answers with the weekday rule and warns on stderr', async () => {
    const r = await run('calendar', 'add-workdays', '2026-12-28', '5', '--provisional');
    expect(r.out).toBe('2027-01-04\n');
    expect(r.err).toMatch(/warning: provisional.*2027/);
    expect(r.code).toBe(0);
    const known = await run('calendar', 'is-workday', '2026-10-10', '--provisional');
    expect(known).toEqual({ out: 'true\n', err: '', code: 0 });
  });

  it('imports a year file into the store and uses imported years', async () => {
    const p = file('2027.json', {
      year: 2027,
      papers: ['https://example.test/2027'],
      days: [
        { name: '元旦', date: '2027-01-01', isOffDay: true },
        { name: '春节', date: '2027-02-06', isOffDay: false },
      ],
    });
    const r = await run('calendar', 'import', p);
    expect(r).toEqual({
      out:
        'imported 2027: 1 off days, 1 make-up working days\n' +
        'Running servers use 2027 from their next request; no restart is needed.\n',
      err: '',
      code: 0,
    });
    expect(await storedYears()).toEqual([2027]);
    resetCalendarYears();
    // A new process: the command registers the stored years before computing.
    expect((await run('calendar', 'is-workday', '2027-02-06')).out).toBe('true\n');
    expect((await run('calendar', 'years')).out.trim().split('\n').at(-1)).toBe(
      '2027\timported\thttps://example.test/2027',
    );
  });

  it('refuses to replace a built-in year unless --replace is given; imported years are replaced freely', async () => {
    const y2026 = file('2026.json', {
      year: 2026,
      papers: ['https://example.test/2026'],
      days: [{ name: '元旦', date: '2026-01-01', isOffDay: true }],
    });
    const refused = await run('calendar', 'import', y2026);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(/2026 年的放假安排已内置.*--replace/);
    expect(await storedYears()).toEqual([]);

    const replaced = await run('calendar', 'import', y2026, '--replace');
    expect(replaced.code).toBe(0);
    expect(replaced.out).toMatch(/^imported 2026: 1 off days, 0 make-up working days \(replaces the builtin data\)\n/);
    expect(replaced.out).toContain('no restart is needed');
    expect(await storedYears()).toEqual([2026]);

    // Now 2026 is an imported year (registered from the store): no --replace needed.
    resetCalendarYears();
    const again = await run('calendar', 'import', y2026);
    expect(again.code).toBe(0);
    expect(again.out).toContain('(replaces the imported data)');
  });

  it('exits 2 naming the year when a stored imported year is invalid', async () => {
    await database.db.insert(calendarYears).values({ year: 2027, data: { year: 2027, papers: [], days: [] } });
    const r = await run('calendar', 'is-workday', '2026-10-10');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /^error: the imported calendar year 2027 stored in the database is invalid \(.*not published yet/,
    );
  });

  it('refuses an invalid year file with every problem (exit 2), storing nothing', async () => {
    const p = file('bad.json', { year: 2027, papers: [], days: [{ name: 'x', date: '2026-05-01', isOffDay: true }] });
    const r = await run('calendar', 'import', p);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/2026-05-01 is outside 2027/);
    expect(await storedYears()).toEqual([]);
    expect((await run('calendar', 'import', file('x.json', '{ nope'))).err).toMatch(/not valid JSON/);
    expect((await run('calendar', 'import', join(dir, 'missing.json'))).err).toMatch(/cannot read/);
  });

  it('refuses the empty 2027 file of holiday-cn', async () => {
    const src = readFileSync(new URL('../../../core/data/holiday-cn/2027.json', import.meta.url), 'utf8');
    const r = await run('calendar', 'import', file('2027-empty.json', src));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not published yet/);
  });
});

describe('zizhi obligations', () => {
  it('prints a Chinese table sorted by date', async () => {
    const events = file('events.json', [{ type: 'complaint', id: 'c1', date: '2026-09-28' }]);
    const r = await run(
      'obligations',
      '--level',
      'CS3',
      '--issued',
      '2025-03-15',
      '--events',
      events,
      '--until',
      '2026-11-30',
    );
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('证书 CS3（良好级） 发证 2025-03-15 到期 2029-03-14');
    expect(r.out).toMatch(
      /2026-10-13\s+投诉调查与整改方案\s+7 个工作日，自 2026-09-28 起算，跳过 10-01 至 10-07 国庆节假期/,
    );
    const dates = r.out
      .split('\n')
      .map((l) => /^(\d{4}-\d{2}-\d{2}) /.exec(l)?.[1])
      .filter(Boolean);
    expect(dates.length).toBeGreaterThan(20);
    expect(dates).toEqual([...dates].sort());
    expect(r.out).toContain('状态:');
  });

  it('prints JSON with --json', async () => {
    const r = await run('obligations', '--level', 'CS1', '--issued', '2024-01-15', '--until', '2024-12-31', '--json');
    const j = JSON.parse(r.out) as { obligations: { key: string }[]; certificate: { expiresOn: string } };
    expect(j.certificate.expiresOn).toBe('2028-01-14');
    expect(j.obligations.map((o) => o.key)).toContain('audit.internal:2024-Q1');
  });

  it('exits 3 when the validity reaches an unpublished year, 0 with a warning under --provisional', async () => {
    const strict = await run('obligations', '--level', 'CS3', '--issued', '2025-03-15');
    expect(strict.code).toBe(3);
    expect(strict.err).toContain('2027');
    expect(strict.err).toContain('npx zizhi calendar import FILE');
    const p = await run('obligations', '--level', 'CS3', '--issued', '2025-03-15', '--provisional', '--json');
    expect(p.code).toBe(0);
    expect(p.err).toMatch(/warning: provisional/);
    expect((JSON.parse(p.out) as { provisional: boolean }).provisional).toBe(true);
  });

  it('exits 2 for a bad level, a missing option, bad events', async () => {
    expect((await run('obligations', '--level', 'CS7', '--issued', '2025-03-15')).err).toMatch(
      /--level must be one of/,
    );
    const missing = await run('obligations', '--level', 'CS3');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--issued/);
    const ev = await run(
      'obligations',
      '--level',
      'CS3',
      '--issued',
      '2025-03-15',
      '--events',
      file('e.json', [{ type: 'nope', date: '2025-05-01' }]),
    );
    expect(ev.code).toBe(2);
    expect(ev.err).toMatch(/"nope" 无法识别/);
    const notArray = await run(
      'obligations',
      '--level',
      'CS3',
      '--issued',
      '2025-03-15',
      '--events',
      file('o.json', { a: 1 }),
    );
    expect(notArray.code).toBe(2);
    expect(notArray.err).toMatch(/JSON array/);
  });
});
