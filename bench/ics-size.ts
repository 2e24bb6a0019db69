// Calendar feed size and speed at consultancy scale: the certificates and events that
// packages/server/src/test/consultancy-seed.ts seeds for bench/consultancy.ts (same PRNG, same
// draws), run through the engine as the server's recompute does, kept to the default feed
// window (90 days back, 730 ahead, open work only) and written by the feed's ICS writer. Beside
// it, in the same run, the same rows as JSON (JSON.stringify), the cheapest serialisation of the
// same data: the ratio says how much the calendar format costs on top of it. Then where an
// event's bytes go, property by property.
//
// The size bound follows from the count: the default window holds ~23 open obligations per
// certificate (two years of monthly compliance checks), so 10 MB at 2,000 certificates leaves
// ~210 octets an event.
//
// SERVE=1 also stores the certificates and all their obligations in an embedded database (rows
// inserted directly: consultancy.ts's seeding through recompute takes many minutes) and times the
// feed as a calendar client gets it, query, ETag and compression included, and its 304.
//
//   npx tsx bench/ics-size.ts              (2,000 certificates over 200 organisations)
//   CERTS=200 ORGS=20 npx tsx bench/ics-size.ts
//   SERVE=1 npx tsx bench/ics-size.ts      also the served feed
//   SHOW=1 …                               print the first event
//
// Targets (issue "Fast at consultancy scale"): the full default feed ≤ 10 MB and < 1 s; one
// organisation's feed < 300 ms.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { addCalendarDays, computeObligations, type Level, type Obligation } from '../packages/core/src/index.js';
import { buildObligationsCalendar, type FeedItem } from '../packages/server/src/modules/feeds/ics.js';
import { prng } from './prng.js';

const ORGS = Number(process.env.ORGS ?? 200);
const CERTS = Number(process.env.CERTS ?? 2000);
const RUNS = Number(process.env.RUNS ?? 7);
const TODAY = process.env.TODAY ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const BASE_URL = 'https://zizhi.example.cn';

const random = prng(20261205);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
// Ids from their own PRNG, so the seeding draws stay consultancy.ts's and every run writes the same bytes.
const idRandom = prng(5545);
const uuid = () => {
  const hex = Array.from({ length: 32 }, () => Math.floor(idRandom() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

// As consultancy-seed.ts makes them, drawing from the PRNG in the same order.
function eventsFor(issuedOn: string, level: Level): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const year = Number(issuedOn.slice(0, 4));
  for (let k = 1; k <= 3 && year + k <= 2026; k++) {
    if (level === 'CS1' || level === 'CS2') {
      events.push({
        type: 'self-check.notice',
        date: `${year + k}-03-01`,
        year: year + k,
        deadline: `${year + k}-04-30`,
      });
    } else {
      events.push({ type: 'supervision.done', date: addCalendarDays(issuedOn, 365 * k + 30), passed: true });
    }
  }
  const kinds = ['complaint', 'license.changed', 'change.general', 'policy.update', 'incident'];
  const extra = 2 + Math.floor(random() * 6);
  for (let i = 0; i < extra; i++) {
    const date = addCalendarDays(issuedOn, 30 + Math.floor(random() * 1200));
    if (date > '2026-11-30') continue;
    const type = pick(kinds);
    events.push(type === 'incident' ? { type, at: `${date}T10:15:00+08:00` } : { type, date });
  }
  return events.map((e) => ({ ...e, id: uuid() }));
}

interface Certificate {
  id: string;
  org: number;
  level: Level;
  number: string;
  issuedOn: string;
  expiresOn: string;
  obligations: (Obligation & { id: string })[];
}

const orgName = (org: number) => `客户企业 ${org + 1} 有限公司`;

function seed(): { orgIds: string[]; certificates: Certificate[] } {
  const orgIds = Array.from({ length: ORGS }, () => uuid());
  const levels: Level[] = ['CS1', 'CS2', 'CS2', 'CS3', 'CS3', 'CS4'];
  const certificates: Certificate[] = [];
  for (let i = 0; i < CERTS; i++) {
    const level = pick(levels);
    const issuedOn = addCalendarDays('2022-12-01', Math.floor(random() * 1400));
    const expiresOn = addCalendarDays(addCalendarDays(issuedOn, 365 * 4 + 1), -1);
    const result = computeObligations({
      certificate: { level, issuedOn, expiresOn },
      events: eventsFor(issuedOn, level),
      asOf: TODAY,
      provisional: true,
    });
    certificates.push({
      id: uuid(),
      org: i % ORGS,
      level,
      number: `${level}2022${String(i).padStart(6, '0')}`,
      issuedOn,
      expiresOn,
      obligations: result.obligations.map((o) => ({ ...o, id: uuid() })),
    });
  }
  return { orgIds, certificates };
}

/** The rows listFeedObligations returns for a member who sees everything, default options. */
function feedRows(orgIds: string[], certificates: Certificate[]): FeedItem[] {
  const from = addCalendarDays(TODAY, -90);
  const to = addCalendarDays(TODAY, 730);
  const updatedAt = new Date('2026-11-20T01:02:03Z');
  const rows: FeedItem[] = [];
  for (const c of certificates) {
    for (const o of c.obligations) {
      if (o.dueDate < from || o.dueDate > to || o.satisfiedOn || o.cancelled) continue;
      rows.push({
        id: o.id,
        orgId: orgIds[c.org]!,
        certificateId: c.id,
        rule: o.rule,
        titleZh: o.titleZh,
        orgName: orgName(c.org),
        certificateNumber: c.number,
        dueDate: o.dueDate,
        dueAt: o.dueAt ? new Date(o.dueAt) : null,
        provisional: o.provisional,
        basis: o.basis,
        status: 'open',
        completedOn: null,
        waivedReason: null,
        updatedAt,
      });
    }
  }
  return rows.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id));
}

