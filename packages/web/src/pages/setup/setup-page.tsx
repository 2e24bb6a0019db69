import { App, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useSetup } from '../../api/auth';
import { ApiError, describeError } from '../../api/errors';
import { queryKeys } from '../../api/keys';
import type { SetupInput } from '../../api/types';
import { AuthCard } from '../../components/auth-card';
import { FormError, useApiForm } from '../../components/form-error';

interface SetupValues {
  email: string;
  name: string;
  password: string;
  confirmPassword: string;
  workspaceName?: string;
}

const FIELDS = ['email', 'name', 'password', 'workspaceName'] as const;

/** First visit: creates the administrator (and their first workspace), then signs them in. */
export default function SetupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const setup = useSetup();
  const client = useQueryClient();
  const { form, error, handleError, clearError } = useApiForm<SetupValues>(FIELDS);

  const onFinish = async (values: SetupValues) => {
    clearError();
    const input: SetupInput = {
      email: values.email.trim(),
      name: values.name.trim(),
      password: values.password,
      workspaceName: values.workspaceName?.trim() || t('setup.defaultWorkspaceName'),
    };
    try {
      await setup.mutateAsync(input);
      void message.success(t('setup.done'));
      void navigate('/', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SETUP_DONE') {
        // someone else finished setup meanwhile: the gate sends this page to the login
        void message.info(describeError(err));
        await client.invalidateQueries({ queryKey: queryKeys.setup });
        return;
      }
      handleError(err);
    }
  };

  return (
    <AuthCard title={t('setup.title')} intro={t('setup.intro')}>
      <Form
        form={form}
        name="setup"
        layout="vertical"
        onFinish={onFinish}
        requiredMark={false}
        disabled={setup.isPending}
      >
        <Form.Item
          name="email"
          label={t('setup.email')}
          rules={[
            { required: true, message: t('validation.required', { field: t('setup.email') }) },
            { type: 'email', message: t('validation.email') },
          ]}
        >
          <Input autoComplete="email" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('setup.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required', { field: t('setup.name') }) }]}
        >
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('setup.password')}
          extra={t('setup.passwordHelp')}
          rules={[
            { required: true, message: t('validation.required', { field: t('setup.password') }) },
            { min: 10, message: t('validation.passwordLength') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('setup.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('validation.required', { field: t('setup.confirmPassword') }) },
            ({ getFieldValue }) => ({
              validator: (_rule, value: string | undefined) =>
                !value || value === getFieldValue('password')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('validation.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="workspaceName" label={t('setup.workspaceName')} extra={t('setup.workspaceNameHelp')}>
          <Input placeholder={t('setup.defaultWorkspaceName')} />
        </Form.Item>
        <FormError message={error} />
        <Button type="primary" htmlType="submit" block loading={setup.isPending}>
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}
