import { LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { LEVELS, OBLIGATION_RULES } from '@zizhi/core';
import { App, Button, DatePicker, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../../api/errors';
import {
  useAssessImpact,
  useCreatePolicyUpdate,
  usePolicyImpacts,
  usePolicyUpdates,
  type PolicyImpact,
  type PolicyUpdate,
} from '../../api/policy';
import { useCapabilityCatalogue } from '../../api/supervision';
import { canEditOrgs } from '../../api/types';
import { chinaToday, toDay } from '../../components/domain';
import { FormError, useApiForm } from '../../components/form-error';
import { PageHeader } from '../../components/page-header';
import { PageError } from '../../components/page-loading';
import { currentLanguage } from '../../i18n';
import { useWorkspace } from '../../state/workspace';

/**
 * 政策和标准更新: what the assessment body published and what it touches; each company's impact,
 * which when affected opens its review case on the chosen certificate.
 */
export default function PolicyUpdatesPage() {
  const { t } = useTranslation();
  const { workspace, role } = useWorkspace();
  const updates = usePolicyUpdates(workspace?.id);
  const [creating, setCreating] = useState(false);
  const canEdit = canEditOrgs(role);
  const english = currentLanguage() === 'en';
  if (!workspace) return null;
  if (updates.isError) return <PageError error={updates.error} onRetry={() => void updates.refetch()} />;
  return (
    <>
      <PageHeader
        title={t('policy.title')}
        extra={
          canEdit ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('policy.create')}
            </Button>
          ) : null
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 760 }}>
        {t('policy.help')}
      </Typography.Paragraph>
      <Table<PolicyUpdate>
        aria-label={t('policy.table')}
        rowKey="id"
        loading={updates.isPending}
        dataSource={updates.data ?? []}
        pagination={false}
        locale={{ emptyText: t('policy.empty') }}
        expandable={{
          expandedRowRender: (u) => <Impacts workspaceId={workspace.id} update={u} canEdit={canEdit} />,
        }}
        columns={[
          { title: t('policy.publishedOn'), dataIndex: 'publishedOn', width: 120 },
          {
            title: t('policy.titleColumn'),
            key: 'title',
            render: (_: unknown, u) => (
              <Space orientation="vertical" size={0}>
                <Space size={4}>
                  <Typography.Text strong>{u.title}</Typography.Text>
                  {u.link ? (
                    <a href={u.link} target="_blank" rel="noreferrer noopener" aria-label={t('policy.openLink')}>
                      <LinkOutlined />
                    </a>
                  ) : null}
                </Space>
                <Typography.Text type="secondary">{u.summary}</Typography.Text>
              </Space>
            ),
          },
          { title: t('policy.issuer'), dataIndex: 'issuer', width: 180 },
          {
            title: t('policy.touches'),
            key: 'touches',
            width: 260,
            render: (_: unknown, u) => (
              <Space wrap size={4}>
                {u.affects.levels.map((l) => (
                  <Tag key={l}>{l}</Tag>
                ))}
                {u.affects.items.map((i) => (
                  <Tag key={i.id} color="blue">
                    {i.name}
                  </Tag>
                ))}
                {u.affects.rules.map((r) => (
                  <Tag key={r.id} color="purple">
                    {english ? r.nameEn : r.name}
                  </Tag>
                ))}
                {u.affects.levels.length + u.affects.items.length + u.affects.rules.length === 0
                  ? t('common.none')
                  : null}
              </Space>
            ),
          },
          {
            title: t('policy.assessedColumn'),
            key: 'counts',
            width: 150,
            render: (_: unknown, u) => t('policy.counts', { assessed: u.assessed, affected: u.affected }),
          },
        ]}
      />
      {updates.hasNextPage ? (
        <Button
          style={{ marginTop: 12 }}
          loading={updates.isFetchingNextPage}
          onClick={() => void updates.fetchNextPage()}
        >
          {t('policy.more')}
        </Button>
      ) : null}
      {creating ? <CreateModal workspaceId={workspace.id} onClose={() => setCreating(false)} /> : null}
    </>
  );
}

interface CreateValues {
  title: string;
  issuer: string;
  publishedOn: Dayjs;
  link?: string;
  summary: string;
  levels?: string[];
  items?: string[];
  rules?: string[];
}

