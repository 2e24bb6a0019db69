import {
  ASSESSMENT_KINDS,
  ASSESSMENT_STEPS,
  EVENT_TYPES,
  type AssessmentKind,
  type AssessmentStep,
  type EventType,
} from '@zizhi/core';
import {
  Alert,
  App,
  DatePicker,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Radio,
  Select,
  Space,
  Spin,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCorrectEvent, useEventPreview, useRecordEvent } from '../../api/certificates';
import { describeError } from '../../api/errors';
import type { CertEvent, EngineAlert, EngineMessage, EventInput, PreviewObligation } from '../../api/types';
import {
  cancelReason,
  engineText,
  formatInstant,
  fromDay,
  obligationBasis,
  obligationSource,
  obligationTitle,
  ProvisionalTag,
  stateLabel,
  toDay,
  useEventTypeLabel,
} from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { useDebounced } from '../../components/use-debounced';

interface EventFormValues {
  type?: EventType;
  date?: Dayjs | null;
  at?: Dayjs | null;
  year?: number | null;
  deadline?: Dayjs | null;
  passed?: boolean;
  result?: 'normal' | 'abnormal';
  assessment?: AssessmentKind;
  step?: AssessmentStep;
  note?: string;
}

/** A new event's form opened for a purpose: the type (and what is known) filled in. */
export interface EventPreset {
  type: EventType;
  year?: number;
  passed?: boolean;
  assessment?: AssessmentKind;
  step?: AssessmentStep;
}

const EVENT_FIELDS = ['type', 'date', 'at', 'year', 'deadline', 'passed', 'result', 'assessment', 'step', 'note'];

/** A picked date-time read as China time (the wall clock the user typed), ISO with +08:00. */
function toChinaInstant(value: Dayjs): string {
  return `${value.format('YYYY-MM-DDTHH:mm')}:00+08:00`;
}

/** The instant's China wall-clock time as a Dayjs for the picker. */
function fromChinaInstant(iso: string | null): Dayjs | null {
  return iso ? dayjs(formatInstant(iso), 'YYYY-MM-DD HH:mm') : null;
}

/** Form values → the API body; null while something required is missing (no preview yet). */
function toEventInput(values: EventFormValues): EventInput | null {
  const { type } = values;
  if (!type) return null;
  const note = values.note?.trim();
  const extra = note ? { note } : {};
  if (type === 'incident') {
    return values.at ? { type, at: toChinaInstant(values.at), ...extra } : null;
  }
  if (!values.date) return null;
  const date = toDay(values.date);
  if (type === 'self-check.notice') {
    if (!values.year || !values.deadline) return null;
    return { type, date, year: values.year, deadline: toDay(values.deadline), ...extra };
  }
  if (type === 'self-check.submitted') {
    if (!values.year || !values.result) return null;
    return { type, date, year: values.year, result: values.result, ...extra };
  }
  if (type === 'supervision.done') {
    return values.passed === undefined ? null : { type, date, passed: values.passed, ...extra };
  }
  if (type === 'assessment.step') {
    if (!values.assessment || !values.step) return null;
    return { type, date, assessment: values.assessment, step: values.step, ...extra };
  }
  // Recorded by closing its case, with its cause and number; the form corrects only its date and note.
  if (type === 'certificate.reissued') return null;
  return { type, date, ...extra };
}

/**
 * Record a new event (optionally `preset`), or correct one (`event` given), with a live preview of
 * the deadlines it creates and of what the user should know before saving.
 */
