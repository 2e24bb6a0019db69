import { Alert, App, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCreateSuccessor, useTransition, useUpdateCertificate } from '../../api/certificates';
import type { CertificateDetail, CertificatePatch, SuccessorKind, TransitionTarget } from '../../api/types';
import { chinaToday, fromDay, stateLabel, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { transitionTargets } from './alert-actions';
import {
  CERTIFICATE_FIELDS,
  CertificateForm,
  toCertificateInput,
  type CertificateFormValues,
} from './certificate-form';
import { certificatePath, historyStepState } from './certificate-table';

export function EditCertificateModal({ cert, onClose }: { cert: CertificateDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateCertificate(cert.orgId, cert.id);
  const { form, error, handleError, clearError } = useApiForm<CertificateFormValues>(CERTIFICATE_FIELDS);
  const onFinish = async (values: CertificateFormValues) => {
    clearError();
    const next = toCertificateInput(values);
    const patch: CertificatePatch = {};
    if (next.level !== cert.level) patch.level = next.level;
    if (next.number !== cert.number) patch.number = next.number;
    if (next.issuer !== cert.issuer) patch.issuer = next.issuer;
    if (next.issuedOn !== cert.issuedOn) patch.issuedOn = next.issuedOn;
    if (next.expiresOn && (next.expiresOn !== cert.expiresOn || cert.expiresOnProposed))
      patch.expiresOn = next.expiresOn;
    if (next.public !== undefined && next.public !== cert.public) patch.public = next.public;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    try {
      await update.mutateAsync(patch);
      void message.success(t('common.saved'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={t('certificates.editTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
    >
      <CertificateForm
        name="editCertificate"
        form={form}
        onFinish={(v) => void onFinish(v)}
        disabled={update.isPending}
        initialValues={{
          level: cert.level,
          number: cert.number,
          issuer: cert.issuer,
          issuedOn: fromDay(cert.issuedOn)!,
          expiresOn: fromDay(cert.expiresOn),
          public: cert.public,
        }}
      />
      <FormError message={error} />
    </Modal>
  );
}

interface TransitionValues {
  to: TransitionTarget;
  on: Dayjs;
  reason: string;
}

/**
 * Records a state change. Opened from an alert, it comes `preset` with the possible state and its
 * first day, and shows the alert as the basis: the state changes only when the user saves.
 */
export function TransitionModal({
  cert,
  preset,
  onClose,
}: {
  cert: CertificateDetail;
  preset?: { to: TransitionTarget; on: string; basis?: string };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const transition = useTransition(cert.orgId, cert.id);
  const { form, error, handleError, clearError } = useApiForm<TransitionValues>(['to', 'on', 'reason']);
  const targets = transitionTargets(cert.recordedState);
  const onFinish = async (values: TransitionValues) => {
    clearError();
    try {
      await transition.mutateAsync({ to: values.to, on: toDay(values.on), reason: values.reason.trim() });
      void message.success(t('certificates.transitioned'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  const required = (field: string) => ({
    required: true,
    whitespace: true,
    message: t('validation.required', { field }),
  });
  return (
    <Modal
      open
      title={t('certificates.transitionTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={transition.isPending}
    >
      {preset?.basis ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`${t('certificates.transitionBasis')}：${preset.basis}`}
          description={t('certificates.transitionConfirmHelp')}
        />
      ) : null}
      <Form<TransitionValues>
        form={form}
        name="transition"
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        initialValues={preset ? { to: preset.to, on: fromDay(preset.on) } : { on: fromDay(chinaToday()) }}
      >
        <Form.Item name="to" label={t('certificates.transitionTo')} rules={[required(t('certificates.transitionTo'))]}>
          <Select options={targets.map((s) => ({ value: s, label: stateLabel(s) }))} />
        </Form.Item>
        <Form.Item
          name="on"
          label={t('certificates.transitionOn')}
          rules={[{ required: true, message: t('validation.required', { field: t('certificates.transitionOn') }) }]}
        >
          <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('certificates.transitionReason')}
          rules={[required(t('certificates.transitionReason'))]}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
      <FormError message={error} />
    </Modal>
  );
}

export function SuccessorModal({
  cert,
  kind = 'renewal',
  basis,
  onClose,
}: {
  cert: CertificateDetail;
  kind?: SuccessorKind;
  /** Why it is opened (an alert's text), shown above the form. */
  basis?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const create = useCreateSuccessor(cert.orgId, cert.id);
  const { form, error, handleError, clearError } = useApiForm<CertificateFormValues>(CERTIFICATE_FIELDS);
  const onFinish = async (values: CertificateFormValues) => {
    clearError();
    const { public: _public, ...input } = toCertificateInput(values);
    try {
      const next = await create.mutateAsync({ kind: values.kind ?? 'renewal', ...input });
      void message.success(t('certificates.successorCreated'));
      onClose();
      void navigate(certificatePath(next), { state: historyStepState(next.issuedOn) });
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={t('certificates.successorTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
    >
      {basis ? (
        <Typography.Paragraph type="secondary">{`${t('certificates.transitionBasis')}：${basis}`}</Typography.Paragraph>
      ) : null}
      <CertificateForm
        name="successor"
        form={form}
        successor
        withPublic={false}
        onFinish={(v) => void onFinish(v)}
        disabled={create.isPending}
        initialValues={{ kind, level: cert.level, issuer: cert.issuer }}
      />
      <FormError message={error} />
    </Modal>
  );
}
