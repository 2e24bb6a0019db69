// The notifications journey (issue 6): an administrator adds a signed webhook channel pointing at a
// small receiver started here, sends a test message from the settings page and sees it sent, the
// receiver got one signed JSON POST; then the CS3 requirement set's large-projects threshold is
// edited and saved, and the level shows the workspace's own copy; an incident 47½ hours old puts its
// reminder in the administrator's inbox (the sweep runs every minute), shown by the header's bell.
//
// It runs against its own server on a fresh data folder: journey.spec.ts must meet a server
// without an administrator, and this file sorts before it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { choose, creditCode } from './support.js';

const PORT = Number(process.env.E2E_NOTIFICATIONS_PORT ?? 8767);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'notify@example.com', name: '孙管理', password: 'correct-horse-42' };
const ORG = { name: '杭州通知演示科技有限公司', creditCode: '91330100MA27NT0F1' };
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';

test.use({ baseURL: BASE });

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: ChildProcess | undefined;
let receiver: Server | undefined;
let receiverUrl = '';
const received: Received[] = [];

test.beforeAll(async () => {
  // The webhook's other end: records each request and answers 200.
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/zizhi`;

  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  server = spawn(process.execPath, [join(root, 'e2e/serve.mjs')], {
    cwd: root,
    // The receiver listens on loopback, which the channel address policy refuses otherwise.
    env: { ...process.env, PORT: String(PORT), ZIZHI_CHANNEL_ALLOW_HOSTS: '127.0.0.1' },
    stdio: 'inherit',
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the notifications server did not start on port ${PORT}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server!.once('exit', resolve));
  server.kill('SIGTERM'); // serve.mjs stops the server and removes its data folder
  await exited;
});

async function signIn(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '创建管理员账号' })).toBeVisible();
  await page.getByLabel('邮箱').fill(ADMIN.email);
  await page.getByLabel('姓名').fill(ADMIN.name);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('确认密码').fill(ADMIN.password);
  await page.getByRole('button', { name: '创建管理员' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
  if (new URL(page.url()).pathname === '/login') {
    await page.getByLabel('邮箱').fill(ADMIN.email);
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
  }
  await expect(page.getByRole('heading', { name: `欢迎，${ADMIN.name}` })).toBeVisible();
}

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const me = (await (await page.request.get('/api/me')).json()) as { csrfToken: string };
  return { 'X-CSRF-Token': me.csrfToken };
}

/** The organisation and its CS3 certificate, through the API (other journeys cover those forms). */
async function createOrgWithCertificate(page: Page): Promise<{ orgId: string; certId: string }> {
  const me = (await (await page.request.get('/api/me')).json()) as { workspaces: Array<{ id: string }> };
  const headers = await csrfHeaders(page);
  const org = await page.request.post('/api/orgs', {
    headers,
    data: { workspaceId: me.workspaces[0]!.id, name: ORG.name, creditCode: creditCode(ORG.creditCode) },
  });
  expect(org.status()).toBe(201);
  const { id: orgId } = (await org.json()) as { id: string };
  const cert = await page.request.post(`/api/orgs/${orgId}/certificates`, {
    headers,
    data: { level: 'CS3', number: 'CS3-20260301-NOTE', issuer: '中国电子信息行业联合会', issuedOn: '2026-03-01' },
  });
  expect(cert.status()).toBe(201);
  return { orgId, certId: ((await cert.json()) as { id: string }).id };
}

/** An instant as the API writes it: ISO with +08:00. */
function shanghaiInstant(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** Whether `signature` is our HMAC-SHA256 over "timestamp.body" (what a receiver should check). */
function verifySignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
  return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

test('notifications: a webhook gets a signed test message; a requirement set is edited; the bell shows a reminder', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page);
  const { orgId, certId } = await createOrgWithCertificate(page);
  await expect(page.getByRole('button', { name: /^通知/ })).toBeVisible();

  // Settings → 通知渠道, from the menu.
  await page.getByRole('navigation', { name: '主菜单' }).getByText('通知渠道').click();
  await expect(page.getByRole('heading', { name: '通知渠道' })).toBeVisible();

  // A generic webhook with a signing secret, limited to nothing (all organisations).
  await page.getByRole('button', { name: '添加渠道' }).click();
  const drawer = page.getByRole('dialog', { name: '添加渠道' });
  await choose(page, drawer, '类型', '通用 Webhook');
  await expect(drawer.getByText('X-Zizhi-Signature', { exact: false }).first()).toBeVisible();
  await drawer.getByLabel('名称', { exact: true }).fill('OA 系统');
  await drawer.getByLabel('Webhook 地址').fill(receiverUrl);
  await drawer.getByLabel('密钥', { exact: true }).fill(WEBHOOK_SECRET);
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(drawer).toBeHidden();

  const channels = page.getByRole('table', { name: '通知渠道列表' });
  const row = channels.getByRole('row', { name: /OA 系统/ });
  await expect(row).toBeVisible();
  await expect(row.getByText('通用 Webhook')).toBeVisible();
  await expect(row.getByText('已设置')).toBeVisible();
  await expect(row.getByText('全部企业')).toBeVisible();
  // The stored URL is shown as typed only up to what is not a secret: the path is short, so it stays.
  await expect(row.getByText(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/zizhi$/)).toBeVisible();

  // The test message goes out at once and says so.
  await row.getByRole('button', { name: '发送测试消息 OA 系统' }).click();
  await expect(row.getByText('已发送')).toBeVisible({ timeout: 20_000 });
  // The certificate's reminders already due may reach the new channel too, at the next minute's
  // sweep, before or after the test message: it is picked out by its content, not its position.
  const testMessages = () => received.filter((r) => r.body.includes('测试消息'));
  await expect.poll(() => testMessages().length).toBe(1);
  const [hit] = testMessages();
  expect(hit!.method).toBe('POST');
  expect(hit!.path).toBe('/hooks/zizhi');
  expect(String(hit!.headers['content-type'])).toContain('application/json');
  const timestamp = String(hit!.headers['x-zizhi-timestamp']);
  const signature = String(hit!.headers['x-zizhi-signature']);
  expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  expect(verifySignature(WEBHOOK_SECRET, timestamp, hit!.body, signature)).toBe(true);
  expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);
  expect(hit!.body).toContain('测试消息');
  expect(() => JSON.parse(hit!.body) as unknown).not.toThrow();

  // The delivery log has it, sent on the first attempt.
  await page.getByRole('tab', { name: '发送记录' }).click();
  const log = page.getByRole('table', { name: '发送记录' });
  const logRow = log.getByRole('row', { name: /测试消息/ });
  await expect(logRow).toHaveCount(1);
  await expect(logRow.getByText('已发送')).toBeVisible();
  await expect(logRow.getByText('OA 系统（通用 Webhook）')).toBeVisible();

  // Settings → 达标要求: CS3 uses the advisory default until its large-projects threshold is edited.
  await page.getByRole('navigation', { name: '主菜单' }).getByText('达标要求').click();
  await expect(page.getByRole('heading', { name: '达标要求' })).toBeVisible();
  await page.getByRole('tab', { name: /CS3/ }).click();
  const panel = page.getByRole('tabpanel', { name: /CS3/ });
  await expect(panel.getByText('建议默认值')).toBeVisible();
  const threshold = panel.getByLabel('门槛 · 近三年大额项目（1000 万以上）', { exact: true });
  await expect(threshold).toHaveValue('3');
  await threshold.fill('5');
  await expect(panel.getByText('有未保存的修改')).toBeVisible();
  await panel.getByRole('button', { name: '保存 CS3 的要求' }).click();
  await expect(panel.getByText('本工作空间自定义')).toBeVisible();
  await expect(panel.getByLabel('门槛 · 近三年大额项目（1000 万以上）', { exact: true })).toHaveValue('5');

  // The server refuses an invalid set and names the path; nothing is saved.
  await panel.getByLabel('最低金额 · 近三年大额项目（1000 万以上）', { exact: true }).fill('一千万');
  await panel.getByRole('button', { name: '保存 CS3 的要求' }).click();
  await expect(panel.getByRole('alert')).toContainText('requirements[6].params.minAmount');
  await panel.getByRole('button', { name: '撤销修改' }).click();
  await expect(panel.getByRole('alert')).toHaveCount(0);

  // It survives a reload, and going back to the default is one click away.
  await page.reload();
  await page.getByRole('tab', { name: /CS3/ }).click();
  const reloaded = page.getByRole('tabpanel', { name: /CS3/ });
  await expect(reloaded.getByText('本工作空间自定义')).toBeVisible();
  await expect(reloaded.getByLabel('门槛 · 近三年大额项目（1000 万以上）', { exact: true })).toHaveValue('5');

  // An incident 47½ hours ago: its 48-hour report is due in half an hour, so the "1 hour before"
  // reminder is due now. Nobody is assigned, so the organisation's managers (the owner) hear of it.
  const incident = await page.request.post(`/api/orgs/${orgId}/certificates/${certId}/events`, {
    headers: await csrfHeaders(page),
    data: { type: 'incident', at: shanghaiInstant(Date.now() - 47.5 * 3_600_000) },
  });
  expect(incident.status()).toBe(201);
  const titles = async () =>
    ((await (await page.request.get('/api/me/inbox')).json()) as { items: Array<{ title: string }> }).items
      .map((item) => item.title)
      .join('\n');
  await expect.poll(titles, { timeout: 150_000, intervals: [2_000] }).toContain('重大事件书面报备');

  // The bell counts it (after a reload rather than waiting for the next minute's poll) with the
  // certificate's other reminders already due, lists it, and "mark all read" clears the count.
  await page.reload();
  const bell = page.getByRole('button', { name: /^通知（\d+ 条未读）$/ });
  await expect(bell).toBeVisible();
  await bell.click();
  const inbox = page.getByRole('region', { name: '站内消息' });
  const item = inbox.getByRole('listitem', { name: /重大事件书面报备/ });
  await expect(item).toBeVisible();
  await expect(item).toContainText(ORG.name);
  await expect(item.getByRole('button', { name: '标为已读' })).toBeVisible();
  await inbox.getByRole('button', { name: '全部标为已读' }).click();
  await expect(page.getByRole('button', { name: '通知', exact: true })).toBeVisible();
  await expect(item.getByRole('button', { name: '标为已读' })).toHaveCount(0);

  // The obligations list says when each open obligation is reminded next.
  await page.getByRole('navigation', { name: '主菜单' }).getByText('义务').click();
  const obligations = page.getByRole('table', { name: '义务列表' });
  const incidentRow = obligations.getByRole('row', { name: /重大事件书面报备/ });
  await expect(incidentRow.getByText(/^下次提醒 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)).toBeVisible();
});
