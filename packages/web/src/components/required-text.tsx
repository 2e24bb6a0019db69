import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

/** A required free-text field (a reason, an explanation): blank or only spaces is refused. */
export function RequiredTextField({
  name,
  label,
  maxLength = 1000,
}: {
  name: string;
  label: string;
  maxLength?: number;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[{ required: true, whitespace: true, message: t('validation.required', { field: label }) }]}
    >
      <Input.TextArea rows={3} maxLength={maxLength} />
    </Form.Item>
  );
}
