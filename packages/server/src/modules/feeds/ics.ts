import ical, {
  ICalEventStatus,
  type ICalTemporalInstantStub,
  type ICalTemporalPlainDateStub,
  type ICalTemporalPlainDateTimeStub,
  type ICalTemporalZonedDateTimeStub,
} from 'ical-generator';
import { sourceLabel } from '@zizhi/core';
import { now as clockNow } from '../../clock.js';

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

/**
 * An instant as China wall-clock time, in the shape ical-generator accepts for zoned times
 * (Temporal's ZonedDateTime). ical-generator formats plain `Date`s with a TZID using the
 * process's own time zone, which is wrong on any server not set to +08:00.
 */
class ChinaDateTime implements ICalTemporalZonedDateTimeStub {
  readonly timeZoneId = CHINA_TZID;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  constructor(readonly epochMilliseconds: number) {
    const wall = new Date(epochMilliseconds + CHINA_OFFSET_MS);
    this.year = wall.getUTCFullYear();
    this.month = wall.getUTCMonth() + 1;
    this.day = wall.getUTCDate();
    this.hour = wall.getUTCHours();
    this.minute = wall.getUTCMinutes();
    this.second = wall.getUTCSeconds();
  }
  withTimeZone(): ICalTemporalZonedDateTimeStub {
    return this;
  }
  toInstant(): ICalTemporalInstantStub {
    const iso = new Date(this.epochMilliseconds).toISOString();
    return {
      epochMilliseconds: this.epochMilliseconds,
      toJSON: () => iso,
      toString: () => iso,
      toZonedDateTimeISO: () => this,
    };
  }
  toPlainDateTime(): ICalTemporalPlainDateTimeStub {
    const date: ICalTemporalPlainDateStub = {
      year: this.year,
      month: this.month,
      day: this.day,
      toJSON: () => this.toString().slice(0, 10),
      toString: () => this.toString().slice(0, 10),
    };
    return {
      year: this.year,
      month: this.month,
      day: this.day,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
      toPlainDate: () => date,
      toZonedDateTime: () => this,
      toJSON: () => this.toString().slice(0, 19),
      toString: () => this.toString().slice(0, 19),
    };
  }
  toJSON(): string {
    return this.toString();
  }
  toString(): string {
    return `${new Date(this.epochMilliseconds + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
  }
}

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

/**
 * An iCalendar feed of obligations: all-day events for due dates, Asia/Shanghai timed events
 * for hour deadlines, one stable UID per obligation so a client replaces rather than duplicates.
 * Done obligations stay (prefixed "✔") so the calendar keeps the record; waived ones are
 * marked STATUS:CANCELLED.
 */
export function buildObligationsCalendar({
  name,
  items,
  now = new Date(clockNow()),
}: {
  name: string;
  items: readonly FeedItem[];
  now?: Date;
}): string {
  const calendar = ical({
    name,
    description: 'Zizhi 资质义务日历：截止日期、依据和办理状态',
    prodId: { company: 'Zizhi', product: 'Obligations', language: 'ZH' },
    // A generator without a calendar-wide zone: DTSTAMP stays UTC, timed events carry their TZID.
    timezone: { name: null, generator: (tz) => (tz === CHINA_TZID ? CHINA_VTIMEZONE : null) },
    ttl: FEED_REFRESH_SECONDS,
    x: { 'X-WR-TIMEZONE': CHINA_TZID },
  });
  for (const item of items) {
    const prefix = item.status === 'done' ? '✔ ' : item.status === 'waived' ? '（已豁免）' : '';
    const provisional = item.provisional ? '（暂定）' : '';
    const common = {
      id: `${item.id}@zizhi`,
      summary: `${prefix}${item.titleZh}${provisional} · ${item.orgName} · ${item.certificateNumber}`,
      description: describe(item),
      stamp: now,
      lastModified: item.updatedAt,
      status: item.status === 'waived' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    };
    if (item.dueAt) {
      const start = item.dueAt.getTime();
      calendar.createEvent({
        ...common,
        start: new ChinaDateTime(start),
        end: new ChinaDateTime(start + TIMED_EVENT_MINUTES * 60_000),
        timezone: CHINA_TZID,
      });
    } else {
      // Dates as UTC midnights: with no zone, ical-generator writes their UTC calendar date. The
      // end is the next UTC day by plain arithmetic, which also holds past the calendar's last year.
      const start = Date.parse(`${item.dueDate}T00:00:00Z`);
      calendar.createEvent({
        ...common,
        allDay: true,
        start: new Date(start),
        end: new Date(start + 86_400_000),
      });
    }
  }
  // Every content line ends in CRLF, the last one too (strict parsers insist).
  return `${calendar.toString()}\r\n`;
}
