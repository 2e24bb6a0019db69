// `npm run bench [name…]`: runs bench/*.ts one after another (they compete for the same
// cores otherwise) and prints what each measured.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const benches = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(path.basename(f, '.ts')));

spawnSync('node', ['scripts/build.mjs', '--server-only'], { cwd: root, stdio: 'inherit' });
let failed = 0;
for (const file of benches) {
  console.log(`\n== bench/${file} ==`);
  // The server's young-generation size (packages/server/src/cli/lean-runtime.ts), for benches that
  // answer requests in their own process.
  const r = spawnSync(process.execPath, ['--max-semi-space-size=4', '--import', 'tsx', path.join('bench', file)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
