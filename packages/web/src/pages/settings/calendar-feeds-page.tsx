import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Table,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCalendarFeeds, useCreateCalendarFeed, useDeleteCalendarFeed } from '../../api/calendar';
import { describeError } from '../../api/errors';
import { useOrgs } from '../../api/orgs';
import type { CalendarFeed, CalendarFeedInput, CreatedCalendarFeed } from '../../api/types';
import { OBLIGATION_RULES, ruleTitle } from '../../components/domain';
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
  const [choosing, setChoosing] = useState(false);
  const orgs = useOrgs(workspace?.id);
  const [form] = Form.useForm<FeedOptionValues>();

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
              onClick={() => {
                form.resetFields();
                setChoosing(true);
              }}
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
      {workspace ? (
        <Modal
          open={choosing}
          title={t('feeds.optionsTitle', { name: workspace.name })}
          okText={t('feeds.generate')}
          cancelText={t('common.cancel')}
          confirmLoading={create.isPending}
          onCancel={() => setChoosing(false)}
          onOk={() => form.submit()}
          destroyOnHidden
        >
          <Form<FeedOptionValues>
            form={form}
            layout="vertical"
            initialValues={DEFAULT_OPTIONS}
            onFinish={(values) =>
              create.mutate(feedInput(workspace.id, values), {
                onSuccess: (feed) => {
                  setChoosing(false);
                  setCreated(feed);
                },
                onError: (err) => void message.error(describeError(err)),
              })
            }
          >
            <Form.Item name="daysBack" label={t('feeds.daysBack')} extra={t('feeds.daysBackHelp')}>
              <InputNumber min={0} max={3650} precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="daysAhead" label={t('feeds.daysAhead')} extra={t('feeds.daysAheadHelp')}>
              <InputNumber min={1} max={3650} precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="orgIds" label={t('feeds.orgs')}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t('feeds.orgsPlaceholder')}
                loading={orgs.isPending}
                optionFilterProp="label"
                options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
              />
            </Form.Item>
            <Form.Item name="rules" label={t('feeds.rules')}>
              <Select
                mode="multiple"
                allowClear
                placeholder={t('feeds.rulesPlaceholder')}
                optionFilterProp="label"
                options={OBLIGATION_RULES.map((r) => ({ value: r.id, label: ruleTitle(r.id) }))}
              />
            </Form.Item>
            <Form.Item name="includeFinished" valuePropName="checked">
              <Checkbox>{t('feeds.includeFinished')}</Checkbox>
            </Form.Item>
            <Form.Item name="assignedToMe" valuePropName="checked" style={{ marginBottom: 0 }}>
              <Checkbox>{t('feeds.assignedToMe')}</Checkbox>
            </Form.Item>
          </Form>
        </Modal>
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
            title: t('feeds.contents'),
            key: 'contents',
            render: (_: unknown, feed) =>
              [
                t('feeds.window', { back: feed.daysBack, ahead: feed.daysAhead }),
                feed.orgIds ? t('feeds.someOrgs', { count: feed.orgIds.length }) : t('feeds.allOrgs'),
                feed.rules ? t('feeds.someRules', { count: feed.rules.length }) : t('feeds.allRules'),
                feed.includeFinished ? t('feeds.withFinished') : t('feeds.openOnly'),
                ...(feed.assignedToMe ? [t('feeds.mineOnly')] : []),
              ].join(' · '),
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

interface FeedOptionValues {
  daysBack: number | null;
  daysAhead: number | null;
  includeFinished: boolean;
  orgIds?: string[];
  rules?: string[];
  assignedToMe: boolean;
}

const DEFAULT_OPTIONS: FeedOptionValues = { daysBack: 90, daysAhead: 730, includeFinished: false, assignedToMe: false };

/** The form's values as the API takes them: an empty choice means "all". */
function feedInput(workspaceId: string, v: FeedOptionValues): CalendarFeedInput {
  return {
    workspaceId,
    daysBack: v.daysBack ?? 90,
    daysAhead: v.daysAhead ?? 730,
    includeFinished: v.includeFinished,
    orgIds: v.orgIds?.length ? v.orgIds : null,
    rules: v.rules?.length ? v.rules : null,
    assignedToMe: v.assignedToMe,
  };
}
