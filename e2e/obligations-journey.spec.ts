// The qualification specialist's journey (issue 4): a CS3 certificate, its supervision window, a
// complaint whose deadline shows before saving, marking it done, the dashboard, and the public page.
// Runs after journey.spec.ts on the same server (it logs in), or alone on a fresh one (it sets up).
import { expect, test, type Page } from '@playwright/test';
import { choose, creditCode, fillDate, signInAsAdmin } from './support.js';

const ADMIN = { email: 'admin@example.com', name: '王管理', password: 'correct-horse-42' };
const SUFFIX = Date.now().toString(36).toUpperCase();
const ORG = {
  name: `杭州资质演示科技有限公司 ${SUFFIX}`,
  creditCode: creditCode(`913301007${SUFFIX.slice(-8).padStart(8, '0')}`),
};
const CERT = { number: `CS3-20250315-${SUFFIX}`, issuer: '中国电子信息行业联合会', issuedOn: '2025-03-15' };

const signIn = (page: Page) => signInAsAdmin(page, ADMIN);

async function dashboardNumber(page: Page, testId: string): Promise<number> {
  await page.goto('/'); // a fresh load: no cached dashboard
  const value = page.getByTestId(testId);
  await expect(value).toBeVisible();
  return Number((await value.innerText()).replace(/\D/g, ''));
}

