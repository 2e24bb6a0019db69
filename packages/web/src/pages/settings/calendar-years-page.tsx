import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Progress, Result, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCalendarRecompute, useCalendarYears, useImportCalendarYear } from '../../api/calendar';
import { ApiError, describeError } from '../../api/errors';
import type { CalendarRecomputeStatus, CalendarYear, CalendarYearFile } from '../../api/types';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';

/** Instance administrators: the published holiday years, and import of a new year's file (holiday-cn JSON). */
export default function CalendarYearsPage() {
  const { t } = useTranslation();
  const { me } = useWorkspace();
  if (!me.user.isAdmin) return <Result status="403" title={t('errors.code.FORBIDDEN')} />;
  return <CalendarYears />;
}

function CalendarYears() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const years = useCalendarYears();
  const importYear = useImportCalendarYear();
  const [result, setResult] = useState<{ year: number } | null>(null);
  // Shown after an import of this visit, and when the page is opened while one is still running.
  const recompute = useCalendarRecompute(true);
  const [error, setError] = useState<string | null>(null);

  const submit = async (file: CalendarYearFile, replace: boolean): Promise<void> => {
    try {
      const done = await importYear.mutateAsync({ file, replace });
      setResult(done);
      void message.success(t('calendar.imported', { year: done.year }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT' && !replace) {
        modal.confirm({
          title: t('calendar.replaceTitle'),
          content: t('calendar.replaceConfirm', { year: String(file.year) }),
          okText: t('calendar.replace'),
          cancelText: t('common.cancel'),
          onOk: () => submit(file, true),
        });
        return;
      }
      setError(describeError(err));
    }
  };

  const onFile = async (file: File) => {
    setError(null);
    setResult(null);
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      json = undefined;
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      setError(t('calendar.notJson', { name: file.name }));
      return;
    }
    await submit(json as CalendarYearFile, false);
  };

  if (years.isError) return <PageError error={years.error} onRetry={() => void years.refetch()} />;
  return (
    <>
      <PageHeader
        title={t('calendar.title')}
        extra={
          <Upload
            accept="application/json,.json"
            showUploadList={false}
            beforeUpload={(file) => {
              void onFile(file);
              return false;
            }}
          >
            <Button type="primary" icon={<UploadOutlined />} loading={importYear.isPending}>
              {t('calendar.import')}
            </Button>
          </Upload>
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 760 }}>
        {t('calendar.intro')}
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} /> : null}
      {result || recompute.data?.state === 'running' ? <RecomputeProgress status={recompute.data} /> : null}
      <Table<CalendarYear>
        aria-label={t('calendar.table')}
        rowKey="year"
        loading={years.isPending}
        dataSource={years.data ?? []}
        pagination={false}
        columns={[
          { title: t('calendar.year'), dataIndex: 'year' },
          {
            title: t('calendar.source'),
            dataIndex: 'source',
            render: (source: string) => t(`calendar.sources.${source}`, { defaultValue: source }),
          },
          {
            title: t('calendar.papers'),
            dataIndex: 'papers',
            render: (papers: string[] | undefined) =>
              papers && papers.length > 0 ? (
                <Space orientation="vertical" size={0}>
                  {papers.map((url) => (
                    <a key={url} href={url} target="_blank" rel="noopener noreferrer">
                      {url}
                    </a>
                  ))}
                </Space>
              ) : (
                t('common.none')
              ),
          },
        ]}
      />
    </>
  );
}

/** The recompute after an import: a bar while it runs, then what it did. */
function RecomputeProgress({ status }: { status: CalendarRecomputeStatus | undefined }) {
  const { t } = useTranslation();
  if (!status || status.state === 'idle') return null;
  const percent = status.total > 0 ? Math.floor((status.done / status.total) * 100) : 0;
  if (status.state === 'running') {
    return (
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('calendar.recomputing', { year: status.year, done: status.done, total: status.total })}
        description={<Progress percent={percent} aria-label={t('calendar.recomputeProgress')} />}
      />
    );
  }
  return (
    <Alert
      type={status.state === 'done' ? 'success' : 'error'}
      showIcon
      style={{ marginBottom: 16 }}
      role={status.state === 'failed' ? 'alert' : undefined}
      title={
        status.state === 'done'
          ? t('calendar.importResult', { year: status.year, count: status.done })
          : t('calendar.recomputeFailed', { year: status.year, done: status.done, total: status.total })
      }
    />
  );
}
