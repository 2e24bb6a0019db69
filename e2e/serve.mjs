// Starts the built server on a fresh, temporary data folder for the Playwright journeys and removes
// the folder when Playwright stops it (SIGTERM). Usage: PORT=8765 node e2e/serve.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, 'packages/server/dist/cli/index.js');
const web = join(root, 'packages/web/dist/index.html');

for (const [file, hint] of [
  [cli, 'the server is not built; run `npm run build` first'],
  [web, 'the browser app is not built; run `npm run build` first'],
]) {
  if (!existsSync(file)) {
    console.error(`e2e/serve.mjs: ${file} is missing: ${hint}.`);
    process.exit(1);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'zizhi-e2e-'));
const port = process.env.PORT ?? '8765';
console.log(`e2e/serve.mjs: data folder ${dataDir}, port ${port}`);

// Always the embedded database in the fresh folder, even where DATABASE_URL is set.
const env = {
  ...process.env,
  ZIZHI_DATA_DIR: dataDir,
  PORT: port,
  HOST: process.env.HOST ?? '127.0.0.1',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};
delete env.DATABASE_URL;
const child = spawn(process.execPath, [cli, 'serve'], { cwd: root, stdio: 'inherit', env });

let cleaned = false;
function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  rmSync(dataDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    // the server closes its database, then exits; do not wait for ever
    setTimeout(() => {
      child.kill('SIGKILL');
    }, 8000).unref();
  });
}

child.on('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal ? 0 : 1));
});
child.on('error', (error) => {
  console.error(`e2e/serve.mjs: cannot start the server: ${error.message}`);
  cleanUp();
  process.exit(1);
});
