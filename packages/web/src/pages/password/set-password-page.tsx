import { App, Button, Flex, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useChangePassword, useLogout, useMe } from '../../api/auth';
import { describeError } from '../../api/errors';
import { AuthCard } from '../../components/auth-card';
import { FormError, useApiForm } from '../../components/form-error';
import { nextPath } from '../../components/guards';
import { NewPasswordFields } from '../../components/new-password-fields';
import { PageError, PageLoading } from '../../components/page-loading';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

const FIELDS = ['currentPassword', 'newPassword'] as const;

/**
 * An account made with a temporary password chooses its own before anything else: the server
 * answers 403 to every other request until then.
 */
export default function SetPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { search } = useLocation();
  const { message } = App.useApp();
  const me = useMe();
  const change = useChangePassword();
  const logout = useLogout();
  const { form, error, handleError, clearError } = useApiForm<Values>(FIELDS);

  if (me.isPending) return <PageLoading />;
  if (me.isError) return <PageError error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/login" replace />;
  if (!me.data.user.mustChangePassword) return <Navigate to={nextPath(search)} replace />;

  const onFinish = async ({ currentPassword, newPassword }: Values) => {
    clearError();
    try {
      // Resolves once /api/me has been read again, so the app no longer sends us back here.
      await change.mutateAsync({ currentPassword, newPassword });
      void message.success(t('mustChangePassword.done'));
      void navigate(nextPath(search), { replace: true });
    } catch (err) {
      handleError(err);
    }
  };

  const onLogout = () => {
    logout.mutate(undefined, {
      onError: (err) => void message.error(describeError(err)),
      onSettled: () => void navigate('/login', { replace: true }),
    });
  };

  return (
    <AuthCard title={t('mustChangePassword.title')} intro={t('mustChangePassword.intro')}>
      <Form<Values>
        form={form}
        name="setPassword"
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        requiredMark={false}
        disabled={change.isPending}
      >
        <Form.Item
          name="currentPassword"
          label={t('mustChangePassword.current')}
          extra={t('mustChangePassword.currentHelp')}
          rules={[{ required: true, message: t('validation.required', { field: t('mustChangePassword.current') }) }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <NewPasswordFields />
        <FormError message={error} />
        <Button type="primary" htmlType="submit" block loading={change.isPending}>
          {t('mustChangePassword.submit')}
        </Button>
      </Form>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginTop: 12 }}>
        <span>{me.data.user.email}</span>
        <Button type="link" onClick={onLogout} loading={logout.isPending} style={{ paddingInline: 0 }}>
          {t('mustChangePassword.logout')}
        </Button>
      </Flex>
    </AuthCard>
  );
}
