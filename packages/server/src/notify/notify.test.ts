import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  WECOM_MAX_BYTES,
  FEISHU_MAX_BYTES,
  DINGTALK_MAX_BYTES,
  buildDigestMessage,
  buildReminderMessage,
  escapeHtml,
  type ReminderMessageInput,
} from './messages.js';
import {
  signDingTalk,
  signDingTalkUrl,
  signFeishu,
  signFeishuBody,
  signWebhook,
  verifyWebhookSignature,
} from './sign.js';

const subtle = webcrypto.subtle;
const utf8 = (s: string) => new TextEncoder().encode(s);

/** HMAC-SHA256 through WebCrypto: a second implementation to check node:crypto's results against. */
async function hmac(key: string, message: string): Promise<Buffer> {
  const k = await subtle.importKey('raw', utf8(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return Buffer.from(await subtle.sign('HMAC', k, utf8(message)));
}

describe('DingTalk robot signature', () => {
  // Vector computed with Python's hmac/base64/urllib.parse.quote_plus, as in DingTalk's sample.
  const secret = 'SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc';

  it('matches a vector computed with the documented Python sample', () => {
    expect(signDingTalk({ secret, now: 1599360473000 })).toEqual({
      timestamp: '1599360473000',
      sign: 'N29eYOQple2Ya22thadNPx0JVwKmqv9TNoX+ZJ5tDUM=',
      query: 'timestamp=1599360473000&sign=N29eYOQple2Ya22thadNPx0JVwKmqv9TNoX%2BZJ5tDUM%3D',
    });
  });

  it('is HMAC-SHA256 keyed with the secret over "timestamp\\nsecret", in milliseconds (WebCrypto)', async () => {
    for (const [s, now] of [
      ['SECabc', 1_700_000_000_123],
      ['密钥 with spaces/+=', 1_767_225_600_000],
    ] as const) {
      const { timestamp, sign } = signDingTalk({ secret: s, now });
      expect(timestamp).toBe(String(now));
      expect(sign).toBe((await hmac(s, `${now}\n${s}`)).toString('base64'));
    }
  });

  it('appends timestamp and the URL-encoded sign to the webhook URL', () => {
    const url = signDingTalkUrl({
      webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc123',
      secret,
      now: 1599360473000,
    });
    expect(url).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1599360473000&sign=N29eYOQple2Ya22thadNPx0JVwKmqv9TNoX%2BZJ5tDUM%3D',
    );
    const parsed = new URL(url);
    expect(parsed.searchParams.get('access_token')).toBe('abc123');
    expect(parsed.searchParams.get('sign')).toBe('N29eYOQple2Ya22thadNPx0JVwKmqv9TNoX+ZJ5tDUM=');
  });

  it('refuses an empty secret', () => {
    expect(() => signDingTalk({ secret: '', now: 1 })).toThrow(/secret is empty/);
  });
});

describe('Feishu bot signature', () => {
  it('matches a vector computed with the documented Python sample (timestamp in seconds)', () => {
    expect(signFeishu({ secret: 'test-secret', now: 1599360473999 })).toEqual({
      timestamp: '1599360473',
      sign: 'wSds2BzzFIIGf/WrhUO+NI1q/9j+FRJd3JNHKAq0NZY=',
    });
  });

  it('uses "timestamp\\nsecret" as the HMAC key over an empty message (WebCrypto), unlike DingTalk', async () => {
    const secret = 'nIMtb7r3N9pkXyXdtAbx6e';
    const now = 1_767_225_600_500;
    const { timestamp, sign } = signFeishu({ secret, now });
    expect(timestamp).toBe('1767225600');
    expect(sign).toBe((await hmac(`${timestamp}\n${secret}`, '')).toString('base64'));
    // The DingTalk arrangement (secret as key) gives another value: the usual cause of error 19021.
    expect(sign).not.toBe((await hmac(secret, `${timestamp}\n${secret}`)).toString('base64'));
  });

  it('puts timestamp and sign at the top of the JSON body', () => {
    const body = signFeishuBody({ body: { msg_type: 'text', content: { text: 'hi' } }, secret: 's', now: 2_000_000 });
    expect(Object.keys(body)).toEqual(['timestamp', 'sign', 'msg_type', 'content']);
    expect(body.timestamp).toBe('2000');
  });
});

describe('generic webhook signature', () => {
  const body = '{"type":"reminder","title":"年度自查报告"}';
  const secret = 'whsec_test';
  const now = 1599360473000;

  it('signs "timestamp.body" with HMAC-SHA256, hex, in X-Zizhi-Signature (Python vector)', () => {
    expect(signWebhook({ secret, body, now })).toEqual({
      'X-Zizhi-Timestamp': '1599360473',
      'X-Zizhi-Signature': 'sha256=12b01bec17df394e6529076986b00bd511cab096f3d04abf8c032e0da97bb593',
    });
  });

  it('agrees with WebCrypto over the UTF-8 bytes of the raw body', async () => {
    const h = signWebhook({ secret, body, now: 1_767_225_600_000 });
    const expected = (await hmac(secret, `1767225600.${body}`)).toString('hex');
    expect(h['X-Zizhi-Signature']).toBe(`sha256=${expected}`);
  });

  it('verifies a genuine delivery and rejects a changed body, a replay, a moved timestamp or a bad header', () => {
    const h = signWebhook({ secret, body, now });
    const ok = { secret, body, timestamp: h['X-Zizhi-Timestamp'], signature: h['X-Zizhi-Signature'], now };
    expect(verifyWebhookSignature(ok)).toBe(true);
    expect(verifyWebhookSignature({ ...ok, now: now + 299_000 })).toBe(true);
    expect(verifyWebhookSignature({ ...ok, body: body.replace('年度', '季度') })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, now: now + 301_000 })).toBe(false);
    // A replayer who refreshes the timestamp header breaks the signature.
    expect(verifyWebhookSignature({ ...ok, timestamp: '1599360700', now: now + 227_000 })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, secret: 'other' })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, signature: h['X-Zizhi-Signature'].slice(7) })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, signature: 'sha256=zz' })).toBe(false);
  });
});

