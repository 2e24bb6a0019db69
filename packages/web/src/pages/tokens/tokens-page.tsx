import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useCreateToken, useRevokeToken, useTokens } from '../../api/tokens';
import type { ApiToken, CreatedApiToken } from '../../api/types';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';

const formatTime = (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm');

/** Personal API tokens: list, create (shown once), revoke. */
export default function TokensPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  if (tokens.isError) return <PageError error={tokens.error} onRetry={() => void tokens.refetch()} />;

  return (
    <>
      <PageHeader
        title={t('tokens.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('tokens.create')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      <Table<ApiToken>
        aria-label={t('tokens.table')}
        rowKey="id"
        loading={tokens.isPending}
        dataSource={tokens.data ?? []}
        pagination={false}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          {
            title: t('tokens.prefix'),
            dataIndex: 'prefix',
            render: (v: string) => <Typography.Text code>{v}…</Typography.Text>,
          },
          { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: formatTime },
          {
            title: t('tokens.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => (v ? formatTime(v) : t('tokens.neverUsed')),
          },
          {
            title: t('tokens.expiresAt'),
            dataIndex: 'expiresAt',
            render: (v: string | null) => (v ? formatTime(v) : t('tokens.never')),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, token) => (
              <Popconfirm
                title={t('tokens.revokeConfirm', { name: token.name })}
                okText={t('tokens.revoke')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={async () => {
                  try {
                    await revoke.mutateAsync(token.id);
                    void message.success(t('tokens.revoked'));
                  } catch (error) {
                    void message.error(describeError(error));
                  }
                }}
              >
                <Button size="small" danger aria-label={`${t('tokens.revoke')} ${token.name}`}>
                  {t('tokens.revoke')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <CreateTokenModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(token) => {
          setCreating(false);
          setCreated(token);
        }}
      />
      <ShowTokenModal token={created} onClose={() => setCreated(null)} />
    </>
  );
}

interface TokenValues {
  name: string;
  expiresOn?: Dayjs | null;
}
const FIELDS = ['name', 'expiresOn'] as const;

function CreateTokenModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (token: CreatedApiToken) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateToken();
  const { form, error, handleError, clearError } = useApiForm<TokenValues>(FIELDS);

  const onFinish = async (values: TokenValues) => {
    clearError();
    try {
      const token = await create.mutateAsync({
        name: values.name.trim(),
        ...(values.expiresOn ? { expiresOn: values.expiresOn.format('YYYY-MM-DD') } : {}),
      });
      form.resetFields();
      onCreated(token);
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      title={t('tokens.create')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      forceRender
    >
      <Form
        form={form}
        name="token"
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        disabled={create.isPending}
      >
        <Form.Item
          name="name"
          label={t('tokens.name')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required', { field: t('tokens.name') }) },
            { max: 100 },
          ]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="expiresOn" label={t('tokens.expiresOn')} extra={t('tokens.expiresOnHelp')}>
          <DatePicker style={{ width: '100%' }} disabledDate={(day) => day.isBefore(dayjs().add(1, 'day'), 'day')} />
        </Form.Item>
      </Form>
      <FormError message={error} />
    </Modal>
  );
}

/** The new token, shown once, with a copy button. */
function ShowTokenModal({ token, onClose }: { token: CreatedApiToken | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async () => {
    if (!token) return;
    try {
      await navigator.clipboard.writeText(token.token);
      void message.success(t('common.copied'));
    } catch {
      // clipboard blocked (e.g. plain http): the field is selected for a manual copy
      document.getElementById('new-api-token')?.focus();
    }
  };
  return (
    <Modal
      title={t('tokens.createdTitle')}
      open={token !== null}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
      maskClosable={false}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('tokens.createdWarning')} style={{ marginBottom: 16 }} />
      <Space.Compact style={{ width: '100%' }}>
        <Input
          id="new-api-token"
          readOnly
          value={token?.token ?? ''}
          aria-label={t('tokens.value')}
          onFocus={(event) => event.target.select()}
          style={{ fontFamily: 'monospace' }}
        />
        <Button icon={<CopyOutlined />} onClick={() => void copy()}>
          {t('common.copy')}
        </Button>
      </Space.Compact>
    </Modal>
  );
}
