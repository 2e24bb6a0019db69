export const CHINA_TZID = 'Asia/Shanghai';

/** One obligation as the feed shows it. */
export interface FeedItem {
  id: string;
  orgId: string;
  certificateId: string;
  /** The rule that made it: obligations of one rule due on one day share an event. */
  rule: string;
  titleZh: string;
  orgName: string;
  certificateNumber: string;
  dueDate: string;
  dueAt: Date | null;
  provisional: boolean;
  basis: string;
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
const TIMED_EVENT_MS = 30 * 60_000;
/** How often calendar clients are asked to fetch the feed again. */
export const FEED_REFRESH_SECONDS = 3600;

/**
 * From this many obligations of one rule due on the same day (and in the same status), the feed
 * shows one event for them all: a consultancy's monthly checks fall on the same last working day
 * for every client, and two hundred identical entries on one day help no one (nor the calendar
 * apps, nor the feed's size).
 */
export const GROUP_FROM = 3;
/** The certificates a shared event names before "…共 N 项". */
const GROUP_NAMED = 5;

/** The page of an obligation in the app: the same link its reminders carry. */
export const obligationLink = (baseUrl: string, item: Pick<FeedItem, 'id' | 'orgId' | 'certificateId'>) =>
  `${baseUrl}/orgs/${item.orgId}/certificates/${item.certificateId}?obligation=${item.id}`;

// A consultancy's feed holds tens of thousands of events, most of them monthly and quarterly
// duties in years whose holiday notice is not out yet: a byte more per event is ~50,000 more on
// every client's hourly fetch. So an event says nothing twice, and leaves the explanation to the
// page its URL opens.

/**
 * The engine's note on an unpublished holiday year, the same long sentence on most events: the
 * title's （暂定） says it.
 */
const UNKNOWN_YEAR_NOTE = /；[\d、]+ 年节假日安排尚未发布，[^（]*（[^）]*）/;
/** Legal forms that add nothing in a list of one consultancy's clients. */
const LEGAL_FORM = /(?:股份有限公司|有限责任公司|有限公司)$/;

/** 深圳市甲方科技有限公司 → 深圳市甲方科技: the name people use, never emptied. */
export function shortOrgName(name: string): string {
  const short = name.trim().replace(LEGAL_FORM, '').trimEnd();
  return short === '' ? name : short;
}

function describe(item: FeedItem): string {
  const basis = item.provisional ? item.basis.replace(UNKNOWN_YEAR_NOTE, '') : item.basis;
  // Open work is what the calendar holds: only another state is worth a line.
  if (item.status === 'open') return basis;
  let status = `状态：${STATUS_LABELS[item.status]}`;
  if (item.status === 'done' && item.completedOn) status += `（${item.completedOn} 完成）`;
  if (item.status === 'waived' && item.waivedReason) status += `（${item.waivedReason}）`;
  return basis === '' ? status : `${status}\n${basis}`;
}

// RFC 5545 text, written directly: a general calendar library spent most of a large feed's time
// folding lines one character at a time.

const NEEDS_ESCAPE = /[\\;,\r\n]/;
const ESCAPED = /\r\n|[\\;,\r\n]/g;
/** TEXT value escaping: backslash, semicolon, comma and line breaks (CRLF, LF or a lone CR). */
const escapeText = (text: string) =>
  NEEDS_ESCAPE.test(text)
    ? text.replace(ESCAPED, (c) => (c === '\\' || c === ';' || c === ',' ? `\\${c}` : '\\n'))
    : text;

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * One content line folded at 75 octets (continuations start with a space), never inside a UTF-8
 * character or a surrogate pair, each line ended by CRLF.
 */
function contentLine(line: string): string {
  // 25 UTF-16 units are at most 75 octets (3 each; a surrogate pair is 4 for 2).
  if (line.length <= 25) return `${line}\r\n`;
  if (!NON_ASCII.test(line)) {
    if (line.length <= 75) return `${line}\r\n`;
    let out = `${line.slice(0, 75)}\r\n`;
    for (let i = 75; i < line.length; i += 74) out += ` ${line.slice(i, i + 74)}\r\n`;
    return out;
  }
  let out = '';
  let start = 0;
  let width = 0;
  let limit = 75;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    let units = 1;
    let w: number;
    if (code < 0x80) w = 1;
    else if (code < 0x800) w = 2;
    else if (code >= 0xd800 && code <= 0xdbff && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      w = 4;
      units = 2;
    } else w = 3; // a lone surrogate is written as U+FFFD, 3 octets
    if (width + w > limit) {
      out += start === 0 ? `${line.slice(0, i)}\r\n` : ` ${line.slice(start, i)}\r\n`;
      start = i;
      width = 0;
      limit = 74;
    }
    width += w;
    i += units - 1;
  }
  return start === 0 ? `${line}\r\n` : `${out} ${line.slice(start)}\r\n`;
}

