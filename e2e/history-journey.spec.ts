// The history step (补录历史): a CS3 certificate entered long after its issue comes with a passed
// supervision deadline and months of routine duties. Right after adding it, the history step records
// the supervision and the duties kept, shows what saving does before it saves, and leaves the
// certificate without an alert and with nothing overdue. The Chinese pages never show the engine's
// English sentences.
//
// It runs against its own server on a fresh data folder (journey.spec.ts must meet a server without
// an administrator). The server's clock is the real one, so the dates are counted back from today.
import { expect, test, type Page } from '@playwright/test';
import { choose, creditCode, fillDate, signInAsAdmin, useOwnServer } from './support.js';

const PORT = Number(process.env.E2E_HISTORY_PORT ?? 8769);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'history@example.com', name: '钱专员', password: 'correct-horse-42' };
const ORG = { name: '杭州补录演示科技有限公司', creditCode: '91330100MA28HQ7P1' };

test.use({ baseURL: BASE });

useOwnServer(PORT, 'history');

/** Today in China, as the server counts it. */
function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

function shiftDay(day: string, months: number, days = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, d + days));
  return date.toISOString().slice(0, 10);
}

const TODAY = chinaToday();
// The 15th of the month 21 months ago: the first supervision window (issue + 12 … 18 months) is
// over, the second supervision (due with the renewal application) is still far off. Run in December
// 2026 this is the certificate issued 2025-03-15 with its supervision on 2026-06-10.
const ISSUED = `${shiftDay(`${TODAY.slice(0, 7)}-01`, -21).slice(0, 7)}-15`;
const SUPERVISED = shiftDay(ISSUED, 15, -5);
const CERT = { number: `CS3-${ISSUED.replaceAll('-', '')}-HIST`, issuer: '中国电子信息行业联合会' };

/** The organisation through the API (other journeys cover its form); returns its id. */
async function createOrg(page: Page): Promise<string> {
  const me = (await (await page.request.get('/api/me')).json()) as {
    csrfToken: string;
    workspaces: Array<{ id: string }>;
  };
  const org = await page.request.post('/api/orgs', {
    headers: { 'X-CSRF-Token': me.csrfToken },
    data: { workspaceId: me.workspaces[0]!.id, name: ORG.name, creditCode: creditCode(ORG.creditCode) },
  });
  expect(org.status()).toBe(201);
  return ((await org.json()) as { id: string }).id;
}

interface Texts {
  en: string;
  zh?: string;
}

/** The engine's English sentences for the certificate: what a Chinese page must never show. */
async function engineEnglish(page: Page, orgId: string, certId: string): Promise<string[]> {
  const detail = (await (await page.request.get(`/api/orgs/${orgId}/certificates/${certId}`)).json()) as {
    warnings: Texts[];
    alerts: Texts[];
    timeline: { reasonEn: string }[];
  };
  const obligations = (await (
    await page.request.get(`/api/orgs/${orgId}/obligations?certificateId=${certId}`)
  ).json()) as { items: { titleEn: string; basisEn: string; cancelReasonEn: string | null }[] };
  return [
    ...detail.warnings.map((w) => w.en),
    ...detail.alerts.map((a) => a.en),
    ...detail.timeline.map((s) => s.reasonEn),
    ...obligations.items.flatMap((o) => [o.titleEn, o.basisEn, o.cancelReasonEn ?? '']),
  ].filter((s) => s.length > 0);
}

/**
 * Fails when the page shows one of `english` or any run of three English words, once the tokens
 * that are English by nature (certificate number, e-mail, level codes) are taken out.
 */
async function expectNoEnglish(page: Page, english: string[], where: string) {
  const text = await page.locator('body').innerText();
  for (const sentence of english) expect(text, `${where} shows “${sentence}”`).not.toContain(sentence);
  const cleaned = text
    .replaceAll(CERT.number, ' ')
    .replaceAll(ADMIN.email, ' ')
    .replace(/\bCS[1-5]\b/g, ' ');
  const phrase = /[A-Za-z]{3,}[ ,:]+[A-Za-z]{2,}[ ,:]+[A-Za-z]{2,}/.exec(cleaned);
  expect(phrase?.[0] ?? null, `${where} shows English`).toBeNull();
}

