import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SEMI_SPACE_FLAG } from './lean-runtime.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('the long-running server’s V8 settings', () => {
  it('are given by both ways of starting it, and by the benches', () => {
    const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } })
      .scripts.start;
    expect(start).toContain(`node ${SEMI_SPACE_FLAG} packages/server/dist/cli/index.js serve`);
    const bin = readFileSync(path.join(root, 'packages/server/bin/zizhi.js'), 'utf8').split('\n')[0];
    expect(bin).toBe(`#!/usr/bin/env -S node ${SEMI_SPACE_FLAG}`);
    // The benches that answer requests in their own process measure them under the same flag.
    expect(readFileSync(path.join(root, 'scripts/bench.mjs'), 'utf8')).toContain(`'${SEMI_SPACE_FLAG}'`);
  });

  it('are accepted by node through the command’s first line', () => {
    // Run as the shell runs it, through the first line: a flag node does not know exits with 9.
    const out = execFileSync(path.join(root, 'packages/server/bin/zizhi.js'), ['--help'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(out).toContain('serve');
  });
});
