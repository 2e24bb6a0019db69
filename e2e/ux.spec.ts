// The app as a 资质专员 uses it, on a 1440 px screen and on a 390 px phone: many quick page loads
// without a refusal, every main page readable (no raw codes or ids on a Chinese page, no serious
// accessibility violation, nothing wider than the phone), the menu as a drawer on the phone, an
// organisation deleted into the recycle bin and restored, and the audit log exported to Excel.
//
// Screenshots of every main page at both sizes are saved under test-results/screenshots/ (kept as
// CI artifacts). It runs against its own server on a fresh data folder.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { choose, creditCode, signInAsAdmin, useOwnServer } from './support.js';

const PORT = Number(process.env.E2E_UX_PORT ?? 8775);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'ux@example.com', name: '吴专员', password: 'correct-horse-77' };
const ORGS = [
  { name: '杭州体验演示科技有限公司', code: '91330100MA2UXDEMO', level: 'CS2', number: 'CS2-20240315-UX01' },
  { name: '宁波回收站演示有限公司', code: '91330200MA2UXBIN0', level: 'CS4', number: 'CS4-20230520-UX02' },
] as const;

test.use({ baseURL: BASE, acceptDownloads: true });
useOwnServer(PORT, 'ux');

/**
 * Words that are the program's own, not the reader's: statuses, event and rule codes, field keys,
 * audit actions. A Chinese page shows none of them (nor an id).
 */
const INTERNAL_WORDS =
  /\b(in_progress|waived|cancelled|self-check\.[a-z-]+|supervision\.[a-z-]+|change\.(general|major)|license\.changed|certificate\.[a-z-]+|org\.(created|updated|deleted|restored|purged)|auth\.login(-failed)?|token\.(created|revoked)|channel\.tested|import\.completed|cs[1-5]\.[a-z-]+|software-copyright|invention-patent|utility-patent|senior-pm|si-pm|netProfit|isRnd|creditCode|orgId|certId|undefined|NaN|\[object Object\])\b/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface Seeded {
  orgIds: string[];
  certIds: string[];
}

async function seed(page: Page): Promise<Seeded> {
  const me = (await (await page.request.get('/api/me')).json()) as {
    csrfToken: string;
    workspaces: Array<{ id: string }>;
  };
  const headers = { 'X-CSRF-Token': me.csrfToken };
  const seeded: Seeded = { orgIds: [], certIds: [] };
  for (const o of ORGS) {
    const org = await page.request.post('/api/orgs', {
      headers,
      data: { workspaceId: me.workspaces[0]!.id, name: o.name, creditCode: creditCode(o.code) },
    });
    expect(org.status(), await org.text()).toBe(201);
    const orgId = ((await org.json()) as { id: string }).id;
    const cert = await page.request.post(`/api/orgs/${orgId}/certificates`, {
      headers,
      data: {
        level: o.level,
        number: o.number,
        issuer: '中国电子信息行业联合会',
        issuedOn: `${o.number.slice(4, 8)}-${o.number.slice(8, 10)}-${o.number.slice(10, 12)}`,
      },
    });
    expect(cert.status(), await cert.text()).toBe(201);
    const certId = ((await cert.json()) as { id: string }).id;
    const project = await page.request.post(`/api/orgs/${orgId}/projects`, {
      headers,
      data: {
        name: '智慧园区综合管理平台',
        contractNumber: `HT-${o.code.slice(-4)}`,
        amount: '12800000.00',
        signedOn: '2025-03-01',
      },
    });
    expect(project.status(), await project.text()).toBe(201);
    seeded.orgIds.push(orgId);
    seeded.certIds.push(certId);
  }
  return seeded;
}

/** The main pages, by a name for the screenshot. */
function mainPages(s: Seeded): Array<[string, string]> {
  return [
    ['dashboard', '/'],
    ['orgs', '/orgs'],
    ['org', `/orgs/${s.orgIds[0]}`],
    ['certificates', '/certificates'],
    ['certificate', `/orgs/${s.orgIds[0]}/certificates/${s.certIds[0]}`],
    ['obligations', '/obligations'],
    ['obligations-print', '/obligations/print'],
    ['calendar', '/obligations?view=calendar'],
    ['evidence', `/orgs/${s.orgIds[0]}/evidence`],
    ['policy-updates', '/policy-updates'],
    ['members', '/members'],
    ['audit', '/audit'],
    ['requirements', '/settings/requirements'],
    ['recycle-bin', '/settings/recycle-bin'],
  ];
}

