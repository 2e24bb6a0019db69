// "Keep them closed": every operation of the API, from the OpenAPI document, run as each kind of
// caller who must not get in, then as the owner with the same request to show that nothing but
// authorization stood in the way. A route without a row in MATRIX fails the first test.
import { defaultRequirementSet, resetCalendarYears } from '@zizhi/core';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFixture,
  CALENDAR_YEAR_2031,
  createSecurityTestApp,
  creditCode,
  fillPath,
  fixtureParams,
  freshSession,
  isScopeParam,
  listOperations,
  listRoutes,
  NON_ID_PARAMS,
  PROJECT_CSV,
  startWebhookPeer,
  type Fixture,
  type FixtureIds,
  type Operation,
} from '../test/api-operations.js';
import { BACKENDS, PASSWORD, type Client, type TestApp } from '../test/harness.js';
import { defaultSelfCheckTemplate } from '../reports/self-check-template.js';
import { multipart, pdf, type Part } from '../test/multipart.js';

/** A status, any 2xx ('ok'), or not checked for this caller ('skip'). */
type Outcome = number | 'ok' | 'skip';

/**
 * The callers. `…Mixed`: the same caller with their own workspace or organisation in the path
 * and tenant A's ids after it (/api/orgs/{B's org}/certificates/{A's certificate}).
 */
const CALLERS = [
  'none',
  'noneHead',
  'otherOwner',
  'otherOwnerMixed',
  'viewer',
  'limited',
  'limitedMixed',
  'feedToken',
  'revokedToken',
  'owner',
] as const;
type Caller = (typeof CALLERS)[number];

interface Row {
  /**
   * tenant: data of a workspace or organisation (defaults: nobody 401, another workspace's owner
   * 404, a viewer reads but may not write (403), a member limited to another organisation 404 on
   * organisation routes, feed and revoked tokens 401, the owner 2xx). own: the caller's own account
   * (every logged-in caller 2xx). public: no defaults, every caller listed.
   */
  scope: 'tenant' | 'own' | 'public';
  expect?: Partial<Record<Caller, Outcome>>;
  /** Path parameters other than the fixture's defaults (PARAM_VALUES). */
  params?: (ids: FixtureIds, caller: Caller) => Record<string, string>;
  query?: (ids: FixtureIds) => Record<string, string>;
  /** A body that succeeds for the owner: refusals then have no other reason than authorization. */
  body?: (ids: FixtureIds, fx: Fixture) => unknown;
  multipart?: (fx: Fixture) => Part[];
  /** The route ends the caller's session: each logged-in caller uses a fresh one. */
  freshSession?: boolean;
}

let unique = 0;
const next = () => ++unique;
const ISSUER = '中国电子信息行业联合会';
/** A bad Authorization header is refused on every /api/ route, public ones included. */
const BAD_BEARER = { feedToken: 401, revokedToken: 401 } as const;
const everyone = (status: Outcome): Partial<Record<Caller, Outcome>> => ({
  none: status,
  noneHead: status,
  otherOwner: status,
  viewer: status,
  limited: status,
  owner: status,
  ...BAD_BEARER,
});

/** One evidence kind's five routes. */
function registry(kind: string, create: () => unknown, update: () => unknown, idKey: keyof FixtureIds) {
  const base = `/api/orgs/{orgId}/${kind}`;
  const id = (ids: FixtureIds) => ({ id: ids[idKey] });
  return {
    [`GET ${base}`]: { scope: 'tenant' },
    [`POST ${base}`]: { scope: 'tenant', body: create },
    [`GET ${base}/{id}`]: { scope: 'tenant', params: id },
    [`PATCH ${base}/{id}`]: { scope: 'tenant', params: id, body: update },
    [`DELETE ${base}/{id}`]: { scope: 'tenant', params: id },
  } satisfies Record<string, Row>;
}

