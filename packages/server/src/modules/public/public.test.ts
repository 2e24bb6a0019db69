import os from 'node:os';
import { addCalendarDays, defaultExpiry } from '@zizhi/core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config/index.js';
import { certificates } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { chinaToday } from '../../clock.js';
import {
  BACKENDS,
  createOrg,
  createTenant,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { createCertificate } from '../../test/factories.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.each(BACKENDS)('public verification (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let publicId: string;
  let slug: string;
  let expiredSlug: string;
  let hiddenSlug: string;
  let b: Tenant;
  // Issued a month ago: active today, whatever today is.
  const issuedOn = addCalendarDays(chinaToday(), -30);
  const org = {
    name: '示例<科技>&"公司"',
    creditCode: CREDIT_CODES[0]!,
    address: '深圳市南山区科技园保密路 1 号',
    legalRepresentative: '张保密',
  };
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const slugOf = async (id: string) => {
    const [row] = await withSystem(t.database.db, (tx) =>
      tx.select({ slug: certificates.publicSlug }).from(certificates).where(eq(certificates.id, id)),
    );
    return row!.slug;
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    const res = await a.owner.post('/api/orgs', { workspaceId: a.workspaceId, ...org });
    const orgId = res.json().id;
    const { db } = t.database;
    publicId = await createCertificate(db, {
      orgId,
      level: 'CS3',
      number: 'CS3-2026-0042',
      issuer: '中国电子信息行业联合会',
      issuedOn,
      isPublic: true,
    });
    const hiddenId = await createCertificate(db, {
      orgId,
      level: 'CS4',
      number: 'CS4-2026-0001',
      issuedOn,
      isPublic: false,
    });
    const expiredId = await createCertificate(db, {
      orgId,
      level: 'CS2',
      number: 'CS2-2015-0009',
      issuedOn: '2015-05-04',
      isPublic: true,
    });
    slug = await slugOf(publicId);
    expiredSlug = await slugOf(expiredId);
    hiddenSlug = await slugOf(hiddenId);
    b = await createTenant(t.app, a.owner, '咨询机构');
  });
  afterAll(() => t.close());

  it("returns only the published fields as JSON, by the certificate's slug", async () => {
    expect(slug).toMatch(/^[0-9a-f]{32}$/);
    const res = await get(`/api/public/certificates/${slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      company: org.name,
      level: 'CS3',
      levelName: '良好级',
      number: 'CS3-2026-0042',
      issuer: '中国电子信息行业联合会',
      issuedOn,
      expiresOn: defaultExpiry(issuedOn),
      expiresOnConfirmed: true,
      state: 'active',
      stateLabel: '有效',
    });
    expect(res.body).not.toContain(org.creditCode);
    expect(res.body).not.toContain(org.address);
  });

  it('shows the public path in the certificate JSON only while it is public', async () => {
    const orgId = (await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`)).json().items[0].id;
    const pub = await a.owner.get(`/api/orgs/${orgId}/certificates/${publicId}`);
    expect(pub.json().publicUrl).toBe(`/verify/${slug}`);
    const list = (await a.owner.get(`/api/orgs/${orgId}/certificates`)).json().items as Array<{
      number: string;
      publicUrl: string | null;
    }>;
    expect(list.find((c) => c.number === 'CS4-2026-0001')!.publicUrl).toBeNull();
  });

  it('gives the same 404 for an unpublished slug, an unknown slug and a number on every public route', async () => {
    for (const key of [hiddenSlug, '0123456789abcdef0123456789abcdef', 'CS4-2026-0001', 'NO-SUCH-0001']) {
      const api = await get(`/api/public/certificates/${key}`);
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('NOT_FOUND');
      const page = await get(`/verify/${key}`);
      expect(page.statusCode).toBe(404);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('未找到证书');
      expect(page.body).not.toContain(key);
      expect((await get(`/badge/${key}.svg`)).statusCode).toBe(404);
      expect((await get(`/qr/${key}.png`)).statusCode).toBe(404);
    }
    // The number of a published certificate is no key to its data either, only to a redirect.
    expect((await get('/api/public/certificates/CS3-2026-0042')).statusCode).toBe(404);
    expect((await get('/badge/CS3-2026-0042.svg')).statusCode).toBe(404);
  });

  it('lets two workspaces publish the same number, and old number links redirect only while it is unique', async () => {
    const old = await get('/verify/cs3-2026-0042');
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(`/verify/${slug}`);

    // Another workspace tracks (or squats) the same number: no 409 for anyone, two separate pages.
    const orgB = await createOrg(b, CREDIT_CODES[1], '另一家企业');
    const created = await b.owner.post(`/api/orgs/${orgB.id}/certificates`, {
      level: 'CS3',
      number: 'CS3-2026-0042',
      issuer: '某评估机构',
      issuedOn,
      public: true,
    });
    expect(created.statusCode).toBe(201);
    const otherPath = created.json().publicUrl as string;
    expect(otherPath).toMatch(/^\/verify\/[0-9a-f]{32}$/);
    expect(otherPath).not.toBe(`/verify/${slug}`);
    expect((await get(otherPath)).body).toContain('另一家企业');
    expect((await get(`/verify/${slug}`)).body).toContain('示例&#60;科技&#62;');
    // Now the number alone cannot say whose page it is.
    const ambiguous = await get('/verify/CS3-2026-0042');
    expect(ambiguous.statusCode).toBe(404);
    await b.owner.patch(`/api/orgs/${orgB.id}/certificates/${created.json().id}`, { public: false });
    expect((await get(otherPath)).statusCode).toBe(404);
  });

  it('renders a self-contained zh-CN page with the published fields only, escaped', async () => {
    const res = await get(`/verify/${slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('示例&#60;科技&#62;&#38;&#34;公司&#34;');
    expect(html).not.toContain(org.name);
    for (const text of ['CS3 良好级', 'CS3-2026-0042', '中国电子信息行业联合会', issuedOn, '有效']) {
      expect(html).toContain(text);
    }
    for (const secret of [org.creditCode, org.address, org.legalRepresentative, 'CS4-2026-0001', publicId]) {
      expect(html).not.toContain(secret);
    }
    expect(html).not.toMatch(/<script|src=|href=/i);
    const csp = String(res.headers['content-security-policy']);
    expect(
      csp
        .split(';')
        .find((d) => d.trim().startsWith('script-src'))
        ?.trim(),
    ).toBe("script-src 'self'");
  });

  it('publishes recorded states only, never one inferred from missing records', async () => {
    // A CS3 certificate issued 2025-03-15 whose first supervision was not recorded: the holder gets
    // an alert that it may be deemed abandoned; its state, and what the public sees, stays as recorded.
    const orgId = (await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`)).json().items[0].id;
    const id = await createCertificate(t.database.db, {
      orgId,
      level: 'CS3',
      number: 'CS3-2025-0315',
      issuedOn: '2025-03-15',
      isPublic: true,
    });
    const inside = (await a.owner.get(`/api/orgs/${orgId}/certificates/${id}`)).json();
    expect(inside.state).toBe('active');
    expect(inside.alerts.map((x: { possibleState: string }) => x.possibleState)).toEqual(['abandoned']);
    const s = await slugOf(id);
    const pub = (await get(`/api/public/certificates/${s}`)).json();
    expect(pub.state).toBe('active');
    expect(pub.stateLabel).toBe('有效');
    expect((await get(`/verify/${s}`)).body).not.toContain('放弃');
    expect((await get(`/badge/${s}.svg`)).body).toContain('有效至');
  });

  it('labels an expiry that was proposed, not entered from the certificate', async () => {
    const orgId = (await a.owner.get(`/api/orgs?workspaceId=${a.workspaceId}`)).json().items[0].id;
    const id = await createCertificate(t.database.db, {
      orgId,
      level: 'CS2',
      number: 'CS2-2025-0001',
      issuedOn,
      isPublic: true,
      expiresOnProposed: true,
    });
    const s = await slugOf(id);
    const pub = (await get(`/api/public/certificates/${s}`)).json();
    expect(pub.expiresOnConfirmed).toBe(false);
    expect((await get(`/verify/${s}`)).body).toContain('按发证日期推算，未经核对');
    expect((await get(`/badge/${s}.svg`)).body).toContain('（推算）');
  });

  it('serves an embeddable SVG badge coloured by state', async () => {
    const res = await get(`/badge/${slug}.svg`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const svg = res.body;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('>CS3 良好级</text>');
    expect(svg).toContain(`>有效至 ${defaultExpiry(issuedOn)}</text>`);
    expect(svg).toContain('fill="#3c9a3c"');
    expect(svg).toContain('示例&#60;科技&#62;');
    expect(svg).not.toContain('<科技>');

    const expired = (await get(`/badge/${expiredSlug}.svg`)).body;
    expect(expired).toContain('>已过期</text>');
    expect(expired).toContain('fill="#d9363e"');

    await withSystem(t.database.db, (tx) =>
      tx.update(certificates).set({ state: 'suspended' }).where(eq(certificates.id, publicId)),
    );
    try {
      const suspended = (await get(`/badge/${slug}.svg`)).body;
      expect(suspended).toContain('>暂停使用（整改期）</text>');
      expect(suspended).toContain('fill="#e67e22"');
      expect((await get(`/api/public/certificates/${slug}`)).json().state).toBe('suspended');
    } finally {
      await withSystem(t.database.db, (tx) =>
        tx.update(certificates).set({ state: 'active' }).where(eq(certificates.id, publicId)),
      );
    }
  });

  it('serves a PNG QR code of the verification page', async () => {
    const res = await get(`/qr/${slug}.png`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const png = res.rawPayload;
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR: width and height at bytes 16–23.
    expect(png.readUInt32BE(16)).toBe(300);
    expect(png.readUInt32BE(20)).toBe(300);
  });

  it('encodes the configured public URL in the QR code when there is one', async () => {
    const config = loadConfig({}, { dataDir: os.tmpdir(), logLevel: 'silent', publicUrl: 'https://zizhi.example.cn/' });
    const app = await buildApp({ database: t.database, config, logger: false });
    try {
      const [local, configured] = await Promise.all([
        get(`/qr/${slug}.png`),
        app.inject({ method: 'GET', url: `/qr/${slug}.png` }),
      ]);
      expect(configured.statusCode).toBe(200);
      // Different content encoded, so a different image.
      expect(configured.rawPayload.equals(local.rawPayload)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