/** Opens `path` and waits until its content has arrived (no spinner left). */
async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole('main')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page.locator('main .ant-spin-spinning')).toHaveCount(0);
}

let seeded: Seeded;

test.describe.configure({ mode: 'serial' });

test('thirty page loads in a minute: none refused, none blank', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page, ADMIN);
  seeded = await seed(page);
  const refused: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 429) refused.push(r.url());
  });
  const pages = mainPages(seeded);
  const started = Date.now();
  for (let i = 0; i < 30; i++) {
    const [, path] = pages[i % pages.length]!;
    await page.goto(path);
    await expect(page.getByRole('main')).toBeVisible();
  }
  console.log(`30 page loads in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(refused).toEqual([]);
  // The limit counts the API alone (600 a minute by default): the app's files came from the
  // browser's cache or were not counted, and the API calls of 30 pages left most of it unused.
  const left = Number((await page.request.get('/api/me')).headers()['x-ratelimit-remaining']);
  expect(left).toBeGreaterThan(300);
});

for (const [size, viewport] of [
  ['1440', { width: 1440, height: 900 }],
  ['390', { width: 390, height: 844 }],
] as const) {
  test(`main pages at ${size} px: readable, accessible, nothing raw`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize(viewport);
    await signInAsAdmin(page, ADMIN);
    const problems: string[] = [];
    for (const [name, path] of mainPages(seeded)) {
      await open(page, path);
      await page.screenshot({ path: `test-results/screenshots/${size}-${name}.png`, fullPage: true });
      const text = await page.locator('body').innerText();
      const word = INTERNAL_WORDS.exec(text);
      if (word) problems.push(`${name}: shows the internal word “${word[0]}”`);
      const id = UUID.exec(text);
      if (id) problems.push(`${name}: shows the id ${id[0]}`);
      // A string: this file is not compiled with the browser's types.
      const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
      if (overflow > 1) problems.push(`${name}: ${overflow} px wider than the screen`);
      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      for (const v of axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
        problems.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes[0]?.target.join(' ')}`);
      }
    }
    expect(problems).toEqual([]);
  });
}

test('on a phone the menu is a drawer that closes once a page is chosen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAsAdmin(page, ADMIN);
  const menu = page.getByRole('navigation', { name: '主菜单' });
  await expect(menu).toBeHidden();
  await page.getByRole('button', { name: '打开菜单' }).click();
  await expect(menu).toBeVisible();
  await menu.getByRole('menuitem', { name: '义务' }).click();
  await expect(page).toHaveURL(/\/obligations$/);
  await expect(menu).toBeHidden();
  // Obligations as cards: no column headers, each card names its certificate and due date.
  await expect(page.getByRole('columnheader')).toHaveCount(0);
  await expect(page.getByRole('link', { name: ORGS[0].number }).first()).toBeVisible();
});

test('an address that does not exist, even under a real page, shows the 404 page', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  for (const path of [`/orgs/${seeded.orgIds[0]}/evidence/nonsense`, '/settings/nonsense']) {
    await page.goto(path);
    await expect(page.getByText('页面不存在')).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
  }
});

test('the role picker says what each role may do', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  await open(page, '/members');
  await page.getByRole('button', { name: '邀请成员' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('角色', { exact: true }).click();
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="资质专员"]');
  await expect(option).toContainText('新增和修改企业、证书、事件和义务');
});

test('an organisation goes into the recycle bin with what it holds, and comes back', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page, ADMIN);
  const [, orgId] = seeded.orgIds;
  const org = ORGS[1];
  await open(page, `/orgs/${orgId}`);
  await page.getByRole('button', { name: '删除' }).click();
  const dialog = page.getByRole('dialog', { name: `删除企业“${org.name}”` });
  await expect(dialog.getByRole('list', { name: '将一并移入回收站：' })).toContainText('证书 1 张');
  await expect(dialog).toContainText('项目 1 个');
  const ok = dialog.getByRole('button', { name: '移入回收站' });
  await expect(ok).toBeDisabled();
  await dialog.getByRole('textbox').fill('宁波');
  await expect(dialog).toContainText('输入的名称与企业名称不一致');
  await expect(ok).toBeDisabled();
  await dialog.getByRole('textbox').fill(org.name);
  await ok.click();
  await expect(page).toHaveURL(/\/orgs$/);
  await expect(page.getByText(`已将“${org.name}”移入回收站`)).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText(org.name);
  // Its certificate is gone from the certificate list too.
  await open(page, '/certificates');
  await expect(page.getByRole('main')).not.toContainText(org.number);

  await open(page, '/settings/recycle-bin');
  const row = page.getByRole('row', { name: new RegExp(org.name) });
  await expect(row).toContainText(ADMIN.name);
  await row.getByRole('button', { name: '恢复' }).click();
  await expect(page.getByText(`已恢复“${org.name}”`)).toBeVisible();
  await expect(page.getByRole('main')).toContainText('回收站是空的');
  await open(page, '/certificates');
  await expect(page.getByRole('main')).toContainText(org.number);
});

