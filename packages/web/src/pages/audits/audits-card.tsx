import { AuditOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAudits, usePlanAudit } from '../../api/audits';
import type { Audit, CertificateDetail } from '../../api/types';
import { chinaToday, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { auditPath, currentQuarter } from './audit-paths';

/** A certificate's internal audits (内部合规检查), and planning the next one. */
export function AuditsCard({ cert, canPlan }: { cert: CertificateDetail; canPlan: boolean }) {
  const { t } = useTranslation();
  const audits = useAudits(cert.orgId, cert.id);
  const [planning, setPlanning] = useState(false);
  return (
    <Card
      title={
        <Space>
          <AuditOutlined />
          {t('audits.title')}
        </Space>
      }
      style={{ marginTop: 16 }}
      data-testid="audits-card"
      extra={
        canPlan ? (
          <Button type="primary" onClick={() => setPlanning(true)}>
            {t('audits.plan')}
          </Button>
        ) : undefined
      }
    >
      <Typography.Paragraph type="secondary">{t('audits.help')}</Typography.Paragraph>
      <Table<Audit>
        size="small"
        rowKey="id"
        loading={audits.isPending}
        dataSource={audits.data ?? []}
        pagination={false}
        locale={{ emptyText: t('audits.none') }}
        columns={[
          {
            title: t('audits.period'),
            key: 'period',
            render: (_: unknown, a) => (
              <Link to={auditPath(cert.orgId, a.id)}>
                {t('audits.periodValue', { from: a.periodStart, to: a.periodEnd })}
              </Link>
            ),
          },
          { title: t('audits.auditors'), dataIndex: 'auditors', render: (v: string[]) => v.join('、') },
          {
            title: t('audits.status'),
            dataIndex: 'status',
            render: (v: Audit['status'], a) =>
              v === 'closed' ? (
                <Tag color="success">{t('audits.closedOn', { date: a.closedOn })}</Tag>
              ) : (
                <Tag color="processing">{t('audits.open')}</Tag>
              ),
          },
          {
            title: t('audits.findings'),
            key: 'counts',
            render: (_: unknown, a) =>
              t('audits.countsValue', {
                items: a.counts.items,
                nonconform: a.counts.nonconform,
                undecided: a.counts.undecided,
              }),
          },
        ]}
      />
      {planning ? <PlanAuditModal cert={cert} onClose={() => setPlanning(false)} /> : null}
    </Card>
  );
}

interface PlanValues {
  period: [Dayjs, Dayjs];
  auditors: string[];
  scope?: string;
}

function PlanAuditModal({ cert, onClose }: { cert: CertificateDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const plan = usePlanAudit(cert.orgId);
  const { form, error, handleError, clearError } = useApiForm<PlanValues>(['auditors', 'scope']);
  const onFinish = async (values: PlanValues) => {
    clearError();
    try {
      const audit = await plan.mutateAsync({
        certificateId: cert.id,
        periodStart: toDay(values.period[0]),
        periodEnd: toDay(values.period[1]),
        auditors: values.auditors.map((a) => a.trim()).filter(Boolean),
        ...(values.scope?.trim() ? { scope: values.scope.trim() } : {}),
      });
      void message.success(t('audits.planned', { count: audit.counts.items }));
      onClose();
      void navigate(auditPath(cert.orgId, audit.id));
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={t('audits.planTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('audits.planOk')}
      cancelText={t('common.cancel')}
      confirmLoading={plan.isPending}
    >
      <Typography.Paragraph type="secondary">{t('audits.planHelp')}</Typography.Paragraph>
      <FormError message={error} />
      <Form<PlanValues>
        form={form}
        name="plan-audit"
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        initialValues={{ period: currentQuarter(chinaToday(), cert.level), auditors: [] }}
      >
        <Form.Item
          name="period"
          label={t('audits.period')}
          rules={[{ required: true, message: t('validation.required', { field: t('audits.period') }) }]}
        >
          <DatePicker.RangePicker
            format="YYYY-MM-DD"
            style={{ width: '100%' }}
            placeholder={[t('audits.periodStart'), t('audits.periodEnd')]}
          />
        </Form.Item>
        <Form.Item
          name="auditors"
          label={t('audits.auditors')}
          extra={t('audits.auditorsHelp')}
          rules={[{ required: true, message: t('audits.auditorsRequired') }]}
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} aria-label={t('audits.auditors')} />
        </Form.Item>
        <Form.Item name="scope" label={t('audits.scope')}>
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('audits.scopePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
