import { Alert, App, Button, Card, Form, Radio, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useNotificationPreferences, useSaveNotificationPreferences } from '../../api/notifications';
import { canManageWorkspace, type DigestChoice, type NotificationPreferences } from '../../api/types';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError, PageLoading } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';

const DIGESTS = ['none', 'daily', 'weekly'] as const satisfies readonly DigestChoice[];
const FIELDS = ['email', 'inApp', 'digest'] as const;

/** Every member's own reminder choices in the current workspace: e-mail, in-app inbox, digest. */
export default function MyNotificationsPage() {
  const { t } = useTranslation();
  const { workspace } = useWorkspace();
  const preferences = useNotificationPreferences(workspace?.id);
  if (!workspace) return null;
  if (preferences.isError) return <PageError error={preferences.error} onRetry={() => void preferences.refetch()} />;
  return (
    <>
      <PageHeader title={t('preferences.title')} />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 760 }}>
        {t('preferences.intro', { workspace: workspace.name })}
      </Typography.Paragraph>
      {preferences.data ? (
        <PreferencesForm key={workspace.id} workspaceId={workspace.id} initial={preferences.data} />
      ) : (
        <PageLoading />
      )}
    </>
  );
}

function PreferencesForm({ workspaceId, initial }: { workspaceId: string; initial: NotificationPreferences }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me, role } = useWorkspace();
  const save = useSaveNotificationPreferences(workspaceId);
  const { form, error, handleError, clearError } = useApiForm<NotificationPreferences>(FIELDS);
  const email = Form.useWatch('email', form);
  const inApp = Form.useWatch('inApp', form);

  const onFinish = async (values: NotificationPreferences) => {
    clearError();
    try {
      await save.mutateAsync(values);
      void message.success(t('common.saved'));
      form.resetFields();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Card style={{ maxWidth: 760 }}>
      <Form<NotificationPreferences>
        form={form}
        name="notificationPreferences"
        layout="vertical"
        initialValues={initial}
        onFinish={(values) => void onFinish(values)}
        disabled={save.isPending}
      >
        <Form.Item
          name="email"
          label={t('preferences.email')}
          valuePropName="checked"
          extra={t('preferences.emailHelp', { email: me.user.email })}
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name="inApp"
          label={t('preferences.inApp')}
          valuePropName="checked"
          extra={t('preferences.inAppHelp')}
        >
          <Switch />
        </Form.Item>
        <Form.Item name="digest" label={t('preferences.digest')} extra={t('preferences.digestHelp')}>
          <Radio.Group
            optionType="button"
            options={DIGESTS.map((d) => ({ value: d, label: t(`preferences.digests.${d}`) }))}
          />
        </Form.Item>
        {email === false && inApp === false ? (
          <Alert type="warning" showIcon title={t('preferences.nothing')} style={{ marginBottom: 16 }} />
        ) : null}
        <FormError message={error} />
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        {t('preferences.channelsNote')}
        {canManageWorkspace(role) ? (
          <>
            {' '}
            <Link to="/settings/notifications">{t('preferences.manageChannels')}</Link>
          </>
        ) : null}
      </Typography.Paragraph>
    </Card>
  );
}
