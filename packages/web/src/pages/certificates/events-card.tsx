import { EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEvents, useWithdrawEvent } from '../../api/certificates';
import { describeError } from '../../api/errors';
import type { CertEvent } from '../../api/types';
import { formatInstant, useEventTypeLabel } from '../../components/domain';
import { ReasonModal } from '../../components/reason-modal';
import { EventModal } from './event-form';

/** The certificate's events: record, correct, withdraw (with a reason); obligations follow on the server. */
export function EventsCard({ orgId, certId, canEdit }: { orgId: string; certId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const typeLabel = useEventTypeLabel();
  const events = useEvents(orgId, certId);
  const [editing, setEditing] = useState<CertEvent | 'new' | null>(null);
  const [withdrawing, setWithdrawing] = useState<CertEvent | null>(null);

  const details = (e: CertEvent) => {
    const parts: string[] = [];
    if (e.type === 'self-check.notice' && e.year)
      parts.push(t('events.noticeDetail', { year: e.year, deadline: e.deadline ?? '' }));
    if (e.type === 'self-check.submitted' && e.year)
      parts.push(
        t('events.submittedDetail', {
          year: e.year,
          result: e.result === 'abnormal' ? t('events.resultAbnormal') : t('events.resultNormal'),
        }),
      );
    if (e.type === 'supervision.done' && typeof e.passed === 'boolean')
      parts.push(e.passed ? t('events.passedYes') : t('events.passedNo'));
    if (e.type === 'assessment.step' && e.assessment && e.step)
      parts.push(`${t(`events.assessmentKinds.${e.assessment}`)} · ${t(`events.steps.${e.step}`)}`);
    if (e.note) parts.push(e.note);
    return parts.join(' · ') || t('common.none');
  };

  return (
    <Card
      title={t('events.title')}
      style={{ marginTop: 16 }}
      extra={
        canEdit ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('events.record')}
          </Button>
        ) : undefined
      }
    >
      {events.isError ? (
        <Typography.Text type="danger" role="alert">
          {describeError(events.error)}
        </Typography.Text>
      ) : (
        <Table<CertEvent>
          aria-label={t('events.table')}
          rowKey="id"
          size="middle"
          loading={events.isPending}
          dataSource={[...(events.data ?? [])].sort((a, b) => (b.at ?? b.date).localeCompare(a.at ?? a.date))}
          locale={{ emptyText: t('events.empty') }}
          pagination={false}
          columns={[
            {
              title: t('events.type'),
              dataIndex: 'type',
              render: (type: string, e) => (
                <Space>
                  <Typography.Text delete={Boolean(e.withdrawnAt)}>{typeLabel(type)}</Typography.Text>
                  {e.withdrawnAt ? (
                    <Tooltip title={e.withdrawnReason}>
                      <Tag>{t('events.withdrawn')}</Tag>
                    </Tooltip>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('events.date'),
              key: 'date',
              render: (_: unknown, e) => (e.at ? formatInstant(e.at) : e.date),
            },
            { title: t('events.details'), key: 'details', render: (_: unknown, e) => details(e) },
            {
              title: t('events.recordedBy'),
              key: 'by',
              render: (_: unknown, e) =>
                `${e.createdBy?.name ?? t('audit.system')} · ${dayjs(e.createdAt).format('YYYY-MM-DD HH:mm')}`,
            },
            ...(canEdit
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, e: CertEvent) =>
                      e.withdrawnAt ? null : (
                        <Space size={0}>
                          <Button
                            type="link"
                            size="small"
                            icon={<EditOutlined />}
                            onClick={() => setEditing(e)}
                            aria-label={`${t('events.correct')}: ${typeLabel(e.type)}`}
                          >
                            {t('events.correct')}
                          </Button>
                          <Button
                            type="link"
                            size="small"
                            danger
                            icon={<StopOutlined />}
                            onClick={() => setWithdrawing(e)}
                            aria-label={`${t('events.withdraw')}: ${typeLabel(e.type)}`}
                          >
                            {t('events.withdraw')}
                          </Button>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {editing ? (
        <EventModal
          orgId={orgId}
          certId={certId}
          {...(editing === 'new' ? {} : { event: editing })}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {withdrawing ? (
        <WithdrawModal orgId={orgId} certId={certId} event={withdrawing} onClose={() => setWithdrawing(null)} />
      ) : null}
    </Card>
  );
}

function WithdrawModal({
  orgId,
  certId,
  event,
  onClose,
}: {
  orgId: string;
  certId: string;
  event: CertEvent;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const typeLabel = useEventTypeLabel();
  const withdraw = useWithdrawEvent(orgId, certId);
  return (
    <ReasonModal
      name="withdrawEvent"
      title={t('events.withdrawTitle', {
        type: typeLabel(event.type),
        date: event.at ? formatInstant(event.at) : event.date,
      })}
      help={t('events.withdrawHelp')}
      okText={t('events.withdraw')}
      reasonLabel={t('events.withdrawReason')}
      pending={withdraw.isPending}
      onSubmit={async (reason) => {
        await withdraw.mutateAsync({ eventId: event.id, reason });
        void message.success(t('events.withdrawnDone'));
      }}
      onClose={onClose}
    />
  );
}
