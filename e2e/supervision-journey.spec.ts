// The supervision planner: a CS3 company enters the initial assessment's person-days and two
// supervisions; Zizhi shares the 46 capability items between them, shows the coverage matrix,
// names a visit under half the initial days, lets the officer move an item to the other visit, and
// downloads the preparation pack and the upgrade dossier.
//
// It runs against its own server on a fresh data folder, with the real clock.
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { choose, creditCode, signInAsAdmin, useOwnServer } from './support.js';

const PORT = Number(process.env.E2E_SUPERVISION_PORT ?? 8773);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'supervision@example.com', name: '周专员', password: 'correct-horse-42' };
const ORG = { name: '杭州监督演示科技有限公司', creditCode: '91330100MA2SUPV01' };

test.use({ baseURL: BASE, acceptDownloads: true });

useOwnServer(PORT, 'supervision');

const YEAR = Number(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
);

async function seed(page: Page): Promise<{ orgId: string; certId: string }> {
  const me = (await (await page.request.get('/api/me')).json()) as {
    csrfToken: string;
    workspaces: Array<{ id: string }>;
  };
  const headers = { 'X-CSRF-Token': me.csrfToken };
  const org = await page.request.post('/api/orgs', {
    headers,
    data: { workspaceId: me.workspaces[0]!.id, name: ORG.name, creditCode: creditCode(ORG.creditCode) },
  });
  expect(org.status()).toBe(201);
  const orgId = ((await org.json()) as { id: string }).id;
  const cert = await page.request.post(`/api/orgs/${orgId}/certificates`, {
    headers,
    data: {
      level: 'CS3',
      number: `CS3-${YEAR - 1}-SUPV`,
      issuer: '中国电子信息行业联合会',
      issuedOn: `${YEAR - 1}-06-01`,
    },
  });
  expect(cert.status(), await cert.text()).toBe(201);
  return { orgId, certId: ((await cert.json()) as { id: string }).id };
}

async function pickDate(page: Page, label: string, day: string) {
  const input = page.getByLabel(label);
  await input.click();
  await input.fill(day);
  await input.press('Enter');
}