const MATRIX: Record<string, Row> = {
  // ── System and set-up: public
  'GET /api/health': { scope: 'public', expect: everyone(200) },
  'GET /api/setup': { scope: 'public', expect: everyone(200) },
  'POST /api/setup': {
    scope: 'public',
    // Set-up is done: refused for everyone, on its content rather than on who asks.
    expect: everyone(409),
    body: () => ({ email: `late.setup.${next()}@example.cn`, name: '迟到的管理员', password: PASSWORD }),
  },

  // ── Authentication
  'POST /api/auth/login': {
    scope: 'public',
    expect: everyone(200),
    body: (_ids, fx) => ({ email: fx.emails.owner, password: PASSWORD }),
  },
  'POST /api/auth/logout': { scope: 'own', freshSession: true },
  'POST /api/auth/password-reset': {
    scope: 'public',
    // The same answer whether or not the address has an account.
    expect: everyone(202),
    body: () => ({ email: `nobody.${next()}@example.cn` }),
  },
  'POST /api/auth/password-reset/confirm': {
    scope: 'public',
    // Only a reset link's token (e-mailed, never in an answer) opens it: an unknown one is bad input.
    expect: everyone(400),
    body: () => ({ token: 'not-a-real-reset-token-0000', newPassword: 'another-horse-battery-staple' }),
  },
  'POST /api/me/password': {
    scope: 'own',
    // A wrong current password: the route is reached and refuses the content (400) for every
    // logged-in caller; the success path, which ends the caller's other sessions, is in auth.test.ts.
    expect: { otherOwner: 400, viewer: 400, limited: 400, owner: 400 },
    body: () => ({ currentPassword: 'not-the-password-0', newPassword: 'another-horse-battery-staple' }),
  },
  'GET /api/me': { scope: 'own' },

  // ── Workspaces and members
  'GET /api/workspaces': { scope: 'own' },
  'POST /api/workspaces': {
    scope: 'own',
    // Instance administrators only; A's owner is one (set-up), B's owner is not.
    expect: { otherOwner: 403, viewer: 403, limited: 403 },
    body: () => ({ name: `新工作空间 ${next()}` }),
  },
  // Instance administrators, one demo each: A's owner makes it (and a second attempt is a 409).
  'POST /api/workspaces/demo': {
    scope: 'own',
    expect: { otherOwner: 403, viewer: 403, limited: 403 },
  },
  // Owners, of demo workspaces only: A's workspace holds real data, so its owner gets the refusal.
  'DELETE /api/workspaces/{id}': { scope: 'tenant', expect: { owner: 409, limited: 403 } },
  'GET /api/workspaces/{id}/members': { scope: 'tenant' },
  'POST /api/workspaces/{id}/members': {
    scope: 'tenant',
    body: () => ({ email: `matrix.member.${next()}@example.cn`, name: '新成员', password: PASSWORD, role: 'viewer' }),
  },
  'GET /api/workspaces/{id}/invitations': { scope: 'tenant', expect: { viewer: 403, limited: 'ok' } },
  'POST /api/workspaces/{id}/invitations/{invitationId}/renew': { scope: 'tenant' },
  'DELETE /api/workspaces/{id}/invitations/{invitationId}': { scope: 'tenant' },
  'GET /api/invitations/{token}': { scope: 'public', expect: everyone(200) },
  'POST /api/invitations/{token}/accept': {
    scope: 'public',
    // The link is the credential for a new account (nobody logged in: joins, 200). Logged in as
    // someone other than the invited address: refused (403), whoever it is.
    expect: { ...everyone(403), none: 200, noneHead: 'skip' },
    params: (ids, caller) => ({ token: caller === 'none' ? ids.acceptToken : ids.invitationToken }),
    body: () => ({ password: PASSWORD }),
  },
  'PATCH /api/workspaces/{id}/members/{userId}': { scope: 'tenant', body: () => ({ role: 'contributor' }) },
  'DELETE /api/workspaces/{id}/members/{userId}': { scope: 'tenant' },
  // Owners only: the limited member is an admin of A, the viewer a viewer.
  'GET /api/workspaces/{id}/export': { scope: 'tenant', expect: { viewer: 403, limited: 403 } },
  'POST /api/workspaces/{id}/export': {
    scope: 'tenant',
    expect: { viewer: 403, limited: 403 },
    body: () => ({ passphrase: 'matrix export passphrase' }),
  },
  // Instance administrators only, like creating a workspace; A's archive again: a dry run with conflicts.
  'POST /api/workspaces/import': {
    scope: 'own',
    expect: { otherOwner: 403, viewer: 403, limited: 403 },
    multipart: (fx) => [{ name: 'file', filename: '工作空间.tar.gz', content: fx.workspaceArchive }],
  },
  'GET /api/workspaces/import/progress/{progressId}': {
    scope: 'own',
    expect: { otherOwner: 403, viewer: 403, limited: 403 },
  },

  // ── Organisations
  'GET /api/orgs': {
    scope: 'tenant',
    query: (ids) => ({ workspaceId: ids.workspaceId }),
    // Lists only the organisations it may see (the answer is checked for org 1's ids).
    expect: { limited: 'ok' },
  },
  'POST /api/orgs': {
    scope: 'tenant',
    // A member limited to some organisations may not add one (it would not see it).
    expect: { limited: 403 },
    body: (ids) => ({ workspaceId: ids.workspaceId, name: `新增企业 ${next()}`, creditCode: creditCode(100 + next()) }),
  },
  'GET /api/orgs/{orgId}': { scope: 'tenant' },
  'PATCH /api/orgs/{orgId}': { scope: 'tenant', body: () => ({ address: '深圳市南山区科技园' }) },
  'DELETE /api/orgs/{orgId}': { scope: 'tenant', params: (ids) => ({ orgId: ids.spareOrgId }) },
  // Admins: what would go with it, and the recycle bin (a limited admin sees only its own there).
  'GET /api/orgs/{orgId}/deletion-impact': { scope: 'tenant', expect: { viewer: 403 } },
  'GET /api/workspaces/{id}/recycle-bin': { scope: 'tenant', expect: { viewer: 403, limited: 'ok' } },
  'POST /api/workspaces/{id}/recycle-bin/{orgId}/restore': {
    scope: 'tenant',
    expect: { viewer: 403 },
    params: (ids) => ({ orgId: ids.binnedOrgId }),
  },
  'DELETE /api/workspaces/{id}/recycle-bin/{orgId}': {
    scope: 'tenant',
    expect: { viewer: 403 },
    params: (ids) => ({ orgId: ids.purgedOrgId }),
  },

  // ── Personal API tokens
  'GET /api/tokens': { scope: 'own' },
  'POST /api/tokens': { scope: 'own', body: () => ({ name: `脚本 ${next()}` }) },
  'DELETE /api/tokens/{id}': {
    scope: 'own',
    // A's owner's token: nobody else's to revoke, nor to learn about.
    expect: { otherOwner: 404, viewer: 404, limited: 404 },
  },

  // ── Audit
  'GET /api/audit-log': {
    scope: 'tenant',
    query: (ids) => ({ workspaceId: ids.workspaceId }),
    // Admins and owners; the limited member is an admin and reads the rows of its organisations.
    expect: { viewer: 403, limited: 'ok' },
  },

  // ── Certificates and events
  'GET /api/orgs/{orgId}/certificates': { scope: 'tenant' },
  'POST /api/orgs/{orgId}/certificates': {
    scope: 'tenant',
    body: () => ({
      level: 'CS3',
      number: `CS3-2025-${String(next()).padStart(4, '0')}`,
      issuer: ISSUER,
      issuedOn: '2025-05-06',
    }),
  },
  'GET /api/orgs/{orgId}/certificates/{certId}': { scope: 'tenant' },
  'PATCH /api/orgs/{orgId}/certificates/{certId}': { scope: 'tenant', body: () => ({ issuer: ISSUER }) },
  'POST /api/orgs/{orgId}/certificates/{certId}/transitions': {
    scope: 'tenant',
    params: (ids) => ({ certId: ids.transitionCertId }),
    body: () => ({ to: 'suspended', on: '2026-11-20', reason: '监督检查发现问题，暂停资格' }),
  },
  'POST /api/orgs/{orgId}/certificates/{certId}/history': {
    scope: 'tenant',
    body: () => ({ periodicDoneBefore: '2026-01-01' }),
  },
  'POST /api/orgs/{orgId}/certificates/{certId}/successor': {
    scope: 'tenant',
    params: (ids) => ({ certId: ids.successorCertId }),
    body: () => ({ kind: 'renewal', level: 'CS3', number: 'CS3-2026-0099', issuer: ISSUER, issuedOn: '2026-11-01' }),
  },
  'GET /api/orgs/{orgId}/certificates/{certId}/events': { scope: 'tenant' },
  'POST /api/orgs/{orgId}/certificates/{certId}/events': {
    scope: 'tenant',
    body: () => ({ type: 'complaint', date: '2026-11-21', note: '客户投诉' }),
  },
  'POST /api/orgs/{orgId}/certificates/{certId}/events/preview': {
    scope: 'tenant',
    // Saves nothing: a viewer may preview.
    expect: { viewer: 'ok' },
    body: () => ({ type: 'complaint', date: '2026-11-21' }),
  },
  'GET /api/orgs/{orgId}/certificates/{certId}/events/{eventId}': { scope: 'tenant' },
  'PATCH /api/orgs/{orgId}/certificates/{certId}/events/{eventId}': {
    scope: 'tenant',
    body: () => ({ note: '更正：投诉来自客户服务热线' }),
  },
  'DELETE /api/orgs/{orgId}/certificates/{certId}/events/{eventId}': {
    scope: 'tenant',
    query: () => ({ reason: '录入错误' }),
  },

  // ── Obligations and dashboard
  'GET /api/orgs/{orgId}/obligations': { scope: 'tenant' },
  'PATCH /api/orgs/{orgId}/obligations/{id}': { scope: 'tenant', body: () => ({ status: 'in_progress' }) },
  'POST /api/orgs/{orgId}/obligations/bulk': {
    scope: 'tenant',
    body: (ids) => ({ ids: [ids.obligationId], status: 'in_progress' }),
  },
  'GET /api/workspaces/{id}/obligations': { scope: 'tenant', expect: { limited: 'ok' } },
  'GET /api/workspaces/{id}/dashboard': { scope: 'tenant', expect: { limited: 'ok' } },
  'GET /api/workspaces/{id}/onboarding': { scope: 'tenant', expect: { limited: 'ok' } },
  'GET /api/workspaces/{id}/dashboard/timelines': { scope: 'tenant', expect: { limited: 'ok' } },

  // ── Files
  'POST /api/orgs/{orgId}/files': {
    scope: 'tenant',
    multipart: () => [{ name: 'file', filename: '验收报告.pdf', content: pdf(`matrix ${next()}`) }],
  },
  'GET /api/orgs/{orgId}/files': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/files/{id}': { scope: 'tenant' },

  // ── Calendar and feeds
  'GET /api/calendar/years': { scope: 'own' },
  'POST /api/calendar/years': {
    scope: 'own',
    // Instance administrators only.
    expect: { otherOwner: 403, viewer: 403, limited: 403 },
    body: () => CALENDAR_YEAR_2031,
  },
  // Instance administrators only, like the import it follows.
  'GET /api/calendar/recompute': { scope: 'own', expect: { otherOwner: 403, viewer: 403, limited: 403 } },
  'POST /api/calendar/feeds': {
    scope: 'tenant',
    // Any member may subscribe to what they can see.
    expect: { viewer: 'ok', limited: 'ok' },
    body: (ids) => ({ workspaceId: ids.workspaceId }),
  },
  'GET /api/calendar/feeds': { scope: 'own' },
  'DELETE /api/calendar/feeds/{id}': { scope: 'own', expect: { otherOwner: 404, viewer: 404, limited: 404 } },
  'GET /api/calendar/{token}.ics': {
    scope: 'public',
    // The token in the URL is the credential; a cookie changes nothing, a bad bearer header is refused.
    expect: everyone(200),
  },

  // ── Public verification
  'GET /api/public/certificates/{slug}': { scope: 'public', expect: everyone(200) },
  // Not under /api/: no credentials are read at all, a bad bearer header included.
  'GET /verify/{slug}': { scope: 'public', expect: { ...everyone(200), feedToken: 200, revokedToken: 200 } },
  'GET /badge/{slug}.svg': { scope: 'public', expect: { ...everyone(200), feedToken: 200, revokedToken: 200 } },
  'GET /qr/{slug}.png': { scope: 'public', expect: { ...everyone(200), feedToken: 200, revokedToken: 200 } },

  // ── Evidence registry
  ...registry(
    'projects',
    () => ({ name: `项目 ${next()}`, contractNumber: `HT-M-${next()}`, amount: '560000.00' }),
    () => ({ client: '某市大数据局' }),
    'projectId',
  ),
  ...registry(
    'staff',
    () => ({ name: `李四 ${next()}`, qualifications: [{ kind: 'senior-pm', number: `GX-${next()}` }] }),
    () => ({ role: '项目经理' }),
    'staffId',
  ),
  // Reveals a full ID number: managers and above, so a viewer's 403 comes from the default.
  'POST /api/orgs/{orgId}/staff/{id}/id-number': { scope: 'tenant' },
  ...registry(
    'financial-years',
    () => ({ year: 2000 + (next() % 20), revenue: '1000.00' }),
    () => ({ notes: '审计报告已上传' }),
    'financialYearId',
  ),
  ...registry(
    'ip',
    () => ({ kind: 'invention-patent', name: `专利 ${next()}` }),
    () => ({ number: 'ZL 2024 1 0000001.0' }),
    'ipId',
  ),
  ...registry(
    'management-certificates',
    () => ({ kind: 'iso27001', number: `ISMS-${next()}` }),
    () => ({ notes: '年度监督审核通过' }),
    'managementCertificateId',
  ),
  ...registry(
    'standards',
    () => ({ name: `团体标准 ${next()}`, role: 'lead', publishedOn: '2025-04-01' }),
    () => ({ number: 'T/CITIF 009-2025' }),
    'standardId',
  ),
  ...registry(
    'adverse-records',
    () => ({ kind: 'violation', listedOn: '2023-05-01', clearedOn: '2023-08-01' }),
    () => ({ notes: '已整改并移出' }),
    'adverseRecordId',
  ),
  'GET /api/orgs/{orgId}/legal-entity': { scope: 'tenant' },
  'PUT /api/orgs/{orgId}/legal-entity': {
    scope: 'tenant',
    body: () => ({ isIndependent: true, confirmedOn: '2026-01-05' }),
  },

  // ── Imports and exports
  'POST /api/orgs/{orgId}/imports/{kind}': {
    scope: 'tenant',
    multipart: () => [{ name: 'file', filename: '项目.csv', content: PROJECT_CSV, type: 'text/csv' }],
  },
  'GET /api/orgs/{orgId}/imports/progress/{progressId}': {
    scope: 'tenant',
    // Importing needs a contributor, and so does watching an import.
    expect: { viewer: 403 },
  },
  'GET /api/orgs/{orgId}/imports/{kind}/mapping': { scope: 'tenant' },
  'PUT /api/orgs/{orgId}/imports/{kind}/mapping': {
    scope: 'tenant',
    body: () => ({ mapping: { name: '项目名称', contractNumber: '合同编号' } }),
  },
  'GET /api/orgs/{orgId}/imports/{kind}/template.xlsx': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/exports/{kind}.xlsx': { scope: 'tenant' },

  // ── Documents
  'GET /api/orgs/{orgId}/certificates/{certId}/self-check-report.{format}': {
    scope: 'tenant',
    query: () => ({ year: '2026' }),
  },
  'GET /api/orgs/{orgId}/certificates/{certId}/self-check-reports': { scope: 'tenant' },
  // A preview reads only: viewers may make one.
  'POST /api/orgs/{orgId}/certificates/{certId}/self-check-report/preview': {
    scope: 'tenant',
    body: () => ({ year: 2026 }),
    expect: { viewer: 'ok' },
  },
  'GET /api/workspaces/{id}/report-templates/self-check-report': { scope: 'tenant', expect: { limited: 'ok' } },
  'PUT /api/workspaces/{id}/report-templates/self-check-report': {
    scope: 'tenant',
    body: () => defaultSelfCheckTemplate(),
  },
  'DELETE /api/workspaces/{id}/report-templates/self-check-report': { scope: 'tenant' },
  'POST /api/orgs/{orgId}/certificates/{certId}/self-check-reports': {
    scope: 'tenant',
    params: (ids) => ({ certId: ids.selfCheckCertId }),
    body: () => ({ year: 2026, submittedOn: '2026-11-20', receiptNumber: `ZC-${next()}` }),
  },

  'POST /api/orgs/{orgId}/audits': {
    scope: 'tenant',
    body: (ids) => ({
      certificateId: ids.certId,
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      auditors: ['审核员乙'],
    }),
  },
  'GET /api/orgs/{orgId}/audits': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/audits/{id}': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/audits/{id}/checklist': { scope: 'tenant' },
  'PATCH /api/orgs/{orgId}/audits/{id}/checklist/{itemId}': {
    scope: 'tenant',
    body: () => ({ result: 'conform', note: '已核对' }),
  },
  'POST /api/orgs/{orgId}/audits/{id}/close': {
    scope: 'tenant',
    body: () => ({ conclusion: '基本符合', closedOn: '2026-10-10' }),
    // Let in, the owner is told what is left: most lines of the fixture's checklist have no result.
    expect: { owner: 409 },
  },
  'GET /api/orgs/{orgId}/audits/{id}/report.{format}': { scope: 'tenant' },
  'POST /api/orgs/{orgId}/meetings': {
    scope: 'tenant',
    body: (ids) => ({ certificateId: ids.certId, quarter: '2026-Q4' }),
  },
  'GET /api/orgs/{orgId}/meetings': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/meetings/{id}': { scope: 'tenant' },
  'PATCH /api/orgs/{orgId}/meetings/{id}': {
    scope: 'tenant',
    body: () => ({ place: '会议室', attendees: ['甲'] }),
  },
  'POST /api/orgs/{orgId}/meetings/{id}/actions': {
    scope: 'tenant',
    body: () => ({ title: `待办 ${next()}`, dueDate: '2026-12-20' }),
  },
  'POST /api/orgs/{orgId}/meetings/{id}/close': {
    scope: 'tenant',
    // Let in, the owner is told what is missing: the fixture's meeting has no day recorded.
    expect: { owner: 409 },
  },
  'GET /api/orgs/{orgId}/meetings/{id}/minutes.{format}': { scope: 'tenant' },

  // ── Certificate usage register
  'POST /api/orgs/{orgId}/certificates/{certId}/usages': {
    scope: 'tenant',
    expect: { viewer: 403 },
    body: () => ({ purpose: 'tender', recipient: '某市公共资源交易中心', date: '2026-06-01' }),
  },
  'GET /api/orgs/{orgId}/usages': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/usages.xlsx': { scope: 'tenant' },
  'POST /api/orgs/{orgId}/certificates/{certId}/usages/{usageId}/void': {
    scope: 'tenant',
    body: () => ({ reason: '登记错误' }),
  },
  'GET /api/orgs/{orgId}/certificates/{certId}/usages/{usageId}/copy.pdf': {
    scope: 'tenant',
    // Let in, the owner is told the fixture's certificate has no scan.
    expect: { viewer: 403, owner: 409 },
  },

  // ── Guided cases
  'GET /api/orgs/{orgId}/cases': { scope: 'tenant' },
  // A member limited to other organisations sees the workspace's list, without their cases.
  'GET /api/workspaces/{id}/cases': { scope: 'tenant', expect: { limited: 'ok' } },
  'GET /api/orgs/{orgId}/cases/{caseId}': { scope: 'tenant' },
  'PATCH /api/orgs/{orgId}/cases/{caseId}': { scope: 'tenant', body: () => ({ ownerId: null }) },
  'POST /api/orgs/{orgId}/cases/{caseId}/steps/{stepKey}': {
    scope: 'tenant',
    body: () => ({ date: '2026-11-22' }),
  },
  'PUT /api/orgs/{orgId}/cases/{caseId}/checklist/{materialId}': {
    scope: 'tenant',
    body: () => ({ status: 'not-applicable', reason: '免收工本费' }),
  },
  'DELETE /api/orgs/{orgId}/cases/{caseId}/checklist/{materialId}': { scope: 'tenant' },
  'POST /api/orgs/{orgId}/cases/{caseId}/close': {
    scope: 'tenant',
    body: () => ({ date: '2026-11-25' }),
    // Let in, the owner is told what is left: the fixture's case has its steps to do.
    expect: { owner: 409 },
  },
  'GET /api/orgs/{orgId}/cases/{caseId}/documents/{document}': { scope: 'tenant' },
  'POST /api/orgs/{orgId}/cases/{caseId}/actions': {
    scope: 'tenant',
    body: () => ({ title: '落实事项', dueDate: '2026-12-20' }),
    // Let in, the owner is told the fixture's loss case takes no actions (policy cases do).
    expect: { owner: 409 },
  },
  'GET /api/workspaces/{id}/policy-updates': { scope: 'tenant', expect: { limited: 'ok' } },
  'POST /api/workspaces/{id}/policy-updates': {
    scope: 'tenant',
    expect: { limited: 403 },
    body: () => ({
      title: `标准更新 ${next()}`,
      issuer: '中国电子信息行业联合会',
      publishedOn: '2026-09-01',
      summary: '变化',
    }),
  },
  'GET /api/workspaces/{id}/policy-updates/{updateId}/orgs': { scope: 'tenant', expect: { limited: 'ok' } },
  'PUT /api/workspaces/{id}/policy-updates/{updateId}/orgs/{orgId}': {
    scope: 'tenant',
    body: () => ({ impact: 'not-affected', note: `不涉及 ${next()}` }),
  },

  // ── Supervision
  'GET /api/capability-catalogue': { scope: 'own' },
  'PUT /api/workspaces/{id}/capability-catalogue/items/{capabilityId}': {
    scope: 'tenant',
    body: () => ({ name: '战略意图制定与发布' }),
  },
  'DELETE /api/workspaces/{id}/capability-catalogue/items/{capabilityId}': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/certificates/{certId}/supervision-plan': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/certificates/{certId}/packs/supervision.zip': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/certificates/{certId}/packs/renewal.zip': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/certificates/{certId}/assessment-contact': { scope: 'tenant' },
  'PUT /api/orgs/{orgId}/certificates/{certId}/assessment-contact': {
    scope: 'tenant',
    body: () => ({ body: '中国电子信息行业联合会', person: '李老师', phone: '010-1234 5678', email: 'li@example.cn' }),
  },
  'GET /api/orgs/{orgId}/certificates/{certId}/supervision-plan.{format}': {
    scope: 'tenant',
    params: () => ({ format: 'xlsx' }),
  },
  // Let in, the owner's answer depends on the plan the row above saved (409 without one, 400 for a day
  // not in it); supervision.test.ts covers the owner.
  'PUT /api/orgs/{orgId}/certificates/{certId}/supervision-plan/results': {
    scope: 'tenant',
    body: () => ({ date: '2026-10-01', items: [{ itemId: 'SM.1.1', result: 'conform' }] }),
    expect: { owner: 'skip' },
  },
  'POST /api/orgs/{orgId}/certificates/{certId}/supervision-plan/findings': {
    scope: 'tenant',
    body: () => ({ date: '2026-10-01', text: '缺少客户满意度调查记录', dueDate: '2026-12-31' }),
    expect: { owner: 'skip' },
  },
  'PUT /api/orgs/{orgId}/certificates/{certId}/supervision-plan': {
    scope: 'tenant',
    body: () => ({
      initialPersonDays: 10,
      visits: [
        { date: '2027-06-01', personDays: 5 },
        { date: '2028-06-01', personDays: 5 },
      ],
    }),
  },

  // ── Checks and readiness
  'GET /api/orgs/{orgId}/checks': { scope: 'tenant' },
  'GET /api/orgs/{orgId}/readiness': { scope: 'tenant' },
  'GET /api/workspaces/{id}/org-overview': { scope: 'tenant', expect: { limited: 'ok' } },
  'GET /api/workspaces/{id}/requirement-sets': { scope: 'tenant', expect: { limited: 'ok' } },
  'PUT /api/workspaces/{id}/requirement-sets/{level}': {
    scope: 'tenant',
    body: () => defaultRequirementSet('CS3'),
  },
  'DELETE /api/workspaces/{id}/requirement-sets/{level}': { scope: 'tenant' },

  // ── Notification channels, deliveries, preferences
  'GET /api/workspaces/{id}/channels': { scope: 'tenant', expect: { viewer: 403, limited: 'ok' } },
  'POST /api/workspaces/{id}/channels': {
    scope: 'tenant',
    body: () => ({
      type: 'dingtalk',
      name: `钉钉群 ${next()}`,
      url: 'https://oapi.dingtalk.com/robot/send?access_token=x',
    }),
  },
  'PATCH /api/workspaces/{id}/channels/{channelId}': { scope: 'tenant', body: () => ({ name: '测试机器人（改名）' }) },
  'DELETE /api/workspaces/{id}/channels/{channelId}': { scope: 'tenant' },
  'POST /api/workspaces/{id}/channels/{channelId}/test': { scope: 'tenant' },
  'GET /api/workspaces/{id}/deliveries': { scope: 'tenant', expect: { viewer: 403, limited: 'ok' } },
  'GET /api/workspaces/{id}/notification-preferences': { scope: 'tenant', expect: { limited: 'ok' } },
  'PUT /api/workspaces/{id}/notification-preferences': {
    scope: 'tenant',
    // The caller's own choices: a viewer sets theirs.
    expect: { viewer: 'ok' },
    body: () => ({ email: true, inApp: true, digest: 'daily' }),
  },

  // ── In-app inbox
  'GET /api/me/inbox': { scope: 'own' },
  'GET /api/me/inbox/unread-count': { scope: 'own' },
  'POST /api/me/inbox/{id}/read': {
    scope: 'own',
    // A message of A's owner.
    expect: { otherOwner: 404, viewer: 404, limited: 404 },
  },
  'POST /api/me/inbox/read-all': { scope: 'own' },

  // ── Backups: the installation's, for instance administrators only (A's owner is one)
  'GET /api/admin/backups': { scope: 'own', expect: { otherOwner: 403, viewer: 403, limited: 403 } },
  'POST /api/admin/backups': { scope: 'own', expect: { otherOwner: 403, viewer: 403, limited: 403 } },
  'POST /api/admin/backups/{id}/verify': { scope: 'own', expect: { otherOwner: 403, viewer: 403, limited: 403 } },
};