function measure(label: string, items: readonly FeedItem[]) {
  const write = () => buildObligationsCalendar({ name: '资质义务 · 压测顾问的工作区', baseUrl: BASE_URL, items });
  const json = () => JSON.stringify(items);
  write();
  json();
  const icsMs: number[] = [];
  const jsonMs: number[] = [];
  let ics: Buffer = Buffer.alloc(0);
  let text = '';
  for (let r = 0; r < RUNS; r++) {
    let t0 = performance.now();
    ics = write();
    icsMs.push(performance.now() - t0);
    t0 = performance.now();
    text = json();
    jsonMs.push(performance.now() - t0);
  }
  const jsonBytes = Buffer.byteLength(text);
  const perItem = (n: number) => Math.round(n / Math.max(items.length, 1));
  console.log(
    `${label}: ${items.length} events\n` +
      `  ICS  ${mb(ics.length)} (${perItem(ics.length)} B/event) in ${median(icsMs).toFixed(0)} ms\n` +
      `  JSON ${mb(jsonBytes)} (${perItem(jsonBytes)} B/row) in ${median(jsonMs).toFixed(0)} ms\n` +
      `  ratio ICS/JSON: bytes ${(ics.length / jsonBytes).toFixed(2)}, time ${(median(icsMs) / median(jsonMs)).toFixed(2)}`,
  );
  return ics;
}

