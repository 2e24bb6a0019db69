import { FilePdfOutlined, FileExcelOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { USAGE_PURPOSES, USAGE_PURPOSE_NAMES } from '@zizhi/core';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../api/download';
import { describeError } from '../../api/errors';
import type { CertificateDetail } from '../../api/types';
import {
  usageCopyUrl,
  usageRegisterUrl,
  useCertificateUsages,
  useRegisterUsage,
  useVoidUsage,
  type Usage,
} from '../../api/usages';
import { chinaToday, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { ReasonModal } from '../../components/reason-modal';
import { currentLanguage } from '../../i18n';

interface UsageValues {
  purpose: Usage['purpose'];
  recipient: string;
  tenderName?: string;
  tenderNumber?: string;
  date: Dayjs;
  approvedBy?: string;
  note?: string;
}

/**
 * 证书使用登记 on the certificate page: each copy that went out, with its registration number and
 * its stamped copy; managers register and void uses, everyone exports the register.
 */
export function UsagesCard({ cert, canEdit }: { cert: CertificateDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const usages = useCertificateUsages(cert.orgId, cert.id);
  const [registering, setRegistering] = useState(false);
  const [voiding, setVoiding] = useState<Usage | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const english = currentLanguage() === 'en';

  const download = async (url: string, fallback: string, key: string) => {
    setDownloading(key);
    try {
      await downloadFile(url, {}, fallback);
    } catch (err) {
      void message.error(describeError(err), 8);
    } finally {
      setDownloading(null);
    }
  };

  return (
    <Card
      title={t('usages.title')}
      style={{ marginTop: 16 }}
      data-testid="usages-card"
      extra={
        <Space wrap>
          <Button
            icon={<FileExcelOutlined />}
            loading={downloading === 'register'}
            onClick={() => void download(usageRegisterUrl(cert.orgId), 'usages.xlsx', 'register')}
          >
            {t('usages.export')}
          </Button>
          {canEdit ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
              {t('usages.register')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('usages.help')}</Typography.Paragraph>
      {usages.isError ? (
        <Typography.Text type="danger" role="alert">
          {describeError(usages.error)}
        </Typography.Text>
      ) : (
        <Table<Usage>
          aria-label={t('usages.table')}
          rowKey="id"
          size="small"
          loading={usages.isPending}
          dataSource={usages.data ?? []}
          locale={{ emptyText: t('usages.empty') }}
          pagination={false}
          columns={[
            {
              title: t('usages.registrationNo'),
              key: 'no',
              render: (_: unknown, u) => (
                <Space>
                  <Typography.Text delete={Boolean(u.voidedAt)}>{u.registrationNo}</Typography.Text>
                  {u.voidedAt ? (
                    <Tooltip title={u.voidReason}>
                      <Tag>{t('usages.voided')}</Tag>
                    </Tooltip>
                  ) : null}
                </Space>
              ),
            },
            { title: t('usages.date'), dataIndex: 'date' },
            {
              title: t('usages.purpose'),
              key: 'purpose',
              render: (_: unknown, u) => USAGE_PURPOSE_NAMES[u.purpose][english ? 'en' : 'zh'],
            },
            { title: t('usages.recipient'), dataIndex: 'recipient' },
            {
              title: t('usages.tender'),
              key: 'tender',
              render: (_: unknown, u) => [u.tenderName, u.tenderNumber].filter(Boolean).join(' · ') || t('common.none'),
            },
            {
              title: t('usages.approvedBy'),
              key: 'approvedBy',
              render: (_: unknown, u) => u.approvedBy ?? t('common.none'),
            },
            ...(canEdit
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, u: Usage) =>
                      u.voidedAt ? null : (
                        <Space size={0}>
                          <Button
                            type="link"
                            size="small"
                            icon={<FilePdfOutlined />}
                            loading={downloading === u.id}
                            aria-label={t('usages.copyAria', { no: u.registrationNo })}
                            onClick={() =>
                              void download(usageCopyUrl(cert.orgId, cert.id, u.id), `${u.registrationNo}.pdf`, u.id)
                            }
                          >
                            {t('usages.copy')}
                          </Button>
                          <Button
                            type="link"
                            size="small"
                            danger
                            icon={<StopOutlined />}
                            aria-label={t('usages.voidAria', { no: u.registrationNo })}
                            onClick={() => setVoiding(u)}
                          >
                            {t('usages.void')}
                          </Button>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {usages.hasNextPage ? (
        <Button
          style={{ marginTop: 8 }}
          loading={usages.isFetchingNextPage}
          onClick={() => void usages.fetchNextPage()}
        >
          {t('usages.more')}
        </Button>
      ) : null}
      {registering ? <RegisterModal cert={cert} onClose={() => setRegistering(false)} /> : null}
      {voiding ? <VoidModal cert={cert} usage={voiding} onClose={() => setVoiding(null)} /> : null}
    </Card>
  );
}

const FIELDS = ['purpose', 'recipient', 'tenderName', 'tenderNumber', 'date', 'approvedBy', 'note'];

function RegisterModal({ cert, onClose }: { cert: CertificateDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const register = useRegisterUsage(cert.orgId, cert.id);
  const english = currentLanguage() === 'en';
  const { form, error, handleError, clearError } = useApiForm<UsageValues>(FIELDS);

  const onFinish = async (v: UsageValues) => {
    clearError();
    try {
      const saved = await register.mutateAsync({
        purpose: v.purpose,
        recipient: v.recipient.trim(),
        tenderName: v.tenderName?.trim() || null,
        tenderNumber: v.tenderNumber?.trim() || null,
        date: toDay(v.date),
        approvedBy: v.approvedBy?.trim() || null,
        note: v.note?.trim() || null,
      });
      void message.success(t('usages.registered', { no: saved.registrationNo }), 6);
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={t('usages.registerTitle', { number: cert.number })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={register.isPending}
    >
      <Form<UsageValues>
        form={form}
        name="registerUsage"
        layout="vertical"
        disabled={register.isPending}
        initialValues={{ purpose: 'tender', date: dayjs(chinaToday()) }}
        onFinish={(v) => void onFinish(v)}
      >
        <Space size={16} style={{ display: 'flex' }} align="start" wrap>
          <Form.Item name="purpose" label={t('usages.purpose')} rules={[{ required: true }]} style={{ minWidth: 200 }}>
            <Select
              options={USAGE_PURPOSES.map((p) => ({ value: p, label: USAGE_PURPOSE_NAMES[p][english ? 'en' : 'zh'] }))}
            />
          </Form.Item>
          <Form.Item
            name="date"
            label={t('usages.date')}
            rules={[{ required: true, message: t('validation.required', { field: t('usages.date') }) }]}
          >
            <DatePicker format="YYYY-MM-DD" />
          </Form.Item>
        </Space>
        <Form.Item
          name="recipient"
          label={t('usages.recipient')}
          extra={t('usages.recipientHelp')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required', { field: t('usages.recipient') }) },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="tenderName" label={t('usages.tenderName')}>
          <Input maxLength={200} />
        </Form.Item>
        <Space size={16} style={{ display: 'flex' }} align="start" wrap>
          <Form.Item name="tenderNumber" label={t('usages.tenderNumber')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="approvedBy" label={t('usages.approvedBy')}>
            <Input maxLength={100} />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('usages.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
      <FormError message={error} />
    </Modal>
  );
}

function VoidModal({ cert, usage, onClose }: { cert: CertificateDetail; usage: Usage; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const voidUsage = useVoidUsage(cert.orgId, cert.id);
  return (
    <ReasonModal
      name="voidUsage"
      title={t('usages.voidTitle', { no: usage.registrationNo })}
      help={t('usages.voidHelp')}
      okText={t('usages.void')}
      reasonLabel={t('usages.voidReason')}
      pending={voidUsage.isPending}
      onSubmit={async (reason) => {
        await voidUsage.mutateAsync({ usageId: usage.id, reason });
        void message.success(t('usages.voidedDone', { no: usage.registrationNo }));
      }}
      onClose={onClose}
    />
  );
}
