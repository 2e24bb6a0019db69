// Joining a workspace (issue: members are invited, never given a password by an admin): an admin
// invites a colleague, copies the link shown once, and the colleague opens it in their own browser,
// chooses a password and lands in the app with the role given; a colleague without e-mail logs in
// with a temporary password and must choose their own before anything else; someone logged in as
// another address is told so; the password-reset pages answer.
//
// It runs against its own server on a fresh data folder: journey.spec.ts must meet a server
// without an administrator, and this file sorts before it.
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { choose, signInAsAdmin, useOwnServer } from './support.js';

const PORT = Number(process.env.E2E_INVITATIONS_PORT ?? 8768);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'owner@example.com', name: '周所有者', password: 'correct-horse-42' };
const MEMBER = { email: 'li.si@example.com', name: '李四', password: 'li-si-own-secret-1' };
const OFFLINE = {
  email: 'wang.wu@example.com',
  name: '王五',
  temporary: 'temporary-pass-2026',
  password: 'wang-wu-own-secret-1',
};
const STRANGER = { email: 'zhao.liu@example.com', name: '赵六' };

test.use({ baseURL: BASE });

useOwnServer(PORT, 'invitations');

const signIn = (page: Page) => signInAsAdmin(page, ADMIN);

/** Fills the invitation form on the members page and sends it; returns the dialog showing the link. */
async function invite(
  page: Page,
  person: { email: string; name: string },
  role: string,
  temporaryPassword?: string,
): Promise<Locator> {
  await page.goto('/members');
  await page.getByRole('button', { name: '邀请成员' }).click();
  const dialog = page.getByRole('dialog', { name: '邀请成员' });
  await dialog.getByLabel('邮箱', { exact: true }).fill(person.email);
  await dialog.getByLabel('姓名', { exact: true }).fill(person.name);
  await choose(page, dialog, '角色', role);
  if (temporaryPassword) {
    await dialog.getByRole('radio', { name: '临时密码（无邮箱的同事）' }).check();
    await dialog.getByLabel('临时密码', { exact: true }).fill(temporaryPassword);
  }
  await dialog.getByRole('button', { name: '发送邀请' }).click();
  await expect(dialog).toBeHidden();
  const shown = page.getByRole('dialog', { name: '邀请已创建' });
  await expect(shown).toBeVisible();
  await expect(shown.getByText('此链接只显示这一次')).toBeVisible();
  return shown;
}

