import { InfoCircleOutlined } from '@ant-design/icons';
import {
  addCalendarDays,
  addMonths,
  awaitedNoticeYear,
  CERTIFICATE_STATE_LABELS,
  EVENT_TYPE_LABELS,
  LEVELS,
  OBLIGATION_RULES,
  sourceLabel,
  type CertificateState,
  type Level,
} from '@zizhi/core';
import { Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { EventType } from '@zizhi/core';
import type { Obligation, ObligationStatus, PreviewObligation } from '../api/types';
import { currentLanguage } from '../i18n';

/** Today in China (Asia/Shanghai), YYYY-MM-DD, whatever the browser's time zone. */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** A picked day as the API's YYYY-MM-DD (a calendar date, no time zone involved). */
export function toDay(value: Dayjs): string {
  return value.format('YYYY-MM-DD');
}

/** A YYYY-MM-DD date as a Dayjs for pickers. */
export function fromDay(value: string | null | undefined): Dayjs | null {
  return value ? dayjs(value, 'YYYY-MM-DD') : null;
}

/** An ISO instant shown in China time: 2026-05-03 14:30. */
export function formatInstant(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export const STATE_COLORS: Readonly<Record<CertificateState, string>> = {
  active: 'green',
  suspended: 'orange',
  downgraded: 'gold',
  revoked: 'red',
  abandoned: 'volcano',
  expired: 'default',
  superseded: 'blue',
  invalidated: 'magenta',
};

export const STATUS_COLORS: Readonly<Record<ObligationStatus, string>> = {
  open: 'default',
  in_progress: 'processing',
  done: 'success',
  waived: 'default',
  cancelled: 'default',
};

export const OBLIGATION_STATUSES: readonly ObligationStatus[] = ['open', 'in_progress', 'done', 'waived', 'cancelled'];

/** Still to be worked on: the statuses an "open work" view shows. */
export function isOpenStatus(status: ObligationStatus): boolean {
  return status === 'open' || status === 'in_progress';
}

/** A message from the rules engine in the UI language (its `code` is for programs, never shown). */
export function engineText(m: { zh: string; en: string }): string {
  return currentLanguage() === 'en' ? m.en : m.zh;
}

/** Why a cancelled obligation is no longer required, in the UI language. */
export function cancelReason(o: Pick<Obligation, 'cancelReason' | 'cancelReasonEn'>): string | null {
  return (currentLanguage() === 'en' ? o.cancelReasonEn : o.cancelReason) ?? o.cancelReason;
}

export { LEVELS, OBLIGATION_RULES };

export function stateLabel(state: string): string {
  const labels = CERTIFICATE_STATE_LABELS[state as CertificateState];
  if (!labels) return state;
  // Core's English names are lower case for use inside sentences; shown alone they are labels.
  return currentLanguage() === 'en' ? labels.en.charAt(0).toUpperCase() + labels.en.slice(1) : labels.zh;
}

export function StateTag({ state }: { state: string }) {
  useTranslation(); // re-render on language change
  return <Tag color={STATE_COLORS[state as CertificateState] ?? 'default'}>{stateLabel(state)}</Tag>;
}

/** "CS3 良好级" / "CS3 Good". */
export function useLevelLabel(): (level: string) => string {
  const { t } = useTranslation();
  return (level) =>
    (LEVELS as readonly string[]).includes(level) ? `${level} ${t(`levels.${level as Level}`)}` : level;
}

export function useEventTypeLabel(): (type: string) => string {
  const { t } = useTranslation();
  return (type) => {
    const core = EVENT_TYPE_LABELS[type as EventType] as { zh: string; en: string } | undefined;
    // A type this build has no words for still shows the engine's label, never the key.
    const fallback = core ? engineText(core) : type;
    return t(`events.types.${type as EventType}`, { defaultValue: fallback });
  };
}

/** The obligation's title and basis in the UI language. */
export function obligationTitle(o: Pick<Obligation, 'titleZh' | 'titleEn'>): string {
  return currentLanguage() === 'en' ? o.titleEn : o.titleZh;
}
export function obligationBasis(o: Pick<Obligation, 'basis' | 'basisEn'>): string {
  return currentLanguage() === 'en' ? o.basisEn : o.basis;
}

/** The obligation's sources in words ("办法、行业惯例"), never the stored codes. */
export function obligationSource(o: Pick<Obligation, 'source'>): string {
  return sourceLabel(o.source, currentLanguage() === 'en' ? 'en' : 'zh');
}

export function ruleTitle(rule: string): string {
  const r = OBLIGATION_RULES.find((x) => x.id === rule);
  if (!r) return rule;
  return currentLanguage() === 'en' ? r.titleEn : r.titleZh;
}

/** A "provisional" tag whose tooltip says why: awaiting the self-check notice, or an unpublished holiday year. */
export function ProvisionalTag({
  obligation,
}: {
  obligation: Pick<PreviewObligation, 'provisional' | 'awaitingNotice' | 'dueDate'>;
}) {
  const { t } = useTranslation();
  if (!obligation.provisional) return null;
  const reason = obligation.awaitingNotice
    ? t('obligations.provisionalNotice')
    : t('obligations.provisionalCalendar', {
        year: awaitedNoticeYear(obligation.dueDate) ?? Number(obligation.dueDate.slice(0, 4)),
      });
  return (
    <Tooltip title={reason}>
      <Tag color="warning" icon={<InfoCircleOutlined />} aria-label={`${t('obligations.provisional')}: ${reason}`}>
        {t('obligations.provisional')}
      </Tag>
    </Tooltip>
  );
}

/** The due date, with the hour for hour deadlines, and the window when the rule has one. */
export function DueText({ o }: { o: Pick<Obligation, 'dueDate' | 'dueAt' | 'windowStart'> }) {
  if (o.dueAt) return <Typography.Text>{formatInstant(o.dueAt)}</Typography.Text>;
  if (o.windowStart) return <Typography.Text>{`${o.windowStart} … ${o.dueDate}`}</Typography.Text>;
  return <Typography.Text>{o.dueDate}</Typography.Text>;
}

/** Issue date + 4 years − 1 day: the expiry proposed when none is printed (a CS certificate is valid 4 years). */
export function proposedExpiry(issuedOn: string): string {
  return addCalendarDays(addMonths(issuedOn, 48), -1);
}

const MONEY_RE = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * A decimal yuan string with thousands separators and two decimals (1250000.5 → 1,250,000.50).
 * String arithmetic only: amounts are never rounded through a float.
 */
export function formatMoney(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const m = MONEY_RE.exec(value);
  if (!m) return value;
  const int = (m[2] ?? '0').replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m[1] ?? ''}${int}.${(m[3] ?? '').padEnd(2, '0')}`;
}

/** What a person typed as an amount, as the API's decimal string: separators and spaces dropped. */
export function parseMoneyInput(value: string | null | undefined): string | null {
  const cleaned = (value ?? '').replace(/[,，\s¥￥]/g, '');
  return cleaned === '' ? null : cleaned;
}
