import { Alert, Button, Flex, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useLogin, useMe } from '../../api/auth';
import { AuthCard } from '../../components/auth-card';
import { FormError, useApiForm } from '../../components/form-error';
import { nextPath, setPasswordPath } from '../../components/guards';
import { PageLoading } from '../../components/page-loading';

interface LoginValues {
  email: string;
  password: string;
}

const FIELDS = ['email', 'password'] as const;

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { search } = useLocation();
  const me = useMe();
  const login = useLogin();
  const { form, error, handleError, clearError } = useApiForm<LoginValues>(FIELDS);

  const next = nextPath(search);
  // An account on a temporary password must choose its own first (the server refuses the rest).
  const after = (mustChangePassword: boolean) => (mustChangePassword ? setPasswordPath(next) : next);

  if (me.isPending) return <PageLoading />;
  if (me.data) return <Navigate to={after(me.data.user.mustChangePassword)} replace />;

  const onFinish = async (values: LoginValues) => {
    clearError();
    try {
      const result = await login.mutateAsync({ email: values.email.trim(), password: values.password });
      void navigate(after(result.user.mustChangePassword), { replace: true });
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <AuthCard title={t('login.title')}>
      {next.startsWith('/invite') ? (
        <Alert type="info" showIcon title={t('login.toInvitation')} role="status" style={{ marginBottom: 16 }} />
      ) : null}
      <Form
        form={form}
        name="login"
        layout="vertical"
        onFinish={onFinish}
        requiredMark={false}
        disabled={login.isPending}
      >
        <Form.Item
          name="email"
          label={t('login.email')}
          rules={[
            { required: true, message: t('validation.required', { field: t('login.email') }) },
            { type: 'email', message: t('validation.email') },
          ]}
        >
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('validation.required', { field: t('login.password') }) }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <FormError message={error} />
        <Button type="primary" htmlType="submit" block loading={login.isPending}>
          {t('login.submit')}
        </Button>
        <Flex justify="flex-end" style={{ marginTop: 12 }}>
          <Link to="/forgot-password">{t('login.forgot')}</Link>
        </Flex>
      </Form>
    </AuthCard>
  );
}
