import { isValidDate } from '@zizhi/core';
import { App } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

const DATE_LIKE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * A date picker given a date that does not exist (2026-02-30) falls back to its previous value
 * without a word. Everywhere in the app, typing such a date and leaving the field (or pressing
 * Enter) says what was wrong, so the user knows the field was not taken.
 */
export function useInvalidDateWarning(): void {
  const { t } = useTranslation();
  const { message } = App.useApp();
  useEffect(() => {
    const check = (target: EventTarget | null) => {
      if (!(target instanceof HTMLInputElement) || !target.closest('.ant-picker')) return;
      const m = DATE_LIKE.exec(target.value.trim());
      if (!m) return;
      const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
      if (isValidDate(date)) return;
      void message.warning({
        key: 'invalid-date',
        content: t('validation.invalidDate', { value: target.value.trim() }),
      });
    };
    const onBlur = (event: FocusEvent) => check(event.target);
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter') check(event.target);
    };
    // Capture: before the picker puts its previous value back.
    document.addEventListener('focusout', onBlur, true);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('focusout', onBlur, true);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [message, t]);
}
