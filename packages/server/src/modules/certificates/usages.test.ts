import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.js';
import { renderPdf } from '../../reports/pdf.js';
import { readPdf } from '../../test/documents.js';
import {
  addMember,
  BACKENDS,
  createOrg,
  createTenant,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Client,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { pdf, uploadFile } from '../../test/multipart.js';

/** A plain PNG of one colour, as a phone photo of a certificate would be (in bytes, not in looks). */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0xdd)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The raster images a PDF holds, as WIDTHxHEIGHT (poppler's pdfimages). */
async function imagesOf(content: Buffer): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'zizhi-copy-'));
  try {
    const file = path.join(dir, 'copy.pdf');
    await writeFile(file, content);
    const { stdout } = await promisify(execFile)('pdfimages', ['-list', file]);
    return stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() && / image /.test(l))
      .map((l) => {
        const cols = l.trim().split(/\s+/);
        return `${cols[3]}x${cols[4]}`;
      });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.each(BACKENDS)('the certificate usage register (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgId: string;
  let certId: string;
  let viewer: Client;
  let manager: Client;
  const base = () => `/api/orgs/${orgId}/certificates/${certId}`;
  const use = {
    purpose: 'tender',
    recipient: '某市公共资源交易中心',
    tenderName: '智慧城市运营中心建设项目',
    tenderNumber: 'ZB-2026-118',
    date: '2026-11-20',
    approvedBy: '王总',
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgId = (await createOrg(a, CREDIT_CODES[0], '深圳市示例科技有限公司')).id;
    viewer = (await addMember(t.app, a, 'viewer')).client;
    manager = (await addMember(t.app, a, 'manager')).client;
    const cert = await a.owner.post(`/api/orgs/${orgId}/certificates`, {
      level: 'CS3',
      number: 'CS3-4403-2025-0101',
      issuer: '中国电子信息行业联合会',
      issuedOn: '2025-03-15',
    });
    expect(cert.statusCode, cert.body).toBe(201);
    certId = cert.json().id;
  });
  afterAll(() => t.close());

  it('registers a use with a number in order per year, refuses a bad one in words, and lists them a page at a time', async () => {
    expect((await viewer.post(`${base()}/usages`, use)).statusCode).toBe(403);
    expect((await b.owner.post(`${base()}/usages`, use)).statusCode).toBe(404);
    const first = await manager.post(`${base()}/usages`, use);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ registrationNo: 'SY2026-0001', purpose: 'tender', voidedAt: null });
    const second = await manager.post(`${base()}/usages`, {
      purpose: 'website',
      recipient: '公司官网',
      date: '2026-11-21',
      tenderName: '  ',
    });
    expect(second.json()).toMatchObject({ registrationNo: 'SY2026-0002', tenderName: null });
    expect((await manager.post(`${base()}/usages`, { ...use, date: '2025-12-01' })).json().registrationNo).toBe(
      'SY2025-0001',
    );

    const missing = await manager.post(`${base()}/usages`, { ...use, recipient: ' ' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('请填写接收方');
    const early = await manager.post(`${base()}/usages`, { ...use, date: '2025-01-10' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toBe('使用日期 2025-01-10 早于证书的发证日期 2025-03-15');

    const page1 = (await viewer.get(`/api/orgs/${orgId}/usages?limit=2`)).json();
    expect(page1.items.map((u: { registrationNo: string }) => u.registrationNo)).toEqual([
      'SY2025-0001',
      'SY2026-0002',
    ]);
    const page2 = (await viewer.get(`/api/orgs/${orgId}/usages?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2).toMatchObject({ items: [{ registrationNo: 'SY2026-0001' }], nextCursor: null });
    expect((await viewer.get(`/api/orgs/${orgId}/usages?cursor=abc`)).statusCode).toBe(400);
    expect((await b.owner.get(`/api/orgs/${orgId}/usages`)).statusCode).toBe(404);

    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, 'usage.registered')));
    expect(audit).toHaveLength(3);
  });

  it('gives two registrations at once two numbers', async () => {
    const both = await Promise.all([
      manager.post(`${base()}/usages`, { ...use, date: '2026-11-25' }),
      a.owner.post(`${base()}/usages`, { ...use, date: '2026-11-25' }),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(both.map((r) => r.json().registrationNo).sort()).toEqual(['SY2026-0003', 'SY2026-0004']);
  });

  it('stamps a copy of a PDF scan and of an image scan with the purpose, the number and the QR code', async () => {
    const list = (await viewer.get(`/api/orgs/${orgId}/usages?certificateId=${certId}`)).json().items;
    const usage = list.find((u: { registrationNo: string }) => u.registrationNo === 'SY2026-0001');
    const copyUrl = `${base()}/usages/${usage.id}/copy.pdf`;
    const noScan = await manager.get(copyUrl);
    expect(noScan.statusCode).toBe(409);
    expect(noScan.json().error.message).toContain('证书还没有扫描件');

    // A PDF without a page: the copy says the scan cannot be read.
    const empty = await uploadFile(a.owner, orgId, { filename: '空白.pdf', content: pdf('no pages') });
    expect((await a.owner.patch(base(), { scanFileId: empty.json().id })).statusCode).toBe(200);
    const unreadable = await manager.get(copyUrl);
    expect(unreadable.statusCode).toBe(409);
    expect(unreadable.json().error.message).toContain('证书扫描件无法读取');

    const { pdf: scanPdf } = await renderPdf({
      title: '资质证书',
      cover: {
        title: '信息系统建设和服务能力等级证书',
        lines: [['证书编号', 'CS3-4403-2025-0101']],
        date: '2025-03-15',
      },
      blocks: [],
    });
    for (const [filename, content] of [
      ['证书扫描件.pdf', scanPdf],
      ['证书照片.png', png(300, 420)],
    ] as const) {
      const uploaded = await uploadFile(a.owner, orgId, { filename, content });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      expect((await a.owner.patch(base(), { scanFileId: uploaded.json().id, public: true })).statusCode).toBe(200);
      expect((await viewer.get(copyUrl)).statusCode).toBe(403);
      expect((await b.owner.get(copyUrl)).statusCode).toBe(404);
      const copy = await manager.get(copyUrl);
      expect(copy.statusCode, copy.body.slice(0, 200)).toBe(200);
      expect(copy.headers['content-type']).toBe('application/pdf');
      expect(copy.headers['content-disposition']).toContain(
        encodeURIComponent('CS3-4403-2025-0101-副本-SY2026-0001.pdf'),
      );
      const read = await readPdf(copy.rawPayload);
      const text = read.text.replace(/[ \t]+/g, ' ');
      expect(read.pages).toBe(1);
      expect(text).toContain('仅供“智慧城市运营中心建设项目”投标使用，他用无效');
      expect(text).toContain('提供给：某市公共资源交易中心 · 项目编号：ZB-2026-118');
      expect(text).toContain('使用日期 2026-11-20 · 登记号 SY2026-0001');
      expect(text).toContain('扫描二维码或访问以下地址，核验证书的当前状态：');
      expect(text).toMatch(/http:\/\/localhost(:\d+)?\/verify\/[\w-]+/);
      if (filename.endsWith('.pdf')) expect(text).toContain('信息系统建设和服务能力等级证书');
      // The photo is on the page, under the watermark: one raster image of its size.
      else expect(await imagesOf(copy.rawPayload)).toEqual(['300x420']);
      expect(read.fonts.every((f) => f.embedded)).toBe(true);
    }
  });

  it('refuses a use while the certificate is suspended, and a copy of a void use', async () => {
    const suspended = await a.owner.post(`${base()}/transitions`, {
      to: 'suspended',
      on: '2026-11-26',
      reason: '监督评估未通过，整改期',
    });
    expect(suspended.statusCode, suspended.body).toBe(201);
    const refused = await manager.post(`${base()}/usages`, { ...use, date: '2026-11-27' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/^证书在 2026-11-27 处于“暂停使用（整改期）”状态（.+），不能使用$/);
    // A use before the suspension is still registered: it happened while the certificate could be used.
    expect((await manager.post(`${base()}/usages`, { ...use, date: '2026-11-25' })).statusCode).toBe(201);
    const list = (await viewer.get(`/api/orgs/${orgId}/usages`)).json().items;
    const copy = await manager.get(`${base()}/usages/${list[0].id}/copy.pdf`);
    expect(copy.statusCode).toBe(409);
    expect(copy.json().error.message).toMatch(/不能使用，不提供副本$/);

    const target = list[1];
    const noReason = await manager.post(`${base()}/usages/${target.id}/void`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const voided = await manager.post(`${base()}/usages/${target.id}/void`, { reason: '登记错了项目' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({ voidReason: '登记错了项目' });
    expect((await manager.post(`${base()}/usages/${target.id}/void`, { reason: '再来一次' })).statusCode).toBe(409);
    expect((await manager.get(`${base()}/usages/${target.id}/copy.pdf`)).json().error.message).toContain('已作废');
  });

  it('exports the register as a workbook, void uses marked', async () => {
    const res = await viewer.get(`/api/orgs/${orgId}/usages.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(
      encodeURIComponent('深圳市示例科技有限公司-证书使用登记.xlsx'),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = book.getWorksheet('证书使用登记')!;
    const rows = ws
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(1).map((v) => (typeof v === 'string' ? v : '')));
    expect(rows).toHaveLength(6);
    expect(rows[0]!.slice(0, 8)).toEqual([
      'SY2025-0001',
      'CS3-4403-2025-0101',
      '2025-12-01',
      '投标',
      '某市公共资源交易中心',
      '智慧城市运营中心建设项目',
      'ZB-2026-118',
      '王总',
    ]);
    expect(rows.filter((r) => r[10]!.startsWith('已作废：'))).toHaveLength(1);
    expect((await b.owner.get(`/api/orgs/${orgId}/usages.xlsx`)).statusCode).toBe(404);
  });
});
