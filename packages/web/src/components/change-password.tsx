import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChangePassword } from '../api/auth';
import { FormError, useApiForm } from './form-error';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Asks for the current password and a new one (twice); other sessions are signed out. */
export function ChangePasswordModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const change = useChangePassword();
  const { form, error, handleError, clearError } = useApiForm<Values>(['currentPassword', 'newPassword']);

  const onFinish = async ({ currentPassword, newPassword }: Values) => {
    clearError();
    try {
      await change.mutateAsync({ currentPassword, newPassword });
      void message.success(t('password.changed'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      open
      title={t('password.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={change.isPending}
    >
      <Form<Values> form={form} name="changePassword" layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('validation.required', { field: t('password.current') }) }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.help')}
          rules={[{ required: true, min: 10, message: t('password.help') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('validation.required', { field: t('password.confirm') }) },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      <FormError message={error} />
    </Modal>
  );
}
