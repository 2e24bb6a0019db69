import { Alert, App, Checkbox, Form, Input, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCreateChannel, useUpdateChannel } from '../../api/notifications';
import type { Channel, ChannelInput, ChannelPatch, ChannelType, Org } from '../../api/types';
import { FormDrawer } from '../../components/form-drawer';
import { useApiForm } from '../../components/form-error';

export const CHANNEL_TYPES = [
  'email',
  'wecom',
  'dingtalk',
  'feishu',
  'webhook',
] as const satisfies readonly ChannelType[];

interface ChannelValues {
  type: ChannelType;
  name: string;
  url?: string;
  secret?: string;
  removeSecret?: boolean;
  from?: string;
  recipients?: string[];
  orgIds?: string[];
  enabled: boolean;
}
const FIELDS = ['type', 'name', 'url', 'secret', 'from', 'recipients', 'orgIds', 'enabled'] as const;

const trimmed = (v: string | undefined) => (v ?? '').trim();

/** The create body of a new channel: e-mail settings only for e-mail, an empty organisation list means all. */
function toInput(v: ChannelValues): ChannelInput {
  const email = v.type === 'email';
  return {
    type: v.type,
    name: trimmed(v.name),
    url: trimmed(v.url),
    ...(trimmed(v.secret) ? { secret: v.secret } : {}),
    ...(email && trimmed(v.from) ? { from: trimmed(v.from) } : {}),
    ...(email ? { recipients: (v.recipients ?? []).map((r) => r.trim()).filter(Boolean) } : {}),
    orgIds: v.orgIds && v.orgIds.length > 0 ? v.orgIds : null,
    enabled: v.enabled,
  };
}

/** The change of an existing channel: URL and secret only when typed (the stored ones are never shown). */
function toPatch(v: ChannelValues, channel: Channel): ChannelPatch {
  const email = channel.type === 'email';
  return {
    name: trimmed(v.name),
    ...(trimmed(v.url) ? { url: trimmed(v.url) } : {}),
    ...(trimmed(v.secret) ? { secret: v.secret } : v.removeSecret ? { secret: null } : {}),
    ...(email ? { from: trimmed(v.from) || null } : {}),
    ...(email ? { recipients: (v.recipients ?? []).map((r) => r.trim()).filter(Boolean) } : {}),
    orgIds: v.orgIds && v.orgIds.length > 0 ? v.orgIds : null,
    enabled: v.enabled,
  };
}

/** Adds or edits a notification channel; the per-type help says what URL and secret each service wants. */
export function ChannelDrawer({
  workspaceId,
  channel,
  orgs,
  onClose,
}: {
  workspaceId: string;
  /** Undefined: a new channel. */
  channel: Channel | undefined;
  orgs: Org[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreateChannel(workspaceId);
  const update = useUpdateChannel(workspaceId);
  const { form, error, handleError, clearError } = useApiForm<ChannelValues>(FIELDS);
  const type = Form.useWatch('type', form) ?? channel?.type ?? 'wecom';
  const saving = create.isPending || update.isPending;

  const onFinish = async (values: ChannelValues) => {
    clearError();
    try {
      if (channel) await update.mutateAsync({ channelId: channel.id, patch: toPatch(values, channel) });
      else await create.mutateAsync(toInput(values));
      void message.success(t('common.saved'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  const initialValues: ChannelValues = {
    type: channel?.type ?? 'wecom',
    name: channel?.name ?? '',
    url: '',
    secret: '',
    removeSecret: false,
    from: '',
    recipients: channel?.recipients ?? [],
    orgIds: channel?.orgIds ?? [],
    enabled: channel?.enabled ?? true,
  };
  const email = type === 'email';

  return (
    <FormDrawer
      open
      size={640}
      title={channel ? `${t('channels.editTitle')} · ${channel.name}` : t('channels.add')}
      onClose={onClose}
      onSubmit={() => form.submit()}
      saving={saving}
      error={error}
      isDirty={() => form.isFieldsTouched()}
    >
      <Form<ChannelValues>
        form={form}
        name="channel"
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => void onFinish(values)}
        disabled={saving}
      >
        <Form.Item name="type" label={t('channels.type')} rules={[{ required: true }]}>
          <Select
            disabled={Boolean(channel)}
            options={CHANNEL_TYPES.map((v) => ({ value: v, label: t(`channels.types.${v}`) }))}
          />
        </Form.Item>
        <Alert type="info" showIcon title={t(`channels.help.${type}`)} style={{ marginBottom: 16 }} />
        <Form.Item
          name="name"
          label={t('channels.name')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required', { field: t('channels.name') }) },
            { max: 200 },
          ]}
        >
          <Input autoComplete="off" placeholder={t(`channels.namePlaceholder.${type}`)} />
        </Form.Item>
        <Form.Item
          name="url"
          label={email ? t('channels.smtpUrl') : t('channels.url')}
          extra={channel ? t('channels.urlKeep', { url: channel.url ?? t('common.none') }) : undefined}
          rules={[
            {
              required: !channel,
              whitespace: true,
              message: t('validation.required', { field: email ? t('channels.smtpUrl') : t('channels.url') }),
            },
            { max: 2000 },
          ]}
        >
          <Input autoComplete="off" placeholder={t(`channels.urlPlaceholder.${type}`)} />
        </Form.Item>
        <Form.Item
          name="secret"
          label={email ? t('channels.smtpPassword') : t('channels.secret')}
          extra={
            <>
              <div>{t(`channels.secretHelp.${type}`)}</div>
              {channel?.hasSecret ? <div>{t('channels.secretKeep')}</div> : null}
            </>
          }
          rules={[{ max: 500 }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {channel?.hasSecret ? (
          <Form.Item name="removeSecret" valuePropName="checked" style={{ marginTop: -8 }}>
            <Checkbox>{t('channels.removeSecret')}</Checkbox>
          </Form.Item>
        ) : null}
        {email ? (
          <>
            <Form.Item name="from" label={t('channels.from')} extra={t('channels.fromHelp')} rules={[{ max: 300 }]}>
              <Input autoComplete="off" placeholder="资质提醒 <zizhi@example.com>" />
            </Form.Item>
            <Form.Item
              name="recipients"
              label={t('channels.recipients')}
              extra={t('channels.recipientsHelp')}
              rules={[
                { required: true, message: t('validation.required', { field: t('channels.recipients') }) },
                {
                  validator: (_, value: string[] | undefined) =>
                    (value ?? []).every((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()))
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('validation.email'))),
                },
              ]}
            >
              <Select mode="tags" tokenSeparators={[',', ';', ' ', '，', '；']} open={false} suffixIcon={null} />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="orgIds" label={t('channels.orgIds')} extra={t('channels.orgIdsHelp')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('channels.allOrgs')}
            options={orgs.map((org) => ({ value: org.id, label: org.name }))}
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item name="enabled" label={t('channels.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('channels.storedEncrypted')}
        </Typography.Paragraph>
      </Form>
    </FormDrawer>
  );
}
