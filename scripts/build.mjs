// Builds what `npm start` needs: core and server with tsc (incremental), and the web app
// with Vite when its sources are newer than the last build. `--server-only` skips the web
// app (used by `npm install`, so `npx zizhi` works right after it).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`Build failed: ${path.basename(cmd)} ${args.join(' ')}`);
    process.exit(r.status ?? 1);
  }
}

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (!existsSync(bin('tsc'))) {
  // A production install without dev tools: use what is already built.
  if (!existsSync(path.join(root, 'packages/server/dist/cli/index.js'))) {
    console.error('Cannot build: TypeScript is not installed. Run `npm install` (with dev dependencies) first.');
    process.exit(1);
  }
  process.exit(0);
}

run(bin('tsc'), ['-b', 'packages/server/tsconfig.build.json']);

if (!process.argv.includes('--server-only')) {
  const web = path.join(root, 'packages/web');
  const built = path.join(web, 'dist/index.html');
  const sources = Math.max(
    newest(path.join(web, 'src')),
    newest(path.join(root, 'packages/core/src')),
    statSync(path.join(web, 'index.html')).mtimeMs,
  );
  if (!existsSync(built) || statSync(built).mtimeMs < sources || process.argv.includes('--force')) {
    console.log('Building the web app…');
    run(bin('vite'), ['build', '--logLevel', 'warn'], web);
  }
}