test('the audit log filters by organisation and exports what it shows to Excel', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page, ADMIN);
  await open(page, '/audit');
  await page.getByLabel('企业', { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: ORGS[1].name }).click();
  await page.getByRole('button', { name: '查询' }).click();
  const table = page.getByRole('table', { name: '审计日志列表' });
  await expect(table).toContainText('从回收站恢复企业');
  await expect(table).toContainText('将企业移入回收站');
  await expect(table).not.toContainText(ORGS[0].number);

  await page.getByRole('button', { name: '重置' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 Excel' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^审计日志-\d{8}-\d{4}\.xlsx$/);
  await expect(page.getByText(/已导出 \d+ 条审计记录/)).toBeVisible();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await file.path());
  const sheet = workbook.getWorksheet('审计日志')!;
  expect(sheet.getRow(1).values).toEqual([undefined, '时间', '操作人', '邮箱', '操作', '对象', '企业', '摘要', 'IP']);
  const rows = sheet.getSheetValues().slice(2) as unknown[][];
  const actions = rows.map((r) => String(r[4]));
  expect(actions).toContain('登录');
  expect(actions).toContain('创建企业');
  const created = rows.find((r) => r[4] === '创建企业' && String(r[5]).includes(ORGS[0].name))!;
  expect(created[2]).toBe(ADMIN.name);
  expect(String(created[7])).toContain(`名称：${ORGS[0].name}`);
  for (const r of rows) {
    expect(UUID.test(r.map(String).join(' ')), r.join(' ')).toBe(false);
    expect(INTERNAL_WORDS.test(String(r[4])), String(r[4])).toBe(false);
  }
});

test('the organisations list searches, filters and shows each client’s standing', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  await open(page, '/orgs');
  const table = page.getByRole('table', { name: '企业列表' });
  const row = table.getByRole('row', { name: new RegExp(ORGS[0].name) });
  await expect(row).toContainText('CS2');
  await expect(row).toContainText('2028-03-14');
  await page.getByLabel('搜索企业名称、信用代码或法定代表人').fill('宁波');
  await expect(page).toHaveURL(/q=%E5%AE%81%E6%B3%A2/);
  await expect(table.getByRole('row')).toHaveCount(2); // header and the one match
  await expect(table).toContainText(ORGS[1].name);
  await page.getByLabel('搜索企业名称、信用代码或法定代表人').fill('');
  await choose(page, page, '证书等级', 'CS2 基本级');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText(ORGS[0].name);
  // The filters live in the address: a reload keeps them.
  await page.reload();
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: '清除筛选' }).click();
  await expect(table.getByRole('row')).toHaveCount(3);
  // Readiness is evaluated as the list is read: the count says how many were found so far, and
  // the three answers between them hold both certified organisations.
  let found = 0;
  for (const status of ['满足', '不满足', '数据不足']) {
    await choose(page, page, '达标情况', status);
    await expect(page).toHaveURL(/readiness=/);
    await expect(page.getByTestId('org-count')).toHaveText(/^已找到 \d+ 家企业$/);
    await expect(page.locator('main .ant-spin-spinning')).toHaveCount(0);
    const n = Number((await page.getByTestId('org-count').innerText()).replace(/\D/g, ''));
    const rows = table.locator('tbody tr.ant-table-row');
    await expect(rows).toHaveCount(n);
    for (const row of await rows.all())
      await expect(row.locator('.ant-tag').last()).toHaveText(new RegExp(`^${status} `));
    found += n;
  }
  expect(found).toBe(2);
});