test('plans two supervisions that cover every capability item, and moves one item', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  const { orgId, certId } = await seed(page);
  await page.goto(`/orgs/${orgId}/certificates/${certId}`);
  const card = page.getByTestId('supervision-card');
  await expect(card.getByText('尚未制定计划')).toBeVisible();

  await card.getByLabel('初次评估人天').fill('10');
  await pickDate(page, '第 1 次监督评估的日期', `${YEAR + 1}-03-10`);
  await card.getByLabel('第 1 次监督评估的人天').fill('5');
  await pickDate(page, '第 2 次监督评估的日期', `${YEAR + 2}-03-10`);
  await card.getByLabel('第 2 次监督评估的人天').fill('5');
  await card.getByRole('button', { name: '保存并分配能力项' }).click();
  await expect(page.getByText('监督评估计划已保存')).toBeVisible();
  await expect(card.getByText('已计划 46 项')).toBeVisible();
  await expect(card.getByText('未覆盖 0 项')).toBeVisible();
  await expect(card.getByRole('alert')).toHaveCount(0);
  const matrix = card.getByRole('table');
  await expect(
    matrix.getByRole('row', { name: /战略意图制定/ }).getByLabel('“战略意图制定”安排在第 1 次'),
  ).toBeVisible();

  // The officer moves 投标 to the second visit.
  const bidding = matrix.getByRole('row', { name: /投标/ });
  const onFirst = await bidding.getByLabel('“投标”安排在第 1 次').count();
  const target = onFirst ? 2 : 1;
  await bidding.getByRole('button', { name: `把“投标”调到第 ${target} 次` }).click();
  await expect(bidding.getByLabel(`“投标”安排在第 ${target} 次`)).toBeVisible();

  // A visit under half the initial days is named, and what it cannot reach is listed.
  await card.getByLabel('第 1 次监督评估的人天').fill('3');
  await card.getByRole('button', { name: '保存并分配能力项' }).click();
  const problems = card.getByRole('alert');
  await expect(problems).toContainText(
    `第 1 次监督评估（${YEAR + 1}-03-10）计划 3 人天，少于初次评估 10 人天的一半（5 人天）`,
  );
  await expect(problems).toContainText('个能力项没有安排在任何一次监督评估中');
  await expect(card.getByText(/未覆盖 [1-9]\d* 项/)).toBeVisible();

  // The preparation pack, in one click: a zip the operating system opens, with its cover and index.
  const download = page.waitForEvent('download');
  await card.getByRole('link', { name: /下载准备材料包/ }).click();
  const pack = await download;
  expect(pack.suggestedFilename()).toMatch(new RegExp(`^${ORG.name}-监督评估准备材料-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const entries = execFileSync('unzip', ['-Z1', await pack.path()], { encoding: 'utf8' }).split('\n');
  expect(entries).toEqual(expect.arrayContaining(['00 封面及目录.docx', '目录.xlsx']));

  // The first supervision took place today: its results, and a finding that becomes a duty.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const csrf = ((await (await page.request.get('/api/me')).json()) as { csrfToken: string }).csrfToken;
  const replan = await page.request.put(`/api/orgs/${orgId}/certificates/${certId}/supervision-plan`, {
    headers: { 'X-CSRF-Token': csrf },
    data: {
      initialPersonDays: 10,
      visits: [
        { date: today, personDays: 5 },
        { date: `${YEAR + 2}-03-10`, personDays: 5 },
      ],
    },
  });
  expect(replan.status(), await replan.text()).toBe(200);
  await page.reload();
  await card.getByRole('button', { name: '登记第 1 次监督评估结果' }).click();
  const results = page.getByRole('dialog', { name: `第 1 次监督评估（${today}）的结果` });
  await results.getByRole('radiogroup', { name: '“战略意图制定”的结果' }).getByText('发现问题').click();
  await results.getByLabel('“战略意图制定”的说明').fill('缺少战略规划文件');
  await results.getByLabel('问题描述').fill('未见年度战略规划');
  await results.getByLabel('整改期限').click();
  await results.getByLabel('整改期限').fill(`${YEAR + 1}-01-31`);
  await results.getByLabel('整改期限').press('Enter');
  await results.getByRole('button', { name: '添加问题' }).click();
  await expect(page.getByText('已添加问题，并生成整改义务')).toBeVisible();
  await expect(results.getByTestId('supervision-findings')).toContainText('未见年度战略规划');
  await results.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText('监督评估结果已保存')).toBeVisible();
  await expect(card.getByLabel('第 1 次监督评估在“战略意图制定”发现问题')).toBeVisible();

  // The body has announced the second visit's on-site day: recorded as a planned step.
  const timeline = card.getByTestId('assessment-timeline-supervision');
  await timeline.getByRole('button', { name: '登记评估环节' }).click();
  const stepDialog = page.getByRole('dialog', { name: '登记事件' });
  await stepDialog.getByText('现场评估', { exact: true }).click();
  const stepDate = stepDialog.getByLabel('日期（已进行或评估机构通知的安排）');
  await stepDate.click();
  await stepDate.fill(`${YEAR + 2}-03-10`);
  await stepDate.press('Enter');
  await expect(stepDialog.getByTestId('event-preview')).toContainText('该事件不会生成新的截止日');
  await stepDialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(stepDialog).toBeHidden();
  await expect(timeline).toContainText(`${YEAR + 2}-03-10 现场评估`);
  await expect(timeline.getByText('计划', { exact: true })).toBeVisible();

  // The upgrade dossier to CS4, and who to call at the body.
  const dossier = page.getByTestId('dossier-card');
  const contact = dossier.getByTestId('assessment-contact');
  await expect(contact).toContainText('中国电子信息行业联合会');
  await contact.getByRole('button', { name: /编\s*辑/ }).click();
  const contactDialog = page.getByRole('dialog', { name: '评估机构联系人' });
  await contactDialog.getByLabel('联系人').fill('李老师');
  await contactDialog.getByLabel('电话').fill('010-6820 0000');
  await contactDialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText('评估机构联系人已保存')).toBeVisible();
  await expect(contact).toContainText('李老师');
  await choose(page, dossier, '申请等级', '升级：CS3 → CS4');
  const upgradeDownload = page.waitForEvent('download');
  await dossier.getByRole('link', { name: /下载申请材料包/ }).click();
  const upgrade = await upgradeDownload;
  expect(upgrade.suggestedFilename()).toContain('升级申请材料（CS3 → CS4）');
  const upgradeEntries = execFileSync('unzip', ['-Z1', await upgrade.path()], { encoding: 'utf8' }).split('\n');
  expect(upgradeEntries).toEqual(expect.arrayContaining(['00 封面及目录.docx', '目录.xlsx']));
});

test('corrects a capability item for the workspace, and the plan uses the correction', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  await page.getByRole('navigation', { name: '主菜单' }).getByText('能力项目录').click();
  await expect(page.getByRole('heading', { name: '能力项目录' })).toBeVisible();
  const table = page.getByRole('table', { name: '能力项目录' });
  await expect(page.getByText('共 46 个能力项，已更正 0 个')).toBeVisible();
  await table.getByRole('button', { name: '更正“战略意图制定”' }).click();
  const dialog = page.getByRole('dialog', { name: '更正能力项：战略意图制定' });
  await dialog.getByLabel('能力项名称').fill('战略意图制定与发布');
  await dialog.getByLabel('更正说明').fill('以评估机构的现场评估清单为准');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText('能力项已更正')).toBeVisible();
  await expect(dialog).toBeHidden();
  const row = table.getByRole('row', { name: /战略意图制定与发布/ });
  await expect(row.getByText('已更正')).toBeVisible();
  await expect(page.getByText('共 46 个能力项，已更正 1 个')).toBeVisible();

  // The certificate's plan (saved by the journey before) names the item as corrected.
  await page.getByRole('navigation', { name: '主菜单' }).getByText('证书').click();
  await page
    .getByRole('table')
    .getByRole('link', { name: `CS3-${YEAR - 1}-SUPV` })
    .click();
  const matrix = page.getByTestId('supervision-card').getByRole('table');
  await expect(matrix.getByRole('row', { name: /战略意图制定与发布/ })).toBeVisible();

  // Back to the default: one click, confirmed.
  await page.getByRole('navigation', { name: '主菜单' }).getByText('能力项目录').click();
  await table.getByRole('button', { name: '恢复“战略意图制定与发布”的默认值' }).click();
  await page.getByRole('button', { name: '恢复默认', exact: true }).click();
  await expect(page.getByText('已恢复默认值')).toBeVisible();
  await expect(page.getByText('共 46 个能力项，已更正 0 个')).toBeVisible();
});

/** A plain one-colour PNG, standing in for a photo of the certificate. */
function png(width: number, height: number): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = table[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0xee)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('registers a use of the certificate, downloads its stamped copy, and is refused while suspended', async ({
  page,
}) => {
  await signInAsAdmin(page, ADMIN);
  await page.getByRole('navigation', { name: '主菜单' }).getByText('证书').click();
  await page
    .getByRole('table')
    .getByRole('link', { name: `CS3-${YEAR - 1}-SUPV` })
    .click();
  const [, orgId, certId] = /\/orgs\/([^/]+)\/certificates\/([^/?#]+)/.exec(page.url())!;
  // The scan (a photo), attached and the public page switched on, through the API.
  const csrf = ((await (await page.request.get('/api/me')).json()) as { csrfToken: string }).csrfToken;
  const upload = await page.request.post(`/api/orgs/${orgId}/files`, {
    headers: { 'X-CSRF-Token': csrf },
    multipart: { file: { name: '证书照片.png', mimeType: 'image/png', buffer: png(240, 340) } },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const attached = await page.request.patch(`/api/orgs/${orgId}/certificates/${certId}`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { scanFileId: ((await upload.json()) as { id: string }).id, public: true },
  });
  expect(attached.status(), await attached.text()).toBe(200);
  await page.reload();

  const card = page.getByTestId('usages-card');
  await expect(card.getByText('还没有使用登记')).toBeVisible();
  await card.getByRole('button', { name: '登记使用' }).click();
  const dialog = page.getByRole('dialog', { name: `登记证书使用：CS3-${YEAR - 1}-SUPV` });
  await dialog.getByLabel('接收方').fill('杭州市公共资源交易中心');
  await dialog.getByLabel('项目或招标名称').fill('城市大脑二期运维服务项目');
  await dialog.getByLabel('项目编号（招标编号）').fill('HZ-2026-042');
  await dialog.getByLabel('审批人').fill('陈总');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText(`已登记，登记号 SY${YEAR}-0001`, { exact: false })).toBeVisible();
  const row = card.getByRole('row', { name: new RegExp(`SY${YEAR}-0001`) });
  await expect(row).toContainText('城市大脑二期运维服务项目 · HZ-2026-042');

  const downloading = page.waitForEvent('download');
  await row.getByRole('button', { name: `下载 SY${YEAR}-0001 的带水印副本` }).click();
  const copy = await downloading;
  expect(copy.suggestedFilename()).toBe(`CS3-${YEAR - 1}-SUPV-副本-SY${YEAR}-0001.pdf`);
  const text = execFileSync('pdftotext', ['-layout', await copy.path(), '-'], { encoding: 'utf8' });
  expect(text).toContain('仅供“城市大脑二期运维服务项目”投标使用，他用无效');
  expect(text).toContain(`登记号 SY${YEAR}-0001`);

  // Suspended for rectification (recorded through the API): a new use is refused in words.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const suspended = await page.request.post(`/api/orgs/${orgId}/certificates/${certId}/transitions`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { to: 'suspended', on: today, reason: '监督评估未通过，进入整改期' },
  });
  expect(suspended.status(), await suspended.text()).toBe(201);
  await page.reload();
  await card.getByRole('button', { name: '登记使用' }).click();
  await dialog.getByLabel('接收方').fill('某客户');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog.getByRole('alert')).toContainText(`证书在 ${today} 处于“暂停使用（整改期）”状态`);
  await dialog.getByRole('button', { name: /取\s*消/ }).click();
  // Nor is a copy given while it is suspended.
  await row.getByRole('button', { name: `下载 SY${YEAR}-0001 的带水印副本` }).click();
  await expect(page.getByText('不能使用，不提供副本', { exact: false })).toBeVisible();
});
