import { formatYuanEn, formatYuanZh, parseYuan } from '@zizhi/core';
import { Input, Typography } from 'antd';
import { useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatMoney, parseMoneyInput } from './domain';

/**
 * An amount as a reader takes it in at a glance: 8000 万元 / ¥80 m for ten thousand yuan and
 * more, separators below that; null when the text is not an amount.
 */
export function formatMoneyShort(value: string | null | undefined): string | null {
  const fen = parseYuan(parseMoneyInput(value));
  if (fen === null) return null;
  if (currentLanguage() === 'en') return formatYuanEn(fen);
  return fen >= 1_000_000n || fen <= -1_000_000n ? formatYuanZh(fen) : `${formatMoney(parseMoneyInput(value))} 元`;
}

/**
 * An amount in yuan typed as text (so nothing is rounded); thousands separators are accepted.
 * Shown with separators when not being edited, and in 万 beside from ten thousand yuan.
 */
export function MoneyInput(props: {
  value?: string | null;
  onChange?: (value: string) => void;
  id?: string;
  'aria-label'?: string;
  size?: 'small' | 'middle' | 'large';
  disabled?: boolean;
  style?: CSSProperties;
}) {
  const { value, onChange, id, size, disabled, style } = props;
  const { t } = useTranslation();
  const [focused, setFocused] = useState(false);
  const shown = focused ? (value ?? '') : formatMoney(parseMoneyInput(value)) || (value ?? '');
  const fen = parseYuan(parseMoneyInput(value));
  const wan = fen !== null && (fen >= 1_000_000n || fen <= -1_000_000n) ? formatMoneyShort(value) : null;
  return (
    <Input
      id={id}
      aria-label={props['aria-label']}
      inputMode="decimal"
      size={size}
      disabled={disabled}
      style={style}
      suffix={
        <>
          {t('requirementSets.unitSuffix.yuan')}
          {wan && !focused ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
              ({wan})
            </Typography.Text>
          ) : null}
        </>
      }
      value={shown}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      onChange={(e) => onChange?.(e.target.value)}
      autoComplete="off"
    />
  );
}