export function EventModal({
  orgId,
  certId,
  event,
  preset,
  onClose,
}: {
  orgId: string;
  certId: string;
  event?: CertEvent;
  preset?: EventPreset;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const typeLabel = useEventTypeLabel();
  const record = useRecordEvent(orgId, certId);
  const correct = useCorrectEvent(orgId, certId);
  const { form, error, handleError, clearError } = useApiForm<EventFormValues>(EVENT_FIELDS);
  const values = Form.useWatch((v: EventFormValues) => v, { form, preserve: true });
  const type = Form.useWatch<EventType | undefined>('type', form);
  const body = useDebounced(values ? toEventInput(values) : null, 400);
  const preview = useEventPreview(orgId, certId, body);
  const pending = record.isPending || correct.isPending;

  const onFinish = async (v: EventFormValues) => {
    clearError();
    const input = toEventInput(v);
    if (!input) return;
    try {
      if (event) {
        const { type: _type, ...rest } = input;
        await correct.mutateAsync({ eventId: event.id, patch: { ...rest, note: rest.note ?? null } });
        void message.success(t('events.corrected'));
      } else {
        const result = await record.mutateAsync(input);
        // The same obligations the preview listed: those the event made, and those it settled,
        // moved or cancelled.
        const created = result.obligations.length;
        const changed = Math.max(0, (preview.data?.obligations.length ?? created) - created);
        void message.success(
          changed > 0
            ? t('events.recordedWithChanges', { count: created, changed })
            : t('events.recorded', { count: created }),
        );
        for (const w of result.warnings) void message.warning(t('events.recordedWarning', { text: engineText(w) }), 8);
      }
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  const required = (field: string) => ({ required: true, message: t('validation.required', { field }) });

  return (
    <Modal
      open
      width={680}
      title={event ? t('events.correctTitle') : t('events.recordTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
    >
      <Form<EventFormValues>
        form={form}
        name={event ? 'correctEvent' : 'recordEvent'}
        layout="vertical"
        disabled={pending}
        onFinish={(v) => void onFinish(v)}
        initialValues={
          event
            ? {
                type: event.type as EventType,
                date: fromDay(event.date),
                at: fromChinaInstant(event.at),
                year: event.year ?? null,
                deadline: fromDay(event.deadline),
                ...(typeof event.passed === 'boolean' ? { passed: event.passed } : {}),
                ...(event.result ? { result: event.result } : {}),
                ...(event.assessment ? { assessment: event.assessment } : {}),
                ...(event.step ? { step: event.step } : {}),
                note: event.note ?? '',
              }
            : (preset ?? {})
        }
      >
        <Form.Item name="type" label={t('events.type')} rules={[required(t('events.type'))]}>
          <Select
            disabled={Boolean(event)}
            showSearch={{ optionFilterProp: 'label' }}
            // A re-issued certificate is recorded by closing its case, which also carries the new number.
            options={EVENT_TYPES.filter((ty) => ty !== 'certificate.reissued' || event?.type === ty).map((ty) => ({
              value: ty,
              label: typeLabel(ty),
            }))}
          />
        </Form.Item>
        {type ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t(`events.help.${type}`)}
          </Typography.Paragraph>
        ) : null}
        {type === 'incident' ? (
          <Form.Item name="at" label={t('events.at')} rules={[required(t('events.at'))]} extra={t('events.atHelp')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        ) : (
          <Form.Item
            name="date"
            label={type ? t(`events.dateLabel.${type}`) : t('events.date')}
            rules={[required(t('events.date'))]}
          >
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        )}
        {type === 'self-check.notice' ? (
          <Space size={16} style={{ display: 'flex' }} align="start">
            <Form.Item name="year" label={t('events.year')} rules={[required(t('events.year'))]}>
              <InputNumber min={2000} max={2199} precision={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="deadline" label={t('events.deadline')} rules={[required(t('events.deadline'))]}>
              <DatePicker format="YYYY-MM-DD" />
            </Form.Item>
          </Space>
        ) : null}
        {type === 'self-check.submitted' ? (
          <Space size={16} style={{ display: 'flex' }} align="start">
            <Form.Item name="year" label={t('events.selfCheckYear')} rules={[required(t('events.selfCheckYear'))]}>
              <InputNumber min={2000} max={2199} precision={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="result" label={t('events.result')} rules={[required(t('events.result'))]}>
              <Radio.Group
                options={[
                  { value: 'normal', label: t('events.resultNormal') },
                  { value: 'abnormal', label: t('events.resultAbnormal') },
                ]}
              />
            </Form.Item>
          </Space>
        ) : null}
        {type === 'supervision.done' ? (
          <Form.Item name="passed" label={t('events.passed')} rules={[required(t('events.passed'))]}>
            <Radio.Group
              options={[
                { value: true, label: t('events.passedYes') },
                { value: false, label: t('events.passedNo') },
              ]}
            />
          </Form.Item>
        ) : null}
        {type === 'assessment.step' ? (
          <Space size={16} style={{ display: 'flex' }} align="start" wrap>
            <Form.Item name="assessment" label={t('events.assessment')} rules={[required(t('events.assessment'))]}>
              <Radio.Group
                options={ASSESSMENT_KINDS.map((k) => ({ value: k, label: t(`events.assessmentKinds.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="step" label={t('events.step')} rules={[required(t('events.step'))]}>
              <Radio.Group options={ASSESSMENT_STEPS.map((s) => ({ value: s, label: t(`events.steps.${s}`) }))} />
            </Form.Item>
          </Space>
        ) : null}
        <Form.Item name="note" label={t('events.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
      <EventPreview
        body={body}
        loading={preview.isFetching}
        error={preview.error}
        items={preview.data?.obligations}
        warnings={preview.data?.warnings}
        alerts={preview.data?.alerts}
        resolved={preview.data?.resolvedAlerts}
      />
      <FormError message={error} />
    </Modal>
  );
}

/** "截止 2026-10-13：7 个工作日，…" for each obligation the event would create, before saving. */
function EventPreview({
  body,
  loading,
  error,
  items,
  warnings,
  alerts,
  resolved,
}: {
  body: EventInput | null;
  loading: boolean;
  error: unknown;
  items: PreviewObligation[] | undefined;
  warnings: EngineMessage[] | undefined;
  alerts: EngineAlert[] | undefined;
  resolved: EngineAlert[] | undefined;
}) {
  const { t } = useTranslation();
  if (!body) {
    return <Alert type="info" showIcon title={t('events.previewHint')} style={{ marginBottom: 16 }} />;
  }
  if (error) {
    return <Alert type="warning" showIcon title={describeError(error)} style={{ marginBottom: 16 }} />;
  }
  return (
    <section aria-label={t('events.preview')} data-testid="event-preview" style={{ marginBottom: 16 }}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('events.preview')} {loading ? <Spin size="small" /> : null}
      </Typography.Title>
      {(warnings?.length ?? 0) + (alerts?.length ?? 0) > 0 ? (
        <div role="alert" aria-label={t('events.previewCheck')} data-testid="event-preview-notes">
          {warnings?.map((w, i) => (
            <Alert key={`w-${w.code}-${i}`} type="warning" showIcon title={engineText(w)} style={{ marginBottom: 8 }} />
          ))}
          {alerts?.map((a, i) => (
            <Alert
              key={`a-${a.code}-${i}`}
              type="warning"
              showIcon
              title={engineText(a)}
              description={t('certificates.alertPossible', {
                state: stateLabel(a.possibleState),
                from: a.possibleFrom,
              })}
              style={{ marginBottom: 8 }}
            />
          ))}
        </div>
      ) : null}
      {resolved?.map((a, i) => (
        <Alert
          key={`r-${a.code}-${i}`}
          type="success"
          showIcon
          title={t('events.previewResolves', { alert: engineText(a) })}
          style={{ marginBottom: 8 }}
        />
      ))}
      {items && items.length === 0 ? (
        <Typography.Text type="secondary">{t('events.previewNone')}</Typography.Text>
      ) : (
        <List<PreviewObligation>
          size="small"
          bordered
          dataSource={items ?? []}
          renderItem={(o) => (
            <List.Item key={o.key}>
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{obligationTitle(o)}</Typography.Text>
                  <ProvisionalTag obligation={o} />
                  <Typography.Text type="secondary">
                    {t('obligations.source')} {obligationSource(o)}
                  </Typography.Text>
                </Space>
                <Typography.Text>
                  {t('events.previewDue', {
                    due: o.dueAt ? formatInstant(o.dueAt) : o.dueDate,
                    basis: obligationBasis(o),
                  })}
                </Typography.Text>
                {o.satisfiedOn ? (
                  <Typography.Text type="success">
                    {t('events.previewSatisfied', { date: o.satisfiedOn })}
                  </Typography.Text>
                ) : null}
                {o.cancelReason ? (
                  <Typography.Text type="secondary">
                    {t('events.previewCancelled', { reason: cancelReason(o) })}
                  </Typography.Text>
                ) : null}
                {o.windowStart && !o.satisfiedOn && !o.cancelReason ? (
                  <Typography.Text type="secondary">
                    {t('events.previewWindow', { date: o.windowStart })}
                  </Typography.Text>
                ) : null}
              </Space>
            </List.Item>
          )}
        />
      )}
    </section>
  );
}