test('certificate, supervision window, complaint deadline before saving, done, dashboard, public page', async ({
  page,
}) => {
  test.setTimeout(180_000); // a long journey on a cold server
  await signIn(page);
  const certificatesBefore = await dashboardNumber(page, 'certificates-total');

  // An organisation to hold the certificate.
  await page.getByRole('navigation').getByRole('menuitem', { name: '企业' }).click();
  await page.getByRole('button', { name: '新建企业' }).click();
  const orgDialog = page.getByRole('dialog', { name: '新建企业' });
  await orgDialog.getByLabel('企业名称').fill(ORG.name);
  await orgDialog.getByLabel('统一社会信用代码').fill(ORG.creditCode);
  await orgDialog.getByRole('button', { name: '保存' }).click();
  await expect(orgDialog).toBeHidden();
  await page.getByRole('link', { name: ORG.name }).click();
  await expect(page.getByRole('heading', { name: ORG.name })).toBeVisible();

  // Add a CS3 certificate issued 2025-03-15: the expiry proposal (issue + 4 years − 1 day) shows live.
  await page.getByRole('button', { name: '新增证书' }).click();
  const certDialog = page.getByRole('dialog', { name: '新增证书' });
  await choose(page, certDialog, '等级', 'CS3 良好级');
  await certDialog.getByLabel('证书编号').fill(CERT.number);
  await certDialog.getByLabel('评估机构').fill(CERT.issuer);
  await fillDate(certDialog, '发证日期', CERT.issuedOn);
  await expect(certDialog.getByText('建议到期日：2029-03-14')).toBeVisible();
  await certDialog.getByRole('button', { name: '采用建议日期' }).click();
  await expect(certDialog.getByLabel('到期日（证书所印）', { exact: true })).toHaveValue('2029-03-14');
  await certDialog.getByLabel('公开验证').click();
  await certDialog.getByRole('button', { name: '保存' }).click();
  await expect(certDialog).toBeHidden();

  // The certificate page: validity, and the first supervision window 2026-03-15 … 2026-09-15.
  await expect(page.getByRole('heading', { name: `证书 ${CERT.number}` })).toBeVisible();
  // Issued before today, the certificate opens with the history step; this journey records the
  // supervision through the event form instead (history-journey.spec.ts covers the step).
  const historyDialog = page.getByRole('dialog', { name: /补录历史/ });
  await historyDialog.getByRole('button', { name: '跳过' }).click();
  await expect(historyDialog).toBeHidden();
  await expect(page.getByTestId('expires-on')).toHaveText('2029-03-14');
  const certUrl = page.url();
  // Public: the page is addressed by an unguessable slug, not by the certificate number.
  const publicUrl = new URL((await page.getByTestId('public-url').innerText()).trim());
  expect(publicUrl.pathname).toMatch(/^\/verify\/[0-9a-f]{32}$/);
  const slug = publicUrl.pathname.slice('/verify/'.length);
  const obligations = page.getByRole('table', { name: '义务列表' });
  await choose(page, page, '规则', '第一次监督评估', true);
  const supervisionRow = obligations.getByRole('row', { name: /第一次监督评估/ });
  await expect(supervisionRow).toContainText('2026-03-15 … 2026-09-15');
  await page.screenshot({ path: 'test-results/screens/certificate.png', fullPage: true });

  // The first supervision took place (today is past its window; without it the certificate would be
  // abandoned and later events not used).
  await page.getByRole('button', { name: '登记事件' }).click();
  let eventDialog = page.getByRole('dialog', { name: '登记事件' });
  await choose(page, eventDialog, '事件类型', '监督评估结果', true);
  await fillDate(eventDialog, '评估结论日期', '2026-06-10');
  await eventDialog.getByRole('radio', { name: '通过', exact: true }).check();
  await eventDialog.getByRole('button', { name: '保存' }).click();
  await expect(eventDialog).toBeHidden();
  await expect(supervisionRow).toContainText('已由事件满足（2026-06-10）');

  // A complaint received 2026-09-28: the form shows the deadline 2026-10-13 and its basis before saving.
  await page.getByRole('button', { name: '登记事件' }).click();
  eventDialog = page.getByRole('dialog', { name: '登记事件' });
  await choose(page, eventDialog, '事件类型', '投诉', true);
  await fillDate(eventDialog, '收到投诉日期', '2026-09-28');
  const preview = eventDialog.getByTestId('event-preview');
  await expect(preview).toContainText('截止 2026-10-13：7 个工作日');
  await expect(preview).toContainText('国庆节假期');
  await expect(preview).toContainText('来源 行业惯例');
  await page.screenshot({ path: 'test-results/screens/event-preview.png' });
  await eventDialog.getByRole('button', { name: '保存' }).click();
  await expect(eventDialog).toBeHidden();
  await expect(page.getByRole('table', { name: '事件列表' })).toContainText('投诉');

  // The dashboard counts the new certificate, and the complaint among the overdue items.
  expect(await dashboardNumber(page, 'certificates-total')).toBe(certificatesBefore + 1);
  const overdueBefore = await dashboardNumber(page, 'overdue-value');
  expect(overdueBefore).toBeGreaterThan(0);

  // Mark the complaint response done with a note.
  await page.goto(certUrl);
  await choose(page, page, '规则', '投诉调查与整改方案', true);
  const complaintRow = obligations.getByRole('row', { name: /投诉调查与整改方案/ });
  await expect(complaintRow).toContainText('2026-10-13');
  await expect(complaintRow).toContainText('已逾期');
  await complaintRow.getByRole('button', { name: '完成: 投诉调查与整改方案' }).click();
  const doneDialog = page.getByRole('dialog', { name: /标记完成/ });
  await doneDialog.getByLabel('备注').fill('已提交整改方案并申请现场复核');
  await doneDialog.getByRole('button', { name: '保存' }).click();
  await expect(doneDialog).toBeHidden();
  await expect(complaintRow).toContainText('已完成');
  await expect(complaintRow).toContainText('已提交整改方案并申请现场复核');

  // The dashboard counts change.
  expect(await dashboardNumber(page, 'overdue-value')).toBe(overdueBefore - 1);
  await expect(page.getByRole('img', { name: /时间线/ }).locator('canvas')).toBeVisible();
  await expect(page.getByText('最近的截止日期')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/dashboard.png', fullPage: true });

  // The obligations page lists it too, across the workspace.
  await page.getByRole('navigation').getByRole('menuitem', { name: '义务' }).click();
  await expect(page.getByRole('heading', { name: '义务' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/obligations.png', fullPage: true });

  // Past duties of a certificate entered late are closed together: two overdue items at once.
  const overdueNow = await dashboardNumber(page, 'overdue-value');
  await page.getByRole('navigation').getByRole('menuitem', { name: '义务' }).click();
  const list = page.getByRole('table', { name: '义务列表' });
  const lateRows = list.getByRole('row').filter({ hasText: '已逾期' });
  await lateRows.nth(0).getByRole('checkbox').check();
  await lateRows.nth(1).getByRole('checkbox').check();
  await expect(page.getByText('已选 2 项')).toBeVisible();
  await page.getByRole('button', { name: '批量标记完成' }).click();
  const bulkDialog = page.getByRole('dialog', { name: /将 2 项义务标记为已完成/ });
  await bulkDialog.getByLabel('备注').fill('登记证书前已完成，记录见内审档案');
  await bulkDialog.getByRole('button', { name: '保存' }).click();
  await expect(bulkDialog).toBeHidden();
  await expect(page.getByText('已更新 2 项义务')).toBeVisible();
  expect(await dashboardNumber(page, 'overdue-value')).toBe(overdueNow - 2);
  await page.getByRole('navigation').getByRole('menuitem', { name: '义务' }).click();
  await page.getByText('月历', { exact: true }).click();
  await expect(page.locator('.ant-picker-calendar')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/obligations-calendar.png', fullPage: true });

  // The certificate is public: its verification page, badge and QR code render at its slug.
  const verify = await page.request.get(publicUrl.pathname);
  expect(verify.status()).toBe(200);
  await page.goto(publicUrl.pathname);
  await expect(page.getByText(CERT.number).first()).toBeVisible();
  await expect(page.getByText(ORG.name).first()).toBeVisible();
  await expect(page.getByText('2029-03-14').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/verify.png', fullPage: true });
  const badge = await page.request.get(`/badge/${slug}.svg`);
  expect(badge.status()).toBe(200);
  expect(badge.headers()['content-type']).toContain('image/svg+xml');
  expect(await badge.text()).toContain('CS3');
  const qr = await page.request.get(`/qr/${slug}.png`);
  expect(qr.status()).toBe(200);
  expect(qr.headers()['content-type']).toContain('image/png');
  // The number alone no longer names a badge (numbers are guessable).
  expect((await page.request.get(`/badge/${encodeURIComponent(CERT.number)}.svg`)).status()).toBe(404);
  await page.goto(`/badge/${slug}.svg`);
  await page.screenshot({ path: 'test-results/screens/badge.png' });

  // The user changes their password from the user menu (and back, so a reused server still works).
  const changes: Array<{ from: string; to: string }> = [
    { from: ADMIN.password, to: 'a-new-secret-2026' },
    { from: 'a-new-secret-2026', to: ADMIN.password },
  ];
  for (const { from, to } of changes) {
    await page.goto('/');
    await page.getByRole('button', { name: /用户菜单/ }).click();
    await page.getByRole('menuitem', { name: '修改密码' }).click();
    const dialog = page.getByRole('dialog', { name: '修改密码' });
    await dialog.getByLabel('当前密码').fill(from);
    await dialog.getByLabel('新密码', { exact: true }).fill(to);
    await dialog.getByLabel('确认新密码').fill(to);
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(page.getByText('密码已修改')).toBeVisible();
    await expect(dialog).toBeHidden();
  }
});

test('a calendar feed of one organisation’s open work, chosen when it is made', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  await page.goto('/calendar-feeds');
  await page.getByRole('button', { name: /生成订阅地址/ }).click();
  const dialog = page.getByRole('dialog', { name: /生成订阅地址/ });
  await dialog.getByLabel('向后天数').fill('365');
  await dialog.getByLabel('企业', { exact: true }).click();
  await page.keyboard.type(ORG.name);
  await expect(page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${ORG.name}"]`)).toBeVisible();
  await page.keyboard.press('Enter');
  await dialog.locator('.ant-modal-title').click();
  await dialog.getByRole('button', { name: '生成', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('订阅地址只显示这一次')).toBeVisible();

  const address = await page.locator('code').filter({ hasText: '/api/calendar/' }).first().innerText();
  const feed = await page.request.get(new URL(address).pathname);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  const lines = (await feed.text()).replace(/\r\n /g, '').split('\r\n');
  const summaries = lines.filter((l) => l.startsWith('SUMMARY:'));
  expect(summaries.length).toBeGreaterThan(0);
  expect(summaries.every((l) => l.includes(ORG.name))).toBe(true);
  // Finished work stays out by default: nothing marked done.
  expect(summaries.some((l) => l.startsWith('SUMMARY:✔'))).toBe(false);
  await expect(page.getByRole('table', { name: '日历订阅列表' })).toContainText('1 家企业');
  await expect(page.getByRole('table', { name: '日历订阅列表' })).toContainText('今天前 90 天至后 365 天');
});
