// Message payloads per channel for one reminder, or for a digest of several. Pure: no sending, no
// clock; the wording is Chinese (the product's users), dates are Asia/Shanghai.
import type { ReminderKind } from '@zizhi/core';

export const CHANNEL_TYPES = ['email', 'wecom', 'dingtalk', 'feishu', 'webhook', 'in-app'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** One reminder of one obligation, as the sweeper hands it to a channel. */
export interface ReminderMessageInput {
  orgId: string;
  orgName: string;
  certificateId: string;
  certificateNumber: string;
  level: string;
  /** The obligation's stable key (e.g. `complaint.response:c1`) and rule id. */
  obligationKey: string;
  rule?: string;
  titleZh: string;
  /** `YYYY-MM-DD` (Asia/Shanghai). */
  dueDate: string;
  /** Hour deadlines: ISO instant with offset. */
  dueAt?: string;
  /** How the date was counted (the engine's Chinese basis sentence). */
  basis: string;
  /** The reminder step key (`before-7d`, `overdue-1` …) and its kind. */
  step: string;
  kind: ReminderKind;
  escalate: boolean;
  /** The date is not final (unpublished calendar year, awaiting the self-check notice). */
  provisional?: boolean;
  /** Absolute URL of the obligation in the app. */
  link: string;
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}
/** 企业微信 group robot. */
export interface WecomMessage {
  msgtype: 'markdown';
  markdown: { content: string };
}
/** 钉钉 custom robot. */
export interface DingTalkMessage {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
}
/** 飞书 custom bot: a message card (v1 card JSON, which custom bots accept as an object). */
export interface FeishuMessage {
  msg_type: 'interactive';
  card: {
    config: { wide_screen_mode: true };
    header: { template: 'blue' | 'orange' | 'red'; title: { tag: 'plain_text'; content: string } };
    elements: (
      | { tag: 'div'; text: { tag: 'lark_md'; content: string } }
      | {
          tag: 'action';
          actions: { tag: 'button'; text: { tag: 'plain_text'; content: string }; type: 'primary'; url: string }[];
        }
    )[];
  };
}
export interface InAppMessage {
  title: string;
  body: string;
  link: string;
}

/**
 * The generic webhook's reminder event, version 1. Fields are never renamed or removed within a
 * version; new optional fields may be added. `id` is unique per organisation, certificate,
 * obligation and step: receivers deduplicate on it (a delivery can be retried).
 *
 * ```json
 * { "type": "reminder", "version": 1, "id": "org1/cert1/complaint.response:c1/before-1d",
 *   "org": { "id": "org1", "name": "…" },
 *   "certificate": { "id": "cert1", "number": "CS3-2023-0001", "level": "CS3" },
 *   "obligation": { "key": "complaint.response:c1", "rule": "complaint.response", "title": "…",
 *                   "dueDate": "2026-10-12", "dueAt": null, "basis": "…", "provisional": false, "link": "https://…" },
 *   "reminder": { "step": "before-1d", "kind": "before", "escalate": false } }
 * ```
 */
export interface WebhookReminderEvent {
  type: 'reminder';
  version: 1;
  id: string;
  org: { id: string; name: string };
  certificate: { id: string; number: string; level: string };
  obligation: {
    key: string;
    rule: string | null;
    title: string;
    dueDate: string;
    dueAt: string | null;
    basis: string;
    provisional: boolean;
    link: string;
  };
  reminder: { step: string; kind: ReminderKind; escalate: boolean };
}

/** The generic webhook's digest event, version 1: the same reminder events, grouped. */
export interface WebhookDigestEvent {
  type: 'reminder.digest';
  version: 1;
  period: DigestPeriod;
  /** The digest's day (daily) or the first day of its week (weekly), `YYYY-MM-DD`. */
  date: string;
  count: number;
  items: WebhookReminderEvent[];
}

export interface ChannelPayloads {
  email: EmailMessage;
  wecom: WecomMessage;
  dingtalk: DingTalkMessage;
  feishu: FeishuMessage;
  webhook: WebhookReminderEvent;
  'in-app': InAppMessage;
}
export type DigestPayloads = Omit<ChannelPayloads, 'webhook'> & { webhook: WebhookDigestEvent };

export type DigestPeriod = 'daily' | 'weekly';

// ---- text helpers ------------------------------------------------------------------------------

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const MD_REPLACEMENTS: Record<string, string> = {
  '[': '［',
  ']': '］',
  '<': '＜',
  '>': '＞',
  '*': '＊',
  '`': '｀',
  '|': '｜',
  '~': '～',
};

/**
 * Neutralises user-entered text (an organisation name, a certificate number) inside robot markdown.
 * The robots do not reliably honour backslash escapes, so the characters that would open a link, a
 * tag (`<font>`, `<at>`), emphasis or code are swapped for their full-width forms, and line breaks
 * for spaces so a value cannot start a heading or a quote of its own.
 */
function md(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/[[\]<>*`|~]/g, (c) => MD_REPLACEMENTS[c] ?? c);
}

/** One line of plain text (mail subjects must not carry line breaks). */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** The link when it is an absolute http(s) URL, with the characters that end a markdown link encoded. */
function safeLink(link: string): string | null {
  if (!/^https?:\/\/[^\s]+$/i.test(link)) return null;
  return link.replace(/[()<>"'[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `2026-03-12 14:30` in Asia/Shanghai for an instant with any offset (China has no DST since 1991). */
function shanghaiDateTime(instant: string): string | null {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(instant)) return null; // never read a bare time in the server's zone
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return null;
  const iso = new Date(ms + 8 * 3_600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** When it is due, in words: the date, or date and time (Beijing time) for hour deadlines. */
function dueText(r: ReminderMessageInput): string {
  const when = r.dueAt === undefined ? r.dueDate : (shanghaiDateTime(r.dueAt) ?? r.dueAt);
  const suffix = r.dueAt === undefined ? '' : '（北京时间）';
  return `${when}${suffix}${r.provisional === true ? '（暂定）' : ''}`;
}

const KIND_LABEL: Record<ReminderKind, string> = { before: '即将到期', due: '到期', overdue: '已逾期' };

/** The headline, e.g. 「【资质提醒】年度自查报告将于 2026-10-08 到期」. Plain text. */
function headline(r: ReminderMessageInput): string {
  const due = dueText(r);
  switch (r.kind) {
    case 'before':
      return `【资质提醒】${r.titleZh}将于 ${due} 到期`;
    case 'due':
      return `【到期提醒】${r.titleZh}截止 ${due}`;
    case 'overdue':
      return `【已逾期${r.escalate ? '·已升级' : ''}】${r.titleZh}已于 ${due} 到期，尚未完成`;
  }
}

interface Field {
  label: string;
  value: string;
}

function fields(r: ReminderMessageInput): Field[] {
  const out: Field[] = [
    { label: '企业', value: r.orgName },
    { label: '证书', value: `${r.level}，证书编号 ${r.certificateNumber}` },
    { label: '事项', value: r.titleZh },
    { label: '截止', value: dueText(r) },
    { label: '状态', value: KIND_LABEL[r.kind] },
    { label: '依据', value: r.basis },
  ];
  return out;
}

function footnotes(r: ReminderMessageInput): string[] {
  const notes: string[] = [];
  if (r.provisional === true) notes.push('日期暂定：所用节假日安排尚未公布或尚待评估机构通知，公布后将重新计算。');
  if (r.escalate) notes.push('该事项已逾期，本提醒同时发送给企业管理员。');
  return notes;
}

const VIEW = '查看详情';

// ---- single reminder ---------------------------------------------------------------------------

function email(r: ReminderMessageInput): EmailMessage {
  const head = headline(r);
  const link = safeLink(r.link);
  const fs = fields(r);
  const notes = footnotes(r);
  const text = [
    head,
    '',
    ...fs.map((f) => `${f.label}：${f.value}`),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
    `${VIEW}：${r.link}`,
  ].join('\n');
  const rows = fs
    .map(
      (f) =>
        `<tr><th align="left" style="padding:4px 12px 4px 0;color:#666;font-weight:normal;white-space:nowrap">${escapeHtml(f.label)}</th>` +
        `<td style="padding:4px 0">${escapeHtml(f.value)}</td></tr>`,
    )
    .join('');
  const html =
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(head)}</title></head>` +
    `<body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;color:#222">` +
    `<h2 style="font-size:16px;color:${r.kind === 'overdue' ? '#c0392b' : r.kind === 'due' ? '#d35400' : '#1f4e79'}">${escapeHtml(head)}</h2>` +
    `<table style="border-collapse:collapse">${rows}</table>` +
    notes.map((n) => `<p style="color:#666">${escapeHtml(n)}</p>`).join('') +
    (link !== null ? `<p><a href="${escapeHtml(link)}">${VIEW}</a></p>` : `<p>${VIEW}：${escapeHtml(r.link)}</p>`) +
    `</body></html>`;
  return { subject: oneLine(head), text, html };
}

/** Markdown lines shared by the robots: a bold headline, quoted fields, notes, the link. */
function robotLines(r: ReminderMessageInput, opts: { color: boolean }): string[] {
  const link = safeLink(r.link);
  const lines = [`**${md(headline(r))}**`, ''];
  for (const f of fields(r)) {
    const value = md(f.value);
    const colored =
      opts.color && f.label === '截止'
        ? `<font color="${r.kind === 'before' ? 'info' : 'warning'}">${value}</font>`
        : value;
    lines.push(`> ${f.label}：${colored}`);
  }
  const notes = footnotes(r);
  if (notes.length > 0) lines.push('', ...notes.map(md));
  if (link !== null) lines.push('', `[${VIEW}](${link})`);
  return lines;
}

function wecom(r: ReminderMessageInput): WecomMessage {
  return {
    msgtype: 'markdown',
    markdown: { content: truncateBytes(robotLines(r, { color: true }).join('\n'), WECOM_MAX_BYTES) },
  };
}

function dingtalk(r: ReminderMessageInput): DingTalkMessage {
  // DingTalk renders a line break only after a blank line or two trailing spaces.
  const text = robotLines(r, { color: false }).join('  \n');
  return {
    msgtype: 'markdown',
    markdown: { title: oneLine(headline(r)), text: truncateBytes(text, DINGTALK_MAX_BYTES) },
  };
}

const FEISHU_TEMPLATE: Record<ReminderKind, 'blue' | 'orange' | 'red'> = {
  before: 'blue',
  due: 'orange',
  overdue: 'red',
};

function feishuCard(
  title: string,
  template: 'blue' | 'orange' | 'red',
  body: string,
  link: string | null,
): FeishuMessage {
  const elements: FeishuMessage['card']['elements'] = [
    { tag: 'div', text: { tag: 'lark_md', content: truncateBytes(body, FEISHU_MAX_BYTES) } },
  ];
  if (link !== null) {
    elements.push({
      tag: 'action',
      actions: [{ tag: 'button', text: { tag: 'plain_text', content: VIEW }, type: 'primary', url: link }],
    });
  }
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: { template, title: { tag: 'plain_text', content: oneLine(title) } },
      elements,
    },
  };
}

