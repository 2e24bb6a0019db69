import { FileWordOutlined, UploadOutlined } from '@ant-design/icons';
import { CASE_OUTCOMES, CASE_TEMPLATES, type CaseKind } from '@zizhi/core';
import {
  Alert,
  App,
  Button,
  Card,
  Collapse,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  caseDocumentUrl,
  useAddCaseAction,
  useCaseMaterial,
  useCaseOwner,
  useCases,
  useCaseStep,
  useCloseCase,
  type Case,
  type CaseMaterial,
  type CaseStep,
} from '../../api/cases';
import { fileUrl, uploadOrgFile, useTransition } from '../../api/certificates';
import { downloadFile } from '../../api/download';
import { describeError } from '../../api/errors';
import { useMembers } from '../../api/members';
import type { CertificateDetail } from '../../api/types';
import { chinaToday, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { ReasonModal } from '../../components/reason-modal';
import { currentLanguage } from '../../i18n';
import { useWorkspace } from '../../state/workspace';

const STEP_COLORS: Record<CaseStep['status'], string> = {
  done: 'green',
  open: 'blue',
  waiting: 'default',
  cancelled: 'default',
};
const MATERIAL_COLORS: Record<CaseMaterial['status'], string> = {
  missing: 'orange',
  provided: 'green',
  'not-applicable': 'default',
};

const kindName = (kind: CaseKind, english: boolean) => CASE_TEMPLATES[kind][english ? 'en' : 'zh'];

/**
 * 办理事项 on the certificate page: the procedure each change, loss, failed supervision or policy
 * update started, with its steps and deadlines, its material checklist, its documents and its closing.
 */
export function CasesCard({ cert, canEdit }: { cert: CertificateDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const cases = useCases(cert.orgId, { certificateId: cert.id, limit: 50 });
  const english = currentLanguage() === 'en';
  const items = cases.data?.items ?? [];
  return (
    <Card title={t('cases.title')} style={{ marginTop: 16 }} data-testid="cases-card">
      {cases.isError ? (
        <Typography.Text type="danger" role="alert">
          {describeError(cases.error)}
        </Typography.Text>
      ) : items.length === 0 ? (
        <Typography.Text type="secondary">{cases.isPending ? null : t('cases.empty')}</Typography.Text>
      ) : (
        <Collapse
          defaultActiveKey={items.filter((c) => c.state === 'open').map((c) => c.id)}
          items={items.map((c) => ({
            key: c.id,
            label: (
              <Space wrap>
                <Typography.Text strong>{kindName(c.kind, english)}</Typography.Text>
                <Typography.Text type="secondary">{t('cases.openedOn', { date: c.openedOn })}</Typography.Text>
                <Tag color={c.state === 'open' ? 'blue' : 'green'}>{t(`cases.states.${c.state}`)}</Tag>
                <Typography.Text type="secondary">
                  {t('cases.progress', {
                    steps: c.progress.stepsDone,
                    stepsTotal: c.progress.steps,
                    materials: c.progress.materialsDone,
                    materialsTotal: c.progress.materials,
                  })}
                </Typography.Text>
                {c.overdue ? <Tag color="red">{t('cases.overdue')}</Tag> : null}
              </Space>
            ),
            children: <CaseBody c={c} cert={cert} canEdit={canEdit && c.state === 'open'} />,
          }))}
        />
      )}
    </Card>
  );
}

function CaseBody({ c, cert, canEdit }: { c: Case; cert: CertificateDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const english = currentLanguage() === 'en';
  const { workspace } = useWorkspace();
  const members = useMembers(canEdit ? workspace?.id : undefined);
  const owner = useCaseOwner(cert.orgId, cert.id);
  const material = useCaseMaterial(cert.orgId, cert.id);
  const [stepDialog, setStepDialog] = useState<CaseStep | null>(null);
  const [notApplicable, setNotApplicable] = useState<CaseMaterial | null>(null);
  const [closing, setClosing] = useState(false);
  const [addingAction, setAddingAction] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (key: string, fn: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await fn();
      void message.success(t('common.saved'));
    } catch (err) {
      void message.error(describeError(err), 8);
    } finally {
      setBusy(null);
    }
  };
  const upload = (m: CaseMaterial, file: File) =>
    run(`upload:${m.id}`, async () => {
      const stored = await uploadOrgFile(cert.orgId, file);
      await material.mutateAsync({
        caseId: c.id,
        materialId: m.id,
        input: { status: 'provided', fileId: stored.id },
      });
    });

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('cases.openedBy')}>
          {t(`events.types.${c.openedBy}`)}
          {c.note ? `（${c.note}）` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('cases.owner')}>
          {canEdit ? (
            <Select
              aria-label={t('cases.owner')}
              size="small"
              style={{ minWidth: 160 }}
              allowClear
              placeholder={t('cases.noOwner')}
              value={c.owner?.id}
              loading={owner.isPending}
              options={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
              onChange={(ownerId?: string) =>
                void run('owner', () => owner.mutateAsync({ caseId: c.id, ownerId: ownerId ?? null }))
              }
            />
          ) : (
            (c.owner?.name ?? t('cases.noOwner'))
          )}
        </Descriptions.Item>
        {c.state === 'closed' ? (
          <Descriptions.Item label={t('cases.closedOn')}>
            {c.closedOn}
            {c.outcome?.certificateNo ? ` · ${t('cases.newNumber', { number: c.outcome.certificateNo })}` : ''}
          </Descriptions.Item>
        ) : null}
      </Descriptions>

      <Table<CaseStep>
        aria-label={t('cases.steps')}
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={c.steps}
        columns={[
          {
            title: t('cases.step'),
            key: 'name',
            render: (_: unknown, s) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text>{english ? s.nameEn : s.name}</Typography.Text>
                {s.basis ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {english ? s.basisEn : s.basis}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('cases.due'),
            key: 'due',
            width: 130,
            render: (_: unknown, s) =>
              s.dueDate ? (
                <Space size={4}>
                  {s.dueDate}
                  {s.overdue ? <Tag color="red">{t('cases.overdue')}</Tag> : null}
                </Space>
              ) : (
                t('common.none')
              ),
          },
          {
            title: t('cases.status'),
            key: 'status',
            width: 150,
            render: (_: unknown, s) => (
              <Tag color={STEP_COLORS[s.status]}>
                {t(`cases.stepStatuses.${s.status}`)}
                {s.doneOn ? ` ${s.doneOn}` : ''}
              </Tag>
            ),
          },
          {
            title: t('cases.assignee'),
            key: 'assignee',
            width: 110,
            render: (_: unknown, s) => s.assignee?.name ?? t('common.none'),
          },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 150,
                  render: (_: unknown, s: CaseStep) =>
                    s.status === 'open' && s.action !== 'close' ? (
                      <Button size="small" onClick={() => setStepDialog(s)}>
                        {t(`cases.stepActions.${s.action}`)}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />

      {c.actions.length > 0 || (c.kind === 'policy' && canEdit) ? (
        <div>
          <Space>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t(c.kind === 'policy' ? 'cases.policyActions' : 'cases.findings')}
            </Typography.Title>
            {c.kind === 'policy' && canEdit ? (
              <Button size="small" onClick={() => setAddingAction(true)}>
                {t('cases.addAction')}
              </Button>
            ) : null}
          </Space>
          <ul style={{ margin: 0 }}>
            {c.actions.map((a) => (
              <li key={a.obligationId}>
                <Space wrap>
                  <Typography.Text>{a.text}</Typography.Text>
                  <Typography.Text type="secondary">
                    {t('cases.findingDue', { date: a.dueDate, owner: a.assignee?.name ?? t('common.none') })}
                  </Typography.Text>
                  <Tag color={a.status === 'open' ? (a.overdue ? 'red' : 'blue') : 'green'}>
                    {t(`cases.findingStatuses.${a.status}`)}
                  </Tag>
                  {a.afterPeriod ? <Tag color="orange">{t('cases.afterPeriod')}</Tag> : null}
                </Space>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <Table<CaseMaterial>
        aria-label={t('cases.checklist')}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={c.checklist}
        columns={[
          {
            title: t('cases.material'),
            key: 'name',
            render: (_: unknown, m) => (
              <Space orientation="vertical" size={0}>
                <Space size={4}>
                  <Typography.Text>{english ? m.nameEn : m.name}</Typography.Text>
                  {m.assumed ? <Tag>{t('cases.assumed')}</Tag> : null}
                </Space>
                {m.when ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {english ? m.whenEn : m.when}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('cases.status'),
            key: 'status',
            width: 260,
            render: (_: unknown, m) => (
              <Space wrap size={4}>
                <Tag color={MATERIAL_COLORS[m.status]}>{t(`cases.materialStatuses.${m.status}`)}</Tag>
                {m.file ? <a href={fileUrl(cert.orgId, m.file.id)}>{m.file.name}</a> : null}
                {m.reason ? <Typography.Text type="secondary">{m.reason}</Typography.Text> : null}
              </Space>
            ),
          },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 230,
                  render: (_: unknown, m: CaseMaterial) => (
                    <Space size={0} wrap>
                      <Upload
                        showUploadList={false}
                        beforeUpload={(file) => {
                          void upload(m, file);
                          return false;
                        }}
                      >
                        <Button
                          type="link"
                          size="small"
                          icon={<UploadOutlined />}
                          loading={busy === `upload:${m.id}`}
                          aria-label={t('cases.uploadFor', { name: m.name })}
                        >
                          {t('cases.upload')}
                        </Button>
                      </Upload>
                      <Button type="link" size="small" onClick={() => setNotApplicable(m)}>
                        {t('cases.notApplicable')}
                      </Button>
                      {m.status !== 'missing' ? (
                        <Button
                          type="link"
                          size="small"
                          onClick={() =>
                            void run(`clear:${m.id}`, () =>
                              material.mutateAsync({ caseId: c.id, materialId: m.id, input: null }),
                            )
                          }
                        >
                          {t('cases.clear')}
                        </Button>
                      ) : null}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />

      <Space wrap>
        {c.documents.map((d) => (
          <Button
            key={d}
            icon={<FileWordOutlined />}
            loading={busy === `doc:${d}`}
            onClick={() =>
              void (async () => {
                setBusy(`doc:${d}`);
                try {
                  await downloadFile(caseDocumentUrl(cert.orgId, c.id, d), {}, `${d}.docx`);
                } catch (err) {
                  void message.error(describeError(err), 8);
                } finally {
                  setBusy(null);
                }
              })()
            }
          >
            {t(`cases.documents.${d}`)}
          </Button>
        ))}
        {canEdit ? (
          <Button type="primary" onClick={() => setClosing(true)}>
            {t('cases.close')}
          </Button>
        ) : null}
      </Space>

      {stepDialog ? <StepModal c={c} cert={cert} step={stepDialog} onClose={() => setStepDialog(null)} /> : null}
      {notApplicable ? (
        <ReasonModal
          name="case-not-applicable"
          title={t('cases.notApplicableTitle', { name: english ? notApplicable.nameEn : notApplicable.name })}
          help={t('cases.notApplicableHelp')}
          okText={t('common.save')}
          reasonLabel={t('cases.reason')}
          pending={material.isPending}
          onSubmit={async (reason) => {
            await material.mutateAsync({
              caseId: c.id,
              materialId: notApplicable.id,
              input: { status: 'not-applicable', reason },
            });
          }}
          onClose={() => setNotApplicable(null)}
        />
      ) : null}
      {closing ? <CloseModal c={c} cert={cert} onClose={() => setClosing(false)} /> : null}
      {addingAction ? (
        <ActionModal
          c={c}
          cert={cert}
          members={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
          onClose={() => setAddingAction(false)}
        />
      ) : null}
    </Space>
  );
}

/** A step done on a day: its event recorded, its duty completed, the suspension recorded, or noted. */
function StepModal({
  c,
  cert,
  step,
  onClose,
}: {
  c: Case;
  cert: CertificateDetail;
  step: CaseStep;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const english = currentLanguage() === 'en';
  const done = useCaseStep(cert.orgId, cert.id);
  const transition = useTransition(cert.orgId, cert.id);
  const { form, error, handleError, clearError } = useApiForm<{ date: Dayjs }>(['date', 'on']);
  const onFinish = async ({ date }: { date: Dayjs }) => {
    clearError();
    try {
      if (step.action === 'state') {
        await transition.mutateAsync({ to: 'suspended', on: toDay(date), reason: t('cases.suspensionReason') });
      } else {
        await done.mutateAsync({ caseId: c.id, stepKey: step.key, date: toDay(date) });
      }
      void message.success(t('common.saved'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={`${t(`cases.stepActions.${step.action}`)}：${english ? step.nameEn : step.name}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={done.isPending || transition.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t(`cases.stepHelp.${step.action}`)}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        name="case-step"
        onFinish={onFinish}
        initialValues={{ date: dayjs(chinaToday()) }}
      >
        <FormError message={error} />
        <Form.Item name="date" label={t('cases.doneOn')} rules={[{ required: true, message: t('cases.dateRequired') }]}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => toDay(d) > chinaToday() || toDay(d) < c.openedOn}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CloseModal({ c, cert, onClose }: { c: Case; cert: CertificateDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const close = useCloseCase(cert.orgId, cert.id);
  const reissued = CASE_OUTCOMES[c.kind] === 'reissued';
  const { form, error, handleError, clearError } = useApiForm<{ date: Dayjs; certificateNo?: string; note?: string }>([
    'date',
    'certificateNo',
    'note',
  ]);
  const onFinish = async (v: { date: Dayjs; certificateNo?: string; note?: string }) => {
    clearError();
    try {
      await close.mutateAsync({
        caseId: c.id,
        input: {
          date: toDay(v.date),
          ...(v.certificateNo?.trim() ? { certificateNo: v.certificateNo.trim() } : {}),
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        },
      });
      void message.success(t('cases.closed'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={t('cases.closeTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('cases.close')}
      cancelText={t('common.cancel')}
      confirmLoading={close.isPending}
      destroyOnHidden
    >
      <Alert
        type="info"
        showIcon
        message={t(`cases.outcomes.${CASE_OUTCOMES[c.kind] ?? 'none'}`)}
        style={{ marginBottom: 16 }}
      />
      <Form
        form={form}
        layout="vertical"
        name="case-close"
        onFinish={onFinish}
        initialValues={{ date: dayjs(chinaToday()) }}
      >
        <FormError message={error} />
        <Form.Item
          name="date"
          label={t(reissued ? 'cases.reissuedOn' : 'cases.closedOn')}
          rules={[{ required: true, message: t('cases.dateRequired') }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => toDay(d) > chinaToday() || toDay(d) < c.openedOn}
          />
        </Form.Item>
        {reissued ? (
          <Form.Item
            name="certificateNo"
            label={t('cases.certificateNo')}
            extra={t('cases.certificateNoHelp', { number: cert.number })}
          >
            <Input maxLength={64} />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label={t('cases.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A policy case's action: a duty with an owner and a due date. */
function ActionModal({
  c,
  cert,
  members,
  onClose,
}: {
  c: Case;
  cert: CertificateDetail;
  members: Array<{ value: string; label: string }>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const add = useAddCaseAction(cert.orgId, cert.id);
  const { form, error, handleError, clearError } = useApiForm<{ title: string; dueDate: Dayjs; assigneeId?: string }>([
    'title',
    'dueDate',
    'assigneeId',
  ]);
  const onFinish = async (v: { title: string; dueDate: Dayjs; assigneeId?: string }) => {
    clearError();
    try {
      await add.mutateAsync({
        caseId: c.id,
        input: {
          title: v.title.trim(),
          dueDate: toDay(v.dueDate),
          ...(v.assigneeId ? { assigneeId: v.assigneeId } : {}),
        },
      });
      void message.success(t('common.saved'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  return (
    <Modal
      open
      title={t('cases.addAction')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="case-action" onFinish={onFinish}>
        <FormError message={error} />
        <Form.Item
          name="title"
          label={t('cases.actionTitle')}
          rules={[{ required: true, whitespace: true, message: t('cases.actionRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="dueDate" label={t('cases.due')} rules={[{ required: true, message: t('cases.dateRequired') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => toDay(d) < c.openedOn} />
        </Form.Item>
        <Form.Item name="assigneeId" label={t('cases.assignee')}>
          <Select allowClear options={members} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
