import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The boundary check (scripts/boundaries.mjs, a step of `npm test`) run on small trees of the
// same layout, so each rule is seen to fail when broken, not only to pass on the repository.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const script = path.join(root, 'scripts/boundaries.mjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Outcome {
  ok: boolean;
  stderr: string;
  result: { violations: { rule: string }[]; pairs: string[]; cycles: string[][]; floors: number; chain: string[] };
}

function check(files: Record<string, string>): Outcome {
  const base = mkdtempSync(path.join(os.tmpdir(), 'zizhi-boundaries-'));
  dirs.push(base);
  const tree = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
    'packages/core/src/index.ts': 'export const LEVELS = [1];\n',
    'packages/server/src/errors.ts': 'export class AppError extends Error {}\n',
    'packages/server/src/db/client.ts': "import { AppError } from '../errors.js';\nexport const db = AppError;\n",
    'packages/server/src/http/auth.ts': "import { db } from '../db/client.js';\nexport const auth = db;\n",
    'packages/server/src/modules/orgs/service.ts':
      "import { auth } from '../../http/auth.js';\nexport const orgs = auth;\n",
    'packages/server/src/modules/orgs/api.ts': "export { orgs } from './service.js';\n",
    'packages/server/src/modules/files/service.ts':
      "import { orgs } from '../orgs/api.js';\nexport const files = orgs;\n",
    'packages/server/src/app.ts': "import { files } from './modules/files/service.js';\nexport const app = files;\n",
    ...files,
  };
  for (const [file, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(base, file)), { recursive: true });
    writeFileSync(path.join(base, file), text);
  }
  const r = spawnSync(process.execPath, [script, '--base', base, '--json'], { cwd: root, encoding: 'utf8' });
  return {
    ok: r.status === 0,
    stderr: r.stderr,
    result: JSON.parse(r.stdout.trim().split('\n')[0]!) as Outcome['result'],
  };
}

const rules = (o: Outcome) => o.result.violations.map((v) => v.rule);

describe('boundary check', () => {
  it('passes a tree that keeps the rules, and counts its folders', () => {
    const o = check({});
    expect(o.stderr).toBe('');
    expect(o.ok).toBe(true);
    expect(o.result.pairs).toEqual(['files → orgs']);
    expect(o.result.chain).toEqual(['app', 'modules/files', 'modules/orgs', 'http', 'db', 'errors']);
    expect(o.result.floors).toBe(6);
  });

  it('refuses a feature that reaches past another feature’s api.ts', () => {
    const o = check({
      'packages/server/src/modules/files/service.ts':
        "import { orgs } from '../orgs/service.js';\nexport const files = orgs;\n",
    });
    expect(o.ok).toBe(false);
    expect(rules(o)).toContain('features-through-api');
  });

  it('refuses a folder cycle even when both arrows go through api.ts', () => {
    const o = check({
      'packages/server/src/modules/orgs/service.ts':
        "import { files } from '../files/api.js';\nexport const orgs = files;\n",
      'packages/server/src/modules/files/api.ts': "export { files } from './service.js';\n",
    });
    expect(o.ok).toBe(false);
    expect(o.result.cycles).toEqual([['modules/files', 'modules/orgs']]);
    expect(o.stderr).toContain('folder cycle: modules/files, modules/orgs');
  });

  it('refuses the foundation importing a feature, a feature importing the app, a job past api.ts', () => {
    const o = check({
      'packages/server/src/jobs/sweep.ts':
        "import { orgs } from '../modules/orgs/service.js';\nexport const sweep = orgs;\n",
      'packages/server/src/http/auth.ts': "import { orgs } from '../modules/orgs/api.js';\nexport const auth = orgs;\n",
      'packages/server/src/modules/orgs/extra.ts': "import { app } from '../../app.js';\nexport const x = app;\n",
    });
    expect(o.ok).toBe(false);
    expect(rules(o)).toEqual(
      expect.arrayContaining(['foundation-below-features', 'features-below-jobs', 'jobs-through-api']),
    );
  });

  it('refuses I/O in core, core importing the server, and source importing test helpers', () => {
    const o = check({
      'packages/core/src/index.ts': "import { readFileSync } from 'node:fs';\nexport const LEVELS = [readFileSync];\n",
      'packages/core/src/bad.ts': "import { db } from '../../server/src/db/client.js';\nexport const bad = db;\n",
      'packages/server/src/test/harness.ts': 'export const harness = 1;\n',
      'packages/server/src/modules/orgs/seed.ts':
        "import { harness } from '../../test/harness.js';\nexport const s = harness;\n",
    });
    expect(o.ok).toBe(false);
    expect(rules(o)).toEqual(expect.arrayContaining(['core-has-no-io', 'core-is-pure', 'test-helpers-in-tests']));
  });

  it('refuses more floors than the limit', () => {
    const chain: Record<string, string> = {};
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    names.forEach((n, i) => {
      const next = names[i + 1];
      chain[`packages/server/src/modules/${n}/api.ts`] = next
        ? `import { v } from '../${next}/api.js';\nexport const w = v;\nexport { v };\n`
        : "import { db } from '../../db/client.js';\nexport const v = db;\n";
    });
    const o = check(chain);
    expect(o.result.floors).toBe(10);
    expect(o.ok).toBe(false);
    expect(o.stderr).toContain('10 floors (at most 9)');
  });
});