function feishu(r: ReminderMessageInput): FeishuMessage {
  const body = [...fields(r).map((f) => `**${f.label}**：${md(f.value)}`), ...footnotes(r).map(md)].join('\n');
  return feishuCard(headline(r), FEISHU_TEMPLATE[r.kind], body, safeLink(r.link));
}

function webhook(r: ReminderMessageInput): WebhookReminderEvent {
  return {
    type: 'reminder',
    version: 1,
    id: `${r.orgId}/${r.certificateId}/${r.obligationKey}/${r.step}`,
    org: { id: r.orgId, name: r.orgName },
    certificate: { id: r.certificateId, number: r.certificateNumber, level: r.level },
    obligation: {
      key: r.obligationKey,
      rule: r.rule ?? null,
      title: r.titleZh,
      dueDate: r.dueDate,
      dueAt: r.dueAt ?? null,
      basis: r.basis,
      provisional: r.provisional === true,
      link: r.link,
    },
    reminder: { step: r.step, kind: r.kind, escalate: r.escalate },
  };
}

function inApp(r: ReminderMessageInput): InAppMessage {
  const body = [...fields(r).map((f) => `${f.label}：${f.value}`), ...footnotes(r)].join('\n');
  return { title: headline(r), body, link: r.link };
}

const BUILDERS: { [C in ChannelType]: (r: ReminderMessageInput) => ChannelPayloads[C] } = {
  email,
  wecom,
  dingtalk,
  feishu,
  webhook,
  'in-app': inApp,
};

