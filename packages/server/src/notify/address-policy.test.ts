import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.js';
import { startRobotPeer, startSmtpSink, type RobotPeer, type SmtpSink } from '../test/peers.js';
import {
  addressPolicy,
  channelHost,
  checkChannelUrl,
  classifyAddress,
  OPERATOR_POLICY,
  parseAllowEntry,
  resolveAllowed,
  type AddressPolicy,
} from './address-policy.js';
import { maskUrl } from './secret-box.js';
import { DeliveryError, sendMessage, type ChannelSecrets, type OutboundMessage } from './send.js';

/** A resolver under the test's control: names to answers, answers may change between calls. */
function resolver(answers: Record<string, string[] | (() => string[])>): AddressPolicy['resolve'] {
  return (host) => {
    const a = answers[host];
    if (!a) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(typeof a === 'function' ? a() : a);
  };
}

describe('address classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['not an address', 'unspecified'],
  ])('refuses %s as %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '100.64.0.1',
    '100.100.100.201',
    '8.8.8.8',
    '93.184.216.34',
    'fd12:3456::1',
    'fd00:ec2::253',
    '2001:db8::1',
    '::ffff:10.0.0.5',
  ])('allows the ordinary or private address %s', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it('reads every numeric spelling of an IPv4 address in a URL as the address it is', () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0x7f.0.0.1/',
      'http://017700000001/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'smtp://2130706433:25',
      'smtps://user@0x7f.1:465',
    ]) {
      expect(channelHost(url), url).toBe('127.0.0.1');
    }
    expect(channelHost('http://[::ffff:127.0.0.1]:8080/x')).toBe('::ffff:7f00:1');
    expect(channelHost('https://Hooks.Example.COM./T0')).toBe('hooks.example.com');
    expect(channelHost('not a url')).toBeNull();
  });
});