/** A UTC instant as 20261127T040000Z. */
function utcStamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** The all-day lines of a calendar date; the day after it by plain arithmetic (past the calendar's years too). */
function allDayLines(date: string): string {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();
  return (
    `DTSTART;VALUE=DATE:${date.slice(0, 4)}${date.slice(5, 7)}${date.slice(8, 10)}\r\n` +
    // Exchange refuses an event with neither DTEND nor DURATION, whatever RFC 5545 allows for dates.
    `DTEND;VALUE=DATE:${next.slice(0, 4)}${next.slice(5, 7)}${next.slice(8, 10)}\r\n`
  );
}

/**
 * UTF-8 bytes appended in place. A feed written as one string is a two-byte string of tens of
 * megabytes (Chinese text), flattened once and encoded twice more (ETag, response): that cost
 * more than writing the events.
 */
class ByteSink {
  private buf: Buffer;
  private size = 0;
  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  write(text: string): void {
    // A UTF-16 unit is at most 3 octets.
    if (this.buf.length - this.size < text.length * 3) {
      const grown = Buffer.allocUnsafe(Math.max(Math.ceil(this.buf.length * 1.5), this.size + text.length * 3));
      this.buf.copy(grown, 0, 0, this.size);
      this.buf = grown;
    }
    this.size += this.buf.write(text, this.size);
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.size);
  }
}

/**
 * An iCalendar feed of obligations, as UTF-8 bytes: all-day events for due dates, UTC timed events
 * for hour deadlines, one stable UID per obligation so a client replaces rather than duplicates,
 * and a link to the obligation in the app at `baseUrl`. Done obligations, when the feed shows
 * finished work, are prefixed "✔" so the calendar keeps the record; waived ones are marked
 * STATUS:CANCELLED.
 */