/**
 * The payload of one reminder for a channel type: e-mail {subject, text, html}, 企业微信 and 钉钉
 * robot markdown, a 飞书 card, the generic webhook's JSON event, or an in-app inbox entry. Each says
 * what is due, when, on what basis, and links to the obligation.
 */
export function buildReminderMessage<C extends ChannelType>({
  channel,
  reminder,
}: {
  channel: C;
  reminder: ReminderMessageInput;
}): ChannelPayloads[C] {
  return BUILDERS[channel](reminder);
}

// ---- digest ------------------------------------------------------------------------------------

/** 企业微信 rejects markdown content over 4096 bytes (UTF-8). */
export const WECOM_MAX_BYTES = 4096;
/** Conservative limits for 钉钉 (20 000-byte messages) and 飞书 (20 KB request body incl. the card JSON). */
export const DINGTALK_MAX_BYTES = 18_000;
export const FEISHU_MAX_BYTES = 15_000;

const encoder = new TextEncoder();
const byteLength = (s: string) => encoder.encode(s).length;

/** Cuts `text` to at most `max` UTF-8 bytes on a character boundary, marking the cut. */
function truncateBytes(text: string, max: number): string {
  if (byteLength(text) <= max) return text;
  const mark = '…';
  let out = '';
  let used = byteLength(mark);
  for (const ch of text) {
    const b = byteLength(ch);
    if (used + b > max) break;
    out += ch;
    used += b;
  }
  return out + mark;
}

