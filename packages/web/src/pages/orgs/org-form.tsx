import { normalizeCreditCode } from '@zizhi/core';
import { DatePicker, Form, Input, type FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { creditCodeRule } from './credit-code-rule';

export interface OrgFormValues {
  name: string;
  creditCode: string;
  address?: string;
  foundedOn?: Dayjs | null;
  legalRepresentative?: string;
}

export const ORG_FIELDS = ['name', 'creditCode', 'address', 'foundedOn', 'legalRepresentative'] as const;

/** Plain values to send: trimmed strings, the credit code normalised, the date as 'YYYY-MM-DD' (never a Date). */
export function toOrgFields(values: OrgFormValues) {
  return {
    name: values.name.trim(),
    creditCode: normalizeCreditCode(values.creditCode),
    address: values.address?.trim() || null,
    foundedOn: values.foundedOn ? values.foundedOn.format('YYYY-MM-DD') : null,
    legalRepresentative: values.legalRepresentative?.trim() || null,
  };
}

/** The organisation (企业) profile fields, used by the create modal and the profile's edit mode. */
export function OrgForm({
  form,
  onFinish,
  disabled,
  initialValues,
  name,
}: {
  name: string;
  form: FormInstance<OrgFormValues>;
  onFinish: (values: OrgFormValues) => void;
  disabled?: boolean;
  initialValues?: Partial<OrgFormValues>;
}) {
  const { t } = useTranslation();
  return (
    <Form
      form={form}
      name={name}
      layout="vertical"
      onFinish={onFinish}
      disabled={disabled}
      initialValues={initialValues}
      requiredMark="optional"
      validateTrigger={['onChange', 'onBlur']}
    >
      <Form.Item
        name="name"
        label={t('orgs.name')}
        rules={[
          { required: true, whitespace: true, message: t('validation.required', { field: t('orgs.name') }) },
          { max: 200 },
        ]}
      >
        <Input />
      </Form.Item>
      <Form.Item
        name="creditCode"
        label={t('orgs.creditCode')}
        validateTrigger="onBlur"
        normalize={(value: string) => value.toUpperCase()}
        rules={[
          { required: true, whitespace: true, message: t('validation.required', { field: t('orgs.creditCode') }) },
          creditCodeRule,
        ]}
      >
        <Input placeholder={t('orgs.creditCodePlaceholder')} maxLength={24} style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      <Form.Item name="address" label={t('orgs.address')} rules={[{ max: 500 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="foundedOn" label={t('orgs.foundedOn')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="legalRepresentative" label={t('orgs.legalRepresentative')} rules={[{ max: 100 }]}>
        <Input />
      </Form.Item>
    </Form>
  );
}
