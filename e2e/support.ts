// What several journeys share: a server of their own on a fresh data folder, the administrator's
// first visit or later log-in, and the form helpers for antd fields.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';

/**
 * Starts `e2e/serve.mjs` on `port` before the file's tests and stops it after (serve.mjs then
 * removes its data folder). `what` names the server in a start-up failure.
 */
export function useOwnServer(port: number, what: string): void {
  let server: ChildProcess | undefined;
  test.beforeAll(async () => {
    const root = dirname(dirname(fileURLToPath(import.meta.url)));
    server = spawn(process.execPath, [join(root, 'e2e/serve.mjs')], {
      cwd: root,
      env: { ...process.env, PORT: String(port) },
      stdio: 'inherit',
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the ${what} server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  test.afterAll(async () => {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  });
}

/** Creates the administrator on the first visit, or logs in afterwards. */
export async function signInAsAdmin(page: Page, admin: { email: string; name: string; password: string }) {
  await page.goto('/');
  const setup = page.getByRole('heading', { name: '创建管理员账号' });
  const login = page.getByRole('heading', { name: '登录' });
  const welcome = page.getByRole('heading', { name: `欢迎，${admin.name}` });
  await expect(setup.or(login).or(welcome)).toBeVisible();
  if (await setup.isVisible()) {
    await page.getByLabel('邮箱').fill(admin.email);
    await page.getByLabel('姓名').fill(admin.name);
    await page.getByLabel('密码', { exact: true }).fill(admin.password);
    await page.getByLabel('确认密码').fill(admin.password);
    await page.getByRole('button', { name: '创建管理员' }).click();
    await expect(login.or(welcome)).toBeVisible();
  }
  if (await login.isVisible()) {
    await page.getByLabel('邮箱').fill(admin.email);
    await page.getByLabel('密码').fill(admin.password);
    await page.getByRole('button', { name: '登录' }).click();
  }
  await expect(welcome).toBeVisible();
}

/** A valid unified social credit code made from `base` (its check character computed). */
export function creditCode(base: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const body = base
    .toUpperCase()
    .replace(/[^0-9ABCDEFGHJKLMNPQRTUWXY]/g, '0')
    .slice(0, 17);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += chars.indexOf(body[i]!) * weights[i]!;
  return body + chars[(31 - (sum % 31)) % 31];
}

/** Picks `option` in the antd Select labelled `label` inside `scope` (typing it when `search`). */
export async function choose(page: Page, scope: Locator | Page, label: string, option: string, search = false) {
  const field = scope.getByLabel(label, { exact: true });
  const open = page.locator('.ant-select-dropdown:visible');
  const item = page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`);
  // A click that lands while a dialog is still animating in can miss: open and pick again until the
  // list has closed on the choice.
  await expect(async () => {
    if ((await open.count()) === 0) await field.click();
    if (search) {
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(option);
      await expect(item).toBeVisible({ timeout: 2_000 });
      await page.keyboard.press('Enter');
    } else {
      await item.click({ timeout: 2_000 });
    }
    await expect(open).toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** Types a date into the antd DatePicker labelled `label` inside `scope`. */
export async function fillDate(scope: Locator | Page, label: string, value: string, exact = true) {
  const input = scope.getByLabel(label, { exact });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}
