import { Button, DatePicker, Form, Input, Select, Space, Switch, Typography, type FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Level } from '@zizhi/core';
import type { CertificateInput, SuccessorKind } from '../../api/types';
import { fromDay, LEVELS, proposedExpiry, toDay, useLevelLabel } from '../../components/domain';

export interface CertificateFormValues {
  orgId?: string;
  kind?: SuccessorKind;
  level: Level;
  number: string;
  issuer: string;
  issuedOn: Dayjs;
  expiresOn?: Dayjs | null;
  public?: boolean;
}

export const CERTIFICATE_FIELDS = ['orgId', 'kind', 'level', 'number', 'issuer', 'issuedOn', 'expiresOn', 'public'];

/** Form values → the API body; an empty expiry is left out so the server proposes (and marks) it. */
export function toCertificateInput(values: CertificateFormValues): CertificateInput {
  return {
    level: values.level,
    number: values.number.trim(),
    issuer: values.issuer.trim(),
    issuedOn: toDay(values.issuedOn),
    ...(values.expiresOn ? { expiresOn: toDay(values.expiresOn) } : {}),
    ...(values.public !== undefined ? { public: values.public } : {}),
  };
}

/**
 * The fields of a certificate as printed on paper. The expiry proposal (issue + 4 years − 1 day) is
 * shown live under the expiry field and can be taken with one click; left empty, the server proposes it.
 */
export function CertificateForm({
  name,
  form,
  onFinish,
  disabled,
  initialValues,
  orgOptions,
  successor,
  withPublic = true,
}: {
  name: string;
  form: FormInstance<CertificateFormValues>;
  onFinish: (values: CertificateFormValues) => void;
  disabled?: boolean;
  initialValues?: Partial<CertificateFormValues>;
  /** Shown when the organisation is chosen in the form (the workspace-wide list). */
  orgOptions?: { value: string; label: string }[];
  /** Successor creation: ask for the kind. */
  successor?: boolean;
  withPublic?: boolean;
}) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const issuedOn = Form.useWatch('issuedOn', form);
  const proposal = issuedOn ? proposedExpiry(toDay(issuedOn)) : null;
  const required = (field: string) => ({ required: true, message: t('validation.required', { field }) });

  return (
    <Form<CertificateFormValues>
      name={name}
      form={form}
      layout="vertical"
      onFinish={onFinish}
      disabled={disabled}
      initialValues={{ public: false, ...initialValues }}
      requiredMark="optional"
    >
      {orgOptions ? (
        <Form.Item name="orgId" label={t('certificates.org')} rules={[required(t('certificates.org'))]}>
          <Select options={orgOptions} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
      ) : null}
      {successor ? (
        <Form.Item
          name="kind"
          label={t('certificates.successorKind')}
          rules={[required(t('certificates.successorKind'))]}
        >
          <Select
            options={(['renewal', 'upgrade', 'downgrade'] as const).map((k) => ({
              value: k,
              label: t(`certificates.kinds.${k}`),
            }))}
          />
        </Form.Item>
      ) : null}
      <Form.Item name="level" label={t('certificates.level')} rules={[required(t('certificates.level'))]}>
        <Select options={LEVELS.map((l) => ({ value: l, label: levelLabel(l) }))} />
      </Form.Item>
      <Form.Item
        name="number"
        label={t('certificates.number')}
        rules={[required(t('certificates.number')), { max: 100 }]}
      >
        <Input autoComplete="off" placeholder={t('certificates.numberPlaceholder')} />
      </Form.Item>
      <Form.Item
        name="issuer"
        label={t('certificates.issuer')}
        rules={[required(t('certificates.issuer')), { max: 200 }]}
      >
        <Input placeholder={t('certificates.issuerPlaceholder')} />
      </Form.Item>
      <Form.Item name="issuedOn" label={t('certificates.issuedOn')} rules={[required(t('certificates.issuedOn'))]}>
        <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" />
      </Form.Item>
      <Form.Item
        label={t('certificates.expiresOn')}
        extra={
          <Space size={8} wrap data-testid="expiry-proposal">
            <Typography.Text type="secondary">
              {proposal ? t('certificates.expiryProposal', { date: proposal }) : t('certificates.expiryRule')}
            </Typography.Text>
            {proposal ? (
              <Button size="small" type="link" onClick={() => form.setFieldValue('expiresOn', fromDay(proposal))}>
                {t('certificates.useProposal')}
              </Button>
            ) : null}
          </Space>
        }
      >
        <Form.Item
          name="expiresOn"
          noStyle
          rules={[
            {
              validator: (_, value: Dayjs | null | undefined) =>
                value && issuedOn && !value.isAfter(issuedOn, 'day')
                  ? Promise.reject(new Error(t('certificates.expiryAfterIssue')))
                  : Promise.resolve(),
            },
          ]}
        >
          <DatePicker
            style={{ width: '100%' }}
            format="YYYY-MM-DD"
            aria-label={t('certificates.expiresOn')}
            placeholder={proposal ?? t('certificates.expiresOnPlaceholder')}
          />
        </Form.Item>
      </Form.Item>
      {withPublic ? (
        <Form.Item
          name="public"
          label={t('certificates.public')}
          valuePropName="checked"
          extra={t('certificates.publicHelp')}
        >
          <Switch />
        </Form.Item>
      ) : null}
    </Form>
  );
}
