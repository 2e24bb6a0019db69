import { EyeOutlined, FileTextOutlined, FilePdfOutlined, FileWordOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Typography, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fileUrl } from '../../api/certificates';
import {
  selfCheckReportUrl,
  selfCheckYears,
  useSelfCheckVersions,
  useSubmitSelfCheck,
  type SubmissionInput,
} from '../../api/documents';
import type { CertificateDetail } from '../../api/types';
import { chinaToday, fromDay, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { SelfCheckPreviewDrawer } from './self-check-template';

/**
 * The annual self-check report: its draft for a year in Word or PDF, built from the data as it is
 * now; for CS1/CS2 the submissions recorded, each kept as a version, and recording the next one.
 */
export function SelfCheckCard({
  cert,
  canRecord,
  workspaceId,
  canEditTemplate,
}: {
  cert: CertificateDetail;
  canRecord: boolean;
  /** The workspace whose report template the draft follows. */
  workspaceId: string | undefined;
  canEditTemplate: boolean;
}) {
  const { t } = useTranslation();
  const years = selfCheckYears(cert.issuedOn, cert.expiresOn, chinaToday());
  const [year, setYear] = useState<number | undefined>(years[0]);
  const [recording, setRecording] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const submits = cert.level === 'CS1' || cert.level === 'CS2';
  const versions = useSelfCheckVersions(cert.orgId, cert.id);
  if (years.length === 0 || year === undefined) return null;
  return (
    <Card
      title={
        <Space>
          <FileTextOutlined />
          {t('selfCheck.title')}
        </Space>
      }
      style={{ marginTop: 16 }}
      data-testid="self-check-card"
    >
      <Typography.Paragraph type="secondary">
        {submits ? t('selfCheck.help') : t('selfCheck.helpHigh', { level: cert.level })}
      </Typography.Paragraph>
      <Space wrap>
        <Select
          aria-label={t('selfCheck.year')}
          value={year}
          onChange={setYear}
          options={years.map((y) => ({ value: y, label: t('selfCheck.yearOption', { year: y }) }))}
          style={{ width: 140 }}
        />
        {workspaceId ? (
          <Button icon={<EyeOutlined />} onClick={() => setPreviewing(true)}>
            {t('reportTemplate.open')}
          </Button>
        ) : null}
        <Button icon={<FileWordOutlined />} href={selfCheckReportUrl(cert.orgId, cert.id, year, 'docx')}>
          {t('selfCheck.downloadWord')}
        </Button>
        <Button icon={<FilePdfOutlined />} href={selfCheckReportUrl(cert.orgId, cert.id, year, 'pdf')}>
          {t('selfCheck.downloadPdf')}
        </Button>
        {submits && canRecord ? (
          <Button type="primary" onClick={() => setRecording(true)}>
            {t('selfCheck.record')}
          </Button>
        ) : null}
      </Space>
      {submits ? (
        <Table
          style={{ marginTop: 16 }}
          size="small"
          rowKey="id"
          loading={versions.isPending}
          dataSource={versions.data ?? []}
          pagination={false}
          locale={{ emptyText: t('selfCheck.noVersions') }}
          aria-label={t('selfCheck.versions')}
          columns={[
            { title: t('selfCheck.yearColumn'), dataIndex: 'period', width: 80 },
            { title: t('selfCheck.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
            { title: t('selfCheck.submittedOn'), dataIndex: 'submittedOn', width: 120 },
            {
              title: t('selfCheck.receiptNumber'),
              dataIndex: 'receiptNumber',
              render: (v: string | null) => v ?? '—',
            },
            {
              title: t('selfCheck.file'),
              key: 'file',
              render: (_: unknown, v) => (
                <a href={fileUrl(cert.orgId, v.file.id)}>
                  {v.file.name}
                  {v.dataSha256 ? ` ${t('selfCheck.generated')}` : ''}
                </a>
              ),
            },
            { title: t('selfCheck.recordedBy'), dataIndex: 'createdBy', render: (v: string | null) => v ?? '—' },
          ]}
        />
      ) : null}
      {recording ? <SubmissionModal cert={cert} year={year} onClose={() => setRecording(false)} /> : null}
      {previewing && workspaceId ? (
        <SelfCheckPreviewDrawer
          cert={cert}
          workspaceId={workspaceId}
          year={year}
          canEdit={canEditTemplate}
          onClose={() => setPreviewing(false)}
        />
      ) : null}
    </Card>
  );
}

interface SubmissionValues {
  year: number;
  submittedOn: Dayjs;
  receiptNumber?: string;
  result: 'normal' | 'abnormal';
}

function SubmissionModal({ cert, year, onClose }: { cert: CertificateDetail; year: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const submit = useSubmitSelfCheck(cert.orgId, cert.id);
  const [file, setFile] = useState<File | undefined>();
  const { form, error, handleError, clearError } = useApiForm<SubmissionValues>([
    'year',
    'submittedOn',
    'receiptNumber',
    'result',
  ]);
  const years = selfCheckYears(cert.issuedOn, cert.expiresOn, chinaToday());
  const onFinish = async (values: SubmissionValues) => {
    clearError();
    const input: SubmissionInput = {
      year: values.year,
      submittedOn: toDay(values.submittedOn),
      result: values.result,
      ...(values.receiptNumber?.trim() ? { receiptNumber: values.receiptNumber.trim() } : {}),
      ...(file ? { file } : {}),
    };
    try {
      const version = await submit.mutateAsync(input);
      void message.success(t('selfCheck.recorded', { year: version.period, version: version.version }));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={t('selfCheck.recordTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={submit.isPending}
    >
      <FormError message={error} />
      <Form<SubmissionValues>
        form={form}
        name="self-check-submission"
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        initialValues={{ year, submittedOn: fromDay(chinaToday()), result: 'normal' }}
      >
        <Form.Item name="year" label={t('selfCheck.year')} rules={[{ required: true }]}>
          <Select options={years.map((y) => ({ value: y, label: t('selfCheck.yearOption', { year: y }) }))} />
        </Form.Item>
        <Form.Item
          name="submittedOn"
          label={t('selfCheck.submittedOn')}
          rules={[{ required: true, message: t('validation.required', { field: t('selfCheck.submittedOn') }) }]}
        >
          <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="receiptNumber" label={t('selfCheck.receiptNumber')} rules={[{ max: 100 }]}>
          <Input placeholder={t('selfCheck.receiptPlaceholder')} />
        </Form.Item>
        <Form.Item name="result" label={t('selfCheck.result')} extra={t('selfCheck.resultHelp')}>
          <Select
            options={[
              { value: 'normal', label: t('selfCheck.resultNormal') },
              { value: 'abnormal', label: t('selfCheck.resultAbnormal') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('selfCheck.file')} extra={t('selfCheck.fileHelp')}>
          <Upload
            maxCount={1}
            accept=".pdf,.jpg,.jpeg,.png,.docx"
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(undefined)}
          >
            <Button icon={<UploadOutlined />}>{t('selfCheck.chooseFile')}</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
