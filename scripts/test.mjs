// `npm test`: lint, type-check, unit and integration tests (PGlite, and PostgreSQL when
// TEST_DATABASE_URL is set), the date suites again in other time zones, then the browser
// journeys. Runs every step even after a failure, and ends with one plain line
// `N passed, N failed, N skipped` over everything it ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'tmp', 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2); // e.g. `npm test -- unit` runs only the named steps

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
/** Each failure's name and first lines, repeated at the end: a log's tail then says what broke. */
const failures = [];

/** The start of an error message, without colours, on at most a few lines. */
function brief(message) {
  // eslint-disable-next-line no-control-regex
  const plain = String(message ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  const lines = plain
    .split('\n')
    .map((l) => l.trimEnd())
    // Frames inside libraries and Node say nothing about what broke.
    .filter((l) => l.trim() !== '' && !/^\s*at .*(node_modules|node:|<anonymous>)/.test(l));
  return lines.slice(0, 8).join('\n      ').slice(0, 1200);
}

function run(cmd, args, env = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return { ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

/** A step that is one check: it passes or fails as a whole. */
function check(name, cmd, args) {
  if (only.length && !only.includes(name)) return;
  console.log(`\n── ${name} ──`);
  const r = run(cmd, args);
  totals[r.ok ? 'passed' : 'failed'] += 1;
  summary.push(`${r.ok ? 'ok  ' : 'FAIL'} ${name} (${r.seconds}s)`);
}

function vitest(name, args, env = {}) {
  if (only.length && !only.includes(name)) return;
  console.log(`\n── ${name} ──`);
  const file = path.join(out, `${name}.json`);
  const r = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${file}`, ...args], env);
  if (!existsSync(file)) {
    totals.failed += 1;
    summary.push(`FAIL ${name}: vitest produced no report (${r.seconds}s)`);
    return;
  }
  const j = JSON.parse(readFileSync(file, 'utf8'));
  // A file that fails to load has no tests to count: count it as a failure itself.
  const brokenFiles = j.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  const failed = j.numFailedTests + brokenFiles + (r.ok || j.numFailedTests + brokenFiles > 0 ? 0 : 1);
  for (const f of j.testResults) {
    const rel = path.relative(root, f.name);
    if (f.status === 'failed' && f.assertionResults.length === 0)
      failures.push(`${name}: ${rel}\n      ${brief(f.message)}`);
    for (const a of f.assertionResults) {
      if (a.status === 'failed')
        failures.push(`${name}: ${rel} › ${a.fullName}\n      ${brief(a.failureMessages?.[0])}`);
    }
  }
  totals.passed += j.numPassedTests;
  totals.failed += failed;
  totals.skipped += j.numPendingTests + j.numTodoTests;
  summary.push(
    `${failed ? 'FAIL' : 'ok  '} ${name}: ${j.numPassedTests} passed, ${failed} failed, ${j.numPendingTests + j.numTodoTests} skipped (${r.seconds}s)`,
  );
}

function playwright(name) {
  if (only.length && !only.includes(name)) return;
  console.log(`\n── ${name} ──`);
  const file = path.join(out, 'playwright.json');
  const r = run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
  if (!existsSync(file)) {
    totals.failed += 1;
    summary.push(`FAIL ${name}: playwright produced no report (${r.seconds}s)`);
    return;
  }
  const { stats, errors, suites } = JSON.parse(readFileSync(file, 'utf8'));
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const last = test.results?.[test.results.length - 1];
        failures.push(`${name}: ${spec.file}:${spec.line} › ${spec.title}\n      ${brief(last?.error?.message)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of suites ?? []) walk(suite);
  for (const e of errors ?? []) failures.push(`${name}: ${brief(e.message)}`);
  const failed = stats.unexpected + (errors?.length ?? 0) + (r.ok || stats.unexpected ? 0 : 1);
  totals.passed += stats.expected + stats.flaky;
  totals.failed += failed;
  totals.skipped += stats.skipped;
  summary.push(
    `${failed ? 'FAIL' : 'ok  '} ${name}: ${stats.expected + stats.flaky} passed, ${failed} failed, ${stats.skipped} skipped (${r.seconds}s)`,
  );
}

check('lint', bin('eslint'), ['.']);
check('format', bin('prettier'), ['--check', '.']);
check('typecheck', 'npm', ['run', '--silent', 'typecheck']);
check('boundaries', 'node', ['scripts/boundaries.mjs']);
vitest('unit', []);
// Dates must not depend on the process time zone: run the suites again far west and far east
// of China (the embedded database only; the server suite already ran on both).
// Left out of the second run: suites whose results cannot depend on the process time zone
// (archives with UTC names, locks, fsync, random requests checked only for 5xx), and the slowest.
const TZ_INDEPENDENT = [
  'packages/server/src/modules/backup/backup.test.ts',
  'packages/server/src/modules/backup/cli.test.ts',
  'packages/server/src/modules/backup/backup-admin.test.ts',
  'packages/server/src/modules/workspace-transfer/workspace-transfer.test.ts',
  'packages/server/src/security/fuzz.test.ts',
  'packages/server/src/config/config.test.ts',
  'packages/server/src/boundaries.test.ts',
  'packages/server/src/scale.test.ts',
  'packages/server/src/cli/imported-years.test.ts',
  'packages/server/src/db/migrate.test.ts',
  'packages/server/src/storage/s3-blob-store.test.ts',
  // Who may call what, and how requests are checked and described: no calendar date in them.
  'packages/server/src/modules/auth/auth.test.ts',
  'packages/server/src/security/authorization-matrix.test.ts',
  'packages/server/src/openapi.test.ts',
  'packages/server/src/docs.test.ts',
  'packages/server/src/http/validation.test.ts',
  'packages/server/src/rate-limit.test.ts',
  'packages/server/src/errors.test.ts',
];
vitest(
  'tz-los-angeles',
  TZ_INDEPENDENT.flatMap((file) => ['--exclude', file]),
  { TZ: 'America/Los_Angeles', TEST_DATABASE_URL: '' },
);
vitest('tz-kiritimati', ['packages/core'], { TZ: 'Pacific/Kiritimati' });
check('build', 'node', ['scripts/build.mjs']);
playwright('browser');

if (failures.length > 0) {
  console.log('\n── failures ──');
  for (const line of failures) console.log(`FAIL ${line}`);
}
console.log('\n── summary ──');
for (const line of summary) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
