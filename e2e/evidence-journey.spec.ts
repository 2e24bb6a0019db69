// The evidence journey (issue 5): a project recorded by hand raises an authenticity flag whose link
// opens it; a projects workbook with one bad row is refused by the dry run naming the row, the
// corrected workbook is imported, and the readiness page's large-projects requirement turns met.
//
// It runs against its own server on a fresh data folder: journey.spec.ts must meet a server
// without an administrator, and this file sorts before it.
import { expect, test, type Page } from '@playwright/test';
import { creditCode, fillDate, useOwnServer } from './support.js';
import ExcelJS from 'exceljs';

const PORT = Number(process.env.E2E_EVIDENCE_PORT ?? 8766);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'evidence@example.com', name: '赵专员', password: 'correct-horse-42' };
const ORG = { name: '杭州证据演示科技有限公司', creditCode: '91330100MA27XY8P1' };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

test.use({ baseURL: BASE });

useOwnServer(PORT, 'evidence');

type Row = [
  name: string,
  client: string,
  contract: string,
  amount: string | number,
  signedOn: string,
  acceptedOn: string | null,
  status: string,
];

/** A projects workbook as a person fills in the template: its Chinese headers, one project a row. */
async function projectsWorkbook(rows: Row[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('项目');
  sheet.addRow(['项目名称', '客户', '合同编号', '合同金额（元）', '签订日期', '验收日期', '状态']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// Readiness counts completed work: the large projects that should count carry their acceptance.
const GOOD_ROWS: Row[] = [
  ['市政务云平台建设项目', '某市大数据管理局', 'HT-2024-101', 12_000_000, '2024-03-01', '2024-12-20', '已验收'],
  ['智慧园区集成项目', '某高新区管委会', 'HT-2024-102', '15,000,000.00', '2024-06-15', '2025-03-30', '已验收'],
];
const BAD_ROW: Row = [
  '数据中心机房改造项目',
  '某银行',
  'HT-2025-103',
  11_000_000,
  '2026-13-01',
  '2025-06-30',
  '已验收',
];
const FIXED_ROW: Row = [
  '数据中心机房改造项目',
  '某银行',
  'HT-2025-103',
  11_000_000,
  '2025-01-10',
  '2025-06-30',
  '已验收',
];
const SMALL_ROW: Row = ['办公网络运维项目', '某医院', 'HT-2025-104', 800_000, '2025-02-01', null, '实施中'];

async function signIn(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '创建管理员账号' })).toBeVisible();
  await page.getByLabel('邮箱').fill(ADMIN.email);
  await page.getByLabel('姓名').fill(ADMIN.name);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('确认密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '创建管理员' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
  if (new URL(page.url()).pathname === '/login') {
    await page.getByLabel('邮箱').fill(ADMIN.email);
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
  }
  await expect(page.getByRole('heading', { name: `欢迎，${ADMIN.name}` })).toBeVisible();
}

/** The organisation and its CS3 certificate, through the API (other journeys cover those forms). */
async function createOrgWithCertificate(page: Page): Promise<string> {
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
  const { id } = (await org.json()) as { id: string };
  const cert = await page.request.post(`/api/orgs/${id}/certificates`, {
    headers,
    data: { level: 'CS3', number: 'CS3-20260301-EVID', issuer: '中国电子信息行业联合会', issuedOn: '2026-03-01' },
  });
  expect(cert.status()).toBe(201);
  return id;
}

async function openTab(page: Page, name: string) {
  await page.getByRole('tab', { name }).click();
}

test('evidence: a flag opens its record; a dry run names the bad row; the fixed import changes readiness', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);
  const orgId = await createOrgWithCertificate(page);

  // From the organisation's profile to its evidence.
  await page.goto(`/orgs/${orgId}`);
  await page.getByRole('button', { name: '项目案例' }).click();
  await expect(page.getByRole('heading', { name: `${ORG.name} · 证据` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/evidence/projects$`));

  // A project recorded by hand, accepted (on paper) before it was signed.
  await page.getByRole('button', { name: '新增项目案例' }).click();
  let drawer = page.getByRole('dialog', { name: '新增项目案例' });
  await drawer.getByLabel('项目名称').fill('城市大脑一期');
  await drawer.getByLabel('合同编号').fill('HT-2024-009');
  await drawer.getByLabel('合同金额（元）').fill('10500000');
  await fillDate(drawer, '签订日期', '2024-05-10', false);
  await fillDate(drawer, '验收日期', '2024-04-30', false);
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(drawer).toBeHidden();
  const projects = page.getByRole('table', { name: '项目案例列表' });
  const handRow = projects.getByRole('row', { name: /城市大脑一期/ });
  await expect(handRow).toContainText('10,500,000.00');
  await expect(handRow).toContainText('2024-05-10');

  // Readiness for the current level (CS3): one large project of the three needed.
  await openTab(page, '达标评估');
  await expect(page.getByRole('combobox', { name: '目标等级' })).toBeVisible();
  await expect(page.getByText('CS3 良好级（当前等级）')).toBeVisible();
  const large = page.getByTestId('requirement-large-projects');
  await expect(large).toContainText('不满足');
  await expect(large.getByTestId('requirement-value')).toContainText('当前 1 个');
  await expect(large).toContainText('还差 2 个');
  await page.screenshot({ path: 'test-results/screens/readiness-before.png', fullPage: true });

  // The authenticity check flags it, and its link opens the record to fix.
  await openTab(page, '真实性检查');
  const flag = page.getByTestId('check-flag').filter({ hasText: '城市大脑一期' }).filter({ hasText: '验收早于签订' });
  await expect(flag).toContainText('2024-04-30');
  await page.screenshot({ path: 'test-results/screens/checks.png', fullPage: true });
  await flag.getByRole('link', { name: '打开“城市大脑一期”' }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgId}/evidence/projects\\?id=[0-9a-f-]{36}$`));
  drawer = page.getByRole('dialog', { name: /城市大脑一期/ });
  await expect(drawer.getByLabel('项目名称')).toHaveValue('城市大脑一期');
  await expect(drawer.getByLabel('验收日期')).toHaveValue('2024-04-30');
  await drawer.getByRole('button', { name: '取消' }).click();
  await expect(drawer).toBeHidden();

  // Import: the template downloads, and the dry run of a workbook with a bad date names its row.
  await page.getByRole('button', { name: '导入' }).click();
  const dialog = page.getByRole('dialog', { name: '导入项目案例' });
  const template = dialog.getByRole('link', { name: /下载项目案例导入模板/ });
  const templateResponse = await page.request.get((await template.getAttribute('href'))!);
  expect(templateResponse.status()).toBe(200);
  expect(templateResponse.headers()['content-type']).toContain(XLSX);

  const upload = dialog.locator('input[type=file]');
  await upload.setInputFiles({
    name: '项目清单.xlsx',
    mimeType: XLSX,
    buffer: await projectsWorkbook([...GOOD_ROWS, BAD_ROW, SMALL_ROW]),
  });
  await expect(dialog.getByRole('alert')).toContainText('共 4 行，发现 1 处错误');
  const errors = dialog.getByRole('table', { name: '错误列表' });
  const badRow = errors.getByRole('row', { name: /第 4 行/ });
  await expect(badRow).toContainText('签订日期');
  await expect(badRow).toContainText('2026-13-01');
  await expect(dialog.getByRole('button', { name: '导入' })).toBeDisabled();
  await page.screenshot({ path: 'test-results/screens/import-dry-run.png' });

  // The corrected workbook passes the dry run, then imports.
  await upload.setInputFiles({
    name: '项目清单（已更正）.xlsx',
    mimeType: XLSX,
    buffer: await projectsWorkbook([...GOOD_ROWS, FIXED_ROW, SMALL_ROW]),
  });
  await expect(dialog.getByText('共 4 行，检查通过')).toBeVisible();
  await dialog.getByRole('button', { name: '导入' }).click();
  await expect(dialog.getByText('导入完成：新增 4 条，更新 0 条')).toBeVisible();
  await dialog.getByRole('button', { name: '完成' }).click();
  await expect(dialog).toBeHidden();
  await expect(projects.getByRole('row', { name: /智慧园区集成项目/ })).toContainText('15,000,000.00');
  await expect(projects.getByRole('row', { name: /数据中心机房改造项目/ })).toContainText('2025-01-10');

  // Readiness again: four large projects in the window, the requirement is met.
  await openTab(page, '达标评估');
  await expect(large).toContainText('满足');
  await expect(large).not.toContainText('不满足');
  await expect(large.getByTestId('requirement-value')).toContainText('当前 4 个');
  await large.getByText('计入的证据（4）').click();
  await expect(large.getByRole('link', { name: '智慧园区集成项目' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/readiness-after.png', fullPage: true });
});

test('staff ID numbers: masked in the drawer, shown whole on request, never sent back masked', async ({ page }) => {
  test.setTimeout(120_000);
  // The first test set the server up: log in.
  await page.goto('/login');
  await page.getByLabel('邮箱').fill(ADMIN.email);
  await page.getByLabel('密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('heading', { name: `欢迎，${ADMIN.name}` })).toBeVisible();
  const me = (await (await page.request.get('/api/me')).json()) as { csrfToken: string };
  const orgs = (await (await page.request.get('/api/orgs')).json()) as { items: Array<{ id: string; name: string }> };
  const orgId = orgs.items.find((o) => o.name === ORG.name)!.id;
  const ID_NUMBER = '11010519491231002X';
  const created = await page.request.post(`/api/orgs/${orgId}/staff`, {
    headers: { 'X-CSRF-Token': me.csrfToken },
    data: { name: '钱七', idNumber: ID_NUMBER, role: '项目经理' },
  });
  expect(created.status()).toBe(201);
  const staff = (await created.json()) as { id: string; idNumber: string };
  expect(staff.idNumber).toBe('110105********002X');

  // The list and the drawer show it masked, read-only.
  await page.goto(`/orgs/${orgId}/evidence/staff`);
  const row = page.getByRole('table', { name: '人员列表' }).getByRole('row', { name: /钱七/ });
  await expect(row).toContainText('110105********002X');
  await row.getByRole('button', { name: '编辑: 钱七' }).click();
  const drawer = page.getByRole('dialog', { name: /钱七/ });
  await expect(drawer.getByTestId('id-number-masked')).toHaveValue('110105********002X');
  await expect(drawer.getByText('查看完整号码会记入审计日志')).toBeVisible();

  // Saving another change does not send the masked number (nor flag it as invalid).
  const patch = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().includes(`/staff/${staff.id}`));
  await drawer.getByLabel('岗位').fill('高级项目经理');
  await drawer.getByRole('button', { name: '保存' }).click();
  expect((await patch).postDataJSON()).toEqual({ role: '高级项目经理' });
  await expect(drawer).toBeHidden();
  await expect(row).toContainText('高级项目经理');

  // An owner may show the whole number; the audit log records that.
  await row.getByRole('button', { name: '编辑: 钱七' }).click();
  await drawer.getByRole('button', { name: '显示完整号码' }).click();
  await expect(drawer.getByTestId('id-number-revealed')).toHaveValue(ID_NUMBER);
  await expect(drawer.getByText('完整号码，本次查看已记入审计日志')).toBeVisible();

  // “修改” empties the field for a new number, checked as it is typed.
  await drawer.getByRole('button', { name: '修改', exact: true }).click();
  await expect(drawer.getByLabel('身份证号')).toHaveValue('');
  await drawer.getByLabel('身份证号').fill('110105194912310021');
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(drawer.getByText('身份证号码校验位不正确')).toBeVisible();
  // Cancelling the change restores the stored number (still shown whole in this drawer).
  await drawer.getByRole('button', { name: '取消修改' }).click();
  await expect(drawer.getByTestId('id-number-revealed')).toHaveValue(ID_NUMBER);
  await drawer.getByRole('button', { name: '取消' }).click();
  await expect(drawer).toBeHidden();

  await page.goto('/audit');
  await expect(page.getByRole('table', { name: '审计日志列表' })).toContainText('查看完整身份证号');
});