/**
 * Cases that fail today and are reported to the route's owners: "<operation> :: <caller>" → what
 * happens. The check then asserts that the case still fails; when it passes, remove the entry.
 */
const KNOWN_FAILURES: Record<string, string> = {};

const isWrite = (op: Operation) => op.method !== 'GET';
const childIdParams = (op: Operation) =>
  op.pathParams.filter((p) => !isScopeParam(op.path, p.name) && !NON_ID_PARAMS.has(p.name));

/** The expected outcome of a caller, with the defaults of the row's scope. */
function expected(op: Operation, row: Row, caller: Caller): Outcome {
  if (caller === 'noneHead' && op.method !== 'GET') return 'skip';
  const given = row.expect?.[caller];
  if (given !== undefined) return given;
  const orgScoped = op.path.includes('{orgId}');
  switch (row.scope) {
    case 'public':
      if (caller === 'otherOwnerMixed' || caller === 'limitedMixed') return 'skip';
      if (caller === 'noneHead') return row.expect?.none ?? 'skip';
      throw new Error(`${op.key}: a public row lists every caller; ${caller} is missing`);
    case 'own':
      if (caller === 'none' || caller === 'noneHead' || caller === 'feedToken' || caller === 'revokedToken') return 401;
      if (caller === 'otherOwnerMixed' || caller === 'limitedMixed') return 'skip';
      return 'ok';
    case 'tenant':
      switch (caller) {
        case 'none':
        case 'noneHead':
        case 'feedToken':
        case 'revokedToken':
          return 401;
        case 'otherOwner':
          return 404;
        case 'otherOwnerMixed':
          return childIdParams(op).length > 0 ? 404 : 'skip';
        case 'viewer':
          return isWrite(op) ? 403 : 'ok';
        case 'limited':
          // Workspace routes: the limited member is a member there (writes are not tried: it is an admin).
          return orgScoped ? 404 : 'skip';
        case 'limitedMixed':
          return orgScoped && childIdParams(op).length > 0 ? 404 : 'skip';
        case 'owner':
          return 'ok';
      }
  }
}

