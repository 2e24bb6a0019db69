import { Button, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useChannels, useDeliveries } from '../../api/notifications';
import { useOrgs } from '../../api/orgs';
import type { Delivery, DeliveryStatus } from '../../api/types';
import { formatInstant } from '../../components/domain';
import { PageError } from '../../components/page-loading';
import { currentLanguage } from '../../i18n';
import { stepLabel } from './step-label';

export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'queued',
  'digested',
  'cancelled',
] as const satisfies readonly DeliveryStatus[];

const STATUS_COLORS: Readonly<Record<DeliveryStatus, string>> = {
  queued: 'default',
  pending: 'processing',
  sending: 'processing',
  sent: 'success',
  failed: 'error',
  digested: 'cyan',
  cancelled: 'default',
};

export function DeliveryStatusTag({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(`deliveries.statuses.${status}`)}</Tag>;
}

/** The delivery log: every reminder, digest and test message, filtered by status and channel, a page at a time. */
export function DeliveryLog({ workspaceId }: { workspaceId: string }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage();
  const [status, setStatus] = useState<DeliveryStatus | undefined>();
  const [channelId, setChannelId] = useState<string | undefined>();
  const deliveries = useDeliveries(workspaceId, { ...(status ? { status } : {}), ...(channelId ? { channelId } : {}) });
  const channels = useChannels(workspaceId);
  const orgs = useOrgs(workspaceId);
  const orgName = new Map((orgs.data ?? []).map((org) => [org.id, org.name]));
  const items = deliveries.data?.pages.flatMap((page) => page.items) ?? [];

  const channelLabel = (d: Delivery) => {
    if (d.channel)
      return `${d.channel.name}（${t(`channels.types.${d.channel.type}`, { defaultValue: d.channel.type })}）`;
    if (d.channelType === 'in-app') return t('deliveries.inApp');
    if (d.channelType === 'email' && d.user) return t('deliveries.personalEmail');
    return t('deliveries.channelDeleted', {
      type: t(`channels.types.${d.channelType}`, { defaultValue: d.channelType }),
    });
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Flex gap={12} wrap align="center">
        <Select
          allowClear
          aria-label={t('deliveries.status')}
          placeholder={t('deliveries.allStatuses')}
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`deliveries.statuses.${s}`) }))}
        />
        <Select
          allowClear
          aria-label={t('deliveries.channel')}
          placeholder={t('deliveries.allChannels')}
          value={channelId}
          onChange={setChannelId}
          style={{ width: 240 }}
          options={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        <Button onClick={() => void deliveries.refetch()} loading={deliveries.isRefetching}>
          {t('deliveries.refresh')}
        </Button>
      </Flex>
      {deliveries.isError ? (
        <PageError error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : (
        <Table<Delivery>
          aria-label={t('deliveries.table')}
          rowKey="id"
          size="middle"
          loading={deliveries.isPending}
          dataSource={items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('deliveries.empty') }}
          columns={[
            {
              title: t('deliveries.createdAt'),
              dataIndex: 'createdAt',
              width: 150,
              render: (v: string) => formatInstant(v),
            },
            {
              title: t('deliveries.message'),
              key: 'message',
              render: (_: unknown, d) => (
                <Space orientation="vertical" size={2}>
                  <Space size={4}>
                    <Tag>{t(`deliveries.kinds.${d.kind}`)}</Tag>
                    <Typography.Text>{language === 'en' ? d.titleEn : d.title}</Typography.Text>
                  </Space>
                  {d.orgId ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {orgName.has(d.orgId) ? (
                        <Link to={`/orgs/${d.orgId}`}>{orgName.get(d.orgId)}</Link>
                      ) : (
                        t('deliveries.someOrg')
                      )}
                      {d.obligationId ? (
                        <>
                          {' · '}
                          <Link to={`/obligations?orgId=${d.orgId}`}>{t('deliveries.obligation')}</Link>
                        </>
                      ) : null}
                      {d.step ? ` · ${stepLabel(d.step, i18n)}` : ''}
                    </Typography.Text>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('deliveries.channel'),
              key: 'channel',
              render: (_: unknown, d) => (
                <Space orientation="vertical" size={0}>
                  <span>{channelLabel(d)}</span>
                  {d.user ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {d.user.name} &lt;{d.user.email}&gt;
                    </Typography.Text>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('deliveries.status'),
              dataIndex: 'status',
              width: 110,
              render: (s: DeliveryStatus) => <DeliveryStatusTag status={s} />,
            },
            { title: t('deliveries.attempts'), dataIndex: 'attempts', width: 80, align: 'right' },
            {
              title: t('deliveries.lastError'),
              dataIndex: 'lastError',
              render: (e: string | null) =>
                e ? (
                  <Typography.Text type="danger" style={{ fontSize: 12, maxWidth: 320 }} ellipsis={{ tooltip: e }}>
                    {e}
                  </Typography.Text>
                ) : (
                  t('common.none')
                ),
            },
            {
              title: t('deliveries.times'),
              key: 'times',
              width: 190,
              render: (_: unknown, d) => (
                <Space orientation="vertical" size={0} style={{ fontSize: 12 }}>
                  {d.sentAt ? <span>{t('deliveries.sentAt', { time: formatInstant(d.sentAt) })}</span> : null}
                  {d.nextAttemptAt && (d.status === 'pending' || d.status === 'sending') ? (
                    <span>{t('deliveries.nextAttemptAt', { time: formatInstant(d.nextAttemptAt) })}</span>
                  ) : null}
                  {!d.sentAt && !d.nextAttemptAt ? t('common.none') : null}
                </Space>
              ),
            },
          ]}
        />
      )}
      {deliveries.hasNextPage ? (
        <Flex justify="center">
          <Button onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage}>
            {t('deliveries.loadMore')}
          </Button>
        </Flex>
      ) : null}
    </Space>
  );
}
