// An internal audit, as a 资质专员 runs one: plan it from the certificate page (the checklist is
// generated from the evidence), record the nonconformity the checklist points at with its
// corrective action, close the audit, close the corrective action on the obligations page with
// what was done, and download the audit report.
//
// It runs against its own server on a fresh data folder. The server's clock is the real one, so
// the dates are counted from today.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { creditCode, signInAsAdmin, useOwnServer } from './support.js';

const PORT = Number(process.env.E2E_AUDIT_PORT ?? 8772);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'audit@example.com', name: '周专员', password: 'correct-horse-42' };
const ORG = { name: '武汉内审演示科技有限公司', creditCode: '91420100MA4KAUDT1' };

test.use({ baseURL: BASE, acceptDownloads: true });

useOwnServer(PORT, 'audit');

/** Today in China, as the server counts it. */
const TODAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
}).format(new Date());

/** The first day of the last full quarter: the period the plan form proposes for a CS2 certificate. */
function lastQuarterStart(): string {
  const [y, m] = TODAY.split('-').map(Number) as [number, number];
  const quarterStart = m - ((m - 1) % 3);
  const start = new Date(Date.UTC(y, quarterStart - 1 - 3, 1));
  return start.toISOString().slice(0, 10);
}

async function api(page: Page) {
  const me = (await (await page.request.get('/api/me')).json()) as {
    csrfToken: string;
    workspaces: Array<{ id: string }>;
  };
  return { headers: { 'X-CSRF-Token': me.csrfToken }, workspaceId: me.workspaces[0]!.id };
}

/** Organisation, a CS2 certificate and a project accepted in the last quarter with no documents. */
async function seed(page: Page): Promise<{ orgId: string; certId: string }> {
  const { headers, workspaceId } = await api(page);
  const org = await page.request.post('/api/orgs', {
    headers,
    data: { workspaceId, name: ORG.name, creditCode: creditCode(ORG.creditCode) },
  });
  expect(org.status()).toBe(201);
  const orgId = ((await org.json()) as { id: string }).id;
  const year = Number(TODAY.slice(0, 4));
  const cert = await page.request.post(`/api/orgs/${orgId}/certificates`, {
    headers,
    data: {
      level: 'CS2',
      number: `CS2-${year - 2}-AUDIT`,
      issuer: '中国电子信息行业联合会',
      issuedOn: `${year - 2}-01-10`,
    },
  });
  expect(cert.status(), await cert.text()).toBe(201);
  const accepted = lastQuarterStart().slice(0, 8) + '15';
  const project = await page.request.post(`/api/orgs/${orgId}/projects`, {
    headers,
    data: {
      name: '光谷数据中心运维平台',
      contractNumber: 'HT-AUDIT-07',
      amount: '1580000.00',
      signedOn: `${year - 1}-03-01`,
      acceptedOn: accepted,
      status: 'accepted',
    },
  });
  expect(project.status(), await project.text()).toBe(201);
  return { orgId, certId: ((await cert.json()) as { id: string }).id };
}

test('plans an audit, records a nonconformity, closes its corrective action and downloads the report', async ({
  page,
}) => {
  await signInAsAdmin(page, ADMIN);
  const { orgId, certId } = await seed(page);

  // Plan from the certificate page: the last full quarter is proposed.
  await page.goto(`/orgs/${orgId}/certificates/${certId}`);
  const card = page.getByTestId('audits-card');
  await card.getByRole('button', { name: '计划检查' }).click();
  const plan = page.getByRole('dialog', { name: '计划内部合规检查' });
  await expect(plan.getByPlaceholder('开始日期')).toHaveValue(lastQuarterStart());
  await plan.getByLabel('检查组').fill('王审核');
  await page.keyboard.press('Enter');
  await plan.getByRole('button', { name: '生成检查表' }).click();
  await expect(page.getByText(/已生成检查表（\d+ 项）/)).toBeVisible();
  await expect(page).toHaveURL(/\/audits\//);
  const auditId = page.url().split('/audits/')[1]!;

  // The checklist points at the project accepted without its documents.
  const checklist = page.getByRole('table', { name: '检查表' });
  const projectRow = checklist.getByRole('row', { name: /光谷数据中心运维平台.*缺少合同、验收报告、用户反馈/ });
  await expect(projectRow).toBeVisible();
  const position = (await projectRow.getByRole('cell').first().innerText()).trim();
  await projectRow.getByLabel(`第 ${position} 项的结论`).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="不符合"]').click();
  const nc = page.getByRole('dialog', { name: `第 ${position} 项不符合` });
  await nc.getByLabel('检查记录').fill('合同、验收报告和用户反馈均未归档');
  await nc.getByLabel('纠正措施', { exact: true }).fill('补齐光谷项目的合同、验收报告和用户反馈并上传');
  await nc.getByRole('button', { name: /保\s?存/ }).click();
  await expect(page.getByText('已记录不符合项并生成纠正措施')).toBeVisible();
  await expect(projectRow).toContainText('补齐光谷项目的合同、验收报告和用户反馈并上传');
  await expect(projectRow).toContainText(`负责人 ${ADMIN.name}`);

  // The other lines conform (through the API: the journey is about the nonconformity).
  const { headers } = await api(page);
  const items = (
    (await (await page.request.get(`/api/orgs/${orgId}/audits/${auditId}/checklist`)).json()) as {
      items: Array<{ id: string; result: string | null }>;
    }
  ).items;
  for (const item of items.filter((i) => !i.result)) {
    const res = await page.request.patch(`/api/orgs/${orgId}/audits/${auditId}/checklist/${item.id}`, {
      headers,
      data: { result: 'conform' },
    });
    expect(res.status()).toBe(200);
  }
  await page.reload();
  await expect(page.getByTestId('audit-counts')).toContainText('不符合 1，观察项 0，未填 0');

  // Close the audit: the period's internal-audit duty is done.
  await page.getByRole('button', { name: '结束检查' }).click();
  const close = page.getByRole('dialog', { name: '结束内部合规检查' });
  await close.getByLabel('检查结论').fill('本期基本符合 CS2 级要求，1 项不符合已制定纠正措施。');
  await close.getByRole('button', { name: '结束检查' }).click();
  await expect(page.getByText('检查已结束，报告已保存，该期内部检查义务已完成')).toBeVisible();
  await expect(page.getByRole('button', { name: '结束检查' })).toHaveCount(0);

  // The dashboard counts the open corrective action and leads to it; it is closed with what was done.
  await page.goto('/');
  await expect(page.getByTestId('corrective-actions-value')).toHaveText('1');
  await page.getByTestId('corrective-actions').click();
  const title = '纠正措施：补齐光谷项目的合同、验收报告和用户反馈并上传';
  const row = page.getByRole('row', { name: new RegExp(title) });
  await row.getByRole('button', { name: `完成: ${title}` }).click();
  const done = page.getByRole('dialog', { name: /标记完成/ });
  await done.getByLabel('备注').fill('三份文件已上传到项目档案');
  // Closed with evidence: the signed acceptance report, kept with the duty.
  await done.locator('input[type=file]').setInputFiles({
    name: '光谷项目验收报告（盖章）.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
  });
  await done.getByRole('button', { name: /保\s?存/ }).click();
  await expect(done).toBeHidden();
  await expect(row).toContainText('已完成');
  await expect(row.getByRole('link', { name: /光谷项目验收报告（盖章）\.pdf/ })).toBeVisible();

  // The report reads the action as done.
  await page.goto(`/orgs/${orgId}/audits/${auditId}`);
  await expect(page.getByRole('table', { name: '检查表' })).toContainText('已完成');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: /检查报告（Word）/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^武汉内审演示科技有限公司-内部合规检查报告-.*\.docx$/);
  expect((await readFile(await download.path())).subarray(0, 2).toString()).toBe('PK');
});

