import { DeleteOutlined, EditOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Result, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { describeError } from '../../api/errors';
import { useChannels, useDeleteChannel, useTestChannel, useUpdateChannel } from '../../api/notifications';
import { useOrgs } from '../../api/orgs';
import { canManageWorkspace, type Channel, type Delivery, type Org } from '../../api/types';
import { formatInstant } from '../../components/domain';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import { ChannelDrawer } from './channel-drawer';
import { DeliveryLog } from './delivery-log';

type Tab = 'channels' | 'deliveries';

/** Settings → 通知渠道: the workspace's channels and the delivery log (owners and admins). */
export default function NotificationSettingsPage() {
  const { t } = useTranslation();
  const { workspace, role } = useWorkspace();
  const [params, setParams] = useSearchParams();
  if (!workspace) return null;
  if (!canManageWorkspace(role)) {
    return <Result status="403" title={t('channels.title')} subTitle={t('channels.forbidden')} />;
  }
  const tab: Tab = params.get('tab') === 'deliveries' ? 'deliveries' : 'channels';
  return (
    <>
      <PageHeader title={t('channels.title')} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'channels' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'channels', label: t('channels.tab'), children: <Channels workspaceId={workspace.id} /> },
          {
            key: 'deliveries',
            label: t('deliveries.tab'),
            children: <DeliveryLog workspaceId={workspace.id} />,
          },
        ]}
      />
    </>
  );
}

/** What the last test message of a channel did. */
function TestResult({ result }: { result: Delivery | { error: string } }) {
  const { t } = useTranslation();
  if ('error' in result) {
    return (
      <Space orientation="vertical" size={0}>
        <Tag color="error">{t('channels.testFailed')}</Tag>
        <Typography.Text type="danger" style={{ fontSize: 12 }}>
          {result.error}
        </Typography.Text>
      </Space>
    );
  }
  if (result.status === 'sent') return <Tag color="success">{t('channels.testSent')}</Tag>;
  return (
    <Space orientation="vertical" size={0}>
      <Tag color="error">{t('channels.testFailed')}</Tag>
      {result.lastError ? (
        <Typography.Text type="danger" style={{ fontSize: 12 }}>
          {result.lastError}
        </Typography.Text>
      ) : null}
      {result.status === 'pending' && result.nextAttemptAt ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('channels.testRetry', { time: formatInstant(result.nextAttemptAt) })}
        </Typography.Text>
      ) : null}
    </Space>
  );
}

function Channels({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const channels = useChannels(workspaceId);
  const orgs = useOrgs(workspaceId);
  const update = useUpdateChannel(workspaceId);
  const remove = useDeleteChannel(workspaceId);
  const test = useTestChannel(workspaceId);
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, Delivery | { error: string }>>({});

  if (channels.isError) return <PageError error={channels.error} onRetry={() => void channels.refetch()} />;
  const orgList: Org[] = orgs.data ?? [];
  const orgName = new Map(orgList.map((org) => [org.id, org.name]));

  const sendTest = async (channel: Channel) => {
    setTesting(channel.id);
    try {
      const delivery = await test.mutateAsync(channel.id);
      setResults((r) => ({ ...r, [channel.id]: delivery }));
      if (delivery.status === 'sent') void message.success(t('channels.testSentTo', { name: channel.name }));
      else void message.error(t('channels.testFailedTo', { name: channel.name }));
    } catch (err) {
      setResults((r) => ({ ...r, [channel.id]: { error: describeError(err) } }));
    } finally {
      setTesting(null);
    }
  };

  return (
    <>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space style={{ display: 'flex', justifyContent: 'space-between' }} wrap>
          <Typography.Text type="secondary">{t('channels.intro')}</Typography.Text>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('channels.add')}
          </Button>
        </Space>
        <Table<Channel>
          aria-label={t('channels.table')}
          rowKey="id"
          loading={channels.isPending}
          dataSource={channels.data ?? []}
          pagination={false}
          locale={{ emptyText: t('channels.empty') }}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('channels.name'),
              key: 'name',
              render: (_: unknown, c) => (
                <Space orientation="vertical" size={2}>
                  <Typography.Text strong>{c.name}</Typography.Text>
                  <Tag>{t(`channels.types.${c.type}`)}</Tag>
                </Space>
              ),
            },
            {
              title: t('channels.address'),
              key: 'url',
              render: (_: unknown, c) => (
                <Space orientation="vertical" size={2}>
                  <Typography.Text code style={{ wordBreak: 'break-all' }}>
                    {c.url ?? t('common.none')}
                  </Typography.Text>
                  {c.needsReentry ? (
                    <Tag color="warning" title={t('channels.needsReentryHelp')}>
                      {t('channels.needsReentry')}
                    </Tag>
                  ) : null}
                  {c.type === 'email' && c.recipients.length > 0 ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('channels.recipientsShort', { list: c.recipients.join(', ') })}
                    </Typography.Text>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('channels.secretColumn'),
              dataIndex: 'hasSecret',
              render: (has: boolean) =>
                has ? <Tag color="blue">{t('channels.secretSet')}</Tag> : <Tag>{t('channels.secretNone')}</Tag>,
            },
            {
              title: t('channels.orgIds'),
              dataIndex: 'orgIds',
              render: (ids: string[] | null) =>
                ids === null || ids.length === 0
                  ? t('channels.allOrgs')
                  : ids.map((id) => <Tag key={id}>{orgName.get(id) ?? id.slice(0, 8)}</Tag>),
            },
            {
              title: t('channels.enabled'),
              dataIndex: 'enabled',
              render: (enabled: boolean, c) => (
                <Switch
                  checked={enabled}
                  aria-label={`${t('channels.enabled')} ${c.name}`}
                  loading={update.isPending && update.variables?.channelId === c.id}
                  onChange={(checked) =>
                    update.mutate(
                      { channelId: c.id, patch: { enabled: checked } },
                      {
                        onSuccess: () =>
                          void message.success(checked ? t('channels.enabledOn') : t('channels.enabledOff')),
                        onError: (err) => void message.error(describeError(err)),
                      },
                    )
                  }
                />
              ),
            },
            {
              title: t('channels.testResult'),
              key: 'test',
              render: (_: unknown, c) => {
                const result = results[c.id];
                return result ? <TestResult result={result} /> : null;
              },
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, c) => (
                <Space wrap>
                  <Button
                    size="small"
                    icon={<SendOutlined />}
                    loading={testing === c.id}
                    disabled={testing !== null && testing !== c.id}
                    onClick={() => void sendTest(c)}
                    aria-label={`${t('channels.test')} ${c.name}`}
                  >
                    {t('channels.test')}
                  </Button>
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => setEditing(c)}
                    aria-label={`${t('common.edit')} ${c.name}`}
                  >
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('channels.deleteConfirm', { name: c.name })}
                    description={t('channels.deleteHint')}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      remove.mutateAsync(c.id).then(
                        () => void message.success(t('common.deleted')),
                        (err: unknown) => void message.error(describeError(err)),
                      )
                    }
                  >
                    <Button
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`${t('common.delete')} ${c.name}`}
                    >
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Space>
      {editing ? (
        <ChannelDrawer
          workspaceId={workspaceId}
          channel={editing === 'new' ? undefined : editing}
          orgs={orgList}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}
