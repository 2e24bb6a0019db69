import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { queryClient } from './api/query-client';
import { router } from './router';

/**
 * antd's defaults with text dark enough to read: its grey for secondary text and placeholders is
 * below the 4.5:1 contrast WCAG AA asks for on white (and on the light tag backgrounds).
 */
const THEME_TOKENS = {
  colorPrimary: '#1f5fbf',
  colorLink: '#1f5fbf',
  colorError: '#c9252d',
  colorWarningText: '#8a5300',
  colorSuccessText: '#2f6f0c',
  colorTextDescription: 'rgba(0, 0, 0, 0.62)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
  colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  colorTextQuaternary: 'rgba(0, 0, 0, 0.56)',
  colorTextDisabled: 'rgba(0, 0, 0, 0.56)',
};

/** Providers: data (TanStack Query), antd in the chosen language, the router. */
export function Root() {
  const { t, i18n } = useTranslation();
  const isEnglish = i18n.language === 'en';
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={isEnglish ? enUS : zhCN}
        button={{ autoInsertSpace: false }}
        theme={{ token: THEME_TOKENS }}
      >
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