test('obligations: page size, export to Excel, a print view, and the calendar with 休, 班 and actions', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page, ADMIN);
  const me = (await (await page.request.get('/api/me')).json()) as { workspaces: Array<{ id: string }> };
  const listed = (await (
    await page.request.get(`/api/workspaces/${me.workspaces[0]!.id}/obligations?orgId=${seeded.orgIds[0]}&limit=500`)
  ).json()) as { total: number; items: Array<{ id: string; dueDate: string; status: string; titleZh: string }> };
  expect(listed.total).toBeGreaterThan(20);

  // Page size: 50 rows a page, remembered after a reload.
  await open(page, `/obligations?orgId=${seeded.orgIds[0]}`);
  const table = page.getByRole('table', { name: '义务列表' });
  await expect(table.locator('tbody tr.ant-table-row')).toHaveCount(20);
  await page.locator('.ant-pagination-options .ant-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '50' }).click();
  await expect(table.locator('tbody tr.ant-table-row')).toHaveCount(Math.min(50, listed.total));
  await page.reload();
  await expect(table.locator('tbody tr.ant-table-row')).toHaveCount(Math.min(50, listed.total));

  // Export: every obligation of the filter, in the page's words.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 Excel' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^义务清单-\d{8}-\d{4}\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await file.path());
  const sheet = workbook.getWorksheet('义务清单')!;
  expect(sheet.getRow(1).values).toEqual([
    undefined,
    '企业',
    '证书',
    '等级',
    '义务',
    '截止',
    '状态',
    '已逾期',
    '负责人',
    '完成日期',
    '备注',
    '依据',
  ]);
  const rows = sheet.getSheetValues().slice(2) as unknown[][];
  expect(rows).toHaveLength(listed.total);
  expect(new Set(rows.map((r) => r[1]))).toEqual(new Set([ORGS[0].name]));
  for (const r of rows) expect(INTERNAL_WORDS.test(r.map(String).join(' ')), r.join(' ')).toBe(false);

  // Print view: the same rows on one page, without the menu.
  await page.getByRole('link', { name: '打印' }).click();
  await expect(page).toHaveURL(/\/obligations\/print\?orgId=/);
  const printed = page.getByRole('table', { name: '义务清单' });
  await expect(printed.locator('tbody tr')).toHaveCount(listed.total);
  await expect(page.getByText(`筛选条件：${ORGS[0].name}`)).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: '主菜单' })).toBeHidden();
  await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });

  // The calendar: previous and next months, 休 and 班 of the National Day holiday, back to today.
  await open(page, `/obligations?orgId=${seeded.orgIds[0]}&view=calendar`);
  const month = page.getByTestId('calendar-month');
  const now = new Date();
  await expect(month).toHaveText(`${now.getFullYear()}年${now.getMonth() + 1}月`);
  await page.getByRole('button', { name: '下个月' }).click();
  await page.getByRole('button', { name: '今天' }).click();
  await expect(month).toHaveText(`${now.getFullYear()}年${now.getMonth() + 1}月`);
  const monthsBack = (now.getFullYear() - 2026) * 12 + now.getMonth() - 9;
  for (let i = 0; i < monthsBack; i++) await page.getByRole('button', { name: '上个月' }).click();
  await expect(month).toHaveText('2026年10月');
  await expect(page.getByTestId('day-mark-2026-10-01')).toHaveText('休');
  await expect(page.getByTestId('day-mark-2026-10-10')).toHaveText('班');
  await expect(page.getByTestId('day-mark-2026-10-12')).toHaveCount(0);

  // Complete an open obligation from its pop-up; the form proposes its due date for history.
  const open1 = listed.items.find((o) => o.status === 'open' && o.dueDate < '2026-10-01')!;
  const [y, m] = open1.dueDate.split('-').map(Number) as [number, number];
  const back = (2026 - y) * 12 + (10 - m);
  for (let i = 0; i < back; i++) await page.getByRole('button', { name: '上个月' }).click();
  await page.locator(`ul[aria-label="${open1.dueDate}"] button`, { hasText: open1.titleZh }).first().click();
  await page.getByRole('button', { name: `完成: ${open1.titleZh}` }).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`^标记完成`) });
  await expect(dialog.getByLabel('完成日期')).toHaveValue(open1.dueDate);
  await expect(dialog).toContainText('默认按截止日期补录');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  await expect
    .poll(async () => {
      const after = (await (await page.request.get(`/api/orgs/${seeded.orgIds[0]}/obligations?limit=500`)).json()) as {
        items: Array<{ id: string; status: string; completedOn: string | null }>;
      };
      return after.items.find((o) => o.id === open1.id);
    })
    .toMatchObject({ status: 'done', completedOn: open1.dueDate });
});