/**
 * Joins head, as many items as fit in `max` UTF-8 bytes, a line saying how many were left out, and
 * tail: a digest too long for the robot must still arrive, and say that it is incomplete.
 */
function fitLines(head: string[], items: string[][], tail: string[], sep: string, max: number): string {
  const sepBytes = byteLength(sep);
  const bytesOf = (parts: string[]) => parts.reduce((n, p) => n + byteLength(p), 0);
  const joined = (bytes: number, count: number) => bytes + Math.max(0, count - 1) * sepBytes;
  const moreLine = (rest: number) => `另有 ${rest} 项未列出，请登录查看。`;
  let bytes = bytesOf(head) + bytesOf(tail);
  let count = head.length + tail.length;
  let shown = 0;
  for (const item of items) {
    const nextBytes = bytes + bytesOf(item);
    const nextCount = count + item.length;
    const rest = items.length - shown - 1;
    const more = rest > 0 ? byteLength(moreLine(rest)) : 0;
    if (joined(nextBytes + more, nextCount + (rest > 0 ? 1 : 0)) > max) break;
    bytes = nextBytes;
    count = nextCount;
    shown++;
  }
  const rest = items.length - shown;
  const text = [...head, ...items.slice(0, shown).flat(), ...(rest > 0 ? [moreLine(rest)] : []), ...tail].join(sep);
  return truncateBytes(text, max); // only bites when the head and tail alone are too long
}

const KIND_ORDER: Record<ReminderKind, number> = { overdue: 0, due: 1, before: 2 };
const SECTION_TITLE: Record<ReminderKind, string> = { overdue: '已逾期', due: '到期', before: '即将到期' };

/** Overdue first, then due, then coming up; each by deadline, then organisation. */
function sortForDigest(reminders: readonly ReminderMessageInput[]): ReminderMessageInput[] {
  // Date deadlines sort at the end of their day, after hour deadlines of the same day.
  const key = (r: ReminderMessageInput) =>
    (r.dueAt === undefined ? null : shanghaiDateTime(r.dueAt)) ?? `${r.dueDate} 24:00`;
  return [...reminders].sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) ||
      a.orgName.localeCompare(b.orgName, 'zh-CN') ||
      a.titleZh.localeCompare(b.titleZh, 'zh-CN'),
  );
}

function digestTitle(period: DigestPeriod, date: string, reminders: readonly ReminderMessageInput[]): string {
  const overdue = reminders.filter((r) => r.kind === 'overdue').length;
  const name = period === 'daily' ? `资质提醒日报（${date}）` : `资质提醒周报（${date} 起一周）`;
  if (reminders.length === 0) return `${name}：暂无待办事项`;
  return `${name}：${reminders.length} 项待办${overdue > 0 ? `，其中 ${overdue} 项已逾期` : ''}`;
}

function itemSummary(r: ReminderMessageInput): string {
  return `${r.orgName} · ${r.titleZh} · 截止 ${dueText(r)}${r.escalate ? ' · 已升级' : ''}`;
}

function groups(sorted: ReminderMessageInput[]): [ReminderKind, ReminderMessageInput[]][] {
  const out: [ReminderKind, ReminderMessageInput[]][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last[0] === r.kind) last[1].push(r);
    else out.push([r.kind, [r]]);
  }
  return out;
}

export interface DigestInput {
  channel: ChannelType;
  period: DigestPeriod;
  /** The digest's day (daily) or the first day of its week (weekly), `YYYY-MM-DD`. */
  date: string;
  reminders: readonly ReminderMessageInput[];
  /** Absolute URL of the member's list of obligations (the digest's own link). */
  link: string;
}

