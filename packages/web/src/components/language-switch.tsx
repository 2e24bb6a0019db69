import { GlobalOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage } from '../i18n';

/**
 * 中文 / English: a visible button naming the other language (“English” while the UI is Chinese,
 * “中文” while it is English); the choice is remembered in this browser.
 */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const next = currentLanguage() === 'en' ? 'zh-CN' : 'en';
  const label = next === 'en' ? t('language.en') : t('language.zh');
  return (
    <Tooltip title={`${t('language.label')} / Language`}>
      <Button
        type="text"
        icon={<GlobalOutlined aria-hidden />}
        lang={next}
        aria-label={compact ? label : undefined}
        onClick={() => void changeLanguage(next)}
      >
        {/* On a phone: EN / 中 (the button's name is still the language's). */}
        {compact ? (next === 'en' ? 'EN' : '中') : label}
      </Button>
    </Tooltip>
  );
}
