import { expect, test, type Page } from '@playwright/test';

const ADMIN = { email: 'admin@example.com', name: '王管理', password: 'correct-horse-42' };
const ORG = {
  name: '深圳市示例信息技术有限公司',
  creditCode: '91440300708461136T',
  legalRepresentative: '李四',
  foundedOn: '2001-05-03',
};
const INVALID_CODE = '91440300708461136A';

async function logIn(page: Page) {
  await page.getByLabel('邮箱').fill(ADMIN.email);
  await page.getByLabel('密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('first visit: create the administrator, add an organisation, switch to English, log out', async ({ page }) => {
  // First visit goes to the setup page.
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: '创建管理员账号' })).toBeVisible();

  // The client checks the password length and its confirmation before anything is sent.
  await page.getByLabel('邮箱').fill(ADMIN.email);
  await page.getByLabel('姓名').fill(ADMIN.name);
  await page.getByLabel('密码', { exact: true }).fill('short');
  await page.getByLabel('确认密码').fill('short');
  await page.getByRole('button', { name: '创建管理员' }).click();
  await expect(page.getByText('密码至少需要 10 个字符')).toBeVisible();

  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('确认密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '创建管理员' }).click();

  // Setup signs the administrator in; should a server ask for a login instead, log in.
  await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
  if (new URL(page.url()).pathname === '/login') await logIn(page);
  await expect(page.getByRole('heading', { name: `欢迎，${ADMIN.name}` })).toBeVisible();

  // The setup page is gone once the administrator exists.
  await page.goto('/setup');
  await expect(page).not.toHaveURL(/\/setup$/);

  // Create an organisation with a valid credit code.
  await page.getByRole('navigation').getByRole('menuitem', { name: '企业' }).click();
  await expect(page.getByRole('heading', { name: '企业' })).toBeVisible();
  await expect(page.getByText('共 0 家企业')).toBeVisible();
  await page.getByRole('button', { name: '新建企业' }).click();
  const dialog = page.getByRole('dialog', { name: '新建企业' });
  await dialog.getByLabel('企业名称').fill(ORG.name);
  await dialog.getByLabel('统一社会信用代码').fill(ORG.creditCode);
  await dialog.getByLabel('法定代表人').fill(ORG.legalRepresentative);
  await dialog.getByLabel('成立日期').fill(ORG.foundedOn);
  await dialog.getByLabel('成立日期').press('Enter');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();

  // It is in the list, with its founding date as entered (no time-zone shift).
  const table = page.getByRole('table');
  const row = table.getByRole('row', { name: new RegExp(ORG.name) });
  await expect(row).toBeVisible();
  await expect(row).toContainText(ORG.creditCode);
  await expect(row).toContainText('未登记证书');
  await expect(page.getByText('共 1 家企业')).toBeVisible();

  // An invalid credit code (wrong check character) gets a clear message and nothing is saved.
  await page.getByRole('button', { name: '新建企业' }).click();
  await dialog.getByLabel('企业名称').fill('校验位错误的公司');
  await dialog.getByLabel('统一社会信用代码').fill(INVALID_CODE);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByText('统一社会信用代码校验位（最后一位）不正确')).toBeVisible();
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(page.getByText('共 1 家企业')).toBeVisible();
  await expect(page.getByRole('row', { name: /校验位错误的公司/ })).toHaveCount(0);

  // The profile page shows the organisation.
  await row.getByRole('link', { name: ORG.name }).click();
  await expect(page.getByRole('heading', { name: ORG.name })).toBeVisible();
  await expect(page.getByText(ORG.legalRepresentative)).toBeVisible();
  await page.getByRole('link', { name: '返回企业列表' }).click();

  // Switch to English: labels change, and the choice survives a reload.
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Organisations' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New organisation' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Next deadline' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('navigation').getByRole('menuitem', { name: 'Members' })).toBeVisible();

  await expect(page.getByRole('button', { name: '中文', exact: true })).toBeVisible();

  // Log out from the user menu: back on the login page, still in English.
  // A click that lands while the menu is still opening can miss: open and click again until it logs out.
  const logOut = page.getByRole('menuitem', { name: 'Log out' });
  await expect(async () => {
    if (!(await logOut.isVisible())) await page.getByRole('button', { name: /User menu/ }).click();
    await logOut.click({ timeout: 2_000 });
    await expect(page).toHaveURL(/\/login$/, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();

  // Pages behind the session now send the visitor to the login page.
  await page.goto('/orgs');
  await expect(page).toHaveURL(/\/login\?next=%2Forgs$/);
});
