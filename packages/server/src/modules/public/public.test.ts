import os from 'node:os';
import { addCalendarDays, defaultExpiry } from '@zizhi/core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { certificates } from '../../db/schema.js';
import { withSystem } from '../../db/tenancy.js';
import { chinaToday } from '../../clock.js';
import { BACKENDS, createTestApp, CREDIT_CODES, setupAdmin, type Tenant, type TestApp } from '../../test/harness.js';
import { createCertificate } from '../../test/factories.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.each(BACKENDS)('public verification (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let publicId: string;
  // Issued a month ago: active today, whatever today is.
  const issuedOn = addCalendarDays(chinaToday(), -30);
  const org = {
    name: '示例<科技>&"公司"',
    creditCode: CREDIT_CODES[0]!,
    address: '深圳市南山区科技园保密路 1 号',
    legalRepresentative: '张保密',
  };
  const get = (url: string) => t.app.inject({ method: 'GET', url });

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
    await createCertificate(db, { orgId, level: 'CS4', number: 'CS4-2026-0001', issuedOn, isPublic: false });
    await createCertificate(db, {
      orgId,
      level: 'CS2',
      number: 'CS2-2015-0009',
      issuedOn: '2015-05-04',
      isPublic: true,
    });
  });
  afterAll(() => t.close());

  it('returns only the published fields as JSON, matching the number in any case', async () => {
    const res = await get('/api/public/certificates/cs3-2026-0042');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      company: org.name,
      level: 'CS3',
      levelName: '良好级',
      number: 'CS3-2026-0042',
      issuer: '中国电子信息行业联合会',
      issuedOn,
      expiresOn: defaultExpiry(issuedOn),
      state: 'active',
      stateLabel: '有效',
    });
    expect(res.body).not.toContain(org.creditCode);
    expect(res.body).not.toContain(org.address);
  });

  it('gives the same 404 for an unpublished and an unknown number on every public route', async () => {
    for (const number of ['CS4-2026-0001', 'NO-SUCH-0001']) {
      const api = await get(`/api/public/certificates/${number}`);
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('NOT_FOUND');
      const page = await get(`/verify/${number}`);
      expect(page.statusCode).toBe(404);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('未找到证书');
      expect(page.body).not.toContain(number);
      expect((await get(`/badge/${number}.svg`)).statusCode).toBe(404);
      expect((await get(`/qr/${number}.png`)).statusCode).toBe(404);
    }
  });

  it('renders a self-contained zh-CN page with the published fields only, escaped', async () => {
    const res = await get('/verify/CS3-2026-0042');
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

  it('serves an embeddable SVG badge coloured by state', async () => {
    const res = await get('/badge/CS3-2026-0042.svg');
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

    const expired = (await get('/badge/cs2-2015-0009.svg')).body;
    expect(expired).toContain('>已过期</text>');
    expect(expired).toContain('fill="#d9363e"');

    await withSystem(t.database.db, (tx) =>
      tx.update(certificates).set({ state: 'suspended' }).where(eq(certificates.id, publicId)),
    );
    try {
      const suspended = (await get('/badge/CS3-2026-0042.svg')).body;
      expect(suspended).toContain('>暂停使用（整改期）</text>');
      expect(suspended).toContain('fill="#e67e22"');
      expect((await get('/api/public/certificates/CS3-2026-0042')).json().state).toBe('suspended');
    } finally {
      await withSystem(t.database.db, (tx) =>
        tx.update(certificates).set({ state: 'active' }).where(eq(certificates.id, publicId)),
      );
    }
  });

  it('serves a PNG QR code of the verification page', async () => {
    const res = await get('/qr/CS3-2026-0042.png');
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
        get('/qr/CS3-2026-0042.png'),
        app.inject({ method: 'GET', url: '/qr/CS3-2026-0042.png' }),
      ]);
      expect(configured.statusCode).toBe(200);
      // Different content encoded, so a different image.
      expect(configured.rawPayload.equals(local.rawPayload)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
