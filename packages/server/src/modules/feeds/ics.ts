import { sourceLabel } from '@zizhi/core';

export const CHINA_TZID = 'Asia/Shanghai';
const CHINA_OFFSET_MS = 8 * 3_600_000;

// China has kept UTC+8 without daylight saving since 1991: one fixed rule covers every deadline.
const CHINA_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${CHINA_TZID}`,
  `X-LIC-LOCATION:${CHINA_TZID}`,
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'DTSTART:19700101T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/** One obligation as the feed shows it. */
export interface FeedItem {
  id: string;
  titleZh: string;
  orgName: string;
  certificateNumber: string;
  level: string;
  dueDate: string;
  dueAt: Date | null;
  windowStart: string | null;
  provisional: boolean;
  basis: string;
  source: string;
  status: 'open' | 'in_progress' | 'done' | 'waived';
  completedOn: string | null;
  waivedReason: string | null;
  updatedAt: Date;
}

const STATUS_LABELS: Record<FeedItem['status'], string> = {
  open: '待办',
  in_progress: '进行中',
  done: '已完成',
  waived: '已豁免',
};

/** How long a hour deadline's event lasts in the calendar (it starts at the deadline). */
const TIMED_EVENT_MINUTES = 30;
/** How often calendar clients are asked to fetch the feed again. */
export const FEED_REFRESH_SECONDS = 3600;

function describe(item: FeedItem): string {
  const lines = [`证书：${item.orgName} ${item.level} ${item.certificateNumber}`];
  let status = `状态：${STATUS_LABELS[item.status]}`;
  if (item.status === 'done' && item.completedOn) status += `（${item.completedOn} 完成）`;
  if (item.status === 'waived' && item.waivedReason) status += `（${item.waivedReason}）`;
  lines.push(status);
  if (item.windowStart) lines.push(`办理窗口：${item.windowStart} 起`);
  lines.push(`依据：${item.basis}`);
  lines.push(`来源：${sourceLabel(item.source, 'zh')}`);
  if (item.provisional) lines.push('暂定日期：该年度放假安排尚未公布，按周一至周五推算，公布后自动更新。');
  return lines.join('\n');
}

// RFC 5545 text, written directly: a feed of tens of thousands of events is written in a few
// hundred milliseconds, where a general calendar library spent most of that folding lines one
// character at a time.

/** TEXT value escaping: backslash, semicolon, comma and line breaks. */
const escapeText = (text: string) => text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

/** Bytes of one UTF-16 code unit in UTF-8 (a surrogate pair is 2 + 2). */
const utf8Width = (code: number) => (code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdfff ? 2 : 3);

/**
 * One content line folded at 75 octets (continuations start with a space), never inside a UTF-8
 * character or a surrogate pair, each line ended by CRLF.
 */
function contentLine(line: string): string {
  if (line.length <= 25 || Buffer.byteLength(line) <= 75) return `${line}\r\n`;
  let out = '';
  let start = 0;
  let width = 0;
  let limit = 75;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    const w = code >= 0xd800 && code <= 0xdbff ? 4 : utf8Width(code);
    if (width + w > limit) {
      out += `${start === 0 ? '' : ' '}${line.slice(start, i)}\r\n`;
      start = i;
      width = 0;
      limit = 74;
    }
    width += w;
    if (w === 4) i++;
  }
  return `${out}${start === 0 ? '' : ' '}${line.slice(start)}\r\n`;
}

const pad = (n: number, size = 2) => String(n).padStart(size, '0');
/** A UTC instant as 20261127T040000Z. */
const utcStamp = (at: Date) =>
  `${pad(at.getUTCFullYear(), 4)}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}Z`;
/** An instant as China wall-clock time, 20260503T143000 (for TZID=Asia/Shanghai). */
const chinaStamp = (epochMs: number) => utcStamp(new Date(epochMs + CHINA_OFFSET_MS)).slice(0, 15);
/** A calendar date as 20261013, and the day after it by plain arithmetic (past the calendar's years too). */
const dateValue = (date: string) => date.replaceAll('-', '');
const nextDateValue = (date: string) =>
  dateValue(new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));

/**
 * An iCalendar feed of obligations: all-day events for due dates, Asia/Shanghai timed events
 * for hour deadlines, one stable UID per obligation so a client replaces rather than duplicates.
 * Done obligations, when the feed shows finished work, are prefixed "✔" so the calendar keeps the
 * record; waived ones are marked STATUS:CANCELLED.
 */
export function buildObligationsCalendar({ name, items }: { name: string; items: readonly FeedItem[] }): string {
  const lines: string[] = [
    contentLine('BEGIN:VCALENDAR'),
    contentLine('VERSION:2.0'),
    contentLine('PRODID:-//Zizhi//Obligations//ZH'),
    contentLine(`NAME:${escapeText(name)}`),
    contentLine(`X-WR-CALNAME:${escapeText(name)}`),
    contentLine(`X-WR-CALDESC:${escapeText('Zizhi 资质义务日历：截止日期、依据和办理状态')}`),
    `${CHINA_VTIMEZONE}\r\n`,
    contentLine(`REFRESH-INTERVAL;VALUE=DURATION:PT${FEED_REFRESH_SECONDS / 3600}H`),
    contentLine(`X-PUBLISHED-TTL:PT${FEED_REFRESH_SECONDS / 3600}H`),
  ];
  for (const item of items) {
    const prefix = item.status === 'done' ? '✔ ' : item.status === 'waived' ? '（已豁免）' : '';
    const provisional = item.provisional ? '（暂定）' : '';
    lines.push(
      contentLine('BEGIN:VEVENT'),
      contentLine(`UID:${item.id}@zizhi`),
      contentLine('SEQUENCE:0'),
      // Without METHOD, DTSTAMP is when the item was last revised: the same bytes until it changes.
      contentLine(`DTSTAMP:${utcStamp(item.updatedAt)}`),
    );
    if (item.dueAt) {
      const start = item.dueAt.getTime();
      lines.push(
        contentLine(`DTSTART;TZID=${CHINA_TZID}:${chinaStamp(start)}`),
        contentLine(`DTEND;TZID=${CHINA_TZID}:${chinaStamp(start + TIMED_EVENT_MINUTES * 60_000)}`),
      );
    } else {
      lines.push(
        contentLine(`DTSTART;VALUE=DATE:${dateValue(item.dueDate)}`),
        contentLine(`DTEND;VALUE=DATE:${nextDateValue(item.dueDate)}`),
        contentLine('X-MICROSOFT-CDO-ALLDAYEVENT:TRUE'),
      );
    }
    lines.push(
      contentLine(
        `SUMMARY:${escapeText(`${prefix}${item.titleZh}${provisional} · ${item.orgName} · ${item.certificateNumber}`)}`,
      ),
      contentLine(`DESCRIPTION:${escapeText(describe(item))}`),
      contentLine(`STATUS:${item.status === 'waived' ? 'CANCELLED' : 'CONFIRMED'}`),
      contentLine(`LAST-MODIFIED:${utcStamp(item.updatedAt)}`),
      contentLine('END:VEVENT'),
    );
  }
  lines.push(contentLine(`X-WR-TIMEZONE:${CHINA_TZID}`), contentLine('END:VCALENDAR'));
  return lines.join('');
}