// ---- messages ------------------------------------------------------------------------------------

const base: ReminderMessageInput = {
  orgId: 'org1',
  orgName: '北京某某信息技术有限公司',
  certificateId: 'cert1',
  certificateNumber: 'CS3-1100-2023-0001',
  level: 'CS3',
  obligationKey: 'self-check.annual:2026',
  rule: 'self-check.annual',
  titleZh: '年度自查报告',
  dueDate: '2026-10-08',
  basis: '评估工作部 2026 年通知：2026-10-08 前提交',
  step: 'before-7d',
  kind: 'before',
  escalate: false,
  link: 'https://zizhi.example.com/certificates/cert1/obligations/self-check.annual:2026',
};
const overdue: ReminderMessageInput = {
  ...base,
  obligationKey: 'complaint.response:c1',
  rule: 'complaint.response',
  titleZh: '投诉调查与整改方案',
  dueDate: '2026-10-12',
  basis: '7 个工作日，自 2026-09-24 起算',
  step: 'overdue-1',
  kind: 'overdue',
  escalate: true,
};
const incident: ReminderMessageInput = {
  ...base,
  obligationKey: 'incident.report:i1',
  rule: 'incident.report',
  titleZh: '重大事件书面报备',
  dueDate: '2026-03-12',
  dueAt: '2026-03-12T06:30:00Z',
  basis: '48 小时，自 2026-03-10 14:30（北京时间）起算',
  step: 'at-due',
  kind: 'due',
};
const hostile: ReminderMessageInput = {
  ...base,
  orgName: '<script>alert("x")</script> & [点我](http://evil.example) <at user_id="all"></at>',
};

