import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCalendarFeeds, useCreateCalendarFeed, useDeleteCalendarFeed } from '../../api/calendar';
import { describeError } from '../../api/errors';
import type { CalendarFeed, CreatedCalendarFeed } from '../../api/types';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';

/** My calendar subscriptions: a private ICS address per workspace, revocable. */
export default function CalendarFeedsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, workspaces } = useWorkspace();
  const feeds = useCalendarFeeds();
  const create = useCreateCalendarFeed();
  const remove = useDeleteCalendarFeed();
  const [created, setCreated] = useState<CreatedCalendarFeed | null>(null);

  if (feeds.isError) return <PageError error={feeds.error} onRetry={() => void feeds.refetch()} />;
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  const absolute = (url: string) => (url.startsWith('http') ? url : `${window.location.origin}${url}`);

  return (
    <>
      <PageHeader
        title={t('feeds.title')}
        extra={
          workspace ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              loading={create.isPending}
              onClick={() =>
                create.mutate(workspace.id, {
                  onSuccess: (feed) => setCreated(feed),
                  onError: (err) => void message.error(describeError(err)),
                })
              }
            >
              {t('feeds.create', { name: workspace.name })}
            </Button>
          ) : undefined
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 760 }}>
        {t('feeds.intro')}
      </Typography.Paragraph>
      {created ? (
        <Card style={{ marginBottom: 16 }}>
          <Alert type="success" showIcon title={t('feeds.createdWarning')} style={{ marginBottom: 12 }} />
          <Typography.Paragraph copyable={{ text: absolute(created.url) }} code style={{ wordBreak: 'break-all' }}>
            {absolute(created.url)}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('feeds.howTo')}
          </Typography.Paragraph>
        </Card>
      ) : null}
      <Table<CalendarFeed>
        aria-label={t('feeds.table')}
        rowKey="id"
        loading={feeds.isPending}
        dataSource={feeds.data ?? []}
        pagination={false}
        locale={{ emptyText: t('feeds.empty') }}
        columns={[
          {
            title: t('feeds.workspace'),
            dataIndex: 'workspaceId',
            render: (id: string) => wsName.get(id) ?? id.slice(0, 8),
          },
          {
            title: t('feeds.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, feed) => (
              <Popconfirm
                title={t('feeds.revokeConfirm')}
                okText={t('feeds.revoke')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() =>
                  remove.mutateAsync(feed.id).then(
                    () => void message.success(t('feeds.revoked')),
                    (err: unknown) => void message.error(describeError(err)),
                  )
                }
              >
                <Button danger type="link" icon={<DeleteOutlined />}>
                  {t('feeds.revoke')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </>
  );
}