/** A second person's browser: no cookies of the admin's. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  return context.newPage();
}

test('an invited colleague opens the link, chooses a password and lands with the role given', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });

  const shown = await invite(page, MEMBER, '资质专员');
  // No mail is configured on this server: the dialog says so and offers the link to copy.
  await expect(shown.getByTestId('invite-delivery')).toContainText(
    `请复制链接，通过微信、钉钉等方式发给 ${MEMBER.email}`,
  );
  const link = await shown.getByLabel('邀请链接').inputValue();
  expect(link).toMatch(new RegExp(`^${BASE}/invite#[A-Za-z0-9_-]{16,}$`));
  await shown.getByRole('button', { name: '复制链接' }).click();
  await expect(page.getByText('已复制')).toBeVisible();
  // A string, since the e2e code is type-checked without the DOM library.
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(link);
  await page.screenshot({ path: 'test-results/screens/invitation-link.png' });
  await shown.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
  await expect(shown).toBeHidden();

  // The invitation waits in the list.
  const invitations = page.getByRole('table', { name: '邀请列表' });
  await expect(invitations.getByRole('row', { name: new RegExp(MEMBER.email) })).toContainText('待接受');

  // The colleague opens the link in their own browser: who invites them where, with which role.
  const invitee = await freshPage(browser);
  await invitee.goto(link);
  await expect(invitee.getByRole('heading', { name: '接受邀请' })).toBeVisible();
  await expect(invitee.getByText(`${ADMIN.name} 邀请您加入工作空间`)).toBeVisible();
  await expect(invitee.getByText(MEMBER.email, { exact: true })).toBeVisible();
  await expect(invitee.getByText('资质专员', { exact: true })).toBeVisible();
  await expect(invitee.getByLabel('姓名')).toHaveValue(MEMBER.name);

  // The browser checks the password before anything is sent.
  await invitee.getByLabel('密码', { exact: true }).fill('short');
  await invitee.getByLabel('确认密码').fill('short');
  await invitee.getByRole('button', { name: '创建账户并加入' }).click();
  await expect(invitee.getByText('密码至少需要 10 个字符')).toBeVisible();
  await invitee.getByLabel('密码', { exact: true }).fill(MEMBER.password);
  await invitee.getByLabel('确认密码').fill(MEMBER.password);
  await invitee.screenshot({ path: 'test-results/screens/invitation-accept.png', fullPage: true });
  await invitee.getByRole('button', { name: '创建账户并加入' }).click();

  // Logged in, in the workspace, as a qualification specialist (资质专员): no audit log for them.
  await expect(invitee.getByRole('heading', { name: `欢迎，${MEMBER.name}` })).toBeVisible();
  await invitee.getByRole('navigation').getByRole('menuitem', { name: '成员' }).click();
  const me = invitee
    .getByRole('table', { name: '成员列表' })
    .getByRole('row', { name: new RegExp(`${MEMBER.name}（我）`) });
  await expect(me).toContainText('资质专员');
  await expect(invitee.getByRole('navigation').getByRole('menuitem', { name: '审计日志' })).toHaveCount(0);

  // The link worked once.
  await invitee.goto(link);
  await expect(invitee.getByRole('heading', { name: '邀请链接不可用' })).toBeVisible();
  await expect(invitee.getByRole('alert')).toContainText('邀请链接无效、已使用或已过期');
  await invitee.context().close();

  // The admin sees the invitation accepted and the new member with the role.
  await page.reload();
  await expect(invitations.getByRole('row', { name: new RegExp(MEMBER.email) })).toContainText('已接受');
  await expect(
    page.getByRole('table', { name: '成员列表' }).getByRole('row', { name: new RegExp(MEMBER.email) }),
  ).toContainText('资质专员');
});

test('a colleague without e-mail logs in with a temporary password and must choose their own first', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signIn(page);
  const shown = await invite(page, OFFLINE, '只读', OFFLINE.temporary);
  await expect(shown.getByTestId('invite-delivery')).toContainText('首次登录须先设置自己的密码');
  await shown.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
  await expect(
    page.getByRole('table', { name: '邀请列表' }).getByRole('row', { name: new RegExp(OFFLINE.email) }),
  ).toContainText('临时密码');

  // The colleague logs in with the address and the temporary password.
  const colleague = await freshPage(browser);
  await colleague.goto('/login');
  await colleague.getByLabel('邮箱').fill(OFFLINE.email);
  await colleague.getByLabel('密码').fill(OFFLINE.temporary);
  await colleague.getByRole('button', { name: '登录' }).click();
  await expect(colleague).toHaveURL(/\/set-password$/);
  await expect(colleague.getByRole('heading', { name: '请先设置您自己的密码' })).toBeVisible();
  await colleague.screenshot({ path: 'test-results/screens/must-change-password.png', fullPage: true });

  // Nothing else opens until then.
  await colleague.goto('/orgs');
  await expect(colleague).toHaveURL(/\/set-password\?next=%2Forgs$/);
  await expect(colleague.getByRole('heading', { name: '请先设置您自己的密码' })).toBeVisible();

  // A wrong temporary password gets the server's message on the field.
  await colleague.getByLabel('临时密码', { exact: true }).fill('not-the-temporary-one');
  await colleague.getByLabel('新密码', { exact: true }).fill(OFFLINE.password);
  await colleague.getByLabel('确认新密码').fill(OFFLINE.password);
  await colleague.getByRole('button', { name: '设置密码并继续' }).click();
  await expect(colleague.getByText('当前密码不正确')).toBeVisible();

  await colleague.getByLabel('临时密码', { exact: true }).fill(OFFLINE.temporary);
  await colleague.getByRole('button', { name: '设置密码并继续' }).click();
  await expect(colleague).toHaveURL(/\/orgs$/);
  await expect(colleague.getByRole('heading', { name: '企业' })).toBeVisible();
  await colleague.goto('/');
  await expect(colleague.getByRole('heading', { name: `欢迎，${OFFLINE.name}` })).toBeVisible();
  await colleague.context().close();

  // The temporary password no longer opens the account; the own one does.
  const again = await freshPage(browser);
  await again.goto('/login');
  await again.getByLabel('邮箱').fill(OFFLINE.email);
  await again.getByLabel('密码').fill(OFFLINE.temporary);
  await again.getByRole('button', { name: '登录' }).click();
  await expect(again.getByRole('alert')).toContainText('邮箱或密码不正确');
  await again.getByLabel('密码').fill(OFFLINE.password);
  await again.getByRole('button', { name: '登录' }).click();
  await expect(again.getByRole('heading', { name: `欢迎，${OFFLINE.name}` })).toBeVisible();
  await again.context().close();
});

test('an invitation opened while logged in as someone else says so; the reset pages answer', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  const shown = await invite(page, STRANGER, '贡献者');
  const link = await shown.getByLabel('邀请链接').inputValue();
  await shown.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();

  // The admin opens it: logged in as another address, accepting is refused with the reason.
  await page.goto(link);
  await expect(page.getByText(`您当前以 ${ADMIN.email} 登录。`)).toBeVisible();
  await page.getByRole('button', { name: '接受邀请' }).click();
  await expect(page.getByRole('alert')).toContainText(`这份邀请发给 ${STRANGER.email}`);

  // Logging out offers the form to create the invited account, and a way to log in instead.
  await page.getByRole('button', { name: '退出当前账户' }).click();
  await expect(page.getByRole('heading', { name: '设置您的账户' })).toBeVisible();
  await expect(page.getByLabel('姓名')).toHaveValue(STRANGER.name);
  await page.getByRole('link', { name: '已有账户？登录后接受' }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Finvite%23/);
  await expect(page.getByText('登录后将回到邀请页面，接受邀请。')).toBeVisible();

  // Forgotten password: the same answer for any address.
  await page.getByRole('link', { name: '忘记密码？' }).click();
  await expect(page.getByRole('heading', { name: '忘记密码' })).toBeVisible();
  await page.getByLabel('邮箱').fill(MEMBER.email);
  await page.getByRole('button', { name: '发送重置链接' }).click();
  await expect(page.getByRole('status')).toContainText(`如果 ${MEMBER.email} 有账户`);

  // A reset link that is not (or no longer) valid is refused with the server's message.
  await page.goto(`/reset-password#${'0'.repeat(43)}`);
  await expect(page.getByRole('heading', { name: '设置新密码' })).toBeVisible();
  await page.getByLabel('新密码', { exact: true }).fill('another-secret-42');
  await page.getByLabel('确认新密码').fill('another-secret-42');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByRole('alert')).toContainText('重置链接无效、已使用或已过期');
  await page.goto('/reset-password');
  await expect(page.getByRole('alert')).toContainText('重置链接不完整');
});