describe('single reminder messages', () => {
  it('e-mail: Chinese subject and text saying what, when, the basis and the link', () => {
    const m = buildReminderMessage({ channel: 'email', reminder: base });
    expect(m.subject).toBe('【资质提醒】年度自查报告将于 2026-10-08 到期');
    expect(m.text).toContain('企业：北京某某信息技术有限公司');
    expect(m.text).toContain('证书：CS3，证书编号 CS3-1100-2023-0001');
    expect(m.text).toContain('截止：2026-10-08');
    expect(m.text).toContain('依据：评估工作部 2026 年通知：2026-10-08 前提交');
    expect(m.text).toContain(`查看详情：${base.link}`);
    expect(m.html).toContain('<html lang="zh-CN">');
    expect(m.html).toContain(`<a href="${base.link}">查看详情</a>`);
  });

  it('e-mail: escapes HTML in every value', () => {
    const m = buildReminderMessage({ channel: 'email', reminder: hostile });
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<at ');
    expect(m.html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; [点我]');
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });

  it('e-mail: an escalated overdue reminder says so', () => {
    const m = buildReminderMessage({ channel: 'email', reminder: overdue });
    expect(m.subject).toBe('【已逾期·已升级】投诉调查与整改方案已于 2026-10-12 到期，尚未完成');
    expect(m.text).toContain('状态：已逾期');
    expect(m.text).toContain('本提醒同时发送给企业管理员');
  });

  it('hour deadlines show the time in Beijing time whatever the offset given', () => {
    const m = buildReminderMessage({ channel: 'in-app', reminder: incident });
    expect(m.title).toBe('【到期提醒】重大事件书面报备截止 2026-03-12 14:30（北京时间）');
    expect(m.body).toContain('截止：2026-03-12 14:30（北京时间）');
    expect(m.link).toBe(base.link);
  });

  it('a provisional date is marked as such', () => {
    const m = buildReminderMessage({ channel: 'email', reminder: { ...base, provisional: true } });
    expect(m.subject).toContain('2026-10-08（暂定）');
    expect(m.text).toContain('日期暂定');
  });

  it('e-mail: a link that is not http(s) is shown as text, never as a link', () => {
    const m = buildReminderMessage({ channel: 'email', reminder: { ...base, link: 'javascript:alert(1)' } });
    expect(m.html).not.toContain('href');
    expect(m.html).toContain('查看详情：javascript:alert(1)');
  });

  it('企业微信: markdown with the deadline highlighted and the link', () => {
    const m = buildReminderMessage({ channel: 'wecom', reminder: overdue });
    expect(m.msgtype).toBe('markdown');
    expect(m.markdown.content).toContain('**【已逾期·已升级】投诉调查与整改方案已于 2026-10-12 到期，尚未完成**');
    expect(m.markdown.content).toContain('> 截止：<font color="warning">2026-10-12</font>');
    expect(m.markdown.content).toContain('> 依据：7 个工作日，自 2026-09-24 起算');
    expect(m.markdown.content).toContain(`[查看详情](${base.link})`);
  });

  it('robots: user text cannot add links, tags or lines of its own', () => {
    for (const channel of ['wecom', 'dingtalk', 'feishu'] as const) {
      const json = JSON.stringify(
        buildReminderMessage({ channel, reminder: { ...hostile, certificateNumber: 'A\n# 标题\n> 引用' } }),
      );
      expect(json).not.toContain('](http://evil.example)');
      expect(json).not.toContain('<script>');
      expect(json).not.toContain('<at ');
      expect(json).not.toContain('\\n# 标题');
      expect(json).toContain('［点我］(http://evil.example)');
    }
  });

  it('钉钉: markdown with a title and line breaks DingTalk renders', () => {
    const m = buildReminderMessage({ channel: 'dingtalk', reminder: base });
    expect(m).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '【资质提醒】年度自查报告将于 2026-10-08 到期' },
    });
    expect(m.markdown.text).toContain('  \n> 企业：北京某某信息技术有限公司  \n');
    expect(m.markdown.text).toContain(`[查看详情](${base.link})`);
  });

  it('飞书: an interactive card, red when overdue, with a button to the obligation', () => {
    const m = buildReminderMessage({ channel: 'feishu', reminder: overdue });
    expect(m.msg_type).toBe('interactive');
    expect(m.card.header).toEqual({
      template: 'red',
      title: { tag: 'plain_text', content: '【已逾期·已升级】投诉调查与整改方案已于 2026-10-12 到期，尚未完成' },
    });
    expect(m.card.elements[0]).toMatchObject({ tag: 'div', text: { tag: 'lark_md' } });
    expect(JSON.stringify(m.card.elements[0])).toContain('**依据**：7 个工作日');
    expect(m.card.elements[1]).toEqual({
      tag: 'action',
      actions: [{ tag: 'button', text: { tag: 'plain_text', content: '查看详情' }, type: 'primary', url: base.link }],
    });
    expect(buildReminderMessage({ channel: 'feishu', reminder: base }).card.header.template).toBe('blue');
  });

  it('webhook: the documented version-1 reminder event, in a stable key order', () => {
    const m = buildReminderMessage({ channel: 'webhook', reminder: incident });
    expect(m).toEqual({
      type: 'reminder',
      version: 1,
      id: 'org1/cert1/incident.report:i1/at-due',
      org: { id: 'org1', name: '北京某某信息技术有限公司' },
      certificate: { id: 'cert1', number: 'CS3-1100-2023-0001', level: 'CS3' },
      obligation: {
        key: 'incident.report:i1',
        rule: 'incident.report',
        title: '重大事件书面报备',
        dueDate: '2026-03-12',
        dueAt: '2026-03-12T06:30:00Z',
        basis: '48 小时，自 2026-03-10 14:30（北京时间）起算',
        provisional: false,
        link: base.link,
      },
      reminder: { step: 'at-due', kind: 'due', escalate: false },
    });
    expect(Object.keys(m)).toEqual(['type', 'version', 'id', 'org', 'certificate', 'obligation', 'reminder']);
    expect(buildReminderMessage({ channel: 'webhook', reminder: base }).obligation.dueAt).toBeNull();
  });
});

