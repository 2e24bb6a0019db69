import { Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, type Language } from '../i18n';

/** 中文 / English: two visible radio buttons in a group named “语言 / Language”. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  return (
    <Radio.Group
        aria-label={`${t('language.label')} / Language`}
        optionType="button"
        buttonStyle="solid"
        size="small"
        value={currentLanguage()}
        onChange={(event) => void changeLanguage(event.target.value as Language)}
        options={[
          { value: 'zh-CN', label: <span lang="zh-CN">{t('language.zh')}</span> },
          { value: 'en', label: <span lang="en">{t('language.en')}</span> },
        ]}
      />
  );
}