test('holds the quarterly meeting: agenda from the quarter, minutes, an action item, final minutes', async ({
  page,
}) => {
  await signInAsAdmin(page, ADMIN);
  const { headers, workspaceId } = await api(page);
  const org = await page.request.post('/api/orgs', {
    headers,
    data: { workspaceId, name: '武汉季度会议演示有限公司', creditCode: creditCode('91420100MA4KMEET1') },
  });
  const orgId = ((await org.json()) as { id: string }).id;
  const year = Number(TODAY.slice(0, 4));
  const cert = await page.request.post(`/api/orgs/${orgId}/certificates`, {
    headers,
    data: {
      level: 'CS2',
      number: `CS2-${year - 2}-MEET`,
      issuer: '中国电子信息行业联合会',
      issuedOn: `${year - 2}-01-10`,
    },
  });
  const certId = ((await cert.json()) as { id: string }).id;

  await page.goto(`/orgs/${orgId}/certificates/${certId}`);
  await page.getByTestId('meetings-card').getByRole('button', { name: '召开季度会议' }).click();
  await page.getByRole('dialog', { name: '召开资质维护季度会议' }).getByRole('button', { name: '生成议程' }).click();
  await expect(page.getByText('已生成会议议程')).toBeVisible();
  await expect(page.getByText('1. 本季度义务完成情况')).toBeVisible();
  await expect(page.getByText('3. 达标情况变化和预测')).toBeVisible();

  const minutes = page.locator('form#minutes');
  await minutes.getByLabel('会议日期').fill(TODAY);
  await minutes.getByLabel('会议日期').press('Enter');
  await minutes.getByLabel('会议地点').fill('公司会议室');
  await minutes.getByLabel('主持人').fill('吴总');
  await minutes.getByLabel('参会人员').fill('吴总');
  await page.keyboard.press('Enter');
  await minutes.getByLabel('参会人员').fill(ADMIN.name);
  await page.keyboard.press('Enter');
  await minutes.getByLabel('会议决定').fill('下季度前完成人员证书续期');
  await minutes.getByRole('button', { name: '保存纪要' }).click();
  // Enter in a field of the form saves it too: the message may show more than once.
  await expect(page.getByText('会议纪要已保存').first()).toBeVisible();

  const actionForm = page.locator('form#action-item');
  await actionForm.getByLabel('待办事项').fill('续期两名项目经理的资格证书');
  await actionForm.getByRole('button', { name: '添加待办' }).click();
  await expect(page.getByRole('table', { name: '待办事项' })).toContainText('续期两名项目经理的资格证书');

  await page.getByRole('button', { name: '纪要定稿' }).click();
  await page.getByRole('button', { name: /确\s?定|OK/ }).click();
  await expect(page.getByText(/会议纪要已定稿并保存/)).toBeVisible();
  await expect(page.getByRole('button', { name: '纪要定稿' })).toHaveCount(0);
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: /会议纪要（PDF）/ }).click();
  const download = await downloading;
  expect((await readFile(await download.path())).subarray(0, 5).toString()).toBe('%PDF-');
});