describe('digests', () => {
  const three = [base, overdue, incident];

  it('groups a daily digest into overdue, due and coming up, with counts', () => {
    const m = buildDigestMessage({
      channel: 'email',
      period: 'daily',
      date: '2026-10-13',
      reminders: three,
      link: 'https://zizhi.example.com/obligations',
    });
    expect(m.subject).toBe('资质提醒日报（2026-10-13）：3 项待办，其中 1 项已逾期');
    const order = ['【已逾期】', '【到期】', '【即将到期】'].map((s) => m.text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(m.text).toContain('- 北京某某信息技术有限公司 · 投诉调查与整改方案 · 截止 2026-10-12 · 已升级');
    expect(m.text).toContain('依据：48 小时');
    expect(m.html).toContain('<a href="https://zizhi.example.com/obligations">查看全部待办</a>');
  });

  it('names the week of a weekly digest and escapes HTML', () => {
    const m = buildDigestMessage({
      channel: 'email',
      period: 'weekly',
      date: '2026-10-12',
      reminders: [hostile],
      link: 'https://x.example',
    });
    expect(m.subject).toBe('资质提醒周报（2026-10-12 起一周）：1 项待办');
    expect(m.html).not.toContain('<script>');
  });

  it('an empty digest still reads well', () => {
    const m = buildDigestMessage({
      channel: 'in-app',
      period: 'daily',
      date: '2026-10-13',
      reminders: [],
      link: 'https://x.example',
    });
    expect(m).toEqual({ title: '资质提醒日报（2026-10-13）：暂无待办事项', body: '', link: 'https://x.example' });
  });

  it('webhook digest: the reminder events of its items', () => {
    const m = buildDigestMessage({
      channel: 'webhook',
      period: 'weekly',
      date: '2026-10-12',
      reminders: three,
      link: 'https://x.example',
    });
    expect(m).toMatchObject({ type: 'reminder.digest', version: 1, period: 'weekly', date: '2026-10-12', count: 3 });
    expect(m.items.map((i) => i.id)).toEqual([
      'org1/cert1/complaint.response:c1/overdue-1',
      'org1/cert1/incident.report:i1/at-due',
      'org1/cert1/self-check.annual:2026/before-7d',
    ]);
  });

  it('robot digests stay within the robots’ size limits and say how many items were left out', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      ...base,
      obligationKey: `audit.internal:${i}`,
      orgName: `客户企业${i}号信息系统有限公司`,
      link: `https://zizhi.example.com/obligations/${i}`,
    }));
    const link = 'https://zizhi.example.com/obligations';
    const wecom = buildDigestMessage({ channel: 'wecom', period: 'weekly', date: '2026-10-12', reminders: many, link });
    const content = wecom.markdown.content;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(WECOM_MAX_BYTES);
    const shown = content.split('\n').filter((l) => l.startsWith('- ')).length;
    expect(shown).toBeGreaterThan(5);
    expect(content).toContain(`另有 ${300 - shown} 项未列出，请登录查看。`);
    expect(content.endsWith(`[查看全部待办](${link})`)).toBe(true);

    const ding = buildDigestMessage({
      channel: 'dingtalk',
      period: 'weekly',
      date: '2026-10-12',
      reminders: many,
      link,
    });
    expect(Buffer.byteLength(ding.markdown.text, 'utf8')).toBeLessThanOrEqual(DINGTALK_MAX_BYTES);
    const feishu = buildDigestMessage({
      channel: 'feishu',
      period: 'weekly',
      date: '2026-10-12',
      reminders: many,
      link,
    });
    const div = feishu.card.elements[0];
    expect(div?.tag).toBe('div');
    if (div?.tag === 'div') {
      expect(Buffer.byteLength(div.text.content, 'utf8')).toBeLessThanOrEqual(FEISHU_MAX_BYTES);
      expect(div.text.content).toContain('项未列出');
    }
  });

  it('a short robot digest lists every item with its link', () => {
    const m = buildDigestMessage({
      channel: 'wecom',
      period: 'daily',
      date: '2026-10-13',
      reminders: three,
      link: 'https://x.example',
    });
    const c = m.markdown.content;
    expect(c.startsWith('**资质提醒日报（2026-10-13）：3 项待办，其中 1 项已逾期**')).toBe(true);
    expect(c).toContain('**已逾期**');
    expect(c).toContain(
      `- 北京某某信息技术有限公司 · 重大事件书面报备 · 截止 2026-03-12 14:30（北京时间） [查看详情](${base.link})`,
    );
    expect(c).not.toContain('未列出');
  });
});
