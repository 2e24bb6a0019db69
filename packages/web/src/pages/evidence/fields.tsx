import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Progress, Select, Typography, Upload } from 'antd';
import type { Rule } from 'antd/es/form';
import type { NamePath } from 'antd/es/form/interface';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fileUrl } from '../../api/certificates';
import { describeError } from '../../api/errors';
import type { Attachment } from '../../api/types';
import { uploadEvidenceFile } from '../../api/upload';
import { fromDay, parseMoneyInput, toDay } from '../../components/domain';

// Form pieces every evidence kind uses. Rules mirror the server's zod messages so a person sees
// the same sentence whether the browser or the server catches the mistake.

const MONEY_RE = /^\d{1,16}(\.\d{1,2})?$/;
const SIGNED_MONEY_RE = /^-?\d{1,16}(\.\d{1,2})?$/;

export function useEvidenceRules() {
  const { t } = useTranslation();
  return {
    required: (field: string): Rule => ({
      required: true,
      whitespace: true,
      message: t('validation.required', { field }),
    }),
    max: (max: number, field: string): Rule => ({ max, message: t('evidence.validation.max', { field, max }) }),
    money: (signed = false): Rule => ({
      validator: (_, value: string | null | undefined) => {
        const v = parseMoneyInput(value);
        if (v === null || (signed ? SIGNED_MONEY_RE : MONEY_RE).test(v)) return Promise.resolve();
        // A minus sign is the mistake to name, not the decimals.
        if (!signed && SIGNED_MONEY_RE.test(v))
          return Promise.reject(new Error(t('evidence.validation.negativeMoney')));
        return Promise.reject(new Error(t(signed ? 'evidence.validation.signedMoney' : 'evidence.validation.money')));
      },
    }),
  };
}

/** A dependent rule: this date (or month) may not be earlier than the field `other`. */
export function notBeforeRule(other: NamePath, message: string, unit: 'day' | 'month' = 'day'): Rule {
  return ({ getFieldValue }) => ({
    validator: (_, value: Dayjs | null | undefined) => {
      const start = getFieldValue(other) as Dayjs | null | undefined;
      return value && start && value.isBefore(start, unit) ? Promise.reject(new Error(message)) : Promise.resolve();
    },
  });
}

/** An attachment as the form holds it: the link plus what is shown (name, size). */
export interface AttachmentValue {
  fileId: string;
  role: string;
  amount?: string | null;
  name: string;
  size?: number;
}

export const toAttachmentValues = (files: readonly Attachment[] | undefined): AttachmentValue[] =>
  (files ?? []).map((f) => ({ fileId: f.fileId, role: f.role, amount: f.amount, name: f.name, size: f.size }));

/** The links to send; `R` is the kind's roles (the form only offers those). */
export const toAttachmentInputs = <R extends string>(values: readonly AttachmentValue[] | undefined) =>
  (values ?? []).map((f) => ({
    fileId: f.fileId,
    role: f.role as R,
    ...(f.role === 'invoice' ? { amount: parseMoneyInput(f.amount) } : {}),
  }));

/** Form values ↔ API: dates as YYYY-MM-DD strings, empty text as null. */
export const dayOrNull = (value: Dayjs | null | undefined) => (value ? toDay(value) : null);
export const monthOrNull = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM') : null);
export const textOrNull = (value: string | null | undefined) => value?.trim() || null;
export const dayValue = (value: string | null | undefined) => fromDay(value);

function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The file of an attachment row: a download link under its original name. */
function AttachmentName({ orgId, value }: { orgId: string; value?: AttachmentValue }) {
  if (!value) return null;
  return (
    <Typography.Text ellipsis style={{ maxWidth: 260 }}>
      <PaperClipOutlined />{' '}
      <a href={fileUrl(orgId, value.fileId)} target="_blank" rel="noopener noreferrer" download={value.name}>
        {value.name}
      </a>{' '}
      <Typography.Text type="secondary">{formatSize(value.size)}</Typography.Text>
    </Typography.Text>
  );
}

