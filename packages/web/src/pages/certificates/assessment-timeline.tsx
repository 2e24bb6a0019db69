import { PlusOutlined } from '@ant-design/icons';
import type { AssessmentKind } from '@zizhi/core';
import { Button, Flex, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEvents } from '../../api/certificates';
import type { CertEvent, CertificateDetail } from '../../api/types';
import { chinaToday, useEventTypeLabel } from '../../components/domain';
import { EventModal } from './event-form';

/** The events that make up an assessment's progress, oldest first: application, steps, result. */
export function assessmentEvents(events: readonly CertEvent[], kinds: readonly AssessmentKind[]): CertEvent[] {
  const applied = (e: CertEvent) =>
    (e.type === 'renewal.applied' && kinds.includes('renewal')) ||
    (e.type === 'upgrade.applied' && kinds.includes('upgrade'));
  const result = (e: CertEvent) => e.type === 'supervision.done' && kinds.includes('supervision');
  const step = (e: CertEvent) =>
    e.type === 'assessment.step' && e.assessment !== undefined && kinds.includes(e.assessment);
  return events
    .filter((e) => !e.withdrawnAt && (applied(e) || result(e) || step(e)))
    .sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt));
}

/**
 * The assessment's progress as the body runs it (application, document review, on-site, expert
 * review, result): what took place, and what is scheduled, marked as planned. `kinds[0]` is what a
 * new step is recorded for.
 */
export function AssessmentTimeline({
  cert,
  kinds,
  canEdit,
}: {
  cert: CertificateDetail;
  kinds: readonly AssessmentKind[];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const typeLabel = useEventTypeLabel();
  const events = useEvents(cert.orgId, cert.id);
  const [recording, setRecording] = useState(false);
  const today = chinaToday();
  const shown = assessmentEvents(events.data ?? [], kinds);

  const label = (e: CertEvent): string => {
    if (e.type === 'assessment.step' && e.assessment && e.step) {
      return kinds.length > 1
        ? `${t(`events.steps.${e.step}`)}（${t(`events.assessmentKinds.${e.assessment}`)}）`
        : t(`events.steps.${e.step}`);
    }
    if (e.type === 'supervision.done') {
      return `${t('timeline.result')}：${e.passed ? t('events.passedYes') : t('events.passedNo')}`;
    }
    return typeLabel(e.type);
  };

  return (
    <section aria-label={t('timeline.title')} data-testid={`assessment-timeline-${kinds[0] ?? ''}`}>
      <Flex justify="space-between" align="center" style={{ marginTop: 16, marginBottom: 8 }}>
        <Typography.Text strong>{t('timeline.title')}</Typography.Text>
        {canEdit ? (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setRecording(true)}>
            {t('timeline.record')}
          </Button>
        ) : null}
      </Flex>
      {shown.length === 0 ? (
        <Typography.Text type="secondary">{events.isPending ? t('app.loading') : t('timeline.empty')}</Typography.Text>
      ) : (
        <Timeline
          items={shown.map((e) => ({
            key: e.id,
            color: e.date > today ? 'gray' : e.type === 'supervision.done' && !e.passed ? 'red' : 'green',
            content: (
              <span>
                <Typography.Text>{e.date}</Typography.Text> {label(e)}{' '}
                {e.date > today ? <Tag>{t('timeline.planned')}</Tag> : null}
                {e.note ? <Typography.Text type="secondary"> · {e.note}</Typography.Text> : null}
              </span>
            ),
          }))}
        />
      )}
      {recording ? (
        <EventModal
          orgId={cert.orgId}
          certId={cert.id}
          preset={{ type: 'assessment.step', ...(kinds[0] ? { assessment: kinds[0] } : {}) }}
          onClose={() => setRecording(false)}
        />
      ) : null}
    </section>
  );
}
