import { Alert, Button, Flex, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRequestPasswordReset } from '../../api/auth';
import { AuthCard } from '../../components/auth-card';
import { FormError, useApiForm } from '../../components/form-error';

interface Values {
  email: string;
}

const FIELDS = ['email'] as const;

/** Asks for a password-reset link by e-mail; shows the server's answer (the same for every address). */
export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const request = useRequestPasswordReset();
  const { form, error, handleError, clearError } = useApiForm<Values>(FIELDS);

  const onFinish = async ({ email }: Values) => {
    clearError();
    try {
      await request.mutateAsync(email.trim());
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <AuthCard title={t('forgotPassword.title')} intro={request.isSuccess ? undefined : t('forgotPassword.intro')}>
      {request.isSuccess ? (
        <Alert
          type="success"
          showIcon
          title={t('forgotPassword.sentTitle')}
          description={request.data.message}
          role="status"
          style={{ marginBottom: 16 }}
        />
      ) : (
        <Form<Values>
          form={form}
          name="forgotPassword"
          layout="vertical"
          onFinish={(values) => void onFinish(values)}
          requiredMark={false}
          disabled={request.isPending}
        >
          <Form.Item
            name="email"
            label={t('forgotPassword.email')}
            rules={[
              { required: true, message: t('validation.required', { field: t('forgotPassword.email') }) },
              { type: 'email', message: t('validation.email') },
            ]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <FormError message={error} />
          <Button type="primary" htmlType="submit" block loading={request.isPending}>
            {t('forgotPassword.submit')}
          </Button>
        </Form>
      )}
      <Flex justify="flex-end" style={{ marginTop: 12 }}>
        <Link to="/login">{t('forgotPassword.backToLogin')}</Link>
      </Flex>
    </AuthCard>
  );
}
