import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Level } from '@zizhi/core';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Divider,
  Flex,
  Form,
  InputNumber,
  Modal,
  Radio,
  Space,
  Spin,
  Typography,
  type FormInstance,
} from 'antd';
import type { Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useHistoryPreview, useRecordHistory } from '../../api/certificates';
import { describeError } from '../../api/errors';
import { useOrgObligations } from '../../api/obligations';
import type { CertificateDetail, HistoryResult } from '../../api/types';
import { chinaToday, engineText, fromDay, ruleTitle, stateLabel, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { useDebounced } from '../../components/use-debounced';
import {
  hasSupervisions,
  initialHistoryValues,
  toHistoryBody,
  type HistoryFormValues,
  type SelfCheckRow,
  type SupervisionRow,
} from './history-step';

/**
 * The history step: what a certificate went through before it was entered (supervisions or annual
 * self-checks, routine duties kept). What saving would do is shown first (a dry run), so the user
 * sees how many duties close and what stays overdue before committing. `afterCreate`: opened right
 * after the certificate was added, where leaving it is "skip".
 */
export function HistoryModal({
  cert,
  afterCreate = false,
  onClose,
}: {
  cert: CertificateDetail;
  afterCreate?: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const obligations = useOrgObligations(cert.orgId, { certificateId: cert.id });
  return (
    <Modal open width={720} title={t('historyStep.title', { number: cert.number })} onCancel={onClose} footer={null}>
      <Typography.Paragraph type="secondary">
        {t('historyStep.intro', { issuedOn: cert.issuedOn })}
      </Typography.Paragraph>
      {obligations.isError ? (
        <Alert type="error" showIcon title={describeError(obligations.error)} />
      ) : obligations.isPending ? (
        <Flex gap={8} align="center" style={{ padding: '24px 0' }}>
          <Spin size="small" />
          <Typography.Text type="secondary">{t('historyStep.loading')}</Typography.Text>
        </Flex>
      ) : (
        <HistoryForm
          cert={cert}
          afterCreate={afterCreate}
          initialValues={initialHistoryValues(cert.level, obligations.data, chinaToday())}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function HistoryForm({
  cert,
  afterCreate,
  initialValues,
  onClose,
}: {
  cert: CertificateDetail;
  afterCreate: boolean;
  initialValues: HistoryFormValues;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const today = chinaToday();
  const { form, error, handleError, clearError } = useApiForm<HistoryFormValues>([]);
  const values = Form.useWatch((v: HistoryFormValues) => v, { form, preserve: true });
  const current = toHistoryBody(values ?? initialValues, cert.level);
  const debounced = useDebounced(current, 400);
  const preview = useHistoryPreview(cert.orgId, cert.id, debounced.kind === 'ready' ? debounced.input : null);
  const record = useRecordHistory(cert.orgId, cert.id);
  // Saving is offered once the result shown is the result of exactly what the form says.
  const previewCurrent =
    current.kind === 'ready' &&
    JSON.stringify(debounced) === JSON.stringify(current) &&
    !preview.isFetching &&
    !preview.isError &&
    preview.data !== undefined;

  const save = async () => {
    if (current.kind !== 'ready') return;
    clearError();
    try {
      const result = await record.mutateAsync(current.input);
      void message.success(t('historyStep.saved', { events: result.events, closed: result.closed }));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  // A day before the issue date is not this certificate's; a day after today has not happened.
  const outside = (d: Dayjs) => toDay(d) > today || toDay(d) < cert.issuedOn;

  return (
    <>
      <Form<HistoryFormValues>
        form={form}
        name="history"
        layout="vertical"
        initialValues={{ ...initialValues, periodicDoneBefore: fromDay(today) }}
        disabled={record.isPending}
        onFinish={() => void save()}
      >
        {hasSupervisions(cert.level) ? (
          <HistoryListSection
            form={form}
            outside={outside}
            name="supervisions"
            texts={{
              title: t('historyStep.supervisions'),
              help: t('historyStep.supervisionsHelp'),
              none: t('historyStep.supervisionsNone'),
              add: t('historyStep.addSupervision'),
            }}
            newRow={{ done: true } satisfies SupervisionRow}
            Item={SupervisionItem}
          />
        ) : (
          <HistoryListSection
            form={form}
            outside={outside}
            name="selfChecks"
            texts={{
              title: t('historyStep.selfChecks'),
              help: t('historyStep.selfChecksHelp'),
              none: t('historyStep.selfChecksNone'),
              add: t('historyStep.addSelfCheck'),
            }}
            newRow={{ done: true, result: 'normal' } satisfies SelfCheckRow}
            Item={SelfCheckItem}
          />
        )}
        <Divider style={{ margin: '12px 0' }} />
        <PeriodicSection form={form} today={today} outside={outside} />
      </Form>
      <HistoryPreview
        level={cert.level}
        state={current.kind}
        loading={preview.isFetching}
        error={preview.error}
        result={current.kind === 'ready' ? preview.data : undefined}
      />
      <FormError message={error} />
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary">{afterCreate ? t('historyStep.skipHelp') : null}</Typography.Text>
        <Space>
          <Button onClick={onClose} disabled={record.isPending}>
            {afterCreate ? t('historyStep.skip') : t('common.cancel')}
          </Button>
          <Button type="primary" loading={record.isPending} disabled={!previewCurrent} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      </Flex>
    </>
  );
}

interface ItemProps {
  form: FormInstance<HistoryFormValues>;
  index: number;
  outside: (d: Dayjs) => boolean;
  onRemove: () => void;
}

/** One list of the history step (supervisions, or self-checks): its rows, and a button to add one. */
function HistoryListSection({
  form,
  outside,
  name,
  texts,
  newRow,
  Item,
}: {
  form: FormInstance<HistoryFormValues>;
  outside: (d: Dayjs) => boolean;
  name: 'supervisions' | 'selfChecks';
  texts: { title: string; help: string; none: string; add: string };
  newRow: SupervisionRow | SelfCheckRow;
  Item: (props: ItemProps) => React.JSX.Element;
}) {
  return (
    <section aria-label={texts.title}>
      <Typography.Title level={5}>{texts.title}</Typography.Title>
      <Typography.Paragraph type="secondary">{texts.help}</Typography.Paragraph>
      <Form.List name={name}>
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.length === 0 ? <Typography.Text type="secondary">{texts.none}</Typography.Text> : null}
            {fields.map((field) => (
              <Item
                key={field.key}
                form={form}
                index={field.name}
                outside={outside}
                onRemove={() => remove(field.name)}
              />
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add(newRow)}
              style={{ alignSelf: 'flex-start' }}
            >
              {texts.add}
            </Button>
          </Flex>
        )}
      </Form.List>
    </section>
  );
}

function SupervisionItem({ form, index, outside, onRemove }: ItemProps) {
  const { t } = useTranslation();
  const row = Form.useWatch(['supervisions', index], { form, preserve: true }) as SupervisionRow | undefined;
  const title = row?.rule ? ruleTitle(row.rule) : t('historyStep.supervisionOther');
  const required = { required: true, message: t('validation.required', { field: title }) };
  return (
    <div style={{ border: '1px solid rgba(5,5,5,0.06)', borderRadius: 8, padding: '8px 12px' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Form.Item name={[index, 'done']} valuePropName="checked" noStyle>
            <Checkbox>{t('historyStep.supervisionDone', { title })}</Checkbox>
          </Form.Item>
          {row?.windowStart && row.dueDate ? (
            <Typography.Text type="secondary">
              {t('historyStep.supervisionWindow', { from: row.windowStart, to: row.dueDate })}
            </Typography.Text>
          ) : null}
        </Space>
        {row?.rule ? null : (
          <Button
            type="text"
            size="small"
            icon={<DeleteOutlined />}
            onClick={onRemove}
            aria-label={t('historyStep.remove')}
          />
        )}
      </Flex>
      {row?.done ? (
        <Space size={16} wrap align="start" style={{ marginTop: 8 }}>
          <Form.Item name={[index, 'date']} rules={[required]} style={{ marginBottom: 0 }}>
            <DatePicker format="YYYY-MM-DD" aria-label={t('historyStep.dateOf', { title })} disabledDate={outside} />
          </Form.Item>
          <Form.Item name={[index, 'passed']} rules={[required]} style={{ marginBottom: 0 }}>
            <Radio.Group
              aria-label={t('historyStep.resultOf', { title })}
              options={[
                { value: true, label: t('events.passedYes') },
                { value: false, label: t('events.passedNo') },
              ]}
            />
          </Form.Item>
        </Space>
      ) : null}
    </div>
  );
}

function SelfCheckItem({ form, index, outside, onRemove }: ItemProps) {
  const { t } = useTranslation();
  const row = Form.useWatch(['selfChecks', index], { form, preserve: true }) as SelfCheckRow | undefined;
  // A row offered for a year due keeps its year; a row the user added asks for it.
  const offered = Boolean(row?.dueDate);
  const title =
    offered && row?.year ? t('historyStep.selfCheckTitle', { year: row.year }) : t('historyStep.selfCheckOther');
  const required = { required: true, message: t('validation.required', { field: title }) };
  return (
    <div style={{ border: '1px solid rgba(5,5,5,0.06)', borderRadius: 8, padding: '8px 12px' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Form.Item name={[index, 'done']} valuePropName="checked" noStyle>
            <Checkbox>{t('historyStep.selfCheckDone', { title })}</Checkbox>
          </Form.Item>
          {row?.dueDate ? (
            <Typography.Text type="secondary">{t('historyStep.selfCheckDue', { date: row.dueDate })}</Typography.Text>
          ) : null}
        </Space>
        {offered ? null : (
          <Button
            type="text"
            size="small"
            icon={<DeleteOutlined />}
            onClick={onRemove}
            aria-label={t('historyStep.remove')}
          />
        )}
      </Flex>
      {row?.done ? (
        <Space size={16} wrap align="start" style={{ marginTop: 8 }}>
          {offered ? null : (
            <Form.Item name={[index, 'year']} rules={[required]} style={{ marginBottom: 0 }}>
              <InputNumber
                min={2000}
                max={2199}
                precision={0}
                placeholder={t('events.selfCheckYear')}
                aria-label={t('historyStep.yearOf', { title })}
              />
            </Form.Item>
          )}
          <Form.Item name={[index, 'date']} rules={[required]} style={{ marginBottom: 0 }}>
            <DatePicker
              format="YYYY-MM-DD"
              aria-label={t('historyStep.submittedOn', { title })}
              disabledDate={outside}
            />
          </Form.Item>
          <Form.Item name={[index, 'result']} rules={[required]} style={{ marginBottom: 0 }}>
            <Radio.Group
              aria-label={t('historyStep.resultOf', { title })}
              options={[
                { value: 'normal', label: t('events.resultNormal') },
                { value: 'abnormal', label: t('events.resultAbnormal') },
              ]}
            />
          </Form.Item>
        </Space>
      ) : null}
    </div>
  );
}

function PeriodicSection({
  form,
  today,
  outside,
}: {
  form: FormInstance<HistoryFormValues>;
  today: string;
  outside: (d: Dayjs) => boolean;
}) {
  const { t } = useTranslation();
  const periodic = Form.useWatch('periodic', form);
  const completion = Form.useWatch('completion', form);
  return (
    <section aria-label={t('historyStep.periodic')}>
      <Typography.Title level={5}>{t('historyStep.periodic')}</Typography.Title>
      <Space wrap size={8}>
        <Form.Item name="periodic" valuePropName="checked" noStyle>
          <Checkbox aria-label={t('historyStep.periodicLabel')}>{t('historyStep.periodicLead')}</Checkbox>
        </Form.Item>
        <Form.Item name="periodicDoneBefore" noStyle>
          <DatePicker
            format="YYYY-MM-DD"
            allowClear={false}
            aria-label={t('historyStep.periodicBefore')}
            disabledDate={(d) => toDay(d) > today}
          />
        </Form.Item>
        <Typography.Text>{t('historyStep.periodicTail')}</Typography.Text>
      </Space>
      {periodic ? (
        <Form.Item name="completion" label={t('historyStep.completion')} style={{ marginTop: 12, marginBottom: 0 }}>
          <Radio.Group>
            <Space orientation="vertical">
              <Radio value="due">{t('historyStep.completionDue')}</Radio>
              <Space>
                <Radio value="date">{t('historyStep.completionDate')}</Radio>
                <Form.Item
                  name="periodicCompletedOn"
                  noStyle
                  rules={[
                    {
                      required: completion === 'date',
                      message: t('validation.required', { field: t('historyStep.completionDateLabel') }),
                    },
                  ]}
                >
                  <DatePicker
                    format="YYYY-MM-DD"
                    aria-label={t('historyStep.completionDateLabel')}
                    disabled={completion !== 'date'}
                    disabledDate={outside}
                  />
                </Form.Item>
              </Space>
            </Space>
          </Radio.Group>
        </Form.Item>
      ) : null}
    </section>
  );
}

/** What saving would do, from the dry run: records, duties closed, what stays overdue, and notes. */
function HistoryPreview({
  level,
  state,
  loading,
  error,
  result,
}: {
  level: Level;
  state: 'empty' | 'incomplete' | 'ready';
  loading: boolean;
  error: unknown;
  result: HistoryResult | undefined;
}) {
  const { t } = useTranslation();
  let body: ReactNode;
  if (state === 'empty') body = <Typography.Text type="secondary">{t('historyStep.previewHint')}</Typography.Text>;
  else if (state === 'incomplete')
    body = <Typography.Text type="secondary">{t('historyStep.previewIncomplete')}</Typography.Text>;
  else if (error) body = <Alert type="error" showIcon title={describeError(error)} />;
  else if (!result) body = <Spin size="small" />;
  else
    body = (
      <Flex vertical gap={8}>
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {result.events > 0 ? (
            <li>
              {hasSupervisions(level)
                ? t('historyStep.previewSupervisions', { count: result.events })
                : t('historyStep.previewSelfChecks', { count: result.events })}
            </li>
          ) : null}
          {result.closed > 0 ? <li>{t('historyStep.previewClosed', { count: result.closed })}</li> : null}
          <li>
            {result.overdue > 0 ? (
              <Typography.Text type="danger">
                {t('historyStep.previewOverdue', { count: result.overdue })}
              </Typography.Text>
            ) : (
              <Typography.Text type="success">{t('historyStep.previewNoOverdue')}</Typography.Text>
            )}
          </li>
        </ul>
        {result.warnings.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            title={t('historyStep.previewWarnings')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {result.warnings.map((w, i) => (
                  <li key={`${w.code}-${i}`}>{engineText(w)}</li>
                ))}
              </ul>
            }
          />
        ) : null}
        {result.alerts.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            title={t('historyStep.previewAlerts')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {result.alerts.map((a, i) => (
                  <li key={`${a.code}-${i}`}>
                    {engineText(a)}
                    <Typography.Text type="secondary">
                      {' '}
                      {t('certificates.alertPossible', { state: stateLabel(a.possibleState), from: a.possibleFrom })}
                    </Typography.Text>
                  </li>
                ))}
              </ul>
            }
          />
        ) : null}
      </Flex>
    );
  return (
    <section
      aria-label={t('historyStep.preview')}
      data-testid="history-preview"
      aria-busy={loading}
      style={{ background: 'rgba(0,0,0,0.02)', borderRadius: 8, padding: 12, margin: '16px 0' }}
    >
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('historyStep.preview')} {loading ? <Spin size="small" /> : null}
      </Typography.Title>
      {body}
    </section>
  );
}
