import { Alert, Form } from 'antd';
import { useCallback, useState } from 'react';
import { ApiError, describeError, fieldName } from '../api/errors';

/**
 * A form whose API errors land where they belong: an INVALID_INPUT with a `field` this form has
 * goes on that field, everything else in an alert above the buttons (worded by `describe`).
 */
export function useApiForm<T>(fields: readonly string[], describe: (error: unknown) => string = describeError) {
  const [form] = Form.useForm<T>();
  const [error, setError] = useState<string | null>(null);
  const handleError = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.code === 'INVALID_INPUT' && err.field) {
        const name = fieldName(err.field);
        if (fields.includes(name)) {
          setError(null);
          form.setFields([{ name: name as never, errors: [err.message || describeError(err)] }]);
          return;
        }
      }
      setError(describe(err));
    },
    [fields, form, describe],
  );
  const clearError = useCallback(() => setError(null), []);
  return { form, error, handleError, clearError };
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return <Alert type="error" showIcon title={message} role="alert" style={{ marginBottom: 16 }} />;
}
