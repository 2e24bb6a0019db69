// Every operation of the API, fuzzed from its OpenAPI schema as tenant A's owner: path parameters,
// query strings and JSON bodies, with hostile values mixed in (NUL bytes, lone surrogates, 5,000
// levels of nesting, 1 MB strings, wrong types, unknown keys, bad UUIDs, odd query strings). The one
// assertion: never a 5xx. Fixed seed and bounded runs, so it is deterministic and quick.
import { resetCalendarYears } from '@zizhi/core';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFixture,
  createSecurityTestApp,
  encodePathSegment,
  fillPath,
  fixtureParams,
  listOperations,
  startWebhookPeer,
  type Fixture,
  type FixtureIds,
  type Operation,
  type Parameter,
} from '../test/api-operations.js';
import { BACKENDS, client, type Client, type TestApp } from '../test/harness.js';
import {
  describeInput,
  EDGE_DATES,
  HUGE_ASCII,
  HUGE_CJK,
  mutate,
  replaceFirstString,
  SAMPLE_TEXT,
  schemaArbitrary,
  schemaSample,
  setKey,
} from '../test/schema-arbitrary.js';

const SEED = 20261127;
/** Random cases per operation, on top of the fixed hostile ones. */
const RUNS = 15;

type Body = { json: unknown } | { raw: string | Buffer; contentType: string };
interface FuzzRequest {
  /** The path with its parameters, already encoded. */
  path: string;
  /** '' or '?…', already encoded. */
  query: string;
  body?: Body;
  /** The fixed case's name; random cases have none. */
  label?: string;
}

/** What in an input is known to trip routes today (see KNOWN_5XX). */
type Trigger =
  | 'nul-in-key'
  | 'surrogate-in-key'
  | 'nul'
  | 'lone-surrogate'
  | 'deep-nesting'
  | 'huge-string'
  /** A supported day (1900–2199) before 1970-01-01, where day numbers are negative. */
  | 'date-before-1970';

/**
 * 5xx answers reported to the routes' owners and expected until fixed: the operation and what in
 * the input triggers it. A 5xx the list does not explain fails the suite; an entry whose case no
 * longer fails fails it too (remove the entry).
 */
const KNOWN_5XX: Array<{ op: string; trigger: Trigger; note: string }> = [];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function triggersOf(req: FuzzRequest): Set<Trigger> {
  const found = new Set<Trigger>();
  const url = req.path + req.query;
  if (/%00/i.test(url)) found.add('nul');
  if (/%ED%[AB]/i.test(url)) found.add('lone-surrogate');
  const scan = (v: unknown, depth: number): void => {
    if (depth > 200) {
      found.add('deep-nesting');
      return;
    }
    if (typeof v === 'string') {
      if (v.includes('\u0000')) found.add('nul');
      if (LONE_SURROGATE.test(v)) found.add('lone-surrogate');
      if (v.length > 100_000) found.add('huge-string');
      if (DAY.test(v) && v >= '1900-01-01' && v < '1970-01-01') found.add('date-before-1970');
    } else if (Array.isArray(v)) {
      for (const x of v) scan(x, depth + 1);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) found.add('nul-in-key');
        if (LONE_SURROGATE.test(k)) found.add('surrogate-in-key');
        scan(x, depth + 1);
      }
    }
  };
  if (req.body && 'json' in req.body) scan(req.body.json, 0);
  if (req.body && 'raw' in req.body) {
    const text = req.body.raw.toString();
    if (/^[[{]{1000}/.test(text.replace(/"a":/g, ''))) found.add('deep-nesting');
    if (text.length > 100_000) found.add('huge-string');
  }
  return found;
}

/** Path segments, already encoded, that a route must refuse (or not find) without failing. */
const BAD_SEGMENTS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '12345678-1234-1234-1234-123456789012',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%C0%AF',
  '%E2%80%AE',
  '%F0%9F%98%80',
  '%ZZ',
  '%',
  '%20',
  '..',
  '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
  '-1',
  '1e309',
  "1'%20OR%20'1'%3D'1",
  'x'.repeat(3000),
];

