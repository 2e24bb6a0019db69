import {
  CheckOutlined,
  PaperClipOutlined,
  PlayCircleOutlined,
  RollbackOutlined,
  StopOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { addCalendarDays } from '@zizhi/core';
import { App, Button, DatePicker, Form, Input, Modal, Radio, Select, Space, Tooltip, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadOrgFile } from '../../api/certificates';
import { describeError } from '../../api/errors';
import { useMembers } from '../../api/members';
import { useBulkUpdateObligations, useUpdateObligation } from '../../api/obligations';
import type { Obligation, ObligationBulk, ObligationPatch } from '../../api/types';
import type { Role } from '../../api/types';
import { chinaToday, fromDay, obligationTitle, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { RequiredTextField } from '../../components/required-text';
import { useWorkspace } from '../../state/workspace';

/** Everyone but read-only members works on obligations. */
export function canWorkOnObligations(role: Role | undefined): boolean {
  return role !== undefined && role !== 'viewer';
}

type Mode = 'assign' | 'done' | 'waive';

interface ActionValues {
  assigneeId?: string | null;
  completedOn?: Dayjs;
  note?: string;
  waivedReason?: string;
}

/** Row actions of an obligation: assign, start, mark done (date + note), waive (reason), reopen. */
export function ObligationActions({ obligation }: { obligation: Obligation }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateObligation();
  const [mode, setMode] = useState<Mode | null>(null);
  const title = obligationTitle(obligation);

  const quick = async (patch: ObligationPatch, done: string) => {
    try {
      await update.mutateAsync({ obligation, patch });
      void message.success(done);
    } catch (err) {
      void message.error(describeError(err));
    }
  };
  const closed = obligation.status === 'done' || obligation.status === 'waived';
  // A recorded state ended it: nothing left to do, and the server refuses status changes.
  if (obligation.status === 'cancelled') return null;
  // Done by an event (a supervision recorded as passed …): reopening would not undo the event.
  const reopenable = closed && !(obligation.status === 'done' && obligation.satisfiedOn);

  return (
    <Space size={0} wrap onClick={(e) => e.stopPropagation()}>
      <Tooltip title={t('obligations.assign')}>
        <Button
          type="link"
          size="small"
          icon={<UserSwitchOutlined />}
          aria-label={`${t('obligations.assign')}: ${title}`}
          onClick={() => setMode('assign')}
        />
      </Tooltip>
      {obligation.status === 'open' ? (
        <Button
          type="link"
          size="small"
          icon={<PlayCircleOutlined />}
          aria-label={`${t('obligations.start')}: ${title}`}
          loading={update.isPending}
          onClick={() => void quick({ status: 'in_progress' }, t('obligations.started'))}
        >
          {t('obligations.start')}
        </Button>
      ) : null}
      {!closed ? (
        <>
          <Button
            type="link"
            size="small"
            icon={<CheckOutlined />}
            aria-label={`${t('obligations.markDone')}: ${title}`}
            onClick={() => setMode('done')}
          >
            {t('obligations.markDone')}
          </Button>
          <Button
            type="link"
            size="small"
            icon={<StopOutlined />}
            aria-label={`${t('obligations.waive')}: ${title}`}
            onClick={() => setMode('waive')}
          >
            {t('obligations.waive')}
          </Button>
        </>
      ) : reopenable ? (
        <Button
          type="link"
          size="small"
          icon={<RollbackOutlined />}
          aria-label={`${t('obligations.reopen')}: ${title}`}
          loading={update.isPending}
          onClick={() => void quick({ status: 'open' }, t('obligations.reopened'))}
        >
          {t('obligations.reopen')}
        </Button>
      ) : null}
      {mode ? <ActionModal obligation={obligation} mode={mode} onClose={() => setMode(null)} /> : null}
    </Space>
  );
}

function ActionModal({ obligation, mode, onClose }: { obligation: Obligation; mode: Mode; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace } = useWorkspace();
  const members = useMembers(mode === 'assign' ? workspace?.id : undefined);
  const update = useUpdateObligation();
  const { form, error, handleError, clearError } = useApiForm<ActionValues>([
    'assigneeId',
    'completedOn',
    'note',
    'waivedReason',
    'fileIds',
  ]);
  // Files chosen to attach on completion, uploaded when saving; those already attached are kept.
  const [attach, setAttach] = useState<Array<File & { uid: string }>>([]);
  const [uploading, setUploading] = useState(false);
  const titles: Record<Mode, string> = {
    assign: t('obligations.assignTitle'),
    done: t('obligations.doneTitle'),
    waive: t('obligations.waiveTitle'),
  };

  const onFinish = async (values: ActionValues) => {
    clearError();
    let patch: ObligationPatch;
    if (mode === 'assign') patch = { assigneeId: values.assigneeId ?? null };
    else if (mode === 'done') {
      patch = { status: 'done', completedOn: values.completedOn ? toDay(values.completedOn) : chinaToday() };
      if (values.note?.trim()) patch.note = values.note.trim();
    } else patch = { status: 'waived', waivedReason: (values.waivedReason ?? '').trim() };
    try {
      if (mode === 'done' && attach.length > 0) {
        setUploading(true);
        const uploaded = [];
        for (const file of attach) uploaded.push(await uploadOrgFile(obligation.orgId, file));
        patch.fileIds = [...obligation.files.map((f) => f.id), ...uploaded.map((f) => f.id)];
      }
      await update.mutateAsync({ obligation, patch });
      void message.success(t('common.saved'));
      onClose();
    } catch (err) {
      handleError(err);
    } finally {
      setUploading(false);
    }
  };

  return (
    <Modal
      open
      title={`${titles[mode]}：${obligationTitle(obligation)}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending || uploading}
    >
      <Form<ActionValues>
        form={form}
        name={`obligation-${mode}`}
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        initialValues={{
          assigneeId: obligation.assigneeId,
          completedOn: fromDay(defaultCompletion(obligation)),
          note: obligation.note ?? '',
        }}
      >
        {mode === 'assign' ? (
          <Form.Item name="assigneeId" label={t('obligations.assignee')}>
            <Select
              allowClear
              loading={members.isPending}
              placeholder={t('obligations.unassigned')}
              options={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
            />
          </Form.Item>
        ) : null}
        {mode === 'done' ? (
          <CompletionFields
            dateHelp={defaultCompletion(obligation) !== chinaToday() ? t('obligations.completedOnBackfill') : undefined}
          />
        ) : null}
        {mode === 'done' ? (
          <Form.Item label={t('obligations.attachments')} extra={t('obligations.attachmentsHelp')}>
            <Upload
              multiple
              maxCount={20}
              beforeUpload={(file) => {
                setAttach((list) => [...list, file]);
                return false;
              }}
              onRemove={(file) => setAttach((list) => list.filter((f) => f.uid !== file.uid))}
            >
              <Button icon={<PaperClipOutlined />}>{t('obligations.chooseAttachments')}</Button>
            </Upload>
          </Form.Item>
        ) : null}
        {mode === 'waive' ? <RequiredTextField name="waivedReason" label={t('obligations.waivedReason')} /> : null}
      </Form>
      <FormError message={error} />
    </Modal>
  );
}

interface BulkValues {
  dateMode?: 'each' | 'same';
  completedOn?: Dayjs;
  note?: string;
  waivedReason?: string;
}

/**
 * Marks the selected obligations done on a date, or waives them with one reason: what a
 * manager needs after entering a certificate that has run for years.
 */
export function BulkObligationActions({ selected, onDone }: { selected: Obligation[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const bulk = useBulkUpdateObligations();
  const [mode, setMode] = useState<'done' | 'waive' | null>(null);
  const { form, error, handleError, clearError } = useApiForm<BulkValues>(['completedOn', 'note', 'waivedReason']);

  // History being back-filled: each obligation done on its own due date is the usual truth.
  const allHistory = selected.every((o) => defaultCompletion(o) !== chinaToday());
  const dateMode = Form.useWatch('dateMode', form) ?? (allHistory ? 'each' : 'same');

  const onFinish = async (values: BulkValues) => {
    clearError();
    const note = values.note?.trim() ? { note: values.note.trim() } : {};
    // One request per due date when each keeps its own (the server takes one date per request).
    const batches: Array<{ obligations: Obligation[]; update: Omit<ObligationBulk, 'ids'> }> = [];
    if (mode === 'done' && values.dateMode === 'each') {
      const byDate = new Map<string, Obligation[]>();
      for (const o of selected) byDate.set(o.dueDate, [...(byDate.get(o.dueDate) ?? []), o]);
      for (const [date, list] of byDate) {
        batches.push({
          obligations: list,
          update: { status: 'done', completedOn: date < chinaToday() ? date : chinaToday(), ...note },
        });
      }
    } else if (mode === 'done') {
      const completedOn = values.completedOn ? toDay(values.completedOn) : chinaToday();
      batches.push({ obligations: selected, update: { status: 'done', completedOn, ...note } });
    } else {
      batches.push({
        obligations: selected,
        update: { status: 'waived', waivedReason: (values.waivedReason ?? '').trim() },
      });
    }
    try {
      let count = 0;
      for (const batch of batches) count += await bulk.mutateAsync(batch);
      void message.success(t('obligations.bulkSaved', { count }));
      setMode(null);
      onDone();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Space wrap>
      <span>{t('obligations.bulkSelected', { count: selected.length })}</span>
      <Button icon={<CheckOutlined />} onClick={() => setMode('done')}>
        {t('obligations.bulkDone')}
      </Button>
      <Button icon={<StopOutlined />} onClick={() => setMode('waive')}>
        {t('obligations.bulkWaive')}
      </Button>
      <Button type="link" onClick={onDone}>
        {t('obligations.bulkClear')}
      </Button>
      {mode ? (
        <Modal
          open
          title={t(mode === 'done' ? 'obligations.bulkDoneTitle' : 'obligations.bulkWaiveTitle', {
            count: selected.length,
          })}
          onCancel={() => setMode(null)}
          onOk={() => form.submit()}
          okText={t('common.save')}
          cancelText={t('common.cancel')}
          confirmLoading={bulk.isPending}
        >
          <Form<BulkValues>
            form={form}
            name={`obligations-bulk-${mode}`}
            layout="vertical"
            onFinish={(v) => void onFinish(v)}
            initialValues={{ completedOn: fromDay(chinaToday()), dateMode: allHistory ? 'each' : 'same' }}
          >
            {mode === 'done' ? (
              <Form.Item name="dateMode" label={t('obligations.bulkDateMode')}>
                <Radio.Group
                  options={[
                    { value: 'each', label: t('obligations.bulkDateEach') },
                    { value: 'same', label: t('obligations.bulkDateSame') },
                  ]}
                />
              </Form.Item>
            ) : null}
            {mode === 'done' ? (
              <CompletionFields noteHelp={t('obligations.bulkNoteHelp')} hideDate={dateMode === 'each'} />
            ) : (
              <RequiredTextField name="waivedReason" label={t('obligations.waivedReason')} />
            )}
          </Form>
          <FormError message={error} />
        </Modal>
      ) : null}
    </Space>
  );
}

/** Days after its due date from which an obligation marked done is taken for history being back-filled. */
const BACKFILL_AFTER_DAYS = 30;

/**
 * The completion date a form starts with: today, or the due date when that passed more than
 * BACKFILL_AFTER_DAYS ago (history entered after the fact was, as a rule, done on time).
 */
export function defaultCompletion(o: Pick<Obligation, 'dueDate'>): string {
  const today = chinaToday();
  return addCalendarDays(o.dueDate, BACKFILL_AFTER_DAYS) < today ? o.dueDate : today;
}

/** Completion date (required) and an optional note: marking done, alone or in bulk. */
function CompletionFields({
  noteHelp,
  dateHelp,
  hideDate = false,
}: {
  noteHelp?: string;
  dateHelp?: string | undefined;
  hideDate?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        hidden={hideDate}
        name="completedOn"
        extra={dateHelp}
        label={t('obligations.completedOn')}
        rules={[{ required: !hideDate, message: t('validation.required', { field: t('obligations.completedOn') }) }]}
      >
        <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="note" label={t('obligations.note')} extra={noteHelp}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </>
  );
}
