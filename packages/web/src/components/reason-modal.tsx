import { Form, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormError, useApiForm } from './form-error';
import { RequiredTextField } from './required-text';

/**
 * A step that is kept on record with its reason (withdrawing an event, voiding a registration): the
 * reason is required, and the server's refusal is shown in the dialog, which stays open.
 */
export function ReasonModal({
  name,
  title,
  help,
  okText,
  reasonLabel,
  pending,
  onSubmit,
  onClose,
}: {
  /** The form's name (its fields' ids). */
  name: string;
  title: string;
  help: string;
  okText: string;
  reasonLabel: string;
  pending: boolean;
  /** Resolves when done (the dialog then closes); rejects with the server's error. */
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { form, error, handleError, clearError } = useApiForm<{ reason: string }>(['reason']);
  const onFinish = async ({ reason }: { reason: string }) => {
    clearError();
    try {
      await onSubmit(reason.trim());
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={okText}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
    >
      <Typography.Paragraph type="secondary">{help}</Typography.Paragraph>
      <Form form={form} name={name} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <RequiredTextField name="reason" label={reasonLabel} />
      </Form>
      <FormError message={error} />
    </Modal>
  );
}
