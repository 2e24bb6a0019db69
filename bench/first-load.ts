// Benchmark: the dashboard's first load with an empty browser cache. The built app (`npm run
// build`) on a fresh embedded database, in Debian's Chromium; bytes on the wire are counted from
// the browser's own network events (encodedDataLength), by kind, with the time to the load event.
// The same load with compression refused (Accept-Encoding: identity) is the baseline of the same
// run; a second load with a warm cache shows what a returning user still fetches.
// Target: under 600 KB of compressed JavaScript for the first page.
// Run: npx tsx bench/first-load.ts
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../e2e/chromium.js';
import { creditCode } from '../packages/server/src/test/consultancy-seed.js';

const TARGET_JS_BYTES = 600 * 1024;
const PORT = 8790;
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'bench@example.com', name: '测试管理员', password: 'Bench-Password-2026' };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Load {
  /** Compressed bodies of the scripts, without HTTP headers. */
  jsBodyBytes: number;
  /** Scripts as transferred: bodies and response headers. */
  jsBytes: number;
  cssBytes: number;
  totalBytes: number;
  requests: number;
  fromNetwork: number;
  loadMs: number;
  encodings: Set<string>;
}

async function startServer() {
  const server = spawn(process.execPath, [path.join(root, 'e2e/serve.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: String(PORT), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the server did not start; run `npm run build` first');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Loads the dashboard in `context` and counts what crossed the network. */
async function loadDashboard(context: BrowserContext): Promise<Load> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const kinds = new Map<string, string>();
  const cached = new Set<string>();
  const encodings = new Set<string>();
  const headerBytes = new Map<string, number>();
  const load: Load = {
    jsBodyBytes: 0,
    jsBytes: 0,
    cssBytes: 0,
    totalBytes: 0,
    requests: 0,
    fromNetwork: 0,
    loadMs: 0,
    encodings,
  };
  cdp.on('Network.responseReceived', (e) => {
    kinds.set(e.requestId, e.type);
    headerBytes.set(e.requestId, e.response.encodedDataLength);
    if (e.response.fromDiskCache) cached.add(e.requestId);
    const encoding = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'];
    if (e.type === 'Script') encodings.add(encoding ?? 'none');
  });
  cdp.on('Network.requestServedFromCache', (e) => cached.add(e.requestId));
  cdp.on('Network.loadingFinished', (e) => {
    load.requests++;
    if (!cached.has(e.requestId)) load.fromNetwork++;
    load.totalBytes += e.encodedDataLength;
    const kind = kinds.get(e.requestId);
    if (kind === 'Script') {
      load.jsBytes += e.encodedDataLength;
      load.jsBodyBytes += e.encodedDataLength - (headerBytes.get(e.requestId) ?? 0);
    }
    if (kind === 'Stylesheet') load.cssBytes += e.encodedDataLength;
  });
  await page.goto(BASE, { waitUntil: 'load' });
  await page.getByRole('heading', { name: `欢迎，${ADMIN.name}` }).waitFor();
  await page.locator('canvas').first().waitFor(); // the timeline chart has drawn
  await page.waitForLoadState('networkidle');
  // A string: this file is not compiled with the browser's types.
  load.loadMs = Number(
    await page.evaluate(
      `(() => { const [nav] = performance.getEntriesByType('navigation'); return Math.round(nav.loadEventEnd - nav.startTime); })()`,
    ),
  );
  await page.close();
  return load;
}

/**
 * Two companies with certificates, so that the dashboard draws its timeline chart (its code is
 * fetched only when there is something to draw).
 */
async function seed(browser: Browser) {
  const context = await browser.newContext();
  try {
    await context.request.post(`${BASE}/api/auth/login`, { data: { email: ADMIN.email, password: ADMIN.password } });
    const me = (await (await context.request.get(`${BASE}/api/me`)).json()) as {
      csrfToken: string;
      workspaces: Array<{ id: string }>;
    };
    const headers = { 'X-CSRF-Token': me.csrfToken };
    for (const i of [0, 1]) {
      const org = await context.request.post(`${BASE}/api/orgs`, {
        headers,
        data: {
          workspaceId: me.workspaces[0]!.id,
          name: `北京测试科技有限公司${i + 1}`,
          creditCode: creditCode(i + 1),
        },
      });
      if (org.status() !== 201) throw new Error(`organisation: ${org.status()} ${await org.text()}`);
      const { id } = (await org.json()) as { id: string };
      const cert = await context.request.post(`${BASE}/api/orgs/${id}/certificates`, {
        headers,
        data: {
          level: `CS${i + 2}`,
          number: `CS${i + 2}-2025010${i + 1}-0001`,
          issuer: '中国电子信息行业联合会',
          issuedOn: '2025-01-0' + (i + 1),
        },
      });
      if (cert.status() !== 201) throw new Error(`certificate: ${cert.status()} ${await cert.text()}`);
    }
  } finally {
    await context.close();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main() {
  const server = await startServer();
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const setup = await fetch(`${BASE}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    if (!setup.ok) throw new Error(`setup failed: ${setup.status} ${await setup.text()}`);
    await seed(browser);

    const results: Array<[string, Load]> = [];
    for (const [label, headers] of [
      ['identity (baseline)', { 'accept-encoding': 'identity' }],
      ['compressed', {}],
    ] as const) {
      const context = await browser.newContext({ locale: 'zh-CN', extraHTTPHeaders: headers });
      const login = await context.request.post(`${BASE}/api/auth/login`, {
        data: { email: ADMIN.email, password: ADMIN.password },
      });
      if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
      // Twice per setting: empty cache, then warm; the first of all also warms the server.
      results.push([`${label}, empty cache`, await loadDashboard(context)]);
      if (label === 'compressed') results.push([`${label}, warm cache`, await loadDashboard(context)]);
      await context.close();
    }
    // The baseline's first load also warmed the server; measure the empty-cache compressed load again.
    const context = await browser.newContext({ locale: 'zh-CN' });
    await context.request.post(`${BASE}/api/auth/login`, { data: { email: ADMIN.email, password: ADMIN.password } });
    results.push(['compressed, empty cache (again)', await loadDashboard(context)]);
    await context.close();

    console.log(
      'load'.padEnd(34),
      'JS files'.padStart(10),
      'JS'.padStart(10),
      'CSS'.padStart(9),
      'total'.padStart(10),
      'requests',
      'network',
      'load ms',
      'JS encodings',
    );
    for (const [label, r] of results) {
      console.log(
        label.padEnd(34),
        kb(r.jsBodyBytes).padStart(10),
        kb(r.jsBytes).padStart(10),
        kb(r.cssBytes).padStart(9),
        kb(r.totalBytes).padStart(10),
        String(r.requests).padStart(8),
        String(r.fromNetwork).padStart(7),
        String(r.loadMs).padStart(7),
        [...r.encodings].join(','),
      );
    }
    const baseline = results[0]![1];
    const compressed = results[1]![1];
    console.log(
      `\ncompressed/identity JS bytes: ${(compressed.jsBytes / baseline.jsBytes).toFixed(3)}; ` +
        `first-load JS ${kb(compressed.jsBytes)} with headers (${kb(compressed.jsBodyBytes)} of files) against the ${kb(TARGET_JS_BYTES)} target: ` +
        (compressed.jsBytes < TARGET_JS_BYTES ? 'met' : 'NOT met'),
    );
  } finally {
    await browser.close();
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
}

await main();
