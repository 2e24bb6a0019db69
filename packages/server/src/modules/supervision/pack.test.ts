import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { readDocx } from '../../test/documents.js';
import { pdf, uploadFile } from '../../test/multipart.js';

const run = promisify(execFile);

/** Windows refuses these in a name, and names that end in a dot or a space. */
const WINDOWS_BAD = /[<>:"\\|?*\p{Cc}]|[. ]$|^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/iu;

describe.each(BACKENDS)('the supervision pack (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string };
  let cert: string;
  let certCs2: string;
  let dir: string;
  const uploaded: Record<string, { id: string; sha256: string }> = {};

  const upload = async (key: string, filename: string, fields: Record<string, string> = {}) => {
    const res = await uploadFile(
      a.owner,
      orgA.id,
      { filename, content: pdf(`${key} ${backend} ${Math.random()}`) },
      fields,
    );
    expect(res.statusCode, res.body).toBe(201);
    uploaded[key] = res.json();
    return uploaded[key].id;
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0], '深圳市示例科技有限公司');
    cert = await createCertificate(t.database.db, {
      orgId: orgA.id,
      level: 'CS3',
      number: 'CS3-PACK-1',
      issuedOn: '2025-09-01',
    });
    certCs2 = await createCertificate(t.database.db, {
      orgId: orgA.id,
      level: 'CS2',
      number: 'CS2-PACK-2',
      issuedOn: '2025-09-01',
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-pack-'));
    const base = `/api/orgs/${orgA.id}`;
    const projects = [
      // A slash and a colon in a record's name must not become a folder or a bad name on Windows.
      {
        name: '智慧园区/二期: 平台',
        files: [
          ['contractA', 'contract.pdf', 'contract'],
          ['acceptA', '验收报告.pdf', 'acceptance-report'],
        ],
      },
      { name: '政务云', files: [['contractB', 'contract.pdf', 'contract']] },
      { name: '政务云', files: [['contractC', 'contract.pdf', 'contract']] },
    ] as const;
    for (const p of projects) {
      const files = [];
      for (const [key, filename, role] of p.files) files.push({ fileId: await upload(key, filename), role });
      const res = await a.owner.post(`${base}/projects`, {
        name: p.name,
        status: 'accepted',
        acceptedOn: '2026-03-01',
        files,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const staff = await a.owner.post(`${base}/staff`, {
      name: '张三',
      files: [
        { fileId: await upload('qualification', 'PMP.pdf'), role: 'qualification' },
        { fileId: await upload('idCard', '身份证.pdf'), role: 'id-card' },
      ],
    });
    expect(staff.statusCode, staff.body).toBe(201);
    const iso = await a.owner.post(`${base}/management-certificates`, {
      kind: 'iso27001',
      number: 'ISMS-0001',
      issuedOn: '2022-01-01',
      expiresOn: '2025-12-31',
      files: [{ fileId: await upload('iso', 'ISO27001.pdf'), role: 'certificate' }],
    });
    expect(iso.statusCode, iso.body).toBe(201);
    // A replaced file: only the new version is packed.
    const oldAudit = await upload('auditOld', '2025审计报告.pdf');
    await upload('audit', '2025审计报告-更正.pdf', { replacesId: oldAudit });
    const year = await a.owner.post(`${base}/financial-years`, {
      year: 2025,
      revenue: '12500000',
      files: [
        { fileId: oldAudit, role: 'audit-report' },
        { fileId: uploaded.audit!.id, role: 'audit-report' },
      ],
    });
    expect(year.statusCode, year.body).toBe(201);
    // A file whose bytes were lost from the store is listed, not skipped silently.
    const lost = await upload('lost', '用户反馈.pdf');
    const feedback = await a.owner.post(`${base}/projects`, {
      name: '反馈项目',
      files: [{ fileId: lost, role: 'feedback' }],
    });
    expect(feedback.statusCode, feedback.body).toBe(201);
    const sha = uploaded.lost!.sha256;
    await unlink(path.join(os.tmpdir(), 'files', sha.slice(0, 2), sha));

    const plan = await a.owner.request('PUT', `${base}/certificates/${cert}/supervision-plan`, {
      initialPersonDays: 10,
      visits: [
        { date: '2026-10-15', personDays: 5 },
        { date: '2027-09-01', personDays: 5 },
      ],
    });
    expect(plan.statusCode, plan.body).toBe(200);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await t.close();
  });

  const url = (orgId: string, certId: string) => `/api/orgs/${orgId}/certificates/${certId}/packs/supervision.zip`;

  it('packs the current evidence by kind, with a cover and an index that lists each file once with its hash', async () => {
    const res = await a.owner.get(url(orgA.id, cert));
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain(
      encodeURIComponent('深圳市示例科技有限公司-监督评估准备材料-2026-11-27.zip'),
    );
    const zip = path.join(dir, `pack-${backend}.zip`);
    await writeFile(zip, res.rawPayload);
    // The operating system's unzip opens it and finds every entry intact.
    const tested = await run('unzip', ['-tq', zip]);
    expect(tested.stdout).toContain('No errors detected');
    const entries = (await run('unzip', ['-Z1', zip])).stdout.split('\n').filter(Boolean);
    expect(entries).toEqual(
      expect.arrayContaining([
        '00 封面及目录.docx',
        '目录.xlsx',
        '01 项目合同/智慧园区_二期_ 平台-contract.pdf',
        '01 项目合同/政务云-contract.pdf',
        '01 项目合同/政务云-contract (2).pdf',
        '02 项目验收报告/智慧园区_二期_ 平台-验收报告.pdf',
        '03 人员资格证书/张三-PMP.pdf',
        '04 财务审计报告/2025年度-2025审计报告-更正.pdf',
      ]),
    );
    for (const entry of entries) {
      expect(entry.length).toBeLessThanOrEqual(200);
      for (const segment of entry.split('/')) expect(segment).not.toMatch(WINDOWS_BAD);
    }
    // Not packed: an identity card, a replaced version, an expired certificate, lost bytes.
    expect(entries.some((e) => e.includes('身份证'))).toBe(false);
    expect(entries.some((e) => e.endsWith('2025审计报告.pdf'))).toBe(false);
    expect(entries.some((e) => e.includes('27001'))).toBe(false);
    expect(entries.some((e) => e.includes('用户反馈'))).toBe(false);

    const index = new ExcelJS.Workbook();
    await index.xlsx.load(
      (await run('unzip', ['-p', zip, '目录.xlsx'], { encoding: 'buffer' })).stdout as unknown as ArrayBuffer,
    );
    const rows = (name: string) =>
      index
        .getWorksheet(name)!
        .getSheetValues()
        .slice(2)
        .map((r) =>
          (r as unknown[]).slice(1).map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '')),
        );
    const list = rows('文件清单');
    const files = entries.filter((e) => e.includes('/'));
    expect(list).toHaveLength(files.length);
    for (const row of list) {
      const [, where, , , , items, , size, sha] = row;
      expect(files).toContain(where);
      const bytes = (await run('unzip', ['-p', zip, where!], { encoding: 'buffer' })).stdout as unknown as Buffer;
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
      expect(Number(size)).toBe(bytes.length);
      expect(items).not.toBe('');
    }
    expect(list.find((r) => r[1]!.startsWith('01 项目合同/政务云-contract.pdf'))![5]).toContain('投标');
    const problems = rows('缺失与过期').map((r) => r.join('|'));
    expect(problems).toContainEqual(
      expect.stringMatching(/^信息安全管理体系认证（ISO\/IEC 27001）\|ISMS|已过期（有效期至 2025-12-31）/),
    );
    expect(problems.some((p) => p.includes('用户反馈.pdf') && p.includes('存储中找不到文件内容'))).toBe(true);
    expect(problems.some((p) => p.includes('信息系统') && p.includes('登记中没有对应的证据类别'))).toBe(true);
    const map = rows('能力项对照');
    expect(map).toHaveLength(46);
    expect(map.find((r) => r[2] === '投标')).toEqual([
      '业务运营',
      '客户关系',
      '投标',
      expect.stringMatching(/^第 [12] 次 · 20\d\d-\d\d-\d\d$/),
      '01 项目合同',
      '',
    ]);

    const cover = await readDocx(
      (await run('unzip', ['-p', zip, '00 封面及目录.docx'], { encoding: 'buffer' })).stdout,
    );
    expect(cover.paragraphs).toContain('监督评估准备材料');
    expect(cover.paragraphs).toContain('三、能力项与证明材料对照');
    expect(cover.tables.flat()).toContainEqual(['01 项目合同', '3']);
  });

  it('tells the plan how much evidence each item has and what it lacks', async () => {
    const plan = (await a.owner.get(`/api/orgs/${orgA.id}/certificates/${cert}/supervision-plan`)).json();
    const of = (id: string) => plan.evidence.find((e: { itemId: string }) => e.itemId === id);
    expect(of('BO.1.2')).toEqual({ itemId: 'BO.1.2', files: 3, gap: null });
    expect(of('FD.6.1').gap.zh).toBe('缺少信息安全管理体系认证（ISO/IEC 27001）');
    expect(of('FD.4.1').gap.zh).toBe('登记中没有对应的证据类别：请准备本能力项的制度文件和运行记录');
  });

  it('assembles the renewal or upgrade dossier by subject, with the material checklist and readiness', async () => {
    const renewal = await a.owner.get(`/api/orgs/${orgA.id}/certificates/${cert}/packs/renewal.zip`);
    expect(renewal.statusCode, renewal.body.slice(0, 200)).toBe(200);
    expect(renewal.headers['content-disposition']).toContain(
      encodeURIComponent('深圳市示例科技有限公司-再评估申请材料-2026-11-27.zip'),
    );
    const zip = path.join(dir, `renewal-${backend}.zip`);
    await writeFile(zip, renewal.rawPayload);
    expect((await run('unzip', ['-tq', zip])).stdout).toContain('No errors detected');
    const entries = (await run('unzip', ['-Z1', zip])).stdout.split('\n').filter(Boolean);
    expect(entries).toEqual(
      expect.arrayContaining([
        '00 封面及目录.docx',
        '目录.xlsx',
        '02 财务/2025年度-2025审计报告-更正.pdf',
        '03 项目/政务云-contract.pdf',
        '03 项目/智慧园区_二期_ 平台-验收报告.pdf',
        '04 人员/张三-PMP.pdf',
      ]),
    );
    expect(entries.some((e) => e.includes('身份证'))).toBe(false);
    const index = new ExcelJS.Workbook();
    await index.xlsx.load(
      (await run('unzip', ['-p', zip, '目录.xlsx'], { encoding: 'buffer' })).stdout as unknown as ArrayBuffer,
    );
    const materials = index
      .getWorksheet('材料清单')!
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(2, 4).join('|'));
    expect(materials).toContain('评估申请书|在评估工作管理平台填写后盖章，由企业自行准备');
    expect(materials).toContain('营业执照|缺失：登记中没有这项材料');
    expect(materials).toContain('项目合同|已具备（3 个文件）');
    expect(materials.find((m) => m.startsWith('财务审计报告'))).toMatch(/1 个文件；缺少 [\d、]+ 年度审计报告/);

    const upgrade = await a.owner.get(`/api/orgs/${orgA.id}/certificates/${cert}/packs/renewal.zip?targetLevel=CS4`);
    expect(upgrade.statusCode).toBe(200);
    expect(upgrade.headers['content-disposition']).toContain(encodeURIComponent('升级申请材料（CS3 → CS4）'));
    const upgradeZip = path.join(dir, `upgrade-${backend}.zip`);
    await writeFile(upgradeZip, upgrade.rawPayload);
    const cover = await readDocx(
      (await run('unzip', ['-p', upgradeZip, '00 封面及目录.docx'], { encoding: 'buffer' })).stdout,
    );
    expect(cover.paragraphs).toContain('升级申请材料（CS3 → CS4）');
    expect(cover.paragraphs).toContain('二、对照CS4（优秀级）的达标情况');
    expect(cover.paragraphs.some((p) => /达到 CS4 的/.test(p))).toBe(true);

    const tooHigh = await a.owner.get(`/api/orgs/${orgA.id}/certificates/${cert}/packs/renewal.zip?targetLevel=CS5`);
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json().error.message).toBe('CS3 证书只能申请 CS3 再评估或升级到 CS4，不能申请 CS5');
    expect(
      (await a.owner.get(`/api/orgs/${orgA.id}/certificates/${certCs2}/packs/renewal.zip?targetLevel=CS3`)).statusCode,
    ).toBe(200);
    expect((await b.owner.get(`/api/orgs/${orgA.id}/certificates/${cert}/packs/renewal.zip`)).statusCode).toBe(404);
  });

  it('closes the file being streamed at once when the download is abandoned', async () => {
    // Large enough that the pack is still streaming when the client goes away.
    const big = [];
    for (let i = 0; i < 4; i++) {
      const res = await uploadFile(a.owner, orgA.id, {
        filename: `大文件${i}.pdf`,
        content: pdf(randomBytes(2 << 20)),
      });
      expect(res.statusCode, res.body).toBe(201);
      big.push({ fileId: res.json<{ id: string }>().id, role: 'contract' });
    }
    expect((await a.owner.post(`/api/orgs/${orgA.id}/projects`, { name: '大项目', files: big })).statusCode).toBe(201);
    const filesDir = path.join(os.tmpdir(), 'files');
    const openBlobs = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(filesDir);
        } catch {
          return false;
        }
      }).length;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const cookie = a.owner.auth && 'cookie' in a.owner.auth ? a.owner.auth.cookie : '';
    for (let i = 0; i < 3; i++) {
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}${url(orgA.id, cert)}`, {
        headers: { cookie },
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      await reader.read();
      abort.abort();
      await reader.cancel().catch(() => undefined);
    }
    await expect.poll(openBlobs, { timeout: 5000 }).toBe(0);
    // The client's pool may keep a connection; the app closes at the end of the file either way.
    t.app.server.closeAllConnections();
  });

  it('is closed to another tenant and has no supervision pack for a CS2 certificate', async () => {
    expect((await b.owner.get(url(orgA.id, cert))).statusCode).toBe(404);
    expect((await a.owner.get(url(orgA.id, certCs2))).statusCode).toBe(409);
  });
});
