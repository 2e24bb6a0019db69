import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * A new password and its confirmation (at least 10 characters, as the server requires), checked
 * in the browser before anything is sent.
 */
export function NewPasswordFields({
  name = 'newPassword',
  confirmName = 'confirm',
  label,
  confirmLabel,
}: {
  name?: string;
  confirmName?: string;
  label?: string;
  confirmLabel?: string;
}) {
  const { t } = useTranslation();
  const passwordLabel = label ?? t('password.new');
  const repeatLabel = confirmLabel ?? t('password.confirm');
  return (
    <>
      <Form.Item
        name={name}
        label={passwordLabel}
        extra={t('password.help')}
        rules={[
          { required: true, message: t('validation.required', { field: passwordLabel }) },
          { min: 10, message: t('validation.passwordLength') },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name={confirmName}
        label={repeatLabel}
        dependencies={[name]}
        rules={[
          { required: true, message: t('validation.required', { field: repeatLabel }) },
          ({ getFieldValue }) => ({
            validator: (_rule, value: string | undefined) =>
              !value || value === getFieldValue(name)
                ? Promise.resolve()
                : Promise.reject(new Error(t('validation.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