function CreateModal({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const english = currentLanguage() === 'en';
  const create = useCreatePolicyUpdate(workspaceId);
  const catalogue = useCapabilityCatalogue(workspaceId);
  const { form, error, handleError, clearError } = useApiForm<CreateValues>([
    'title',
    'issuer',
    'publishedOn',
    'link',
    'summary',
    'levels',
    'items',
    'rules',
  ]);
  const onFinish = async (v: CreateValues) => {
    clearError();
    try {
      await create.mutateAsync({
        title: v.title.trim(),
        issuer: v.issuer.trim(),
        publishedOn: toDay(v.publishedOn),
        link: v.link?.trim() || null,
        summary: v.summary.trim(),
        levels: (v.levels ?? []) as PolicyUpdate['affects']['levels'],
        items: v.items ?? [],
        rules: (v.rules ?? []) as never,
      });
      void message.success(t('policy.created'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  const items = catalogue.data?.versions[0]?.items ?? [];
  return (
    <Modal
      open
      title={t('policy.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      width={640}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="policy-update"
        onFinish={onFinish}
        initialValues={{ issuer: '中国电子信息行业联合会', publishedOn: dayjs(chinaToday()) }}
      >
        <FormError message={error} />
        <Form.Item
          name="title"
          label={t('policy.titleColumn')}
          rules={[{ required: true, whitespace: true, message: t('policy.titleRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Space size={16} style={{ display: 'flex' }} align="start" wrap>
          <Form.Item
            name="issuer"
            label={t('policy.issuer')}
            rules={[{ required: true, whitespace: true, message: t('policy.issuerRequired') }]}
          >
            <Input maxLength={200} style={{ width: 280 }} />
          </Form.Item>
          <Form.Item
            name="publishedOn"
            label={t('policy.publishedOn')}
            rules={[{ required: true, message: t('policy.dateRequired') }]}
          >
            <DatePicker disabledDate={(d) => toDay(d) > chinaToday()} />
          </Form.Item>
        </Space>
        <Form.Item name="link" label={t('policy.link')}>
          <Input maxLength={1000} placeholder="https://" />
        </Form.Item>
        <Form.Item
          name="summary"
          label={t('policy.summary')}
          rules={[{ required: true, whitespace: true, message: t('policy.summaryRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="levels" label={t('policy.levels')}>
          <Select mode="multiple" options={LEVELS.map((l) => ({ value: l, label: l }))} />
        </Form.Item>
        <Form.Item name="items" label={t('policy.items')}>
          <Select
            mode="multiple"
            loading={catalogue.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={items.map((i) => ({ value: i.id, label: english ? i.en.name : i.name }))}
          />
        </Form.Item>
        <Form.Item name="rules" label={t('policy.rules')}>
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={OBLIGATION_RULES.map((r) => ({ value: r.id, label: english ? r.titleEn : r.titleZh }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Impacts({ workspaceId, update, canEdit }: { workspaceId: string; update: PolicyUpdate; canEdit: boolean }) {
  const { t } = useTranslation();
  const impacts = usePolicyImpacts(workspaceId, update.id);
  const [assessing, setAssessing] = useState<PolicyImpact | null>(null);
  if (impacts.isError) {
    return (
      <Typography.Text type="danger" role="alert">
        {describeError(impacts.error)}
      </Typography.Text>
    );
  }
  return (
    <>
      <Table<PolicyImpact>
        aria-label={t('policy.impacts', { title: update.title })}
        rowKey="orgId"
        size="small"
        loading={impacts.isPending}
        dataSource={impacts.data ?? []}
        pagination={false}
        columns={[
          { title: t('policy.org'), dataIndex: 'orgName' },
          {
            title: t('policy.certificates'),
            key: 'certificates',
            render: (_: unknown, i) => (
              <Space wrap size={4}>
                {i.certificates.map((c) => (
                  <Tag key={c.id} color={c.touched ? 'orange' : undefined}>
                    {c.number}（{c.level}）
                  </Tag>
                ))}
                {i.certificates.length === 0 ? t('policy.noCertificates') : null}
              </Space>
            ),
          },
          {
            title: t('policy.impact'),
            key: 'impact',
            render: (_: unknown, i) =>
              i.assessment ? (
                <Space orientation="vertical" size={0}>
                  <Space size={4}>
                    <Tag color={i.assessment.impact === 'affected' ? 'red' : 'green'}>
                      {t(`policy.impactValues.${i.assessment.impact}`)}
                    </Tag>
                    {i.assessment.caseId && i.assessment.certificateId ? (
                      <Link to={`/orgs/${i.orgId}/certificates/${i.assessment.certificateId}`}>
                        {t('policy.openCase')}
                      </Link>
                    ) : null}
                  </Space>
                  {i.assessment.note ? <Typography.Text type="secondary">{i.assessment.note}</Typography.Text> : null}
                </Space>
              ) : (
                <Space size={4}>
                  <Tag>{t('policy.notAssessed')}</Tag>
                  {i.suggested ? <Tag color="orange">{t('policy.suggested')}</Tag> : null}
                </Space>
              ),
          },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 120,
                  render: (_: unknown, i: PolicyImpact) => (
                    <Button size="small" onClick={() => setAssessing(i)}>
                      {t('policy.assess')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {impacts.hasNextPage ? (
        <Button size="small" style={{ marginTop: 8 }} onClick={() => void impacts.fetchNextPage()}>
          {t('policy.more')}
        </Button>
      ) : null}
      {assessing ? (
        <AssessModal workspaceId={workspaceId} update={update} impact={assessing} onClose={() => setAssessing(null)} />
      ) : null}
    </>
  );
}

interface AssessValues {
  impact: 'affected' | 'not-affected';
  certificateId?: string;
  date?: Dayjs;
  note?: string;
}

function AssessModal({
  workspaceId,
  update,
  impact,
  onClose,
}: {
  workspaceId: string;
  update: PolicyUpdate;
  impact: PolicyImpact;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const assess = useAssessImpact(workspaceId, update.id);
  const { form, error, handleError, clearError } = useApiForm<AssessValues>([
    'impact',
    'certificateId',
    'date',
    'note',
  ]);
  const chosen = Form.useWatch('impact', form);
  const onFinish = async (v: AssessValues) => {
    clearError();
    try {
      await assess.mutateAsync({
        orgId: impact.orgId,
        input: {
          impact: v.impact,
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          ...(v.impact === 'affected' && v.certificateId ? { certificateId: v.certificateId } : {}),
          ...(v.impact === 'affected' && v.date ? { date: toDay(v.date) } : {}),
        },
      });
      void message.success(t('common.saved'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };
  const already = impact.assessment?.caseId;
  return (
    <Modal
      open
      title={t('policy.assessTitle', { org: impact.orgName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={assess.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="policy-impact"
        onFinish={onFinish}
        initialValues={{
          impact: impact.assessment?.impact ?? (impact.suggested ? 'affected' : 'not-affected'),
          certificateId: (impact.certificates.find((c) => c.touched) ?? impact.certificates[0])?.id,
          date: dayjs(chinaToday()),
          note: impact.assessment?.note ?? undefined,
        }}
      >
        <FormError message={error} />
        <Form.Item name="impact" label={t('policy.impact')}>
          <Radio.Group
            options={[
              { value: 'affected', label: t('policy.impactValues.affected') },
              { value: 'not-affected', label: t('policy.impactValues.not-affected') },
            ]}
          />
        </Form.Item>
        {chosen === 'affected' && !already ? (
          <Space size={16} style={{ display: 'flex' }} align="start" wrap>
            <Form.Item
              name="certificateId"
              label={t('policy.certificate')}
              extra={t('policy.certificateHelp')}
              rules={[{ required: true, message: t('policy.certificateRequired') }]}
            >
              <Select
                style={{ minWidth: 240 }}
                options={impact.certificates.map((c) => ({ value: c.id, label: `${c.number}（${c.level}）` }))}
              />
            </Form.Item>
            <Form.Item name="date" label={t('policy.reviewFrom')}>
              <DatePicker disabledDate={(d) => toDay(d) > chinaToday()} />
            </Form.Item>
          </Space>
        ) : null}
        <Form.Item
          name="note"
          label={t('policy.note')}
          extra={chosen === 'not-affected' && already ? t('policy.withdrawHelp') : undefined}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