test('a certificate entered late: the history step closes the past, and no alert or overdue item is left', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page, ADMIN);
  const orgId = await createOrg(page);

  // Add the CS3 certificate through the organisation's page.
  await page.goto(`/orgs/${orgId}`);
  await page.getByRole('button', { name: '新增证书' }).click();
  const certDialog = page.getByRole('dialog', { name: '新增证书' });
  await choose(page, certDialog, '等级', 'CS3 良好级');
  await certDialog.getByLabel('证书编号').fill(CERT.number);
  await certDialog.getByLabel('评估机构').fill(CERT.issuer);
  await fillDate(certDialog, '发证日期', ISSUED);
  await certDialog.getByRole('button', { name: '保存' }).click();
  await expect(certDialog).toBeHidden();

  // Issued before today: the certificate page opens with the history step.
  await expect(page.getByRole('heading', { name: `证书 ${CERT.number}` })).toBeVisible();
  const certId = new URL(page.url()).pathname.split('/').pop()!;
  const history = page.getByRole('dialog', { name: `补录历史：证书 ${CERT.number}` });
  await expect(history).toBeVisible();

  // Behind it the page says, in Chinese, that the first supervision deadline passed unrecorded, and
  // that this is not the state: the state stays "有效" until someone records otherwise.
  const alert = page.getByTestId('certificate-alert');
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText('第一次监督评估期限');
  await expect(alert).toContainText('尚未记录结果');
  await expect(alert.getByRole('button', { name: /^补录/ })).toBeAttached();
  await expect(alert.getByRole('button', { name: /^确认状态/ })).toBeAttached();
  await expect(page.getByRole('heading', { name: `证书 ${CERT.number}` })).toContainText('有效');
  const englishBefore = await engineEnglish(page, orgId, certId);
  expect(englishBefore.some((s) => s.includes('supervision'))).toBe(true);
  await expectNoEnglish(page, englishBefore, 'the certificate page with its history step');

  // Nothing ticked yet: the preview says what to do.
  const preview = history.getByTestId('history-preview');
  await expect(preview).toContainText('勾选已经完成的事项后');
  await expect(history.getByRole('button', { name: '保存' })).toBeDisabled();

  // The first supervision took place and was passed.
  await history.getByRole('checkbox', { name: '第一次监督评估已完成' }).check();
  await expect(preview).toContainText('请为勾选的事项填写日期和结论');
  await fillDate(history, '第一次监督评估日期', SUPERVISED);
  await history.getByRole('radio', { name: '通过', exact: true }).check();
  await expect(preview).toContainText('登记 1 次监督评估');
  await expect(preview).toContainText(/之后仍有 \d+ 项逾期/);

  // And the routine duties (internal audits, quarterly meetings) were kept up to today.
  await expect(history.getByLabel('例行事项截止于此日期之前', { exact: true })).toHaveValue(TODAY);
  await history.getByRole('checkbox', { name: '把所选日期之前的例行事项记为已完成' }).check();
  await expect(history.getByRole('radio', { name: '各项的截止日（默认）' })).toBeChecked();
  await expect(preview).toContainText(/\d+ 项例行事项记为已完成/);
  await expect(preview).toContainText('之后没有逾期事项');
  await expect(preview).not.toContainText('仍需补录或确认');
  await expectNoEnglish(page, englishBefore, 'the history step with its preview');
  await page.screenshot({ path: 'test-results/screens/history-step.png' });

  await history.getByRole('button', { name: '保存' }).click();
  await expect(history).toBeHidden();
  await expect(page.getByText(/已补录：1 条记录，\d+ 项例行事项记为已完成/)).toBeVisible();

  // The certificate page: no alert, the supervision done by the recorded event, nothing overdue.
  await page.reload();
  await expect(page.getByRole('heading', { name: `证书 ${CERT.number}` })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('certificate-alert')).toHaveCount(0);
  const obligations = page.getByRole('table', { name: '义务列表' });
  await choose(page, page, '规则', '第一次监督评估', true);
  await expect(obligations.getByRole('row', { name: /第一次监督评估/ })).toContainText(`已由事件满足（${SUPERVISED}）`);
  await choose(page, page, '规则', '内部合规检查', true);
  await expect(obligations.getByRole('row').filter({ hasText: '已完成' }).first()).toBeVisible();
  await expect(obligations).not.toContainText('已逾期');
  await expect(page.getByRole('table', { name: '事件列表' })).toContainText('监督评估结果');
  await expect(page.getByRole('button', { name: '补录历史' })).toBeVisible();
  const detail = (await (await page.request.get(`/api/orgs/${orgId}/certificates/${certId}`)).json()) as {
    state: string;
    alerts: unknown[];
  };
  expect(detail.alerts).toEqual([]);
  expect(detail.state).toBe('active');
  const englishAfter = await engineEnglish(page, orgId, certId);
  await expectNoEnglish(page, englishAfter, 'the certificate page');
  await page.screenshot({ path: 'test-results/screens/history-certificate.png', fullPage: true });

  // The event form shows, before saving, what the engine has to say about the new event: a
  // self-check report is a CS1/CS2 duty, so for this CS3 certificate it would not count.
  await page.getByRole('button', { name: '登记事件' }).click();
  const eventDialog = page.getByRole('dialog', { name: '登记事件' });
  await choose(page, eventDialog, '事件类型', '年度自查报告已提交', true);
  await fillDate(eventDialog, '提交日期', SUPERVISED);
  await eventDialog.getByLabel('所属年度').fill(SUPERVISED.slice(0, 4));
  await eventDialog.getByRole('radio', { name: '正常' }).check();
  const notes = eventDialog.getByTestId('event-preview-notes');
  await expect(notes).toContainText('只适用于 CS1/CS2');
  await expectNoEnglish(page, englishAfter, 'the event form with its preview');
  await eventDialog.getByRole('button', { name: '取消' }).click();
  await expect(eventDialog).toBeHidden();

  // The obligations page: nothing overdue for this certificate, in the overdue filter or the full list.
  await page.goto(`/obligations?orgId=${orgId}&status=overdue`);
  await expect(page.getByRole('heading', { name: '义务' })).toBeVisible();
  await expect(page.getByText('共 0 项')).toBeVisible();
  await page.goto(`/obligations?orgId=${orgId}`);
  const list = page.getByRole('table', { name: '义务列表' });
  await expect(list).toContainText(CERT.number);
  await expect(list.getByRole('row').filter({ hasText: CERT.number }).filter({ hasText: '已逾期' })).toHaveCount(0);
  await expectNoEnglish(page, englishAfter, 'the obligations page');
});
