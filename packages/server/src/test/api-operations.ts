// Shared by the security suites (src/security): every operation of the API as the OpenAPI document
// lists it, the app's real route table to catch routes the document hides, and a fixture with one
// real resource of each kind in tenant A so that path parameters resolve to ids that exist.
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { defaultRequirementSet } from '@zizhi/core';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/index.js';
import { addBackupRun, addInboxItem } from './factories.js';
import {
  addMember,
  client,
  createOrg,
  createTenant,
  createTestDatabase,
  email,
  invite,
  login,
  setupAdmin,
  type Backend,
  type Client,
  type Tenant,
  type TestApp,
} from './harness.js';
import { multipart, pdf, uploadFile } from './multipart.js';

// ── The app under test

/**
 * Like the harness's app, with what these suites need on top: no per-IP rate limit (they send
 * thousands of requests from one address), a key so channels can be stored on PostgreSQL too,
 * a data folder of their own and no web build (so the route table holds the API only).
 */
export async function createSecurityTestApp(
  backend: Backend,
  /** Collects the server's error log lines (the cause of a 500, which its answer never shows). */
  errorLog?: string[],
): Promise<TestApp & { dir: string }> {
  const database = await createTestDatabase(backend);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-security-'));
  const config = loadConfig(
    {
      ZIZHI_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
      // The local webhook peer listens on loopback, which the channel address policy refuses.
      ZIZHI_CHANNEL_ALLOW_HOSTS: '127.0.0.1',
      // A backup target on PostgreSQL too (the embedded default), so "back up now" works on both.
      ZIZHI_BACKUP_TARGETS: path.join(dir, 'backups'),
    },
    {
      dataDir: dir,
      logLevel: errorLog ? 'error' : 'silent',
      rateLimitPerMinute: 1_000_000,
      webDir: path.join(dir, 'no-web'),
    },
  );
  const logStream = errorLog
    ? new Writable({
        write(chunk: Buffer, _encoding, done) {
          errorLog.push(chunk.toString('utf8'));
          if (errorLog.length > 200) errorLog.shift();
          done();
        },
      })
    : undefined;
  const app = await buildApp({ database, config, logger: Boolean(errorLog), ...(logStream ? { logStream } : {}) });
  await app.ready();
  return {
    app,
    database,
    dir,
    close: async () => {
      await app.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ── Operations

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A JSON schema as @fastify/swagger writes it (OpenAPI 3.0 flavour: `nullable`). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** "METHOD /path/{param}", the key of every table in the security suites. */
  key: string;
  method: Method;
  /** OpenAPI form: /api/orgs/{orgId}. */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON request body's schema, if the operation takes one. */
  body?: JsonSchema;
  /** Takes multipart/form-data (uploads). */
  multipart: boolean;
  /** Declared `security: []`: no authentication (unknown, false, for hidden routes). */
  public: boolean;
  /** Not in the OpenAPI document (`hide: true`): found in the route table. */
  hidden: boolean;
}

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: Parameter['in']; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
  summary?: string;
  description?: string;
}

/**
 * Every operation of the OpenAPI document (`app.swagger()`), then the routes it hides
 * (`schema.hide`: the public verification page, badge and QR code), read from the route table
 * with their path parameters as plain strings.
 */
export function listOperations(app: FastifyInstance): Operation[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const ops: Operation[] = [];
  for (const [p, byMethod] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(byMethod)) {
      const method = m.toUpperCase() as Method;
      const params = (op.parameters ?? []).map((x) => ({
        name: x.name,
        in: x.in,
        required: x.required ?? false,
        schema: x.schema ?? {},
      }));
      const content = op.requestBody?.content ?? {};
      ops.push({
        key: `${method} ${p}`,
        method,
        path: p,
        pathParams: params.filter((x) => x.in === 'path'),
        queryParams: params.filter((x) => x.in === 'query'),
        body: content['application/json']?.schema,
        // Upload routes read their body as a stream, so the document has no body schema for them:
        // they say so in their summary or description.
        multipart:
          Boolean(content['multipart/form-data']) || /multipart\/form-data/.test(`${op.summary} ${op.description}`),
        public: Array.isArray(op.security) && op.security.length === 0,
        hidden: false,
      });
    }
  }
  const documented = new Set(ops.map((op) => op.key));
  for (const key of listRoutes(app)) {
    if (documented.has(key)) continue;
    const [method, p] = key.split(' ') as [Method, string];
    ops.push({
      key,
      method,
      path: p,
      pathParams: [...p.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
        name: name!,
        in: 'path' as const,
        required: true,
        schema: { type: 'string', minLength: 1, maxLength: 100 },
      })),
      queryParams: [],
      multipart: false,
      public: false,
      hidden: true,
    });
  }
  return ops;
}

