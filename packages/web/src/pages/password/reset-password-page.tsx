import { Alert, App, Button, Flex, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { useConfirmPasswordReset } from '../../api/auth';
import { describeServerError } from '../../api/errors';
import { AuthCard } from '../../components/auth-card';
import { FormError, useApiForm } from '../../components/form-error';
import { NewPasswordFields } from '../../components/new-password-fields';

interface Values {
  newPassword: string;
  confirm: string;
}

const FIELDS = ['newPassword'] as const;

/**
 * The page an e-mailed reset link opens (`/reset-password#<token>`; the fragment never reaches a
 * server log): a new password, then the login page.
 */
export default function ResetPasswordPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const token = useLocation().hash.replace(/^#/, '');
  const confirm = useConfirmPasswordReset();
  const { form, error, handleError, clearError } = useApiForm<Values>(FIELDS, describeServerError);

  const onFinish = async ({ newPassword }: Values) => {
    clearError();
    try {
      await confirm.mutateAsync({ token, newPassword });
      void message.success(t('resetPassword.done'));
      void navigate('/login', { replace: true });
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <AuthCard title={t('resetPassword.title')} intro={token ? t('resetPassword.intro') : undefined}>
      {token ? (
        <Form<Values>
          form={form}
          name="resetPassword"
          layout="vertical"
          onFinish={(values) => void onFinish(values)}
          requiredMark={false}
          disabled={confirm.isPending}
        >
          <NewPasswordFields />
          <FormError message={error} />
          <Button type="primary" htmlType="submit" block loading={confirm.isPending}>
            {t('resetPassword.submit')}
          </Button>
        </Form>
      ) : (
        <Alert type="error" showIcon title={t('resetPassword.missingToken')} role="alert" />
      )}
      <Flex justify="space-between" wrap gap={8} style={{ marginTop: 12 }}>
        <Link to="/forgot-password">{t('resetPassword.requestAgain')}</Link>
        <Link to="/login">{t('resetPassword.backToLogin')}</Link>
      </Flex>
    </AuthCard>
  );
}