describe('the allow-list', () => {
  it('takes host names, addresses and CIDR ranges, and nothing else', () => {
    expect(parseAllowEntry('Relay.Corp.Example')).toEqual({ name: 'relay.corp.example' });
    expect(parseAllowEntry('127.0.0.1')).toMatchObject({ range: { v6: false, bits: 32 } });
    expect(parseAllowEntry('10.8.0.0/16')).toMatchObject({ range: { v6: false, bits: 16 } });
    expect(parseAllowEntry('fd12::/64')).toMatchObject({ range: { v6: true, bits: 64 } });
    expect(parseAllowEntry('::ffff:127.0.0.0/104')).toMatchObject({ range: { v6: false, bits: 8 } });
    for (const bad of ['http://relay', '10.0.0.0/33', '300.1.1.1', '127.1', 'a b', 'relay/8', '::1/129', '']) {
      expect(parseAllowEntry(bad), bad).toBeNull();
    }
  });

  it('is read from ZIZHI_CHANNEL_ALLOW_HOSTS, and a wrong entry stops start-up naming it', () => {
    expect(loadConfig({}).channelAllowHosts).toEqual([]);
    expect(
      loadConfig({ ZIZHI_CHANNEL_ALLOW_HOSTS: ' relay.corp.example, 127.0.0.1,,10.8.0.0/16 ' }).channelAllowHosts,
    ).toEqual(['relay.corp.example', '127.0.0.1', '10.8.0.0/16']);
    try {
      loadConfig({ ZIZHI_CHANNEL_ALLOW_HOSTS: 'relay.corp.example,10.0.0.0/40' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('ZIZHI_CHANNEL_ALLOW_HOSTS');
      expect((err as Error).message).toContain('"10.0.0.0/40"');
    }
  });

  it('lets listed names and ranges through and nothing more', async () => {
    const resolve = resolver({
      'relay.corp.test': ['127.0.0.1'],
      'meta.test': ['169.254.169.254'],
      'lan.test': ['169.254.10.10'],
    });
    const policy = addressPolicy(['relay.corp.test', '169.254.10.0/24'], resolve);
    expect(await checkChannelUrl(policy, 'http://relay.corp.test:8080/hook')).toBeNull();
    expect(await checkChannelUrl(policy, 'http://lan.test/hook')).toBeNull();
    expect(await checkChannelUrl(policy, 'http://169.254.10.99/hook')).toBeNull();
    expect(await checkChannelUrl(policy, 'http://meta.test/hook')).toBe('metadata');
    expect(await checkChannelUrl(policy, 'http://127.0.0.1/hook')).toBe('loopback');
    const strict = addressPolicy([], resolve);
    expect(await checkChannelUrl(strict, 'http://relay.corp.test:8080/hook')).toBe('loopback');
    expect(await checkChannelUrl(strict, 'http://lan.test/hook')).toBe('link-local');
    // An IPv4 entry also covers the address written as IPv4-mapped IPv6.
    expect(await checkChannelUrl(addressPolicy(['127.0.0.1']), 'http://[::ffff:127.0.0.1]/')).toBeNull();
  });
});

describe('checking a channel URL when it is saved', () => {
  const resolve = resolver({
    'public.test': ['93.184.216.34'],
    'mixed.test': ['93.184.216.34', '127.0.0.1'],
    'meta.test': ['fd00:ec2::254'],
  });
  const policy = addressPolicy([], resolve);

  it.each([
    ['http://127.0.0.1:8080/webhook', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.0.0.1/', 'loopback'],
    ['http://017700000001/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://0.0.0.0:9200/', 'unspecified'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://100.100.100.200/latest/meta-data/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['smtp://127.0.0.1:25', 'loopback'],
    ['smtp://2130706433:25', 'loopback'],
    ['smtps://user@[::1]:465', 'loopback'],
    // Every resolved address counts, not just the first.
    ['https://mixed.test/hook', 'loopback'],
    ['https://meta.test/hook', 'metadata'],
  ])('refuses %s (%s)', async (url, kind) => {
    expect(await checkChannelUrl(policy, url)).toBe(kind);
  });

  it('refuses a name the system resolves to loopback', async () => {
    expect(await checkChannelUrl(addressPolicy(), 'http://localhost:8080/webhook')).toBe('loopback');
    expect(await checkChannelUrl(addressPolicy(), 'smtp://localhost:25')).toBe('loopback');
  });

  it('accepts public and private addresses, and a name that does not resolve yet', async () => {
    for (const url of [
      'https://public.test/hook',
      'http://10.0.0.5/hook',
      'http://192.168.1.20:8080/hook',
      'smtp://172.16.0.2:25',
      'https://nowhere.test/hook',
    ]) {
      expect(await checkChannelUrl(policy, url), url).toBeNull();
    }
  });
});

// ---- sending -------------------------------------------------------------------------------------

const webhookEvent = { type: 'reminder', version: 1, id: 'x' } as unknown as Extract<
  OutboundMessage,
  { type: 'webhook' }
>['message'];
const webhook = (url: string): { secrets: ChannelSecrets; out: OutboundMessage } => ({
  secrets: { url },
  out: { type: 'webhook', message: webhookEvent },
});
const wecom = (url: string): { secrets: ChannelSecrets; out: OutboundMessage } => ({
  secrets: { url },
  out: { type: 'wecom', message: { msgtype: 'markdown', markdown: { content: 'x' } } },
});

async function failure(p: Promise<void>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(DeliveryError);
    return (err as Error).message;
  }
  throw new Error('sent, but should have failed');
}

describe('sending under the address policy', () => {
  let peer: RobotPeer;
  let smtp: SmtpSink;
  let port: string;
  beforeAll(async () => {
    peer = await startRobotPeer();
    smtp = await startSmtpSink();
    port = new URL(peer.url).port;
  });
  afterAll(async () => {
    await peer.close();
    await smtp.close();
  });
  afterEach(() => {
    peer.requests.length = 0;
    smtp.mails.length = 0;
  });
  const loopbackAllowed = addressPolicy(['127.0.0.1']);

  it('connects to the address the checked lookup answered, so a changed DNS answer is caught when connecting', async () => {
    let answer = '93.184.216.34';
    const policy = addressPolicy([], resolver({ 'hook.test': () => [answer] }));
    const url = `http://hook.test:${port}/webhook`;
    // Saved while the name pointed elsewhere …
    expect(await checkChannelUrl(policy, url)).toBeNull();
    // … and sent after it was re-pointed at loopback: refused on the connection itself.
    answer = '127.0.0.1';
    expect(await failure(sendMessage({ ...webhook(url), now: Date.now(), policy }))).toBe('地址不允许：回环地址');
    expect(peer.requests).toHaveLength(0);
    // The same name through an allow-list that admits loopback reaches the peer: the socket went
    // where the policy's lookup said (hook.test exists nowhere else).
    const allowed = addressPolicy(['127.0.0.1'], resolver({ 'hook.test': ['127.0.0.1'] }));
    await sendMessage({ ...webhook(url), now: Date.now(), policy: allowed });
    expect(peer.requests.map((r) => r.path)).toEqual(['/webhook']);
  });

  it('refuses loopback in any spelling without connecting', async () => {
    const strict = addressPolicy();
    for (const url of [
      `${peer.url}/webhook`,
      `http://localhost:${port}/webhook`,
      `http://2130706433:${port}/webhook`,
      `http://[::ffff:127.0.0.1]:${port}/webhook`,
    ]) {
      expect(await failure(sendMessage({ ...webhook(url), now: Date.now(), policy: strict })), url).toBe(
        '地址不允许：回环地址',
      );
    }
    expect(peer.requests).toHaveLength(0);
  });

  it('does not follow a redirect, not even to an allowed address', async () => {
    const url = `${peer.url}/redirect?to=${encodeURIComponent(`${peer.url}/webhook`)}`;
    const reason = await failure(sendMessage({ ...webhook(url), now: Date.now(), policy: loopbackAllowed }));
    expect(reason).toMatch(/^对方返回 HTTP 302/);
    expect(peer.requests.map((r) => r.path)).toEqual(['/redirect']);
  });

  it('keeps what the other side said out of the reason', async () => {
    const http500 = await failure(
      sendMessage({ ...webhook(`${peer.url}/leak`), now: Date.now(), policy: loopbackAllowed }),
    );
    expect(http500).toBe('对方返回 HTTP 500');
    const robot = await failure(
      sendMessage({ ...wecom(`${peer.url}/leak-robot`), now: Date.now(), policy: loopbackAllowed }),
    );
    expect(robot).toBe('企业微信拒绝了消息，请核对机器人地址和安全设置');
    for (const reason of [http500, robot]) expect(reason).not.toContain('secret-token');
  });

  it('gives a fixed reason when nothing answers or the name is unknown', async () => {
    const closed = await failure(
      sendMessage({ ...webhook('http://127.0.0.1:1/webhook'), now: Date.now(), policy: loopbackAllowed }),
    );
    expect(closed).toBe('连接失败');
    const unknown = addressPolicy([], resolver({}));
    expect(await failure(sendMessage({ ...webhook('https://gone.test/x'), now: Date.now(), policy: unknown }))).toBe(
      '域名无法解析',
    );
  });

  it('applies the policy to SMTP servers, except the operator’s own ZIZHI_SMTP_URL', async () => {
    const mail = (url: string, policy: AddressPolicy) =>
      sendMessage({
        secrets: { url, from: 'zizhi@example.cn' },
        out: { type: 'email', message: { subject: '测试', text: '正文', html: '<p>正文</p>' }, to: ['ops@example.cn'] },
        now: Date.now(),
        policy,
      });
    for (const url of [
      `smtp://127.0.0.1:${smtp.port}`,
      `smtp://localhost:${smtp.port}`,
      `smtp://2130706433:${smtp.port}`,
    ]) {
      expect(await failure(mail(url, addressPolicy())), url).toBe('地址不允许：回环地址');
    }
    expect(smtp.mails).toHaveLength(0);
    await mail(`smtp://localhost:${smtp.port}`, OPERATOR_POLICY);
    expect(smtp.mails).toHaveLength(1);
    // A bad password: the SMTP reply code, not the server's text.
    const refused = await failure(
      sendMessage({
        secrets: { url: `smtp://zizhi@127.0.0.1:${smtp.port}`, secret: 'wrong' },
        out: { type: 'email', message: { subject: 's', text: 't', html: 'h' }, to: ['ops@example.cn'] },
        now: Date.now(),
        policy: loopbackAllowed,
      }),
    );
    expect(refused).toBe('邮件服务器拒绝登录（SMTP 535），请核对用户名和密码');
  });

  it('resolves names for SMTP once, through the policy', async () => {
    const policy = addressPolicy(['127.0.0.1'], resolver({ 'mail.test': ['127.0.0.1'] }));
    expect(await resolveAllowed(policy, 'mail.test')).toEqual([{ address: '127.0.0.1', family: 4 }]);
    await sendMessage({
      secrets: { url: `smtp://mail.test:${smtp.port}`, from: 'zizhi@example.cn' },
      out: { type: 'email', message: { subject: '经由名称', text: 't', html: 'h' }, to: ['ops@example.cn'] },
      now: Date.now(),
      policy,
    });
    expect(smtp.mails.map((m) => m.subject)).toEqual(['经由名称']);
  });
});

describe('masked channel URLs', () => {
  it('masks short path tokens and every query value, keeping the route readable', () => {
    expect(maskUrl('https://hooks.example.com/T0/abc123')).toBe('https://hooks.example.com/••/••••••');
    expect(maskUrl('https://hooks.example.com/services/T0AB12/B0CD34/abcdefghijklmnopqrstuvwx')).toBe(
      'https://hooks.example.com/services/••••••/••••••/abcd…uvwx',
    );
    expect(maskUrl('https://relay.example.com/api/v2/notify?access_token=t0k&key=k1&token=abcdefghijklmnop')).toBe(
      'https://relay.example.com/api/v2/notify?access_token=•••&key=••&token=••••••••',
    );
    expect(maskUrl('https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-4e5f')).toBe(
      'https://open.feishu.cn/open-apis/bot/v2/hook/••••••••',
    );
    expect(maskUrl('https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d')).toBe(
      'https://open.feishu.cn/open-apis/bot/v2/hook/0a1b…4c5d',
    );
    expect(maskUrl('https://robot:pa55@hooks.example.com/x')).toBe('https://•••••:•••@hooks.example.com/x');
    expect(maskUrl('smtp://zizhi@smtp.example.cn:587?tls=insecure')).toBe(
      'smtp://zizhi:•••@smtp.example.cn:587?tls=insecure',
    );
  });

  it('masks a hint stored under the old rule, and leaves a masked one as it is', () => {
    const old = 'https://hooks.example.com/T0/abc123?token=abcd…wxyz';
    const once = maskUrl(old);
    expect(once).toBe('https://hooks.example.com/••/••••••?token=abcd…wxyz');
    expect(maskUrl(once)).toBe(once);
    const feishu = maskUrl('https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d');
    expect(feishu).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/0a1b…4c5d');
    expect(maskUrl(feishu)).toBe(feishu);
  });
});
