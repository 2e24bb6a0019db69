// A lost certificate from the event to the re-issued one: the officer records the loss, follows
// the case's steps with their deadlines, downloads the loss notice for the newspaper, uploads the
// published notice and the application, marks the fee receipt not applicable, and closes the case
// with the new certificate's number, which the certificate then carries.
//
// It runs against its own server on a fresh data folder, with the real clock.
import { execFileSync } from 'node:child_process';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { choose, creditCode, fillDate, signInAsAdmin, useOwnServer } from './support.js';

const PORT = Number(process.env.E2E_CASE_PORT ?? 8774);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'cases@example.com', name: '孙专员', password: 'correct-horse-42' };
const ORG = { name: '南京补证演示科技有限公司', creditCode: '91320100MA2CASE01' };

test.use({ baseURL: BASE, acceptDownloads: true });

useOwnServer(PORT, 'case');

const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const NUMBER = `CS2-${YEAR - 1}-LOST`;

/** A minimal PDF, as a scanned page would be uploaded. */
const pdf = (note: string) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n% ${note}\ntrailer <</Root 1 0 R>>\n%%EOF\n`,
  );

/**
 * A dialog once its opening animation has ended: a click that lands while it zooms in can be lost,
 * and the dialog then stays open.
 */
async function opened(dialog: Locator): Promise<Locator> {
  await expect(dialog).toBeVisible();
  await expect(dialog).not.toHaveClass(/ant-zoom/);
  return dialog;
}

async function seed(page: Page, company = ORG, number = NUMBER): Promise<{ orgId: string; certId: string }> {
  const me = (await (await page.request.get('/api/me')).json()) as {
    csrfToken: string;
    workspaces: Array<{ id: string }>;
  };
  const headers = { 'X-CSRF-Token': me.csrfToken };
  const org = await page.request.post('/api/orgs', {
    headers,
    data: { workspaceId: me.workspaces[0]!.id, name: company.name, creditCode: creditCode(company.creditCode) },
  });
  expect(org.status()).toBe(201);
  const orgId = ((await org.json()) as { id: string }).id;
  const cert = await page.request.post(`/api/orgs/${orgId}/certificates`, {
    headers,
    data: { level: 'CS2', number, issuer: '中国电子信息行业联合会', issuedOn: `${YEAR - 1}-06-01` },
  });
  expect(cert.status(), await cert.text()).toBe(201);
  return { orgId, certId: ((await cert.json()) as { id: string }).id };
}

test('runs a loss case from the event to the re-issued certificate', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  const { orgId, certId } = await seed(page);
  await page.goto(`/orgs/${orgId}/certificates/${certId}`);
  const card = page.getByTestId('cases-card');
  await expect(card).toContainText('这里会列出对应的办理步骤');

  // The loss, recorded as an event, opens the case.
  await page.getByRole('button', { name: '登记事件' }).click();
  const eventDialog = await opened(page.getByRole('dialog', { name: '登记事件' }));
  await choose(page, eventDialog, '事件类型', '证书遗失', true);
  await fillDate(eventDialog, '遗失日期', TODAY);
  await eventDialog.getByLabel('备注').fill('搬迁办公室时遗失正本');
  await eventDialog.getByRole('button', { name: '保存' }).click();
  await expect(eventDialog).toBeHidden();
  await expect(card).toContainText('遗失补办');
  await expect(card).toContainText('办理中');
  const steps = card.getByRole('table', { name: '办理步骤' });
  const apply = steps.getByRole('row', { name: /提交补发申请/ });
  // The application's deadline is the engine's, with its basis.
  await expect(apply).toContainText(/\d{4}-\d{2}-\d{2}/);
  await expect(apply).toContainText(`30 日，自 ${TODAY} 起算`);
  await expect(steps.getByRole('row', { name: /领取新证书/ })).toContainText('待上一步');

  // The dashboard lists the open case with its progress.
  await page.goto('/');
  const open = page.getByTestId('open-cases');
  await expect(open).toContainText('遗失补办');
  await expect(open).toContainText('步骤 0/3 · 材料 0/3');
  await open.getByRole('link', { name: NUMBER }).click();
  await expect(card).toContainText('遗失补办');

  // The notice, drafted for the newspaper.
  const downloading = page.waitForEvent('download');
  await card.getByRole('button', { name: '遗失声明（Word）' }).click();
  const notice = await downloading;
  const xml = execFileSync('unzip', ['-p', await notice.path(), 'word/document.xml'], { encoding: 'utf8' });
  expect(xml).toContain(`证书编号：${NUMBER}`);
  expect(xml).toContain('特此声明作废');

  // Published, then applied for: the application records its event and starts the collection's count.
  await steps
    .getByRole('row', { name: /刊登遗失声明/ })
    .getByRole('button', { name: '标记完成' })
    .click();
  let dialog = await opened(page.getByRole('dialog', { name: /标记完成：/ }));
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  await apply.getByRole('button', { name: '记录完成' }).click();
  dialog = await opened(page.getByRole('dialog', { name: /记录完成：/ }));
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  await expect(apply).toContainText(`已完成 ${TODAY}`);
  const collect = steps.getByRole('row', { name: /领取新证书/ });
  await expect(collect).toContainText('10 个工作日');

  // The checklist: the published notice and the application uploaded, the receipt not applicable.
  const checklist = card.getByRole('table', { name: '材料清单' });
  await checklist
    .getByRole('row', { name: /遗失声明（刊登的版面）/ })
    .locator('input[type=file]')
    .setInputFiles({ name: '遗失声明-报纸版面.pdf', mimeType: 'application/pdf', buffer: pdf('notice') });
  await expect(checklist.getByRole('link', { name: '遗失声明-报纸版面.pdf' })).toBeVisible();
  await checklist
    .getByRole('row', { name: /补发申请/ })
    .locator('input[type=file]')
    .setInputFiles({ name: '补发申请.pdf', mimeType: 'application/pdf', buffer: pdf('application') });
  await expect(checklist.getByRole('link', { name: '补发申请.pdf' })).toBeVisible();
  await checklist
    .getByRole('row', { name: /工本费缴费凭证/ })
    .getByRole('button', { name: '不适用' })
    .click();
  dialog = await opened(page.getByRole('dialog', { name: /标记不适用/ }));
  await dialog.getByLabel('原因').fill('评估机构当场收费，未出具凭证');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  await expect(card).toContainText('材料 3/3');

  // Closing with the new number: the case is closed and the certificate carries the number.
  await card.getByRole('button', { name: '结案' }).click();
  dialog = await opened(page.getByRole('dialog', { name: '结案' }));
  await dialog.getByLabel('新证书编号').fill(`${NUMBER}-B`);
  await dialog.getByRole('button', { name: /结\s*案/ }).click();
  await expect(dialog).toBeHidden();
  await expect(card).toContainText('已结案');
  await expect(card).toContainText(`新证书编号 ${NUMBER}-B`);
  await expect(page.getByRole('heading', { name: new RegExp(`${NUMBER}-B`) }).first()).toBeVisible();
  await expect(page.getByRole('table', { name: '事件列表' })).toContainText('证书已换发/补发');
});

test('records a policy update, assesses a company as affected and adds an action to its case', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  const other = { name: '苏州政策演示科技有限公司', creditCode: '91320500MA2POLI01' };
  await seed(page, other, `CS2-${YEAR - 1}-POLI`);
  await page.getByRole('navigation', { name: '主菜单' }).getByText('政策更新').click();
  await page.getByRole('button', { name: '登记更新' }).click();
  const dialog = await opened(page.getByRole('dialog', { name: '登记更新' }));
  await dialog.getByLabel('标题').fill('评估标准 2025 修订版');
  await dialog.getByLabel('变化内容').fill('新增人工智能和绿色数据中心能力要求');
  // A multiple choice stays open after a pick: pick, then leave the field.
  await dialog.getByLabel('涉及等级', { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="CS2"]').click();
  await dialog.getByLabel('标题').click();
  await expect(page.locator('.ant-select-dropdown:visible')).toHaveCount(0);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  const table = page.getByRole('table', { name: '政策和标准更新列表' });
  // The update's row (its expanded row below names it too).
  const row = table.getByRole('row', { name: /评估标准 2025 修订版/ }).first();
  await expect(row).toContainText('已评估 0 家 · 受影响 0 家');

  // The company holds a CS2 certificate: the update names its level.
  await row.getByRole('button', { name: /展开行|Expand row/ }).click();
  const impacts = page.getByRole('table', { name: '“评估标准 2025 修订版”对各企业的影响' });
  const company = impacts.getByRole('row', { name: new RegExp(other.name) });
  await expect(company).toContainText('涉及本企业的证书等级');
  await company.getByRole('button', { name: '评估影响' }).click();
  const assess = await opened(page.getByRole('dialog', { name: `评估影响：${other.name}` }));
  await assess.getByLabel('评估说明').fill('涉及数据中心运维');
  await assess.getByRole('button', { name: /保\s*存/ }).click();
  await expect(assess).toBeHidden();
  await expect(company).toContainText('受影响');
  await expect(row).toContainText('受影响 1 家');

  // Its case on the certificate: the review due, and an action added as a duty.
  await company.getByRole('link', { name: '查看办理事项' }).click();
  const card = page.getByTestId('cases-card');
  await expect(card).toContainText('政策更新');
  await expect(card.getByRole('table', { name: '办理步骤' })).toContainText('30 日');
  await card.getByRole('button', { name: '添加落实事项' }).click();
  const action = await opened(page.getByRole('dialog', { name: '添加落实事项' }));
  await action.getByLabel('事项').fill('修订数据中心运维制度');
  await fillDate(action, '期限', TODAY);
  await action.getByRole('button', { name: /保\s*存/ }).click();
  await expect(action).toBeHidden();
  await expect(card).toContainText('修订数据中心运维制度');
});