/** The feed as a calendar client fetches it from a server on an embedded database. */
async function serve(orgIds: string[], certificates: Certificate[]) {
  const { sql } = await import('drizzle-orm');
  const { buildApp } = await import('../packages/server/src/app.js');
  const { loadConfig } = await import('../packages/server/src/config/index.js');
  const { openPglite, queryRows } = await import('../packages/server/src/db/client.js');
  const { migrateDatabase } = await import('../packages/server/src/db/migrate.js');
  const {
    certificates: certificateTable,
    obligations,
    organisations,
  } = await import('../packages/server/src/db/schema.js');
  const { withSystem } = await import('../packages/server/src/db/tenancy.js');

  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-ics-'));
  const database = await openPglite(path.join(dir, 'data'), { fsync: false });
  try {
    await migrateDatabase(database);
    const config = loadConfig({}, { dataDir: dir, logLevel: 'silent', rateLimitPerMinute: 1_000_000_000 });
    const app = await buildApp({ database, config, logger: false });
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const setup = await fetch(`${base}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'bench@example.cn', name: '压测顾问', password: 'bench-password-123' }),
      });
      if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
      const cookie = setup.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const { csrfToken, workspace } = (await setup.json()) as { csrfToken: string; workspace: { id: string } };
      const t0 = performance.now();
      let stored = 0;
      await withSystem(database.db, async (tx) => {
        await tx.insert(organisations).values(
          orgIds.map((id, n) => ({
            id,
            workspaceId: workspace.id,
            name: orgName(n),
            creditCode: `91440300${String(n).padStart(10, '0')}`,
          })),
        );
        for (let i = 0; i < certificates.length; i += 200) {
          const batch = certificates.slice(i, i + 200);
          await tx.insert(certificateTable).values(
            batch.map((c) => ({
              id: c.id,
              orgId: orgIds[c.org]!,
              level: c.level,
              number: c.number,
              issuer: '中国电子信息行业联合会',
              issuedOn: c.issuedOn,
              expiresOn: c.expiresOn,
              state: 'active',
            })),
          );
          const rows = batch.flatMap((c) =>
            c.obligations.map((o) => ({
              id: o.id,
              orgId: orgIds[c.org]!,
              certificateId: c.id,
              key: o.key,
              rule: o.rule,
              titleZh: o.titleZh,
              titleEn: o.titleEn,
              dueDate: o.dueDate,
              dueAt: o.dueAt ? new Date(o.dueAt) : null,
              windowStart: o.windowStart ?? null,
              provisional: o.provisional,
              awaitingNotice: o.awaitingNotice ?? false,
              basis: o.basis,
              basisEn: o.basisEn,
              source: o.source,
              satisfiedOn: o.satisfiedOn ?? null,
              cancelledOn: o.cancelled?.on ?? null,
            })),
          );
          stored += rows.length;
          for (let j = 0; j < rows.length; j += 1000) await tx.insert(obligations).values(rows.slice(j, j + 1000));
        }
      });
      await queryRows(database.db, sql`analyze`);
      console.log(
        `\nserved (embedded database, ${stored} obligations stored in ${((performance.now() - t0) / 1000).toFixed(0)} s):`,
      );
      const feedTime = async (label: string, options: object) => {
        const made = await fetch(`${base}/api/calendar/feeds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify({ workspaceId: workspace.id, ...options }),
        });
        if (made.status !== 201) throw new Error(`feed: ${made.status} ${await made.text()}`);
        const url = ((await made.json()) as { url: string }).url.replace(/^https?:\/\/[^/]+/, base);
        const times: number[] = [];
        const unchanged: number[] = [];
        let body: Buffer = Buffer.alloc(0);
        for (let r = 0; r < Math.min(RUNS, 5); r++) {
          let t = performance.now();
          // Compressed, as calendar clients ask; fetch decodes it, so the size is the feed's own.
          const res = await fetch(url);
          body = Buffer.from(await res.arrayBuffer());
          times.push(performance.now() - t);
          t = performance.now();
          const again = await fetch(url, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
          if (again.status !== 304) throw new Error(`expected 304, got ${again.status}`);
          unchanged.push(performance.now() - t);
        }
        console.log(
          `  ${label}: ${mb(body.length)} in ${median(times).toFixed(0)} ms; ` +
            `unchanged: 304 in ${median(unchanged).toFixed(0)} ms`,
        );
      };
      await feedTime('default feed, member who sees everything (target < 1 s, ≤ 10 MB)', {});
      await feedTime('one organisation (target < 300 ms)', { orgIds: [orgIds[0]] });
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const t0 = performance.now();
const { orgIds, certificates } = seed();
const rows = feedRows(orgIds, certificates);
console.log(
  `${CERTS} certificates over ${ORGS} organisations, today ${TODAY}: ${rows.length} open obligations in the default window ` +
    `(engine ${((performance.now() - t0) / 1000).toFixed(1)} s); median of ${RUNS} runs`,
);
const all = measure('whole workspace (target ≤ 10 MB, < 1 s)', rows);
measure(
  'one organisation (target < 300 ms)',
  rows.filter((r) => r.orgId === orgIds[0]),
);
// What a client that asks for compression downloads (the server compresses br first, then gzip).
const br = brotliCompressSync(all, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).length;
console.log(`  compressed: brotli (q4) ${mb(br)}, gzip ${mb(gzipSync(all).length)}`);

// Where an event's bytes go, by property (folded lines counted with their property).
const text = all.toString('utf8');
const byProperty = new Map<string, number>();
let property = '';
for (const line of text.slice(text.indexOf('BEGIN:VEVENT'), text.lastIndexOf('END:VEVENT') + 12).split('\r\n')) {
  if (!line.startsWith(' ')) property = /^[A-Z-]+/.exec(line)?.[0] ?? '';
  byProperty.set(property, (byProperty.get(property) ?? 0) + Buffer.byteLength(line) + 2);
}
byProperty.delete('');
console.log(`  bytes per event: ${[...byProperty].map(([p, n]) => `${p} ${(n / rows.length).toFixed(0)}`).join(', ')}`);
if (process.env.SHOW) {
  const start = text.indexOf('BEGIN:VEVENT');
  console.log(`\nfirst event:\n${text.slice(start, text.indexOf('END:VEVENT', start) + 12)}`);
}
if (process.env.SERVE) await serve(orgIds, certificates);
