// What several journeys share: a server of their own on a fresh data folder, and the administrator's
// first visit or later log-in.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

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