/**
 * The app's real route table ("METHOD /path/{param}"), read from `printRoutes`: HEAD (made by
 * Fastify for every GET) and the API explorer's own pages are left out.
 */
export function listRoutes(app: FastifyInstance): string[] {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const full = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = full;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (!method || method === 'HEAD' || method === 'OPTIONS') continue;
      if (full.startsWith('/api/docs')) continue;
      routes.add(`${method} ${full.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    }
  }
  return [...routes].sort();
}

// ── Path parameters: which fixture id each name means

/** What the fixture holds: one real resource of each kind in tenant A (and B's scope ids). */
export interface FixtureIds {
  workspaceId: string;
  orgId: string;
  /** The organisation the limited member may see. */
  org2Id: string;
  /** Organisations in the recycle bin: to restore, and to remove for good. */
  binnedOrgId: string;
  purgedOrgId: string;
  /** An organisation for DELETE /api/orgs/{orgId} to remove. */
  spareOrgId: string;
  ownerId: string;
  viewerId: string;
  limitedId: string;
  /** A contributor the member routes may change and remove. */
  memberId: string;
  /** Published, with an event and obligations. */
  certId: string;
  certNumber: string;
  /** The last part of its public page's address (its slug; the number before pages had slugs). */
  publicSlug: string;
  /** Certificates for the state change and the successor routes. */
  transitionCertId: string;
  successorCertId: string;
  /** A CS2 certificate: self-check reports are submitted for CS1 and CS2 only. */
  selfCheckCertId: string;
  /** An internal audit of the certificate and the first line of its checklist. */
  auditId: string;
  auditItemId: string;
  /** A quarterly meeting of the certificate. */
  meetingId: string;
  /** A registered use of the certificate (the usage register). */
  usageId: string;
  /** A loss case of the certificate (its opening event's id). */
  caseId: string;
  /** A policy update of the workspace. */
  updateId: string;
  eventId: string;
  obligationId: string;
  fileId: string;
  projectId: string;
  staffId: string;
  qualificationId: string;
  financialYearId: string;
  ipId: string;
  managementCertificateId: string;
  standardId: string;
  adverseRecordId: string;
  channelId: string;
  deliveryId: string;
  /** An API token of A's owner for DELETE /api/tokens/{id}. */
  tokenId: string;
  feedId: string;
  feedToken: string;
  inboxId: string;
  progressId: string;
  /** A finished backup run (installation-wide) for the restore drill route. */
  backupRunId: string;
  /** A pending invitation to renew and withdraw. */
  invitationId: string;
  /** The link token of another pending invitation (previews and refused acceptances). */
  invitationToken: string;
  /** The link token of a third, for the one acceptance that succeeds. */
  acceptToken: string;
  /** Tenant B's own scope, for requests that mix B's workspace or organisation with A's ids. */
  bWorkspaceId: string;
  bOrgId: string;
}

/** Path parameter → fixture value, for every name but `id`. */
export const PARAM_VALUES: Record<string, (ids: FixtureIds, opPath: string) => string> = {
  orgId: (ids) => ids.orgId,
  certId: (ids) => ids.certId,
  eventId: (ids) => ids.eventId,
  userId: (ids) => ids.memberId,
  channelId: (ids) => ids.channelId,
  level: () => 'CS3',
  kind: () => 'projects',
  progressId: (ids) => ids.progressId,
  invitationId: (ids) => ids.invitationId,
  // A calendar feed's token, or an invitation link's.
  token: (ids, opPath) => (opPath.startsWith('/api/invitations/') ? ids.invitationToken : ids.feedToken),
  number: (ids) => ids.certNumber,
  slug: (ids) => ids.publicSlug,
  format: () => 'docx',
  itemId: (ids) => ids.auditItemId,
  usageId: (ids) => ids.usageId,
  caseId: (ids) => ids.caseId,
  updateId: (ids) => ids.updateId,
  // A step marked done by hand, a material and a document of the fixture's loss case.
  stepKey: () => 'notice',
  materialId: () => 'receipt',
  document: () => 'loss-notice',
  // A capability item of the shipped catalogue.
  capabilityId: () => 'SM.1.1',
};

/** `{id}` means the resource of the collection in front of it: /api/tokens/{id} is a token. */
export const ID_BY_COLLECTION: Record<string, keyof FixtureIds> = {
  workspaces: 'workspaceId',
  tokens: 'tokenId',
  feeds: 'feedId',
  inbox: 'inboxId',
  obligations: 'obligationId',
  files: 'fileId',
  projects: 'projectId',
  staff: 'staffId',
  'financial-years': 'financialYearId',
  ip: 'ipId',
  'management-certificates': 'managementCertificateId',
  standards: 'standardId',
  'adverse-records': 'adverseRecordId',
  backups: 'backupRunId',
  audits: 'auditId',
  meetings: 'meetingId',
};

/** Parameters that name a tenant's scope rather than a resource inside it. */
export const isScopeParam = (opPath: string, name: string) =>
  name === 'orgId' || (name === 'id' && opPath.startsWith('/api/workspaces/{id}'));

/** Parameters that hold a value of a fixed set or a client-made name, not a stored resource's id. */
export const NON_ID_PARAMS = new Set([
  'level',
  'kind',
  'progressId',
  'token',
  'number',
  'slug',
  'format',
  'capabilityId',
  'stepKey',
  'materialId',
  'document',
]);

/** The fixture value of each path parameter of an operation; throws for a name nobody mapped. */
export function fixtureParams(op: Pick<Operation, 'key' | 'path'>, ids: FixtureIds): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, name] of op.path.matchAll(/\{([^}]+)\}/g)) {
    if (name === 'id') {
      const before = op.path.slice(0, op.path.indexOf('{id}')).split('/').filter(Boolean).pop() ?? '';
      const key = ID_BY_COLLECTION[before];
      if (!key) {
        throw new Error(
          `${op.key}: no fixture id for {id} after "${before}": add the collection to ID_BY_COLLECTION in src/test/api-operations.ts`,
        );
      }
      out.id = ids[key];
    } else {
      const value = PARAM_VALUES[name!];
      if (!value) {
        throw new Error(
          `${op.key}: no fixture value for {${name}}: add it to PARAM_VALUES in src/test/api-operations.ts`,
        );
      }
      out[name!] = value(ids, op.path);
    }
  }
  return out;
}

/** The path with its parameters filled in (each encoded unless `raw`). */
export function fillPath(opPath: string, params: Record<string, string>, raw = false): string {
  return opPath.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`no value for {${name}} in ${opPath}`);
    return raw ? v : encodePathSegment(v);
  });
}

/** encodeURIComponent, also for strings with lone surrogates (sent as their UTF-8 replacement). */
export function encodePathSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
}

// ── Small helpers

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The n-th valid unified social credit code (GB 32100-2015 check character computed). */
export function creditCode(n: number): string {
  const body = `91440300${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(body[i]!) * CREDIT_WEIGHTS[i]!;
  return body + CREDIT_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** A CSV file of one project, as the import template expects it. */
export const PROJECT_CSV = Buffer.from(
  '项目名称,客户,合同编号,合同金额（元）,签订日期,验收日期,状态,项目经理,技术领域\r\n' +
    '导入的项目,某客户,IMP-0001,1000.00,2025-07-01,,,,\r\n',
  'utf8',
);

/** A holiday-cn yearly file the calendar import accepts. */
export const CALENDAR_YEAR_2031 = {
  year: 2031,
  papers: ['https://www.gov.cn/zhengce/content/2030-11/01/example.htm'],
  days: [
    { name: '元旦', date: '2031-01-01', isOffDay: true },
    { name: '春节', date: '2031-01-22', isOffDay: true },
  ],
};

/** A local robot/webhook peer that answers 200, so channel test messages are really sent. */
export async function startWebhookPeer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"code":0}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

function must(res: LightMyRequestResponse, status: number, what: string): LightMyRequestResponse {
  if (res.statusCode !== status) throw new Error(`fixture: ${what} → ${res.statusCode} ${res.body.slice(0, 500)}`);
  return res;
}

// ── The fixture

export type ActorName = 'none' | 'otherOwner' | 'viewer' | 'limited' | 'feedToken' | 'revokedToken' | 'owner';

export interface Fixture {
  a: Tenant;
  b: Tenant;
  ids: FixtureIds;
  /** How each actor authenticates; `owner` is tenant A's owner (an instance administrator). */
  actors: Record<ActorName, Client>;
  /** E-mail addresses, for logging an actor in again. */
  emails: { owner: string; otherOwner: string; viewer: string; limited: string };
  /** A bearer API token of A's owner that nothing revokes. */
  ownerBearer: string;
  /** Tenant A exported as a workspace archive (a dry run of its import answers 200, with conflicts). */
  workspaceArchive: Buffer;
  /** Every id of tenant A's resources, by name: none may appear in an answer to tenant B. */
  tenantAIds: Record<string, string>;
}

/**
 * Tenant A with one real resource of each kind, tenant B (a separate workspace, its owner not an
 * instance administrator), a viewer of A, an admin of A limited to A's second organisation, an
 * active calendar-feed token and a revoked API token. Members and tenants are made through the
 * harness helpers only (their API is changing), everything else through the routes.
 */
export async function buildFixture(t: Pick<TestApp, 'app' | 'database'>, webhookUrl: string): Promise<Fixture> {
  const { app } = t;
  const a = await setupAdmin(app);
  const b = await createTenant(app, a.owner);
  const owner = a.owner;
  const org = await createOrg(a, creditCode(1), '深圳市甲方科技有限公司');
  const org2 = await createOrg(a, creditCode(2), '深圳市甲方第二有限公司');
  const spareOrg = await createOrg(a, creditCode(3), '深圳市甲方备用有限公司');
  // Two in the recycle bin: one to restore, one to remove for good.
  const binned: string[] = [];
  for (const [n, name] of [
    [4, '深圳市甲方待恢复有限公司'],
    [5, '深圳市甲方待清除有限公司'],
  ] as const) {
    const made = await createOrg(a, creditCode(n), name);
    const removed = await a.owner.delete(`/api/orgs/${made.id}`);
    if (removed.statusCode !== 204) throw new Error(`recycle failed: ${removed.body}`);
    binned.push(made.id);
  }
  const orgB = await createOrg(b, creditCode(1), '北京市乙方科技有限公司');
  const viewer = await addMember(app, a, 'viewer');
  const limited = await addMember(app, a, 'admin', [org2.id]);
  const member = await addMember(app, a, 'contributor');
  const ownerEmail = (await owner.get('/api/me')).json().user.email as string;
  const otherEmail = (await b.owner.get('/api/me')).json().user.email as string;
  const orgPath = `/api/orgs/${org.id}`;

  const cert = (number: string, isPublic = false) =>
    owner.post(`${orgPath}/certificates`, {
      level: 'CS3',
      number,
      issuer: '中国电子信息行业联合会',
      issuedOn: '2026-03-16',
      public: isPublic,
    });
  const certNumber = 'CS3-2026-0001';
  const published = must(await cert(certNumber, true), 201, 'certificate').json();
  const certId = published.id as string;
  const publicSlug = (published.publicUrl as string | undefined)?.split('/').pop() ?? certNumber;
  const transitionCertId = must(await cert('CS3-2026-0002'), 201, 'certificate 2').json().id as string;
  const successorCertId = must(await cert('CS3-2026-0003'), 201, 'certificate 3').json().id as string;
  const selfCheckCertId = must(
    await owner.post(`${orgPath}/certificates`, {
      level: 'CS2',
      number: 'CS2-2026-0004',
      issuer: '中国电子信息行业联合会',
      issuedOn: '2026-03-16',
    }),
    201,
    'certificate 4',
  ).json().id as string;
  const audit = must(
    await owner.post(`${orgPath}/audits`, {
      certificateId: certId,
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      auditors: ['审核员甲'],
    }),
    201,
    'audit',
  ).json();
  const meetingId = must(
    await owner.post(`${orgPath}/meetings`, { certificateId: certId, quarter: '2026-Q3' }),
    201,
    'meeting',
  ).json().id as string;
  const usageId = must(
    await owner.post(`${orgPath}/certificates/${certId}/usages`, {
      purpose: 'tender',
      recipient: '某市公共资源交易中心',
      date: '2026-06-01',
    }),
    201,
    'usage',
  ).json().id as string;
  const caseId = must(
    await owner.post(`${orgPath}/certificates/${certId}/events`, { type: 'lost', date: '2026-11-21' }),
    201,
    'loss case',
  ).json().event.id as string;
  const updateId = must(
    await owner.post(`/api/workspaces/${a.workspaceId}/policy-updates`, {
      title: '评估标准修订',
      issuer: '中国电子信息行业联合会',
      publishedOn: '2026-09-01',
      summary: '新增能力要求',
    }),
    201,
    'policy update',
  ).json().id as string;
  const auditItemId = must(await owner.get(`${orgPath}/audits/${audit.id}/checklist`), 200, 'checklist').json().items[0]
    .id as string;
  const event = must(
    await owner.post(`${orgPath}/certificates/${certId}/events`, { type: 'complaint', date: '2026-11-20' }),
    201,
    'event',
  ).json();
  const obligations = must(await owner.get(`${orgPath}/obligations`), 200, 'obligations').json().items;
  if (obligations.length === 0) throw new Error('fixture: the certificate has no obligations');

  const file = must(
    await uploadFile(owner, org.id, { filename: '合同.pdf', content: pdf('security fixture') }),
    201,
    'file',
  ).json();
  const project = must(
    await owner.post(`${orgPath}/projects`, {
      name: '某系统集成项目',
      contractNumber: 'HT-0001',
      amount: '1200000.00',
      signedOn: '2025-03-01',
      files: [{ fileId: file.id, role: 'contract' }],
    }),
    201,
    'project',
  ).json();
  const staff = must(
    await owner.post(`${orgPath}/staff`, { name: '张三', qualifications: [{ kind: 'pmp', number: 'PMP-0001' }] }),
    201,
    'staff',
  ).json();
  const financialYear = must(
    await owner.post(`${orgPath}/financial-years`, { year: 2025, revenue: '30000000.00' }),
    201,
    'financial year',
  ).json();
  const ip = must(
    await owner.post(`${orgPath}/ip`, { kind: 'software-copyright', name: '资质管理软件 V1.0' }),
    201,
    'ip',
  ).json();
  const managementCertificate = must(
    await owner.post(`${orgPath}/management-certificates`, { kind: 'iso9001', number: 'ISO-0001' }),
    201,
    'management certificate',
  ).json();
  const standard = must(
    await owner.post(`${orgPath}/standards`, {
      name: '信息技术服务 运行维护 第1部分：通用要求',
      number: 'GB/T 28827.1-2022',
      role: 'participant',
      publishedOn: '2022-10-12',
    }),
    201,
    'standard',
  ).json();
  const adverseRecord = must(
    await owner.post(`${orgPath}/adverse-records`, {
      kind: 'abnormal-operation',
      listedOn: '2024-03-01',
      clearedOn: '2024-06-10',
    }),
    201,
    'adverse record',
  ).json();

  const ws = `/api/workspaces/${a.workspaceId}`;
  const channel = must(
    await owner.post(`${ws}/channels`, {
      type: 'webhook',
      name: '测试机器人',
      url: webhookUrl,
      secret: 'whsec-01234567',
    }),
    201,
    'channel',
  ).json();
  const delivery = must(await owner.post(`${ws}/channels/${channel.id}/test`), 200, 'test delivery').json();
  must(await owner.request('PUT', `${ws}/requirement-sets/CS3`, defaultRequirementSet('CS3')), 200, 'requirement set');
  must(
    await owner.request('PUT', `${orgPath}/imports/projects/mapping`, { mapping: { name: '项目名称' } }),
    200,
    'import mapping',
  );
  const progressId = 'security-fixture-progress';
  const csv = multipart([{ name: 'file', filename: '项目.csv', content: PROJECT_CSV, type: 'text/csv' }]);
  must(
    await owner.request('POST', `${orgPath}/imports/projects?progressId=${progressId}`, csv.body, {
      'content-type': csv.contentType,
    }),
    200,
    'import dry run',
  );

  const tokenId = must(await owner.post('/api/tokens', { name: '要撤销的令牌' }), 201, 'token').json().id as string;
  const ownerBearer = must(await owner.post('/api/tokens', { name: '安全测试' }), 201, 'token').json().token as string;
  // A token that worked, then was revoked.
  const revoked = must(await owner.post('/api/tokens', { name: '已撤销' }), 201, 'token').json();
  must(await client(app, { bearer: revoked.token }).get('/api/me'), 200, 'token before revocation');
  must(await owner.delete(`/api/tokens/${revoked.id}`), 204, 'revoke token');
  // A calendar feed: its token is the secret part of the URL.
  const feed = must(await owner.post('/api/calendar/feeds', { workspaceId: a.workspaceId }), 201, 'feed').json();
  const feedToken = /\/api\/calendar\/([^/?#]+)\.ics$/.exec(feed.url)?.[1];
  if (!feedToken || feedToken !== feed.token) throw new Error(`fixture: no token in the feed URL ${feed.url}`);
  must(await app.inject({ method: 'GET', url: `/api/calendar/${feedToken}.ics` }), 200, 'feed before the matrix');
  // Pending invitations (through the harness, like every member).
  const invitee = (what: string) => ({ email: email(what), name: '受邀者', role: 'viewer' });
  const pending = invitee('invitee');
  await invite(owner, a.workspaceId, pending);
  const invitations = must(await owner.get(`${ws}/invitations`), 200, 'invitations').json().items;
  const invitationId = invitations.find((i: { email: string }) => i.email === pending.email)?.id as string;
  if (!invitationId) throw new Error('fixture: the invitation is not listed');
  const invitationToken = await invite(owner, a.workspaceId, invitee('preview'));
  const acceptToken = await invite(owner, a.workspaceId, invitee('accept'));

  // No route creates inbox messages (the reminder sweep does): written straight to the database.
  const inboxId = await addInboxItem(t.database.db, {
    userId: a.ownerId,
    workspaceId: a.workspaceId,
    orgId: org.id,
    obligationId: obligations[0].id,
  });

  // A run whose archive is not there: its drill is accepted (202) and fails in the background.
  const backupTarget = must(await owner.get('/api/admin/backups'), 200, 'backups').json().targets[0].target as string;
  const backupRunId = await addBackupRun(t.database.db, { target: backupTarget });

  // Tenant A as a workspace archive, and a dry run of its import that the progress route can show.
  const workspaceArchive = must(await owner.get(`${ws}/export`), 200, 'workspace export').rawPayload;
  const archivePart = multipart([{ name: 'file', filename: '工作空间.tar.gz', content: workspaceArchive }]);
  must(
    await owner.request('POST', `/api/workspaces/import?progressId=${progressId}`, archivePart.body, {
      'content-type': archivePart.contentType,
    }),
    200,
    'workspace import dry run',
  );

  const ids: FixtureIds = {
    workspaceId: a.workspaceId,
    orgId: org.id,
    org2Id: org2.id,
    spareOrgId: spareOrg.id,
    binnedOrgId: binned[0]!,
    purgedOrgId: binned[1]!,
    ownerId: a.ownerId,
    viewerId: viewer.userId,
    limitedId: limited.userId,
    memberId: member.userId,
    certId,
    certNumber,
    publicSlug,
    transitionCertId,
    selfCheckCertId,
    auditId: audit.id as string,
    auditItemId,
    meetingId,
    usageId,
    caseId,
    updateId,
    successorCertId,
    eventId: event.event.id,
    obligationId: obligations[0].id,
    fileId: file.id,
    projectId: project.id,
    staffId: staff.id,
    qualificationId: staff.qualifications[0].id,
    financialYearId: financialYear.id,
    ipId: ip.id,
    managementCertificateId: managementCertificate.id,
    standardId: standard.id,
    adverseRecordId: adverseRecord.id,
    channelId: channel.id,
    deliveryId: delivery.id,
    tokenId,
    feedId: feed.id,
    feedToken,
    inboxId,
    progressId,
    backupRunId,
    invitationId,
    invitationToken,
    acceptToken,
    bWorkspaceId: b.workspaceId,
    bOrgId: orgB.id,
  };
  const tenantAIds: Record<string, string> = Object.fromEntries(
    (
      [
        'workspaceId',
        'orgId',
        'org2Id',
        'spareOrgId',
        'binnedOrgId',
        'purgedOrgId',
        'certId',
        'transitionCertId',
        'selfCheckCertId',
        'auditId',
        'auditItemId',
        'meetingId',
        'usageId',
        'caseId',
        'updateId',
        'successorCertId',
        'eventId',
        'obligationId',
        'fileId',
        'projectId',
        'staffId',
        'qualificationId',
        'financialYearId',
        'ipId',
        'managementCertificateId',
        'standardId',
        'adverseRecordId',
        'channelId',
        'deliveryId',
        'tokenId',
        'feedId',
        'inboxId',
        'invitationId',
      ] as const
    ).map((k) => [k, ids[k]]),
  );
  return {
    a,
    b,
    ids,
    actors: {
      none: client(app, null),
      otherOwner: b.owner,
      viewer: viewer.client,
      limited: limited.client,
      feedToken: client(app, { bearer: feedToken }),
      revokedToken: client(app, { bearer: revoked.token }),
      owner,
    },
    emails: { owner: ownerEmail, otherOwner: otherEmail, viewer: viewer.email, limited: limited.email },
    ownerBearer,
    workspaceArchive,
    tenantAIds,
  };
}

/** Logs an actor in again: a fresh session for routes that end one. */
export const freshSession = (app: FastifyInstance, mail: string) => login(app, mail);