const matches = (status: number, outcome: Outcome) =>
  outcome === 'ok' ? status >= 200 && status < 300 : status === outcome;

describe.each(BACKENDS)('authorization matrix (%s)', (backend) => {
  let t: TestApp;
  let fx: Fixture;
  let ops: Map<string, Operation>;
  let peer: Awaited<ReturnType<typeof startWebhookPeer>>;
  let checks = 0;
  const operationsChecked = new Set<string>();
  const callersChecked = new Set<Caller>();

  beforeAll(async () => {
    resetCalendarYears();
    peer = await startWebhookPeer();
    t = await createSecurityTestApp(backend);
    fx = await buildFixture(t, peer.url);
    ops = new Map(listOperations(t.app).map((op) => [op.key, op]));
  });
  afterAll(async () => {
    console.log(
      `authorization matrix (${backend}): ${operationsChecked.size} operations × ${callersChecked.size} callers: ` +
        `${checks} checks`,
    );
    await t?.close();
    await peer?.close();
    resetCalendarYears();
  });

  it('has a row for every operation of the API, and none for an operation that is gone', () => {
    const missing = [...ops.keys()].filter((k) => !MATRIX[k]);
    expect(
      missing,
      `operations without a row: add each to MATRIX in src/security/authorization-matrix.test.ts ` +
        `(its callers' expected answers and a body that succeeds for the owner)`,
    ).toEqual([]);
    const stale = Object.keys(MATRIX).filter((k) => !ops.has(k));
    expect(stale, 'rows for operations that no longer exist: remove them from MATRIX').toEqual([]);
    // Routes the document hides are operations too (read from the route table), so they need rows.
    expect(listRoutes(t.app).filter((k) => !ops.has(k))).toEqual([]);
    expect([...ops.values()].some((op) => op.hidden)).toBe(true);
  });

  /** Sends the row's request as a client, with the given path parameters. */
  function send(
    who: Client,
    op: Operation,
    row: Row,
    params: Record<string, string>,
    method: string = op.method,
  ): Promise<LightMyRequestResponse> {
    const query = row.query ? `?${new URLSearchParams(row.query(fx.ids)).toString()}` : '';
    const url = fillPath(op.path, params) + query;
    const verb = method as Parameters<Client['request']>[0];
    if (row.multipart) {
      const { body, contentType } = multipart(row.multipart(fx));
      return who.request(verb, url, body, { 'content-type': contentType });
    }
    return who.request(verb, url, row.body?.(fx.ids, fx));
  }

  async function clientFor(caller: Caller, row: Row): Promise<Client> {
    const base = caller.replace(/Mixed$|Head$/, '') as keyof Fixture['actors'];
    if (row.freshSession && base in fx.emails) {
      return freshSession(t.app, fx.emails[base as keyof Fixture['emails']]);
    }
    return fx.actors[base];
  }

  function paramsFor(op: Operation, row: Row, caller: Caller): Record<string, string> {
    const params = { ...fixtureParams(op, fx.ids), ...row.params?.(fx.ids, caller) };
    if (caller === 'otherOwnerMixed' || caller === 'limitedMixed') {
      for (const p of op.pathParams) {
        if (!isScopeParam(op.path, p.name)) continue;
        if (p.name === 'orgId') params.orgId = caller === 'limitedMixed' ? fx.ids.org2Id : fx.ids.bOrgId;
        else params.id = fx.ids.bWorkspaceId;
      }
    }
    return params;
  }

  /** Ids a caller must never see in an answer: all of tenant A's for B, organisation 1's for the limited member. */
  function forbiddenIds(caller: Caller): Array<[string, string]> {
    const all = Object.entries(fx.tenantAIds);
    if (caller.startsWith('otherOwner')) return all;
    // Organisation 2 and what belongs to the whole workspace are the limited member's to see.
    const workspaceWide = new Set([
      'workspaceId',
      'org2Id',
      'channelId',
      'deliveryId',
      'invitationId',
      'feedId',
      'updateId',
    ]);
    if (caller.startsWith('limited')) return all.filter(([name]) => !workspaceWide.has(name));
    return [];
  }

  async function check(op: Operation, row: Row, caller: Caller): Promise<string | null> {
    const outcome = expected(op, row, caller);
    if (outcome === 'skip') return null;
    const who = await clientFor(caller, row);
    const res = await send(who, op, row, paramsFor(op, row, caller), caller === 'noneHead' ? 'HEAD' : op.method);
    checks++;
    operationsChecked.add(op.key);
    callersChecked.add(caller);
    let problem: string | null = null;
    if (!matches(res.statusCode, outcome)) {
      problem = `${caller}: expected ${outcome}, got ${res.statusCode} ${res.body.slice(0, 300)}`;
    } else if (res.statusCode === 404 && res.body.includes('没有这个地址：')) {
      // The router's 404 (no such route) would pass for a refusal without testing one.
      problem = `${caller}: 404 from the router, not the route: ${res.body.slice(0, 200)}`;
    } else if (res.statusCode < 300 && row.scope !== 'public') {
      const leaked = forbiddenIds(caller).filter(([, id]) => res.body.includes(id));
      if (leaked.length > 0) {
        problem = `${caller}: ${res.statusCode} answer shows ids it must not see: ${leaked.map(([n]) => n).join(', ')}`;
      }
    }
    const known = KNOWN_FAILURES[`${op.key} :: ${caller}`];
    if (known) {
      return problem ? null : `${caller}: listed in KNOWN_FAILURES (${known}) but passes now: remove the entry`;
    }
    return problem;
  }

  const refusers = CALLERS.filter((c) => c !== 'owner');
  it.each(Object.keys(MATRIX))('%s: refused to whoever may not use it', async (key) => {
    const op = ops.get(key);
    if (!op) return; // Reported by the first test.
    const row = MATRIX[key]!;
    const problems: string[] = [];
    for (const caller of refusers) {
      const problem = await check(op, row, caller);
      if (problem) problems.push(problem);
    }
    expect(problems, key).toEqual([]);
  });

  // Ids of tenant A (or of organisation 1) named in the body or query of a request that is
  // otherwise the caller's own: a write must be refused, a read must not show them.
  describe('bodies and queries that name what the caller may not see', () => {
    interface Own {
      orgId: string;
      staffId: string;
      projectId: string;
      certId?: string;
      obligationId?: string;
    }
    let bOwn: Own;
    let limitedOwn: Own;

    async function ownResources(who: Client, orgId: string, withCertificate: boolean): Promise<Own> {
      const base = `/api/orgs/${orgId}`;
      const staff = await who.post(`${base}/staff`, { name: '自己的员工', qualifications: [{ kind: 'pmp' }] });
      const project = await who.post(`${base}/projects`, { name: '自己的项目' });
      expect([staff.statusCode, project.statusCode], `${staff.body} ${project.body}`).toEqual([201, 201]);
      const own: Own = { orgId, staffId: staff.json().id, projectId: project.json().id };
      if (withCertificate) {
        const cert = await who.post(`${base}/certificates`, {
          level: 'CS2',
          number: 'CS2-2026-0001',
          issuer: ISSUER,
          issuedOn: '2026-04-01',
        });
        expect(cert.statusCode, cert.body).toBe(201);
        own.certId = cert.json().id;
        own.obligationId = (await who.get(`${base}/obligations`)).json().items[0].id;
      }
      return own;
    }

    beforeAll(async () => {
      bOwn = await ownResources(fx.actors.otherOwner, fx.ids.bOrgId, true);
      limitedOwn = await ownResources(fx.actors.limited, fx.ids.org2Id, false);
    });

    type Case = [string, 'refused' | 'no-leak', 'otherOwner' | 'limited', () => Promise<LightMyRequestResponse>];
    const b = () => fx.actors.otherOwner;
    const lim = () => fx.actors.limited;
    const cases: Case[] = [
      [
        'a project with A’s file attached',
        'refused',
        'otherOwner',
        () =>
          b().post(`/api/orgs/${bOwn.orgId}/projects`, {
            name: 'x',
            files: [{ fileId: fx.ids.fileId, role: 'contract' }],
          }),
      ],
      [
        'a project managed by A’s staff member',
        'refused',
        'otherOwner',
        () => b().patch(`/api/orgs/${bOwn.orgId}/projects/${bOwn.projectId}`, { managerId: fx.ids.staffId }),
      ],
      [
        'a staff member given A’s qualification by id',
        'refused',
        'otherOwner',
        () =>
          b().patch(`/api/orgs/${bOwn.orgId}/staff/${bOwn.staffId}`, {
            qualifications: [{ id: fx.ids.qualificationId, kind: 'pmp', number: '被改写' }],
          }),
      ],
      [
        'a certificate scan that is A’s file',
        'refused',
        'otherOwner',
        () => b().patch(`/api/orgs/${bOwn.orgId}/certificates/${bOwn.certId}`, { scanFileId: fx.ids.fileId }),
      ],
      [
        'an obligation assigned to A’s owner',
        'refused',
        'otherOwner',
        () => b().patch(`/api/orgs/${bOwn.orgId}/obligations/${bOwn.obligationId}`, { assigneeId: fx.ids.ownerId }),
      ],
      [
        'A’s obligation in a bulk update',
        'refused',
        'otherOwner',
        () =>
          b().post(`/api/orgs/${bOwn.orgId}/obligations/bulk`, {
            ids: [fx.ids.obligationId],
            status: 'done',
            completedOn: '2026-11-20',
          }),
      ],
      [
        'a channel for A’s organisation',
        'refused',
        'otherOwner',
        () =>
          b().post(`/api/workspaces/${fx.ids.bWorkspaceId}/channels`, {
            type: 'webhook',
            name: 'x',
            url: 'https://example.com/hook',
            orgIds: [fx.ids.orgId],
          }),
      ],
      [
        'a member limited to A’s organisation',
        'refused',
        'otherOwner',
        () =>
          b().post(`/api/workspaces/${fx.ids.bWorkspaceId}/members`, {
            email: `cross.${next()}@example.cn`,
            name: 'x',
            role: 'viewer',
            orgIds: [fx.ids.orgId],
          }),
      ],
      [
        'a new version of A’s file',
        'refused',
        'otherOwner',
        () => {
          const { body, contentType } = multipart([
            { name: 'replacesId', value: fx.ids.fileId },
            { name: 'file', filename: 'v2.pdf', content: pdf('cross-tenant version') },
          ]);
          return b().request('POST', `/api/orgs/${bOwn.orgId}/files`, body, { 'content-type': contentType });
        },
      ],
      [
        'workspace obligations filtered by A’s organisation',
        'no-leak',
        'otherOwner',
        () =>
          b().get(
            `/api/workspaces/${fx.ids.bWorkspaceId}/obligations?orgId=${fx.ids.orgId}&certificateId=${fx.ids.certId}`,
          ),
      ],
      [
        'the dashboard of A’s organisation',
        'no-leak',
        'otherOwner',
        () => b().get(`/api/workspaces/${fx.ids.bWorkspaceId}/dashboard?orgId=${fx.ids.orgId}`),
      ],
      [
        'the timelines of A’s organisation',
        'no-leak',
        'otherOwner',
        () => b().get(`/api/workspaces/${fx.ids.bWorkspaceId}/dashboard/timelines?orgId=${fx.ids.orgId}`),
      ],
      [
        'deliveries of A’s channel',
        'no-leak',
        'otherOwner',
        () => b().get(`/api/workspaces/${fx.ids.bWorkspaceId}/deliveries?channelId=${fx.ids.channelId}`),
      ],
      [
        'the audit log of A’s organisation',
        'no-leak',
        'otherOwner',
        () => b().get(`/api/audit-log?workspaceId=${fx.ids.bWorkspaceId}&orgId=${fx.ids.orgId}&limit=500`),
      ],
      [
        'obligations of A’s certificate',
        'no-leak',
        'otherOwner',
        () => b().get(`/api/orgs/${bOwn.orgId}/obligations?certificateId=${fx.ids.certId}`),
      ],
      [
        'a project with organisation 1’s file attached',
        'refused',
        'limited',
        () =>
          lim().post(`/api/orgs/${limitedOwn.orgId}/projects`, {
            name: 'x',
            files: [{ fileId: fx.ids.fileId, role: 'contract' }],
          }),
      ],
      [
        'a staff member given organisation 1’s qualification',
        'refused',
        'limited',
        () =>
          lim().patch(`/api/orgs/${limitedOwn.orgId}/staff/${limitedOwn.staffId}`, {
            qualifications: [{ id: fx.ids.qualificationId, kind: 'pmp', number: '被改写' }],
          }),
      ],
      [
        'a project managed by organisation 1’s staff member',
        'refused',
        'limited',
        () =>
          lim().patch(`/api/orgs/${limitedOwn.orgId}/projects/${limitedOwn.projectId}`, { managerId: fx.ids.staffId }),
      ],
      [
        'organisation 1’s obligation in a bulk update',
        'refused',
        'limited',
        () =>
          lim().post(`/api/orgs/${limitedOwn.orgId}/obligations/bulk`, {
            ids: [fx.ids.obligationId],
            status: 'in_progress',
          }),
      ],
      [
        'workspace obligations filtered by organisation 1',
        'no-leak',
        'limited',
        () => lim().get(`/api/workspaces/${fx.ids.workspaceId}/obligations?orgId=${fx.ids.orgId}`),
      ],
      [
        'the dashboard of organisation 1',
        'no-leak',
        'limited',
        () => lim().get(`/api/workspaces/${fx.ids.workspaceId}/dashboard?orgId=${fx.ids.orgId}`),
      ],
      [
        'the timelines of organisation 1',
        'no-leak',
        'limited',
        () => lim().get(`/api/workspaces/${fx.ids.workspaceId}/dashboard/timelines?orgId=${fx.ids.orgId}`),
      ],
      [
        'the audit log of organisation 1',
        'no-leak',
        'limited',
        () => lim().get(`/api/audit-log?workspaceId=${fx.ids.workspaceId}&orgId=${fx.ids.orgId}&limit=500`),
      ],
    ];

    it.each(cases)('%s: %s', async (_name, expectation, caller, call) => {
      const res = await call();
      checks++;
      expect(res.statusCode, res.body).toBeLessThan(500);
      if (expectation === 'refused') {
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      } else {
        const leaked = forbiddenIds(caller).filter(([, id]) => res.body.includes(id));
        expect(
          leaked.map(([n]) => n),
          res.body.slice(0, 300),
        ).toEqual([]);
      }
    });

    it('left tenant A’s records as they were', async () => {
      const owner = fx.actors.owner;
      const staff = (await owner.get(`/api/orgs/${fx.ids.orgId}/staff/${fx.ids.staffId}`)).json();
      expect(staff.qualifications.map((q: { id: string; number: string }) => [q.id, q.number])).toEqual([
        [fx.ids.qualificationId, 'PMP-0001'],
      ]);
      const obligations = (await owner.get(`/api/orgs/${fx.ids.orgId}/obligations`)).json().items;
      expect(obligations.find((o: { id: string }) => o.id === fx.ids.obligationId).status).not.toBe('done');
      expect((await owner.get(`/api/orgs/${fx.ids.orgId}/files/${fx.ids.fileId}`)).statusCode).toBe(200);
    });
  });

  // The owner last, deletions at the end (the organisation's last of all): the same requests
  // succeed, so the refusals above had no other reason than who asked.
  const ownerOrder = [
    ...Object.keys(MATRIX).filter((k) => !k.startsWith('DELETE ')),
    ...Object.keys(MATRIX).filter((k) => k.startsWith('DELETE ') && k !== 'DELETE /api/orgs/{orgId}'),
    'DELETE /api/orgs/{orgId}',
  ];
  it.each(ownerOrder)('%s: succeeds for the owner with the same request', async (key) => {
    const op = ops.get(key);
    if (!op) return;
    const problem = await check(op, MATRIX[key]!, 'owner');
    expect(problem, key).toBeNull();
  });
});