test('an administrator makes a demo workspace in one click, looks around and removes it in one click', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page, ADMIN);
  await open(page, '/');
  await page.getByTestId('onboarding').getByRole('button', { name: '创建演示工作区' }).click();
  await expect(page.getByText(/演示工作区已创建：6 家示例企业/)).toBeVisible({ timeout: 60_000 });
  const banner = page.getByTestId('demo-banner');
  await expect(banner).toContainText('这是演示工作区');

  await open(page, '/orgs');
  await expect(page.getByTestId('org-count')).toHaveText('共 6 家企业');
  const table = page.getByRole('table', { name: '企业列表' });
  await expect(table.getByRole('row', { name: /成都天府云图科技有限公司/ })).toContainText('未登记证书');
  await page.screenshot({ path: 'test-results/screenshots/1440-demo-orgs.png', fullPage: true });
  for (const path of ['/orgs', '/obligations', '/']) {
    await open(page, path);
    const text = await page.locator('body').innerText();
    expect(INTERNAL_WORDS.exec(text)?.[0], path).toBeUndefined();
    expect(UUID.exec(text)?.[0], path).toBeUndefined();
  }

  await banner.getByRole('button', { name: '删除演示工作区' }).click();
  const confirm = page.getByRole('dialog', { name: '删除演示工作区？' });
  await expect(confirm).toContainText('演示工作区（示例数据）');
  await confirm.getByRole('button', { name: '删除演示工作区' }).click();
  await expect(page.getByText('演示工作区已删除')).toBeVisible();
  await expect(banner).toHaveCount(0);
  await open(page, '/orgs');
  await expect(page.getByRole('main')).toContainText(ORGS[0].name);
});

test('the dashboard lists the first steps, ticks those taken and links to the next', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  await open(page, '/');
  const card = page.getByTestId('onboarding');
  // Organisations, certificates and a project are in; no history and no channel yet.
  await expect(card).toContainText('开始使用（已完成 3 / 5 步）');
  await card.getByRole('link', { name: '补录证书的历史记录' }).click();
  await expect(page).toHaveURL(/\/orgs\/[0-9a-f-]+\/certificates\/[0-9a-f-]+$/);
  await open(page, '/');
  await card.getByRole('button', { name: '不再显示' }).click();
  await expect(card).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: `欢迎，${ADMIN.name}` })).toBeVisible();
  await expect(card).toHaveCount(0);
});

test('a date that does not exist is refused out loud, not dropped in silence', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  await open(page, '/obligations');
  const start = page.locator('.ant-picker-range input').first();
  await start.click();
  await start.fill('2026-02-30');
  await start.press('Enter');
  await expect(page.getByText('2026-02-30 不是有效的日期（该月没有这一天），未采用，请重新输入')).toBeVisible();
});

test('in English, the app’s own words are English: menus, column heads, labels and buttons', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page, ADMIN);
  await page.evaluate("localStorage.setItem('zizhi.language', 'en')");
  const CJK = /[\u3400-\u9fff]/;
  const problems: string[] = [];
  for (const path of [
    '/',
    '/orgs',
    '/certificates',
    '/obligations',
    '/obligations?view=calendar',
    '/obligations/print',
    '/evidence',
    '/policy-updates',
    '/members',
    '/audit',
    '/settings/requirements',
    '/settings/recycle-bin',
    '/settings/notifications',
  ]) {
    await open(page, path);
    // The chrome only: data (company names, notes) stays in the language it was written in.
    const texts = await page
      .locator('nav .ant-menu-title-content, th, label, button:visible, .ant-page-header-heading-title, h3, h4')
      .allInnerTexts();
    const data = [ADMIN.name, ...ORGS.map((o) => o.name), '我的工作空间', '中文', '资质'];
    for (const text of texts) {
      const chrome = data.reduce((rest, d) => rest.replaceAll(d, ''), text);
      if (CJK.test(chrome)) problems.push(`${path}: “${text.trim()}”`);
    }
  }
  expect([...new Set(problems)]).toEqual([]);
});