const digestBuilders: { [C in ChannelType]: (d: DigestInput) => DigestPayloads[C] } = {
  email(d) {
    const sorted = sortForDigest(d.reminders);
    const title = digestTitle(d.period, d.date, d.reminders);
    const text: string[] = [title];
    let html =
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;color:#222">` +
      `<h2 style="font-size:16px">${escapeHtml(title)}</h2>`;
    for (const [kind, items] of groups(sorted)) {
      text.push('', `【${SECTION_TITLE[kind]}】`);
      html += `<h3 style="font-size:15px;color:${kind === 'overdue' ? '#c0392b' : '#1f4e79'}">${escapeHtml(SECTION_TITLE[kind])}（${items.length}）</h3><ul>`;
      for (const r of items) {
        const link = safeLink(r.link);
        text.push(`- ${itemSummary(r)}`, `  依据：${r.basis}`, `  ${VIEW}：${r.link}`);
        html +=
          `<li style="margin-bottom:8px">${link !== null ? `<a href="${escapeHtml(link)}">${escapeHtml(r.titleZh)}</a>` : escapeHtml(r.titleZh)}` +
          ` · ${escapeHtml(r.orgName)} · 截止 ${escapeHtml(dueText(r))}${r.escalate ? ' · 已升级' : ''}` +
          `<br><span style="color:#666">${escapeHtml(`${r.level}，证书编号 ${r.certificateNumber}；依据：${r.basis}`)}</span></li>`;
      }
      html += '</ul>';
    }
    const link = safeLink(d.link);
    text.push('', `全部待办：${d.link}`);
    html += `<p>${link !== null ? `<a href="${escapeHtml(link)}">查看全部待办</a>` : `全部待办：${escapeHtml(d.link)}`}</p></body></html>`;
    return { subject: oneLine(title), text: text.join('\n'), html };
  },

  wecom(d) {
    return { msgtype: 'markdown', markdown: { content: robotDigest(d, '\n', WECOM_MAX_BYTES) } };
  },

  dingtalk(d) {
    return {
      msgtype: 'markdown',
      markdown: {
        title: oneLine(digestTitle(d.period, d.date, d.reminders)),
        text: robotDigest(d, '  \n', DINGTALK_MAX_BYTES),
      },
    };
  },

  feishu(d) {
    const sorted = sortForDigest(d.reminders);
    const items: string[][] = [];
    for (const [kind, rs] of groups(sorted)) {
      rs.forEach((r, i) => {
        const link = safeLink(r.link);
        const line = `- ${md(itemSummary(r))}${link !== null ? ` [${VIEW}](${link})` : ''}`;
        items.push(i === 0 ? [`**${SECTION_TITLE[kind]}**`, line] : [line]);
      });
    }
    const overdue = d.reminders.some((r) => r.kind === 'overdue');
    const body = fitLines([], items, [], '\n', FEISHU_MAX_BYTES);
    return feishuCard(digestTitle(d.period, d.date, d.reminders), overdue ? 'red' : 'blue', body, safeLink(d.link));
  },

  webhook(d) {
    const items = sortForDigest(d.reminders).map(webhook);
    return { type: 'reminder.digest', version: 1, period: d.period, date: d.date, count: items.length, items };
  },

  'in-app'(d) {
    const lines: string[] = [];
    for (const [kind, items] of groups(sortForDigest(d.reminders))) {
      lines.push(`【${SECTION_TITLE[kind]}】`, ...items.map((r) => `- ${itemSummary(r)}`));
    }
    return { title: digestTitle(d.period, d.date, d.reminders), body: lines.join('\n'), link: d.link };
  },
};

/**
 * One message per channel type for several reminders (a member's daily or weekly digest), grouped
 * into 已逾期 / 到期 / 即将到期, each item with its organisation, deadline and link. Robot messages
 * stay within the robot's size limit and say how many items were left out. An empty list still
 * builds a message ("暂无待办事项"): whether to send it is the caller's choice.
 */
export function buildDigestMessage<C extends ChannelType>(input: DigestInput & { channel: C }): DigestPayloads[C] {
  return digestBuilders[input.channel](input);
}

function robotDigest(d: DigestInput, sep: string, max: number): string {
  const sorted = sortForDigest(d.reminders);
  const head = [`**${md(digestTitle(d.period, d.date, d.reminders))}**`];
  const items: string[][] = [];
  for (const [kind, rs] of groups(sorted)) {
    rs.forEach((r, i) => {
      const link = safeLink(r.link);
      const line = `- ${md(itemSummary(r))}${link !== null ? ` [${VIEW}](${link})` : ''}`;
      items.push(i === 0 ? ['', `**${SECTION_TITLE[kind]}**`, line] : [line]);
    });
  }
  const link = safeLink(d.link);
  const tail = link !== null ? ['', `[查看全部待办](${link})`] : [];
  return fitLines(head, items, tail, sep, max);
}

/** The payload of a digest delivery. */
export interface DigestPayload {
  period: DigestPeriod;
  date: string;
  link: string;
  reminders: ReminderMessageInput[];
}
