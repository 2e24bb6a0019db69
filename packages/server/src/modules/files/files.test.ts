import http from 'node:http';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig, type Config } from '../../config/index.js';
import { LocalBlobStore } from '../../storage/index.js';
import {
  addMember,
  BACKENDS,
  createOrg,
  createTenant,
  createTestDatabase,
  CREDIT_CODES,
  setupAdmin,
  type Client,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { multipart, pdf, uploadFile } from '../../test/multipart.js';
import { contentDisposition, detectAcceptedType, sanitizeFileName } from '../../http/content.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

const upload = (who: Client, orgId: string, file: { filename: string; content: Buffer }, fields = {}) =>
  uploadFile(who, orgId, file, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])));

/** The blobs stored under the files folder (temporary files excluded). */
async function blobsOnDisk(filesDir: string): Promise<string[]> {
  const entries = await readdir(filesDir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => /^[0-9a-f]{2}[/\\][0-9a-f]{64}$/.test(e)).sort();
}

/** The name a client saves a download under: `filename*` decoded (RFC 5987). */
function savedName(disposition: string): string {
  const match = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  if (!match) throw new Error(`no filename* in ${disposition}`);
  return decodeURIComponent(match[1]!);
}

describe('file names and types', () => {
  const pdfType = { ext: 'pdf', mime: 'application/pdf', extensions: ['pdf'] };

  it.each([
    ['../../etc/passwd', 'passwd.pdf'],
    ['C:\\x\\合同.pdf', '合同.pdf'],
    ['..\\..\\.bashrc', 'bashrc.pdf'],
    ['...隐藏.pdf', '隐藏.pdf'],
    ['发票\u0000\u0007\r\n2024.PDF', '发票2024.PDF'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe.pdf'],
    ['报告.html', '报告.html.pdf'],
    ['a<b>:c|d?.pdf', 'a_b__c_d_.pdf'],
    ['CON.pdf', '_CON.pdf'],
    ['', '文件.pdf'],
    ['...', '文件.pdf'],
  ])('neutralises %j as %j', (raw, safe) => {
    expect(sanitizeFileName(raw, pdfType)).toBe(safe);
  });

  it('limits long names to 150 characters, keeping Chinese characters whole and the extension', () => {
    const name = sanitizeFileName(`${'资质证书𠀀'.repeat(60)}.pdf`, pdfType);
    expect(Array.from(name)).toHaveLength(150);
    expect(name.endsWith('.pdf')).toBe(true);
    expect(name.startsWith('资质证书𠀀')).toBe(true);
  });

  it('writes Content-Disposition with an ASCII fallback and the UTF-8 name', () => {
    const header = contentDisposition("合同 (2024) 'final'.pdf");
    expect(header).toBe(
      `attachment; filename="_ (2024) 'final'.pdf"; filename*=UTF-8''%E5%90%88%E5%90%8C%20%282024%29%20%27final%27.pdf`,
    );
    expect(savedName(header)).toBe("合同 (2024) 'final'.pdf");
    expect(contentDisposition('资质.pdf')).toContain('filename="file.pdf"');
  });

  it('accepts legacy Office compound files and refuses executables by content', async () => {
    const cfb = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    await expect(detectAcceptedType(cfb)).resolves.toMatchObject({ ext: 'cfb' });
    const exe = Buffer.alloc(1024);
    exe.write('MZ');
    await expect(detectAcceptedType(exe)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});

describe.each(BACKENDS)('files (%s)', (backend) => {
  let t: TestApp;
  let config: Config;
  let dataDir: string;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let orgB: { id: string };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-files-'));
    // A 1 MB limit so the over-limit case stays small.
    config = loadConfig({}, { dataDir, logLevel: 'silent', maxUploadMb: 1 });
    const database = await createTestDatabase(backend);
    const app = await buildApp({ database, config, logger: false });
    t = {
      app,
      database,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0]);
    orgB = await createOrg(b, CREDIT_CODES[1]);
  });
  afterAll(async () => {
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const list = async (orgId = orgA.id) => (await a.owner.get(`/api/orgs/${orgId}/files`)).json().items;

  it('uploads a PDF with a Chinese name and downloads the same bytes under that name', async () => {
    const content = pdf('round trip');
    const name = '资质证书（CS3）扫描件 2025.pdf';
    const res = await upload(
      a.owner,
      orgA.id,
      { filename: name, content },
      {
        effectiveOn: '2025-03-15',
        validUntil: '2029-03-14',
      },
    );
    expect(res.statusCode).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({
      name,
      size: content.length,
      contentType: 'application/pdf',
      effectiveOn: '2025-03-15',
      validUntil: '2029-03-14',
      replacesId: null,
    });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await list())[0]).toEqual(file);

    const down = await a.owner.get(`/api/orgs/${orgA.id}/files/${file.id}`);
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(content)).toBe(true);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(Number(down.headers['content-length'])).toBe(content.length);
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    const disposition = String(down.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(savedName(disposition)).toBe(name);

    const audit = await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&action=file.uploaded`);
    expect(audit.json().items[0]).toMatchObject({
      targetId: file.id,
      orgId: orgA.id,
      actor: { id: a.ownerId },
      summary: { after: { name, sha256: file.sha256, size: content.length } },
    });
  });

  it('stores identical content once and records a new version that names the one it replaces', async () => {
    const content = pdf('same bytes twice');
    const before = await blobsOnDisk(config.filesDir);
    const first = (await upload(a.owner, orgA.id, { filename: '营业执照.pdf', content })).json();
    const second = await upload(
      a.owner,
      orgA.id,
      { filename: '营业执照（新）.pdf', content },
      { replacesId: first.id },
    );
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ sha256: first.sha256, replacesId: first.id, name: '营业执照（新）.pdf' });
    expect(second.json().id).not.toBe(first.id);
    const after = await blobsOnDisk(config.filesDir);
    expect(after.length - before.length).toBe(1);
    expect(after.filter((e) => e.endsWith(first.sha256))).toHaveLength(1);
    expect((await list()).slice(0, 2).map((f: { id: string }) => f.id)).toEqual([second.json().id, first.id]);
    expect(await readdir(path.join(config.filesDir, 'tmp'))).toEqual([]);
  });

  it('refuses an .exe renamed .pdf (415, naming the accepted types) and stores nothing', async () => {
    const exe = Buffer.alloc(4096);
    exe.write('MZ\x90\x00\x03', 'latin1');
    const [rows, blobs] = [await list(), await blobsOnDisk(config.filesDir)];
    const res = await upload(a.owner, orgA.id, { filename: '合同.pdf', content: exe });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.json().error.message).toContain('exe');
    expect(res.json().error.message).toContain('PDF');
    expect(await list()).toEqual(rows);
    expect(await blobsOnDisk(config.filesDir)).toEqual(blobs);
  });

  it('cuts off an upload over the configured limit with 413 and keeps no row and no blob', async () => {
    const big = Buffer.concat([pdf('too big'), Buffer.alloc(1024 * 1024, 0x20)]);
    const [rows, blobs] = [await list(), await blobsOnDisk(config.filesDir)];
    const res = await upload(a.owner, orgA.id, { filename: '大文件.pdf', content: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(res.json().error.message).toContain('1 MB');
    expect(await list()).toEqual(rows);
    expect(await blobsOnDisk(config.filesDir)).toEqual(blobs);
    expect(await readdir(path.join(config.filesDir, 'tmp'))).toEqual([]);
  });

  it('stops a streamed upload over the limit over real HTTP (413) without storing it', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const auth = a.owner.auth as { cookie: string; csrf: string };
    const boundary = 'zizhiStreamBoundary';
    const [rows, blobs] = [await list(), await blobsOnDisk(config.filesDir)];
    const res = await new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
      const req = http.request(`${address}/api/orgs/${orgA.id}/files`, {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          cookie: auth.cookie,
          'x-csrf-token': auth.csrf,
        },
      });
      req.on('response', (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (body += c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body, connection: r.headers.connection }));
      });
      req.on('error', reject);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="大.pdf"\r\n\r\n`);
      req.write(pdf('streamed'));
      // 3 MB in 64 KB chunks, then the closing boundary; the server may answer before the end.
      let sent = 0;
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const more = () => {
        while (sent < 3 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', more);
        }
        req.end(`\r\n--${boundary}--\r\n`);
      };
      more();
    });
    expect(res.status).toBe(413);
    expect(res.connection).toBe('close');
    expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await list()).toEqual(rows);
    expect(await blobsOnDisk(config.filesDir)).toEqual(blobs);
    expect(await readdir(path.join(config.filesDir, 'tmp'))).toEqual([]);
  });

  it.each([
    ['../../etc/passwd', 'passwd.pdf'],
    ['C:\\x\\合同.pdf', '合同.pdf'],
    ['.\u202Eexe.pdf', 'exe.pdf'],
  ])('neutralises the path-like name %j', async (filename, safe) => {
    const res = await upload(a.owner, orgA.id, { filename, content: pdf(filename) });
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toBe(safe);
    const down = await a.owner.get(`/api/orgs/${orgA.id}/files/${res.json().id}`);
    expect(savedName(String(down.headers['content-disposition']))).toBe(safe);
  });

  it('names a file by its content type when the name does not say it', async () => {
    const res = await upload(a.owner, orgA.id, { filename: '现场照片', content: PNG });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '现场照片.png', contentType: 'image/png' });
  });

  it('rejects bad fields, a missing file and an empty file with 400 naming the field', async () => {
    const bad = await upload(a.owner, orgA.id, { filename: 'x.pdf', content: pdf('x') }, { effectiveOn: '2025-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('effectiveOn');
    const order = await upload(
      a.owner,
      orgA.id,
      { filename: 'x.pdf', content: pdf('x') },
      { effectiveOn: '2025-03-15', validUntil: '2025-03-14' },
    );
    expect(order.json().error.field).toBe('validUntil');
    const unknown = await upload(a.owner, orgA.id, { filename: 'x.pdf', content: pdf('x') }, { colour: 'red' });
    expect(unknown.json().error.field).toBe('colour');
    const replaces = await upload(
      a.owner,
      orgA.id,
      { filename: 'x.pdf', content: pdf('x') },
      { replacesId: '00000000-0000-4000-8000-000000000000' },
    );
    expect(replaces.json().error.field).toBe('replacesId');
    const { body, contentType } = multipart([{ name: 'effectiveOn', value: '2025-03-15' }]);
    const none = await a.owner.request('POST', `/api/orgs/${orgA.id}/files`, body, { 'content-type': contentType });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.field).toBe('file');
    const empty = await upload(a.owner, orgA.id, { filename: 'x.pdf', content: Buffer.alloc(0) });
    expect(empty.statusCode).toBe(400);
    const json = await a.owner.post(`/api/orgs/${orgA.id}/files`, { file: 'x' });
    expect(json.statusCode).toBe(415);
  });

  it('refuses to serve a blob whose bytes no longer match their hash, with a clear error', async () => {
    const content = pdf('will be tampered');
    const file = (await upload(a.owner, orgA.id, { filename: '审计报告.pdf', content })).json();
    const blobPath = new LocalBlobStore(config.filesDir).pathOf(file.sha256);
    await chmod(blobPath, 0o644);
    await writeFile(blobPath, Buffer.from(content.toString('latin1').replace('tampered', 'TAMPERED'), 'latin1'));
    const res = await a.owner.get(`/api/orgs/${orgA.id}/files/${file.id}`);
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.json().error.code).toBe('INTERNAL');
    expect(res.json().error.message).toContain('文件已损坏（校验值不符）');
    expect(res.body).not.toContain('%PDF');
  });

  it('returns 404 for another workspace on every route and stores nothing for it', async () => {
    const file = (await upload(a.owner, orgA.id, { filename: '私密.pdf', content: pdf('A only') })).json();
    const blobs = await blobsOnDisk(config.filesDir);
    const up = await upload(b.owner, orgA.id, { filename: 'b.pdf', content: pdf('from B') });
    expect(up.statusCode).toBe(404);
    expect((await b.owner.get(`/api/orgs/${orgA.id}/files`)).statusCode).toBe(404);
    expect((await b.owner.get(`/api/orgs/${orgA.id}/files/${file.id}`)).statusCode).toBe(404);
    // Through B's own organisation, A's file id is still unknown.
    expect((await b.owner.get(`/api/orgs/${orgB.id}/files/${file.id}`)).statusCode).toBe(404);
    expect((await b.owner.get(`/api/orgs/${orgB.id}/files`)).json().items).toEqual([]);
    const replaces = await upload(
      b.owner,
      orgB.id,
      { filename: 'b.pdf', content: pdf('A only') },
      { replacesId: file.id },
    );
    expect(replaces.statusCode).toBe(400);
    expect(await blobsOnDisk(config.filesDir)).toEqual(blobs);
  });

  it('returns 404 to a member limited to another organisation of the workspace', async () => {
    const other = await createOrg(a, CREDIT_CODES[2], '另一家子公司');
    const limited = await addMember(t.app, a, 'contributor', [other.id]);
    expect((await upload(limited.client, orgA.id, { filename: 'x.pdf', content: pdf('limited') })).statusCode).toBe(
      404,
    );
    expect((await limited.client.get(`/api/orgs/${orgA.id}/files`)).statusCode).toBe(404);
    expect((await upload(limited.client, other.id, { filename: 'x.pdf', content: pdf('limited') })).statusCode).toBe(
      201,
    );
  });

  it('lets a viewer list and download but refuses their upload with 403, storing nothing', async () => {
    const viewer = (await addMember(t.app, a, 'viewer')).client;
    const [rows, blobs] = [await list(), await blobsOnDisk(config.filesDir)];
    const res = await upload(viewer, orgA.id, { filename: '查看者.pdf', content: pdf('viewer') });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await list()).toEqual(rows);
    expect(await blobsOnDisk(config.filesDir)).toEqual(blobs);
    const items = (await viewer.get(`/api/orgs/${orgA.id}/files`)).json().items;
    expect(items.length).toBe(rows.length);
    const readable = items.find((f: { name: string }) => f.name === '营业执照.pdf');
    expect((await viewer.get(`/api/orgs/${orgA.id}/files/${readable.id}`)).statusCode).toBe(200);
  });

  it('uploads with an API token (no CSRF needed) as the same user', async () => {
    const token = (await a.owner.post('/api/tokens', { name: '扫描仪' })).json().token;
    const { body, contentType } = multipart([{ name: 'file', filename: 'scan.pdf', content: pdf('token') }]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgA.id}/files`,
      payload: body,
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
});
