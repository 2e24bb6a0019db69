// The annual self-check report: a CS2 company downloads this year's draft in Word and PDF from the
// certificate page, files it on the assessment platform, and records the submission with the
// platform's receipt number. The submission is kept as version 1 and the year's self-check duty
// is done. Before that, the admin turns a section off and adds the company's own in the report
// template, sees the preview follow, saves, and the Word draft has the new section.
//
// It runs against its own server on a fresh data folder. The server's clock is the real one, so
// the certificate's dates are counted from today.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { readDocx } from '../packages/server/src/test/documents.js';
import { creditCode, signInAsAdmin, useOwnServer } from './support.js';

const PORT = Number(process.env.E2E_SELF_CHECK_PORT ?? 8771);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'selfcheck@example.com', name: '孙专员', password: 'correct-horse-42' };
const ORG = { name: '成都自查演示科技有限公司', creditCode: '91510100MA6CSELF1' };

test.use({ baseURL: BASE, acceptDownloads: true });

useOwnServer(PORT, 'self-check');

const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());

/** Organisation, CS2 certificate issued two years ago and a project accepted this year, through the API. */
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
      level: 'CS2',
      number: `CS2-${Number(YEAR) - 2}-SELF`,
      issuer: '中国电子信息行业联合会',
      issuedOn: `${Number(YEAR) - 2}-06-01`,
    },
  });
  expect(cert.status(), await cert.text()).toBe(201);
  const project = await page.request.post(`/api/orgs/${orgId}/projects`, {
    headers,
    data: {
      name: '天府新区政务服务平台',
      contractNumber: 'HT-SELF-001',
      amount: '2680000.00',
      signedOn: `${Number(YEAR) - 1}-09-01`,
      acceptedOn: `${YEAR}-03-18`,
      status: 'accepted',
    },
  });
  expect(project.status(), await project.text()).toBe(201);
  return { orgId, certId: ((await cert.json()) as { id: string }).id };
}

test('downloads the year’s self-check report and records its submission', async ({ page }) => {
  await signInAsAdmin(page, ADMIN);
  const { orgId, certId } = await seed(page);
  await page.goto(`/orgs/${orgId}/certificates/${certId}`);
  const card = page.getByTestId('self-check-card');
  await expect(card.getByText('年度自查报告', { exact: true })).toBeVisible();
  await expect(card.getByText(`${YEAR} 年度`)).toBeVisible();

  // The template beside the preview: a section turned off and one of the company's own added.
  await card.getByRole('button', { name: '预览与模板' }).click();
  const drawer = page.getByRole('dialog', { name: `${YEAR} 年度自查报告：预览与模板` });
  const preview = drawer.getByTestId('document-preview');
  await expect(preview.getByText('天府新区政务服务平台', { exact: true })).toBeVisible();
  await expect(preview.getByText('四、总体符合情况')).toBeVisible();
  await drawer.getByRole('switch', { name: '启用“总体符合情况”' }).click();
  await drawer.getByRole('button', { name: '添加自定义章节' }).click();
  const added = drawer.getByTestId('template-section').last();
  await added.getByLabel('章节标题').fill('党建与企业文化');
  await added.getByLabel('章节文字').fill('{单位名称}本年度开展党建活动 4 次。');
  await expect(preview.getByText('六、党建与企业文化')).toBeVisible();
  await expect(preview.getByText(`${ORG.name}本年度开展党建活动 4 次。`)).toBeVisible();
  await expect(preview.getByText('四、总体符合情况')).toHaveCount(0);
  await expect(preview.getByText('四、发现的问题及整改措施')).toBeVisible();
  // A typo in a placeholder is named, and the last good preview stays.
  await added.getByLabel('章节文字').fill('{公司名称}本年度开展党建活动 4 次。');
  await expect(drawer.getByRole('alert')).toContainText('不认识的占位符 {公司名称}');
  await added.getByLabel('章节文字').fill('{单位名称}本年度开展党建活动 4 次。');
  await expect(drawer.getByRole('alert')).toHaveCount(0);
  await drawer.getByRole('button', { name: '保存模板' }).click();
  await expect(page.getByText('模板已保存，之后生成的报告按此模板')).toBeVisible();
  await expect(drawer.getByText('本工作空间的模板')).toBeVisible();
  const templated = page.waitForEvent('download');
  await drawer.getByRole('link', { name: /下载 Word/ }).click();
  const templatedDocx = await readDocx(await readFile(await (await templated).path()));
  expect(templatedDocx.paragraphs).toContain('六、党建与企业文化');
  expect(templatedDocx.paragraphs).toContain(`${ORG.name}本年度开展党建活动 4 次。`);
  expect(templatedDocx.paragraphs.some((p) => p.includes('总体符合情况'))).toBe(false);
  await drawer
    .getByRole('button', { name: 'Close' })
    .or(drawer.getByRole('button', { name: '关闭' }))
    .click();
  await expect(drawer).toBeHidden();

  // The draft in Word and in PDF, through the browser with the session's cookie.
  const word = page.waitForEvent('download');
  await card.getByRole('link', { name: /下载 Word/ }).click();
  const docx = await word;
  expect(docx.suggestedFilename()).toBe(`${ORG.name}-${YEAR}年度自查报告.docx`);
  expect((await readFile(await docx.path())).subarray(0, 2).toString()).toBe('PK');
  const pdfDownload = page.waitForEvent('download');
  await card.getByRole('link', { name: /下载 PDF/ }).click();
  const pdf = await pdfDownload;
  expect((await readFile(await pdf.path())).subarray(0, 5).toString()).toBe('%PDF-');

  // Filed on the platform: recorded with its receipt number, the draft kept as the version.
  await card.getByRole('button', { name: '登记已提交' }).click();
  const dialog = page.getByRole('dialog', { name: '登记年度自查报告的提交' });
  await dialog.getByLabel('回执号').fill(`ZC-${YEAR}-0001`);
  await dialog
    .getByRole('button', { name: '保 存' })
    .or(dialog.getByRole('button', { name: '保存' }))
    .click();
  await expect(page.getByText(`已登记 ${YEAR} 年度自查报告的提交（第 1 版）`)).toBeVisible();
  const versions = card.getByRole('table');
  await expect(versions.getByRole('row', { name: new RegExp(`${YEAR}.*v1.*ZC-${YEAR}-0001`) })).toBeVisible();
  await expect(versions.getByRole('link', { name: `${ORG.name}-${YEAR}年度自查报告.pdf （系统生成）` })).toBeVisible();

  // The year's self-check duty is done.
  const obligations = (await (
    await page.request.get(`/api/orgs/${orgId}/obligations?certificateId=${certId}&rule=self-check.annual&limit=100`)
  ).json()) as { items: Array<{ dueDate: string; status: string; satisfiedOn?: string | null }> };
  const thisYear = obligations.items.filter((o) => o.satisfiedOn?.startsWith(YEAR));
  expect(thisYear).toHaveLength(1);
});
