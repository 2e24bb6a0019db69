import { BellOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, Flex, Popover, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { describeError } from '../api/errors';
import { useInbox, useMarkAllRead, useMarkRead, useUnreadCount } from '../api/notifications';
import type { InboxItem } from '../api/types';
import { formatInstant } from './domain';

/** The app path of a message's link (the server writes absolute URLs for e-mail and chat). */
function appPath(link: string): string {
  try {
    const url = new URL(link, window.location.origin);
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/obligations';
  }
}

/** The header's bell: unread count (polled), and the recent in-app reminders with mark-read. */
export function InboxBell() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount();
  const count = unread.data ?? 0;
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      arrow={false}
      content={<InboxPanel open={open} onNavigate={() => setOpen(false)} />}
      title={null}
    >
      <Button
        type="text"
        aria-label={count > 0 ? t('inbox.bellUnread', { count }) : t('inbox.bell')}
        icon={
          <Badge count={count} size="small" overflowCount={99}>
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}

/** The list; asked again each time the bell opens (the data is stale at once). */
function InboxPanel({ open, onNavigate }: { open: boolean; onNavigate: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const inbox = useInbox(open);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const items = inbox.data?.items ?? [];
  const unread = inbox.data?.unreadCount ?? 0;

  const openItem = (item: InboxItem) => {
    if (!item.read) markRead.mutate(item.id);
    onNavigate();
    void navigate(appPath(item.link));
  };

  return (
    <section aria-label={t('inbox.title')} style={{ width: 380, maxWidth: 'calc(100vw - 32px)' }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('inbox.title')}</Typography.Text>
        <Button
          size="small"
          type="link"
          disabled={unread === 0}
          loading={markAll.isPending}
          onClick={() =>
            markAll.mutate(undefined, {
              onSuccess: ({ marked }) => void message.success(t('inbox.markedAll', { count: marked })),
              onError: (err) => void message.error(describeError(err)),
            })
          }
        >
          {t('inbox.markAllRead')}
        </Button>
      </Flex>
      {inbox.isPending ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : inbox.isError ? (
        <Typography.Text type="danger">{describeError(inbox.error)}</Typography.Text>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.empty')} />
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: 420, overflowY: 'auto' }}>
          {items.map((item) => (
            <li
              key={item.id}
              aria-label={item.title}
              style={{
                padding: '8px 4px',
                borderBottom: '1px solid #f0f0f0',
                background: item.read ? undefined : '#f6faff',
              }}
            >
              <Flex justify="space-between" gap={8} align="flex-start">
                <Typography.Link strong={!item.read} onClick={() => openItem(item)}>
                  {item.title}
                </Typography.Link>
                {!item.read ? (
                  <Button
                    size="small"
                    type="text"
                    loading={markRead.isPending && markRead.variables === item.id}
                    onClick={() => markRead.mutate(item.id)}
                  >
                    {t('inbox.markRead')}
                  </Button>
                ) : null}
              </Flex>
              <Typography.Paragraph
                type="secondary"
                style={{ fontSize: 12, margin: '2px 0', whiteSpace: 'pre-line' }}
                ellipsis={{ rows: 3, expandable: true, symbol: t('inbox.more') }}
              >
                {item.body}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatInstant(item.createdAt)}
              </Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