/** Query strings with odd shapes: duplicates, prototype keys, NUL, bad escapes, a great many keys. */
const ODD_QUERIES = [
  '?',
  '?&&&',
  '?=',
  '?a',
  '?%00=%00',
  '?x=%ZZ',
  '?x=%E0%A4%A',
  '?__proto__[isAdmin]=true&constructor[prototype][x]=1',
  '?a[b][c]=1',
  '?limit=1e309&offset=-1',
  '?limit=0x10&offset=1.5',
  '?workspaceId=1&workspaceId=2',
  '?orgId=%ED%A0%80',
  `?${'a=1&'.repeat(3000)}`,
  `?q=${'x'.repeat(8000)}`,
];

/** Bodies that are not what any route expects, sent as they are. */
const deepObject = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
const deepArray = `${'['.repeat(5000)}${']'.repeat(5000)}`;
const RAW_BODIES: Array<{ label: string; body: Body }> = [
  { label: 'object nested 5,000 levels', body: { raw: deepObject, contentType: 'application/json' } },
  { label: 'array nested 5,000 levels', body: { raw: deepArray, contentType: 'application/json' } },
  { label: 'body over 1 MB', body: { raw: JSON.stringify({ text: HUGE_CJK }), contentType: 'application/json' } },
  { label: 'JSON null', body: { raw: 'null', contentType: 'application/json' } },
  { label: 'JSON array', body: { raw: '[1,2,3]', contentType: 'application/json' } },
  { label: 'JSON number', body: { raw: '42', contentType: 'application/json' } },
  { label: 'truncated JSON', body: { raw: '{"a":', contentType: 'application/json' } },
  { label: 'JSON with a byte-order mark', body: { raw: '\ufeff{}', contentType: 'application/json' } },
  { label: 'raw NUL byte', body: { raw: '{"a":"\u0000"}', contentType: 'application/json' } },
  { label: 'text/plain', body: { raw: 'hello', contentType: 'text/plain' } },
  {
    label: 'UTF-16 charset',
    body: { raw: Buffer.from('{}', 'utf16le'), contentType: 'application/json; charset=utf-16' },
  },
  {
    label: 'multipart on a JSON route',
    body: {
      raw: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
      contentType: 'multipart/form-data; boundary=b',
    },
  },
];

