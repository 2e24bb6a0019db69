import { TeamOutlined } from '@ant-design/icons';
import { App, Button, Card, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMeetings, usePlanMeeting } from '../../api/meetings';
import type { CertificateDetail, Meeting } from '../../api/types';
import { chinaToday } from '../../components/domain';
import { FormError } from '../../components/form-error';
import { describeError } from '../../api/errors';

export const meetingPath = (orgId: string, meetingId: string) => `/orgs/${orgId}/meetings/${meetingId}`;

/** The quarters a meeting can review: this one and the four before it, newest first. */
export function recentQuarters(today: string): string[] {
  let year = Number(today.slice(0, 4));
  let q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < 5; i++) {
    out.push(`${year}-Q${q}`);
    q--;
    if (q === 0) {
      q = 4;
      year--;
    }
  }
  return out;
}

/** A certificate's quarterly qualification meetings (资质维护季度会议), and holding the next one. */
export function MeetingsCard({ cert, canPlan }: { cert: CertificateDetail; canPlan: boolean }) {
  const { t } = useTranslation();
  const meetings = useMeetings(cert.orgId, cert.id);
  const quarterLabel = useQuarterLabel();
  const [planning, setPlanning] = useState(false);
  return (
    <Card
      title={
        <Space>
          <TeamOutlined />
          {t('meetings.title')}
        </Space>
      }
      style={{ marginTop: 16 }}
      data-testid="meetings-card"
      extra={
        canPlan ? (
          <Button type="primary" onClick={() => setPlanning(true)}>
            {t('meetings.plan')}
          </Button>
        ) : undefined
      }
    >
      <Typography.Paragraph type="secondary">{t('meetings.help')}</Typography.Paragraph>
      <Table<Meeting>
        size="small"
        rowKey="id"
        loading={meetings.isPending}
        dataSource={meetings.data ?? []}
        pagination={false}
        locale={{ emptyText: t('meetings.none') }}
        columns={[
          {
            title: t('meetings.quarter'),
            dataIndex: 'quarter',
            render: (q: string, m) => <Link to={meetingPath(cert.orgId, m.id)}>{quarterLabel(q)}</Link>,
          },
          { title: t('meetings.heldOn'), dataIndex: 'heldOn', render: (v: string | null) => v ?? '—' },
          {
            title: t('meetings.status'),
            dataIndex: 'status',
            render: (v: Meeting['status']) =>
              v === 'closed' ? <Tag color="success">{t('meetings.final')}</Tag> : <Tag>{t('meetings.draft')}</Tag>,
          },
          {
            title: t('meetings.actions'),
            key: 'actions',
            render: (_: unknown, m) => t('meetings.actionCount', { count: m.actions.length }),
          },
        ]}
      />
      {planning ? <PlanMeetingModal cert={cert} onClose={() => setPlanning(false)} /> : null}
    </Card>
  );
}

/** 2026-Q4 as the reader says it. */
export function useQuarterLabel() {
  const { t } = useTranslation();
  return (quarter: string) => t('meetings.quarterValue', { year: quarter.slice(0, 4), q: quarter.slice(6) });
}

function PlanMeetingModal({ cert, onClose }: { cert: CertificateDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const plan = usePlanMeeting(cert.orgId);
  const quarters = recentQuarters(chinaToday());
  const quarterLabel = useQuarterLabel();
  const [quarter, setQuarter] = useState(quarters[0]!);
  const [error, setError] = useState<string | null>(null);
  const onOk = async () => {
    setError(null);
    try {
      const meeting = await plan.mutateAsync({ certificateId: cert.id, quarter });
      void message.success(t('meetings.planned'));
      onClose();
      void navigate(meetingPath(cert.orgId, meeting.id));
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <Modal
      open
      title={t('meetings.planTitle')}
      onCancel={onClose}
      onOk={() => void onOk()}
      okText={t('meetings.planOk')}
      cancelText={t('common.cancel')}
      confirmLoading={plan.isPending}
    >
      <Typography.Paragraph type="secondary">{t('meetings.planHelp')}</Typography.Paragraph>
      <FormError message={error} />
      <Select
        aria-label={t('meetings.quarter')}
        value={quarter}
        onChange={setQuarter}
        style={{ width: 200 }}
        options={quarters.map((q) => ({ value: q, label: quarterLabel(q) }))}
      />
    </Modal>
  );
}