interface Uploading {
  uid: string;
  name: string;
  percent: number;
}

/**
 * The record's files: each row links to the download and names its role (an invoice also its
 * amount); a new file is uploaded first (stored with its hash), then linked here, and the link
 * is saved with the record.
 */
export function AttachmentsField({
  orgId,
  roles,
  disabled,
}: {
  orgId: string;
  roles: readonly string[];
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = useEvidenceRules();
  const [role, setRole] = useState<string>(roles[0] ?? 'other');
  const [uploading, setUploading] = useState<Uploading[]>([]);
  const roleOptions = roles.map((r) => ({ value: r, label: t(`evidence.fileRoles.${r}`, { defaultValue: r }) }));
  return (
    <Form.Item label={t('evidence.files')}>
      <Form.List name="files">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.length === 0 ? <Typography.Text type="secondary">{t('evidence.noFiles')}</Typography.Text> : null}
            {fields.map((field) => (
              <Flex key={field.key} gap={8} align="start" wrap data-testid="attachment-row">
                <Form.Item name={[field.name]} noStyle>
                  <AttachmentName orgId={orgId} />
                </Form.Item>
                <Form.Item name={[field.name, 'role']} noStyle>
                  <Select
                    aria-label={t('evidence.fileRole')}
                    options={roleOptions}
                    style={{ width: 140 }}
                    size="small"
                  />
                </Form.Item>
                <Form.Item noStyle dependencies={[['files', field.name, 'role']]}>
                  {({ getFieldValue }) =>
                    getFieldValue(['files', field.name, 'role']) === 'invoice' ? (
                      <Form.Item
                        name={[field.name, 'amount']}
                        rules={[rules.money()]}
                        style={{ marginBottom: 0, width: 200 }}
                      >
                        <Input
                          size="small"
                          aria-label={t('evidence.invoiceAmount')}
                          placeholder={t('evidence.invoiceAmount')}
                          suffix="元"
                        />
                      </Form.Item>
                    ) : null
                  }
                </Form.Item>
                <Button
                  size="small"
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('evidence.removeFile')}
                  onClick={() => remove(field.name)}
                  disabled={disabled}
                />
              </Flex>
            ))}
            {uploading.map((u) => (
              <Flex key={u.uid} gap={8} align="center">
                <Typography.Text ellipsis style={{ maxWidth: 260 }}>
                  {u.name}
                </Typography.Text>
                <Progress percent={Math.round(u.percent * 100)} size="small" style={{ width: 160 }} />
              </Flex>
            ))}
            <Flex gap={8} align="center" wrap>
              <Select
                aria-label={t('evidence.newFileRole')}
                value={role}
                onChange={setRole}
                options={roleOptions}
                style={{ width: 160 }}
                disabled={disabled}
              />
              <Upload
                multiple
                showUploadList={false}
                disabled={disabled}
                customRequest={({ file }) => {
                  const f = file as File & { uid: string };
                  const entry: Uploading = { uid: f.uid, name: f.name, percent: 0 };
                  const chosenRole = role;
                  setUploading((list) => [...list, entry]);
                  const update = (percent: number) =>
                    setUploading((list) => list.map((u) => (u.uid === f.uid ? { ...u, percent } : u)));
                  uploadEvidenceFile(orgId, f, update)
                    .then((uploaded) => {
                      add({
                        fileId: uploaded.id,
                        role: chosenRole,
                        amount: null,
                        name: uploaded.name,
                        size: uploaded.size,
                      } satisfies AttachmentValue);
                    })
                    .catch((err: unknown) => void message.error(`${f.name}：${describeError(err)}`))
                    .finally(() => setUploading((list) => list.filter((u) => u.uid !== f.uid)));
                }}
              >
                <Button icon={<UploadOutlined />} disabled={disabled}>
                  {t('evidence.uploadFile')}
                </Button>
              </Upload>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('evidence.filesHelp')}
            </Typography.Text>
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
}
