import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerReadinessCommand } from './readiness.js';

const dir = mkdtempSync(join(tmpdir(), 'zizhi-readiness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const program = new Command();
  registerReadinessCommand(program, { write: { out: (s) => void (out += s), err: (s) => void (err += s) } });
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
  writeFileSync(p, JSON.stringify(content));
  return p;
}

const company = {
  organisation: { name: '深圳市示例科技有限公司', businessSince: '2015-06-01' },
  projects: [1, 2, 3].map((i) => ({
    id: `p${i}`,
    name: `智慧城市项目 ${i}`,
    amount: '15000000.00',
    signedOn: `2024-0${i}-10`,
    acceptedOn: `2024-0${i + 3}-10`,
    status: 'accepted',
    technologies: ['云计算'],
  })),
  staff: [{ id: 's1', name: '张伟', isRnd: true, socialInsuranceFrom: '2020-01' }],
  financialYears: [2023, 2024, 2025].map((year) => ({ year, systemIntegrationRevenue: '90000000.00' })),
};

describe('zizhi readiness', () => {
  it('prints a Chinese report over a JSON evidence file', async () => {
    const r = await run('readiness', '--level', 'cs3', '--at', '2026-06-30', '--data', file('company.json', company));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('CS3（良好级） 评估日 2026-06-30');
    expect(r.out).toMatch(/满足\s+.*项目/);
    expect(r.out).toContain('不满足');
  });

  it('prints JSON with --json', async () => {
    const r = await run(
      'readiness',
      '--level',
      'CS3',
      '--at',
      '2026-06-30',
      '--data',
      file('c2.json', company),
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.level).toBe('CS3');
    const large = result.requirements.find((q: { kind: string }) => q.kind === 'large-projects');
    expect(large).toMatchObject({ status: 'met', value: 3 });
    expect(large.forecast.date > '2026-06-30').toBe(true);
  });

  it('exits 2 naming the bad field of the evidence file, a bad level or a bad date', async () => {
    const bad = file('bad.json', {
      ...company,
      projects: [{ id: 'p1', name: 'x', amount: '1.234', status: 'accepted' }],
    });
    const r = await run('readiness', '--level', 'CS3', '--data', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/projects/);
    expect((await run('readiness', '--level', 'CS9', '--data', bad)).code).toBe(2);
    const date = await run('readiness', '--level', 'CS3', '--at', '2026-13-01', '--data', file('c3.json', company));
    expect(date.code).toBe(2);
    expect((await run('readiness', '--level', 'CS3', '--data', join(dir, 'missing.json'))).err).toContain(
      'cannot read',
    );
  });
});