export function buildObligationsCalendar({
  name,
  baseUrl,
  items,
}: {
  name: string;
  baseUrl: string;
  items: readonly FeedItem[];
}): Buffer {
  const out = new ByteSink(1024 + items.length * 512);
  out.write(
    'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Zizhi//Obligations//ZH\r\n' +
      contentLine(`NAME:${escapeText(name)}`) +
      contentLine(`X-WR-CALNAME:${escapeText(name)}`) +
      contentLine(`X-WR-CALDESC:${escapeText('Zizhi 资质义务日历：截止日期、依据和办理状态')}`) +
      `X-WR-TIMEZONE:${CHINA_TZID}\r\n` +
      `REFRESH-INTERVAL;VALUE=DURATION:PT${FEED_REFRESH_SECONDS / 3600}H\r\n` +
      `X-PUBLISHED-TTL:PT${FEED_REFRESH_SECONDS / 3600}H\r\n`,
  );
  // A feed has a few hundred due dates, organisations and revision times for tens of thousands of
  // events: each is formatted once.
  const days = new Map<string, string>();
  const orgs = new Map<string, string>();
  const shortName = (name: string) => {
    let org = orgs.get(name);
    if (org === undefined) orgs.set(name, (org = shortOrgName(name)));
    return org;
  };
  let stampMs = Number.NaN;
  let stamp = '';
  const dayLines = (date: string) => {
    let when = days.get(date) ?? '';
    if (when === '') days.set(date, (when = allDayLines(date)));
    return when;
  };
  // Date deadlines of one rule, day and status: counted first, so that a group is written once,
  // where its first obligation comes in the feed's order.
  const groupKey = (item: FeedItem) => (item.dueAt ? null : `${item.rule}|${item.dueDate}|${item.status}`);
  const groups = new Map<string, FeedItem[]>();
  for (const item of items) {
    const key = groupKey(item);
    if (key === null) continue;
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  for (const item of items) {
    const key = groupKey(item);
    const group = key === null ? undefined : groups.get(key);
    if (group && group.length >= GROUP_FROM) {
      if (group[0] === item) out.write(groupEvent(group, baseUrl, dayLines(item.dueDate), shortName));
      continue;
    }
    const updated = item.updatedAt.getTime();
    if (updated !== stampMs) {
      stampMs = updated;
      stamp = utcStamp(updated);
    }
    let when: string;
    if (item.dueAt) {
      const start = item.dueAt.getTime();
      when = `DTSTART:${utcStamp(start)}\r\nDTEND:${utcStamp(start + TIMED_EVENT_MS)}\r\n`;
    } else {
      when = dayLines(item.dueDate);
    }
    const prefix = statusPrefix(item.status);
    const provisional = item.provisional ? '（暂定）' : '';
    const description = describe(item);
    out.write(
      // Without METHOD, DTSTAMP is when the item was last revised: the same bytes until it changes.
      `BEGIN:VEVENT\r\n${contentLine(`UID:${item.id}@zizhi`)}DTSTAMP:${stamp}\r\n${when}` +
        contentLine(
          `SUMMARY:${escapeText(`${prefix}${item.titleZh}${provisional} · ${shortName(item.orgName)} · ${item.certificateNumber}`)}`,
        ) +
        contentLine(`URL:${obligationLink(baseUrl, item)}`) +
        (description === '' ? '' : contentLine(`DESCRIPTION:${escapeText(description)}`)) +
        (item.status === 'waived' ? 'STATUS:CANCELLED\r\n' : 'STATUS:CONFIRMED\r\n') +
        'END:VEVENT\r\n',
    );
  }
  out.write('END:VCALENDAR\r\n');
  return out.bytes();
}

const statusPrefix = (status: FeedItem['status']) =>
  status === 'done' ? '✔ ' : status === 'waived' ? '（已豁免）' : '';

/**
 * One event for obligations of one rule due on one day: the count in the title, the first
 * certificates by name, a link to the obligations page showing exactly them. Its UID names the
 * rule, day and status, so it stays the same event while its members change.
 */
function groupEvent(
  group: readonly FeedItem[],
  baseUrl: string,
  when: string,
  shortName: (name: string) => string,
): string {
  const first = group[0]!;
  let updated = 0;
  for (const item of group) updated = Math.max(updated, item.updatedAt.getTime());
  const provisional = group.some((item) => item.provisional) ? '（暂定）' : '';
  const named = group
    .slice(0, GROUP_NAMED)
    .map((item) => `${shortName(item.orgName)} · ${item.certificateNumber}`)
    .join('\n');
  const more = group.length > GROUP_NAMED ? `\n…共 ${group.length} 项` : '';
  const status = first.status === 'open' ? '' : `状态：${STATUS_LABELS[first.status]}\n`;
  const params = new URLSearchParams({ rule: first.rule, from: first.dueDate, to: first.dueDate });
  return (
    `BEGIN:VEVENT\r\n${contentLine(`UID:${first.rule}-${first.dueDate}-${first.status}@zizhi`)}` +
    `DTSTAMP:${utcStamp(updated)}\r\n${when}` +
    contentLine(
      `SUMMARY:${escapeText(`${statusPrefix(first.status)}${first.titleZh}${provisional}（${group.length} 项）`)}`,
    ) +
    contentLine(`URL:${baseUrl}/obligations?${params.toString()}`) +
    contentLine(`DESCRIPTION:${escapeText(`${status}${named}${more}`)}`) +
    (first.status === 'waived' ? 'STATUS:CANCELLED\r\n' : 'STATUS:CONFIRMED\r\n') +
    'END:VEVENT\r\n'
  );
}
