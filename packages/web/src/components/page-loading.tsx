import { Button, Flex, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';
import { describeError } from '../api/errors';

export function PageLoading() {
  const { t } = useTranslation();
  return (
    <Flex justify="center" align="center" style={{ minHeight: 240 }}>
      <Spin description={t('app.loading')} />
    </Flex>
  );
}

export function PageError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('errors.title')}
      subTitle={describeError(error)}
      extra={onRetry ? <Button onClick={onRetry}>{t('app.retry')}</Button> : undefined}
    />
  );
}

/**
 * What the router shows when a page throws or its code cannot be fetched (a release replaced the
 * files, the network dropped): a message and a way out, never a blank page or a stack trace.
 */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const missingCode =
    error instanceof TypeError &&
    /dynamically imported module|module script|Importing a module|error loading/i.test(error.message);
  return (
    <Result
      status="warning"
      title={t(missingCode ? 'app.chunkFailed' : 'app.pageFailed')}
      subTitle={t(missingCode ? 'app.chunkFailedDetail' : 'app.pageFailedDetail')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('app.reload')}
        </Button>
      }
    />
  );
}
