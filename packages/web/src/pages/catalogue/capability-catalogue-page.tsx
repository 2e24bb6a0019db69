import { EditOutlined, UndoOutlined } from '@ant-design/icons';
import { EVIDENCE_SOURCE_NAMES, EVIDENCE_SOURCES, type EvidenceSource } from '@zizhi/core';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCapabilityCatalogue,
  useCorrectCapabilityItem,
  useResetCapabilityItem,
  type CatalogueItem,
} from '../../api/supervision';
import { describeError } from '../../api/errors';
import { canManageWorkspace } from '../../api/types';
import { FormError, useApiForm } from '../../components/form-error';
import { PageError, PageLoading } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { currentLanguage } from '../../i18n';
import { useWorkspace } from '../../state/workspace';
import { correctionOf, type CorrectionValues } from './correction';

const CONFIDENCE_COLORS = { high: 'green', medium: 'gold', low: 'default' } as const;

function evidenceNames(list: readonly EvidenceSource[], english: boolean, none: string): string {
  return list.map((s) => EVIDENCE_SOURCE_NAMES[s][english ? 'en' : 'zh']).join(english ? ', ' : '、') || none;
}

/** Settings → 能力项目录: the catalogue as this workspace uses it; admins correct an item or undo it. */
export default function CapabilityCataloguePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, role } = useWorkspace();
  const workspaceId = workspace?.id;
  const catalogue = useCapabilityCatalogue(workspaceId);
  const reset = useResetCapabilityItem(workspaceId ?? '');
  const [editing, setEditing] = useState<CatalogueItem | null>(null);
  const english = currentLanguage() === 'en';
  const canEdit = canManageWorkspace(role);

  if (catalogue.isPending) return <PageLoading />;
  if (catalogue.isError) return <PageError error={catalogue.error} onRetry={() => void catalogue.refetch()} />;
  const version = catalogue.data.versions[0]!;
  const none = t('catalogue.noEvidence');

  const undo = async (item: CatalogueItem) => {
    try {
      await reset.mutateAsync(item.id);
      void message.success(t('catalogue.resetDone'));
    } catch (err) {
      void message.error(describeError(err));
    }
  };

  return (
    <>
      <PageHeader title={t('catalogue.title')} />
      <Typography.Paragraph type="secondary">
        {t('catalogue.help', { standard: version.standard })}
      </Typography.Paragraph>
      <Typography.Paragraph>
        {t('catalogue.count', {
          count: version.items.length,
          corrected: version.items.filter((i) => i.corrected).length,
        })}
      </Typography.Paragraph>
      <Table<CatalogueItem>
        aria-label={t('catalogue.table')}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={version.items}
        columns={[
          {
            title: t('catalogue.domain'),
            key: 'domain',
            render: (_: unknown, item) => (english ? item.en.domain : item.domain),
          },
          {
            title: t('catalogue.subdomain'),
            key: 'subdomain',
            render: (_: unknown, item) => (english && !item.corrected ? item.en.subdomain : item.subdomain),
          },
          {
            title: t('catalogue.item'),
            key: 'name',
            render: (_: unknown, item) => (
              <Space wrap size={4}>
                <Typography.Text>{english && !item.corrected ? item.en.name : item.name}</Typography.Text>
                {item.corrected ? (
                  <Tooltip
                    title={
                      <>
                        {t('catalogue.shipped', {
                          name: item.corrected.shipped.name,
                          subdomain: item.corrected.shipped.subdomain,
                          evidence: evidenceNames(item.corrected.shipped.evidence, english, none),
                        })}
                        {item.corrected.note ? <div>{item.corrected.note}</div> : null}
                      </>
                    }
                  >
                    <Tag color="blue">{t('catalogue.corrected')}</Tag>
                  </Tooltip>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('catalogue.confidence'),
            key: 'confidence',
            render: (_: unknown, item) => (
              <Tooltip title={item.source}>
                <Tag color={CONFIDENCE_COLORS[item.confidence]}>{t(`catalogue.confidences.${item.confidence}`)}</Tag>
              </Tooltip>
            ),
          },
          {
            title: t('catalogue.evidence'),
            key: 'evidence',
            render: (_: unknown, item) => evidenceNames(item.evidence, english, none),
          },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, item: CatalogueItem) => (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        aria-label={t('catalogue.correctAria', { name: item.name })}
                        onClick={() => setEditing(item)}
                      >
                        {t('catalogue.correct')}
                      </Button>
                      {item.corrected ? (
                        <Popconfirm
                          title={t('catalogue.resetConfirm', { name: item.name })}
                          okText={t('catalogue.reset')}
                          cancelText={t('common.cancel')}
                          onConfirm={() => undo(item)}
                        >
                          <Button
                            type="link"
                            size="small"
                            icon={<UndoOutlined />}
                            aria-label={t('catalogue.resetAria', { name: item.name })}
                          >
                            {t('catalogue.reset')}
                          </Button>
                        </Popconfirm>
                      ) : null}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && workspaceId ? (
        <CorrectionModal workspaceId={workspaceId} item={editing} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}

function CorrectionModal({
  workspaceId,
  item,
  onClose,
}: {
  workspaceId: string;
  item: CatalogueItem;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const english = currentLanguage() === 'en';
  const correct = useCorrectCapabilityItem(workspaceId);
  const reset = useResetCapabilityItem(workspaceId);
  const { form, error, handleError, clearError } = useApiForm<CorrectionValues>([
    'name',
    'subdomain',
    'evidence',
    'note',
  ]);

  const onFinish = async (values: CorrectionValues) => {
    clearError();
    const input = correctionOf(item, values);
    try {
      if (input) {
        await correct.mutateAsync({ itemId: item.id, input });
        void message.success(t('catalogue.saved'));
      } else if (item.corrected) {
        // Everything back to the default: the correction is dropped rather than stored empty.
        await reset.mutateAsync(item.id);
        void message.success(t('catalogue.resetDone'));
      } else {
        void message.info(t('catalogue.unchanged'));
      }
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  return (
    <Modal
      open
      title={t('catalogue.editTitle', { name: item.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={correct.isPending || reset.isPending}
    >
      <Typography.Paragraph type="secondary">{t('catalogue.editHelp')}</Typography.Paragraph>
      <Form<CorrectionValues>
        form={form}
        name="capabilityCorrection"
        layout="vertical"
        initialValues={{
          name: item.name,
          subdomain: item.subdomain,
          evidence: [...item.evidence],
          note: item.corrected?.note ?? '',
        }}
        onFinish={(v) => void onFinish(v)}
      >
        <Form.Item
          name="name"
          label={t('catalogue.name')}
          rules={[
            { required: true, whitespace: true, message: t('validation.required', { field: t('catalogue.name') }) },
          ]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="subdomain"
          label={t('catalogue.subdomain')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('catalogue.subdomain') }),
            },
          ]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="evidence" label={t('catalogue.evidence')} extra={t('catalogue.evidenceHelp')}>
          <Select
            mode="multiple"
            allowClear
            optionFilterProp="label"
            options={EVIDENCE_SOURCES.map((s) => ({
              value: s,
              label: EVIDENCE_SOURCE_NAMES[s][english ? 'en' : 'zh'],
            }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('catalogue.note')}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('catalogue.notePlaceholder')} />
        </Form.Item>
      </Form>
      <FormError message={error} />
    </Modal>
  );
}
