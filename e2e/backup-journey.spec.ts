// Data safety as the administrator sees it: the backup page backs up now into the default folder,
// the restore drill proves the archive restores, and a workspace exported from the members page is
// checked by the import page, which refuses it on the same instance (it is already here) without
// changing anything.
//
// It runs against its own server on a fresh data folder (journey.spec.ts must meet a server without
// an administrator).
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { signInAsAdmin, useOwnServer } from './support.js';

const PORT = Number(process.env.E2E_BACKUP_PORT ?? 8770);
const ADMIN = { email: 'backup@example.com', name: '孙管理员', password: 'correct-horse-43' };

test.use({ baseURL: `http://127.0.0.1:${PORT}` });

useOwnServer(PORT, 'backup');

test('backs up now, passes the restore drill, and checks an exported workspace before importing', async ({ page }) => {
  test.setTimeout(240_000);
  await signInAsAdmin(page, ADMIN);

  await page.goto('/settings/backups');
  await expect(page.getByRole('heading', { name: '备份' })).toBeVisible();
  await expect(page.getByText('本地文件夹', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: '立即备份' }).click();
  const runs = page.getByRole('table', { name: '最近的备份记录' });
  const run = runs.getByRole('row').filter({ hasText: '手动' });
  await expect(run.getByText('成功')).toBeVisible({ timeout: 60_000 });
  await expect(run).toContainText('行数据');

  await run.getByRole('button', { name: '恢复演练' }).click();
  await expect(run.getByText('通过', { exact: true })).toBeVisible({ timeout: 150_000 });
  await expect(page.getByText('尚未演练')).toHaveCount(0);

  await page.goto('/members');
  await page.getByRole('checkbox', { name: '用口令加密导出文件（推荐）' }).uncheck();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出工作空间' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.tar\.gz$/);
  const archive = await readFile(await download.path());
  expect(archive.length).toBeGreaterThan(0);

  await page.goto('/settings/workspace-import');
  await expect(page.getByRole('heading', { name: '导入工作空间' })).toBeVisible();
  await page
    .locator('input[type=file]')
    .setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/gzip', buffer: archive });
  await expect(page.getByText('本系统中已有这个工作空间或其中的数据，不能导入')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: '确认导入' })).toBeDisabled();
});
