import { EditOutlined } from '@ant-design/icons';
import { App, Button, Descriptions, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAssessmentContact, useSaveAssessmentContact, type ContactInput } from '../../api/supervision';
import type { CertificateDetail } from '../../api/types';
import { FormError, useApiForm } from '../../components/form-error';

const FIELDS = ['body', 'person', 'phone', 'email', 'note'] as const;

/** Who to call at the assessment body about this certificate, editable by managers. */
export function ContactSection({ cert, canEdit }: { cert: CertificateDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const contact = useAssessmentContact(cert.orgId, cert.id);
  const [editing, setEditing] = useState(false);
  const none = t('common.none');
  return (
    <>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        title={t('contact.title')}
        style={{ marginTop: 16 }}
        data-testid="assessment-contact"
        extra={
          canEdit ? (
            <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('contact.edit')}
            </Button>
          ) : null
        }
        items={FIELDS.map((f) => ({ key: f, label: t(`contact.${f}`), children: contact.data?.[f] ?? none }))}
      />
      {editing && contact.data ? (
        <ContactModal cert={cert} initial={contact.data} onClose={() => setEditing(false)} />
      ) : null}
    </>
  );
}

function ContactModal({
  cert,
  initial,
  onClose,
}: {
  cert: CertificateDetail;
  initial: Partial<Record<(typeof FIELDS)[number], string | null>>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSaveAssessmentContact(cert.orgId, cert.id);
  const { form, error, handleError, clearError } = useApiForm<ContactInput>(FIELDS);
  const onFinish = async (values: Record<string, string | undefined>) => {
    clearError();
    const input = Object.fromEntries(
      FIELDS.flatMap((f) => (values[f]?.trim() ? [[f, values[f].trim()]] : [])),
    ) as ContactInput;
    try {
      await save.mutateAsync(input);
      void message.success(t('contact.saved'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={t('contact.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
    >
      <FormError message={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={Object.fromEntries(FIELDS.map((f) => [f, initial[f] ?? undefined]))}
      >
        {FIELDS.map((f) => (
          <Form.Item key={f} name={f} label={t(`contact.${f}`)}>
            {f === 'note' ? <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} /> : <Input maxLength={100} />}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