/** A multipart body from raw parts: header lines and content as given (bytes included). */
function rawMultipart(
  parts: Array<{ disposition: Buffer | string; type?: string; content: Buffer | string }>,
  close = true,
): Body {
  const boundary = 'zizhiFuzzBoundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; `));
    chunks.push(Buffer.isBuffer(p.disposition) ? p.disposition : Buffer.from(p.disposition));
    chunks.push(Buffer.from(`\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content));
    chunks.push(Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { raw: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const file = (name: string | Buffer, content: Buffer | string = PDF, type = 'application/pdf') => ({
  disposition: Buffer.isBuffer(name)
    ? Buffer.concat([Buffer.from('name="file"; filename="'), name, Buffer.from('"')])
    : `name="file"; filename="${name}"`,
  type,
  content,
});
const field = (name: string | Buffer, value: string | Buffer) => ({
  disposition: Buffer.isBuffer(name)
    ? Buffer.concat([Buffer.from('name="'), name, Buffer.from('"')])
    : `name="${name}"`,
  content: value,
});

/** Hostile uploads for the multipart routes: names, fields and contents. */
function multipartCases(op: Operation): Array<{ label: string; body: Body; query?: string }> {
  const loneSurrogateBytes = Buffer.from([0xed, 0xa0, 0x80]);
  const common = [
    { label: 'file name with NUL', body: rawMultipart([file('a\u0000b.pdf')]) },
    {
      label: 'file name with a lone surrogate (CESU bytes)',
      body: rawMultipart([file(Buffer.concat([loneSurrogateBytes, Buffer.from('.pdf')]))]),
    },
    { label: 'file name of 2,000 characters', body: rawMultipart([file(`${'名'.repeat(2000)}.pdf`)]) },
    { label: 'file name with path and quotes', body: rawMultipart([file('..\\..\\etc\\passwd\\"x.pdf')]) },
    { label: 'empty file', body: rawMultipart([file('empty.pdf', Buffer.alloc(0))]) },
    { label: 'field named with NUL', body: rawMultipart([field('a\u0000', 'x'), file('a.pdf')]) },
    { label: 'field named __proto__', body: rawMultipart([field('__proto__', 'x'), file('a.pdf')]) },
    { label: 'two files', body: rawMultipart([file('a.pdf'), file('b.pdf')]) },
    { label: 'no closing boundary', body: rawMultipart([file('a.pdf')], false) },
    { label: 'no file part', body: rawMultipart([field('note', 'x')]) },
    {
      label: 'executable content',
      body: rawMultipart([file('a.pdf', Buffer.from('MZ\x90\x00\x03'), 'application/pdf')]),
    },
  ];
  if (op.path.endsWith('/files')) {
    return [
      ...common,
      { label: 'date field with NUL', body: rawMultipart([field('effectiveOn', '2026-11-20\u0000'), file('a.pdf')]) },
      {
        label: 'date field with invalid UTF-8',
        body: rawMultipart([field('validUntil', loneSurrogateBytes), file('a.pdf')]),
      },
      {
        label: 'dates at the extremes',
        body: rawMultipart([field('effectiveOn', '0001-01-01'), field('validUntil', '9999-12-31'), file('a.pdf')]),
      },
      { label: 'replacesId not a uuid', body: rawMultipart([field('replacesId', 'not-a-uuid'), file('a.pdf')]) },
      {
        label: 'replacesId of an unknown file',
        body: rawMultipart([field('replacesId', '00000000-0000-4000-8000-000000000000'), file('a.pdf')]),
      },
      {
        label: 'field over its size limit',
        body: rawMultipart([field('effectiveOn', 'x'.repeat(5000)), file('a.pdf')]),
      },
    ];
  }
  const csv = (text: string | Buffer) => rawMultipart([file('导入.csv', text, 'text/csv')]);
  const header = '项目名称,客户,合同编号,合同金额（元）,签订日期,验收日期,状态,项目经理,技术领域\r\n';
  const save = '?dryRun=false';
  return [
    ...common,
    {
      label: 'CSV cells with NUL, saved',
      body: csv(`${header}a\u0000b,c\u0000,NUL-1,1,2025-01-01,,,,\r\n`),
      query: save,
    },
    {
      label: 'CSV with invalid UTF-8, saved',
      body: csv(Buffer.concat([Buffer.from(header), loneSurrogateBytes, Buffer.from(',x,BAD-1,1,2025-01-01,,,,\r\n')])),
      query: save,
    },
    {
      label: 'CSV formula cells, saved',
      body: csv(`${header}=cmd|' /C calc'!A0,+1,@SUM(1),-1,2025-01-01,,,,\r\n`),
      query: save,
    },
    {
      label: 'CSV extreme dates and amounts, saved',
      body: csv(`${header}极端,x,EXT-1,9999999999999999.99,9999-12-31,0001-01-01,,,\r\n`),
      query: save,
    },
    {
      label: 'CSV of 3,000 columns',
      body: csv(`${Array.from({ length: 3000 }, (_, i) => `c${i}`).join(',')}\r\n1\r\n`),
    },
    { label: 'CSV with an unclosed quote', body: csv(`${header}"unterminated,x\r\n`) },
    { label: 'CSV header only', body: csv(header) },
    {
      label: 'xlsx that is not a zip',
      body: rawMultipart([
        file(
          'a.xlsx',
          'PK\u0003\u0004 not really',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ),
      ]),
    },
  ];
}

/** Operations whose fuzz must not use the owner's session: log-out would end it. */
const WITH_BEARER = new Set(['POST /api/auth/logout']);

/** Stable per-operation seed, so adding an operation does not change the others' cases. */
function seedOf(key: string): number {
  let h = SEED;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return h;
}

describe.each(BACKENDS)('fuzz (%s)', (backend) => {
  let t: TestApp;
  let fx: Fixture;
  let ops: Operation[];
  let peer: Awaited<ReturnType<typeof startWebhookPeer>>;
  const errorLog: string[] = [];

  beforeAll(async () => {
    resetCalendarYears();
    peer = await startWebhookPeer();
    t = await createSecurityTestApp(backend, errorLog);
    fx = await buildFixture(t, peer.url);
    const all = listOperations(t.app);
    // Deletions last, the organisation's last of all, so the fixture lives as long as possible.
    const rank = (op: Operation) => (op.method !== 'DELETE' ? 0 : op.path === '/api/orgs/{orgId}' ? 2 : 1);
    ops = [...all].sort((x, y) => rank(x) - rank(y));
  });
  afterAll(async () => {
    await t?.close();
    await peer?.close();
    resetCalendarYears();
  });

  /** A plausible uuid for a field, by its name. */
  const uuidFor = (ids: FixtureIds) => (name: string | undefined) => {
    const byName: Record<string, string> = {
      workspaceId: ids.workspaceId,
      orgId: ids.orgId,
      orgIds: ids.orgId,
      fileId: ids.fileId,
      scanFileId: ids.fileId,
      assigneeId: ids.ownerId,
      managerId: ids.staffId,
      actorId: ids.ownerId,
      certificateId: ids.certId,
      obligationId: ids.obligationId,
      ids: ids.obligationId,
      channelId: ids.channelId,
      id: ids.qualificationId,
    };
    return byName[name ?? ''] ?? ids.workspaceId;
  };

  function validParams(op: Operation): Record<string, string> {
    try {
      return fixtureParams(op, fx.ids);
    } catch {
      // An unmapped parameter (the matrix test names it): a plausible value instead.
      return Object.fromEntries(
        op.pathParams.map((p) => [p.name, String(schemaSample(p.schema, uuidFor(fx.ids), p.name))]),
      );
    }
  }

  function serializeQuery(entries: Array<[string, unknown]>): string {
    const parts = entries
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodePathSegment(k)}=${encodePathSegment(typeof v === 'string' ? v : JSON.stringify(v))}`);
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  }

  function sampleQuery(op: Operation): Array<[string, unknown]> {
    return op.queryParams
      .filter((p) => p.required)
      .map((p) => [p.name, schemaSample(p.schema, uuidFor(fx.ids), p.name)]);
  }

  /** The fixed cases of an operation: each hostile input once, the rest of the request plausible. */
  function fixedCases(op: Operation): FuzzRequest[] {
    const params = validParams(op);
    const path = fillPath(op.path, params);
    const query = serializeQuery(sampleQuery(op));
    const cases: FuzzRequest[] = [];
    const add = (label: string, req: Partial<FuzzRequest>) => cases.push({ path, query, label, ...req });

    for (const p of op.pathParams) {
      for (const seg of ['%00', '%ED%A0%80', 'not-a-uuid']) {
        add(`path {${p.name}} = ${seg.slice(0, 20)}`, { path: fillPath(op.path, { ...params, [p.name]: seg }, true) });
      }
      add(`path {${p.name}} in upper case`, {
        path: fillPath(op.path, { ...params, [p.name]: params[p.name]!.toUpperCase() }),
      });
    }
    add('odd query: prototype keys, duplicates', { query: '?__proto__[isAdmin]=true&a=1&a=2&%00=%00' });
    if (op.queryParams.length > 0) {
      const all = op.queryParams.map(
        (p) => [p.name, schemaSample(p.schema, uuidFor(fx.ids), p.name, true)] as [string, unknown],
      );
      add('every query parameter, plausible', { query: serializeQuery(all) });
      for (const day of EDGE_DATES) {
        const extreme = all.map(([k, v]) => [k, typeof v === 'string' && DAY.test(v) ? day : v] as [string, unknown]);
        add(`every query date ${day}`, { query: serializeQuery(extreme) });
      }
    }
    const declared = op.queryParams.map((p) => p.name);
    if (declared.length > 0) {
      for (const [label, value] of [
        ['NUL', 'a\u0000b'],
        ['lone surrogate', '\ud800'],
        ['array', ['1', '2']],
      ] as const) {
        const entries = sampleQuery(op);
        for (const name of declared) {
          const i = entries.findIndex(([k]) => k === name);
          if (i >= 0) entries.splice(i, 1);
          if (Array.isArray(value)) for (const v of value) entries.push([name, v]);
          else entries.push([name, value]);
        }
        add(`every query parameter: ${label}`, { query: serializeQuery(entries) });
      }
    }

    if (op.method === 'GET') return cases;
    for (const { label, body } of RAW_BODIES) add(label, { body });
    if (op.multipart) {
      for (const { label, body, query: q } of multipartCases(op)) add(label, { body, ...(q ? { query: q } : {}) });
    }
    if (!op.body) return cases;
    const sample = schemaSample(op.body, uuidFor(fx.ids));
    const json = (label: string, value: unknown) => add(label, { body: { json: value } });
    json('plausible body', sample);
    const full = schemaSample(op.body, uuidFor(fx.ids), undefined, true);
    json('every field, plausible', full);
    json(
      'every amount at its maximum',
      mutate(full, { string: (v) => (/^-?\d+(\.\d+)?$/.test(v) ? '9999999999999999.99' : v) }),
    );
    json('NUL in every key', mutate(sample, { addKeys: { '\u0000': 'x', 'k\u0000': { '\u0000': 1 } } }));
    json('lone surrogate in every key', mutate(sample, { addKeys: { '\ud800': 'x', 'k\udc00': 1 } }));
    json('NUL in every string', mutate(sample, { string: (s) => `${s}\u0000` }));
    json('lone surrogate in every string', mutate(sample, { string: () => '\ud800' }));
    json('a 1 MB string', replaceFirstString(sample, HUGE_ASCII));
    const polluted = mutate(sample, {}) as Record<string, unknown>;
    if (polluted && typeof polluted === 'object' && !Array.isArray(polluted)) {
      setKey(polluted, '__proto__', { isAdmin: true, role: 'owner' });
      setKey(polluted, 'constructor', { prototype: { polluted: true } });
      json('prototype keys', polluted);
    }
    json('every field null', mutate(sample, { string: () => null as unknown as string }));
    json('strings as numbers', mutate(sample, { string: () => 12345 as unknown as string }));
    if (sample && typeof sample === 'object' && !Array.isArray(sample)) {
      for (const key of Object.keys(sample).slice(0, 3)) {
        json(`${key} as an array of objects`, { ...sample, [key]: [{ a: { b: [] } }] });
      }
    }
    // Dates at the edges, last (a certificate valid until 2199 makes later requests slow): every
    // date of the required fields (so no rule between two dates refuses first), then each date
    // field alone. Texts made unique, so no duplicate number refuses first.
    let n = 0;
    const fresh = (v: unknown) => mutate(v, { string: (t) => (t === SAMPLE_TEXT ? `${t}${++n}` : t) });
    for (const day of [...EDGE_DATES].sort()) {
      json(`every date ${day}`, fresh(mutate(sample, { string: (v) => (DAY.test(v) ? day : v) })));
    }
    if (full && typeof full === 'object' && !Array.isArray(full)) {
      for (const [key, value] of Object.entries(full)) {
        if (typeof value !== 'string' || !DAY.test(value)) continue;
        for (const day of ['1900-01-01', '1969-12-31', '2199-12-31']) {
          json(`${key} alone ${day}`, fresh({ ...(sample as object), [key]: day }));
        }
      }
    }
    return cases;
  }

  function randomCases(op: Operation): fc.Arbitrary<FuzzRequest> {
    const uuids = [...Object.values(fx.tenantAIds), fx.ids.ownerId, fx.ids.bWorkspaceId, fx.ids.bOrgId];
    const hostile = { uuids, hostile: true };
    const valid = validParams(op);
    const param = (p: Parameter) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(encodePathSegment(valid[p.name]!)) },
        {
          weight: 1,
          arbitrary: schemaArbitrary(p.schema, { uuids, hostile: false }).map((v) => encodePathSegment(String(v))),
        },
        { weight: 2, arbitrary: fc.constantFrom(...BAD_SEGMENTS, encodePathSegment(fx.ids.bOrgId)) },
      );
    const params = fc.record(Object.fromEntries(op.pathParams.map((p) => [p.name, param(p)])));
    const declaredQuery = fc
      .tuple(
        ...op.queryParams.map((p) =>
          fc
            .option(schemaArbitrary(p.schema, hostile, p.name), { freq: p.required ? 10 : 2, nil: undefined })
            .map((v) => [p.name, v] as [string, unknown]),
        ),
      )
      .map((entries) => serializeQuery(entries));
    const query = fc.oneof(
      { weight: 5, arbitrary: declaredQuery },
      { weight: 1, arbitrary: fc.constantFrom(...ODD_QUERIES) },
    );
    let body: fc.Arbitrary<Body | undefined> = fc.constant(undefined);
    if (op.body) {
      body = fc.oneof(
        { weight: 10, arbitrary: schemaArbitrary(op.body, hostile).map((json) => ({ json })) },
        { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES.map((r) => r.body)) },
      );
    } else if (op.method !== 'GET') {
      body = fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })) },
      );
    }
    return fc.record({ params, query, body }).map(({ params: p, query: q, body: b }) => ({
      path: fillPath(op.path, p, true),
      query: q,
      ...(b ? { body: b } : {}),
    }));
  }

  function send(who: Client, op: Operation, req: FuzzRequest): Promise<LightMyRequestResponse> {
    const url = req.path + req.query;
    const method = op.method;
    if (!req.body) return who.request(method, url);
    if ('json' in req.body) {
      return who.request(method, url, JSON.stringify(req.body.json), { 'content-type': 'application/json' });
    }
    return who.request(method, url, req.body.raw, { 'content-type': req.body.contentType });
  }

  const describeRequest = (op: Operation, req: FuzzRequest) => {
    const body = !req.body
      ? '(none)'
      : 'json' in req.body
        ? describeInput(req.body.json)
        : `${req.body.contentType}: ${describeInput(req.body.raw.toString())}`;
    const url = req.path + req.query;
    const shown = url.length > 200 ? `${url.slice(0, 200)}…(${url.length} chars)` : url;
    return `${op.method} ${shown}${req.label ? ` [${req.label}]` : ''} body ${body}`;
  };

  // Wrong answers (not 5xx) found while fuzzing, kept as regression tests. They run first: the fuzz
  // may legitimately change the fixture's members (a second owner, then the first one demoted).
  describe('found while fuzzing', () => {
    it('the calendar feed still answers 200 when an obligation falls on the last supported day', async () => {
      const owner = fx.actors.owner;
      const cert = await owner.post(`/api/orgs/${fx.ids.org2Id}/certificates`, {
        level: 'CS3',
        number: 'CS3-2026-2199',
        issuer: '中国电子信息行业联合会',
        issuedOn: '2196-01-01',
        expiresOn: '2199-12-31',
      });
      expect(cert.statusCode, cert.body).toBe(201);
      const feed = await owner.post('/api/calendar/feeds', { workspaceId: fx.ids.workspaceId });
      expect(feed.statusCode, feed.body).toBe(201);
      const ics = await t.app.inject({ method: 'GET', url: `/api/calendar/${feed.json().token}.ics` });
      expect(ics.statusCode, ics.body.slice(0, 200)).toBe(200);
    });

    it('accepts 1969-12-31 as a date (day number -1 once marked invalid) and certificates issued before 1970', async () => {
      const res = await fx.actors.owner.post(`/api/orgs/${fx.ids.org2Id}/projects`, {
        name: '1969 年的项目',
        signedOn: '1969-12-31',
      });
      expect(res.statusCode, res.body).toBe(201);
      const cert = await fx.actors.owner.post(`/api/orgs/${fx.ids.org2Id}/certificates`, {
        level: 'CS2',
        number: 'CS2-1969-0001',
        issuer: '中国电子信息行业联合会',
        issuedOn: '1969-06-01',
      });
      expect(cert.statusCode, cert.body).toBe(201);
      expect(cert.json().expiresOn).toBe('1973-05-31');
    });

    it('refuses a certificate expiry more than 5 years after issue, naming the field', async () => {
      const res = await fx.actors.owner.post(`/api/orgs/${fx.ids.org2Id}/certificates`, {
        level: 'CS3',
        number: 'CS3-2026-LONG',
        issuer: '中国电子信息行业联合会',
        issuedOn: '2026-01-05',
        expiresOn: '2199-12-31',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('expiresOn');
    });
  });

  it('never answers 5xx, whatever the input', { timeout: 600_000 }, async () => {
    let cases = 0;
    let fixed = 0;
    const fivexx: string[] = [];
    const firstOf = new Set<string>();
    let fivexxCount = 0;
    const knownSeen = new Set<(typeof KNOWN_5XX)[number]>();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const op of ops) {
      const who = WITH_BEARER.has(op.key) ? client(t.app, { bearer: fx.ownerBearer }) : fx.actors.owner;
      const examples = fixedCases(op);
      fixed += examples.length;
      const property = fc.asyncProperty(randomCases(op), async (req) => {
        cases++;
        const before = errorLog.length;
        const res = await send(who, op, req);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode < 500) return true;
        const known = KNOWN_5XX.filter((k) => k.op === op.key && triggersOf(req).has(k.trigger));
        fivexxCount++;
        if (!firstOf.has(op.key)) {
          // The first 5xx of each operation, with its cause from the server's log (shrinking repeats it).
          firstOf.add(op.key);
          const cause = errorLog.slice(before).join('').slice(0, 1500);
          fivexx.push(
            `${res.statusCode} ${describeRequest(op, req)}${known.length ? ' (known)' : ''}\n    cause: ${cause}`,
          );
        }
        for (const k of known) knownSeen.add(k);
        return known.length > 0;
      });
      const run = await fc.check(property, {
        seed: seedOf(op.key),
        numRuns: RUNS + examples.length,
        examples: examples.map((e) => [e] as [FuzzRequest]),
        // Shrinking sends requests too: bounded.
        interruptAfterTimeLimit: 60_000,
      });
      if (run.failed && run.counterexample) {
        failures.push(
          `${op.key} answered 5xx (seed ${run.seed}, path ${run.counterexample ? run.counterexamplePath : '?'}), ` +
            `shrunk input: ${describeRequest(op, run.counterexample[0])}`,
        );
      } else if (run.failed) {
        failures.push(`${op.key}: the run stopped early (${run.interrupted ? 'time limit' : 'skips'})`);
      }
    }
    const stale = KNOWN_5XX.filter((k) => !knownSeen.has(k)).map(
      (k) => `${k.op} (${k.trigger}: ${k.note}): listed in KNOWN_5XX but no longer fails: remove the entry`,
    );
    console.log(
      `fuzz (${backend}): ${ops.length} operations, ${cases} cases (${fixed} fixed, the rest random with seed ${SEED}); ` +
        `5xx: ${fivexxCount} on ${fivexx.length} operations (known: ${knownSeen.size} entries); answers by status: ` +
        [...statuses.entries()]
          .sort(([x], [y]) => x - y)
          .map(([status, n]) => `${status}×${n}`)
          .join(' ') +
        (fivexx.length > 0 ? `\n  ${fivexx.slice(0, 60).join('\n  ')}` : ''),
    );
    expect([...failures, ...stale]).toEqual([]);
  });
});
