import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  FilePdfOutlined,
  FileWordOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  Flex,
  Grid,
  Input,
  Popconfirm,
  Row,
  Space,
  Spin,
  Switch,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  selfCheckReportUrl,
  useResetSelfCheckTemplate,
  useSaveSelfCheckTemplate,
  useSelfCheckPreview,
  useSelfCheckTemplate,
  type SelfCheckTemplate,
  type TemplateSection,
} from '../../api/documents';
import { describeError } from '../../api/errors';
import type { CertificateDetail } from '../../api/types';
import { FormError } from '../../components/form-error';
import { PageError } from '../../components/page-loading';
import { useDebounced } from '../../components/use-debounced';
import { currentLanguage } from '../../i18n';
import { DocumentPreview } from './document-preview';

/** As many of the company's own sections as the server accepts. */
const MAX_CUSTOM = 10;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The self-check report's preview beside the workspace's template: what the draft for `year`
 * will say, redrawn as the template is edited; admins save the template, everyone may download.
 */
export function SelfCheckPreviewDrawer({
  cert,
  workspaceId,
  year,
  canEdit,
  onClose,
}: {
  cert: CertificateDetail;
  workspaceId: string;
  year: number;
  canEdit: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const saved = useSelfCheckTemplate(workspaceId);
  const save = useSaveSelfCheckTemplate(workspaceId);
  const reset = useResetSelfCheckTemplate(workspaceId);
  // The template as edited here; until the first edit, the saved one.
  const [edits, setDraft] = useState<SelfCheckTemplate | undefined>();
  const draft = edits ?? saved.data?.template;
  const [error, setError] = useState<string | null>(null);
  const previewed = useDebounced(draft, 500);
  const preview = useSelfCheckPreview(cert.orgId, cert.id, year, previewed);
  const dirty = draft !== undefined && saved.data !== undefined && !same(draft, saved.data.template);

  const update = (change: (sections: TemplateSection[]) => TemplateSection[]) => {
    if (draft) setDraft({ ...draft, sections: change([...draft.sections]) });
  };
  const setSection = (index: number, patch: Partial<TemplateSection>) =>
    update((sections) => sections.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const move = (index: number, by: -1 | 1) =>
    update((sections) => {
      const [section] = sections.splice(index, 1);
      sections.splice(index + by, 0, section!);
      return sections;
    });
  const customCount = draft?.sections.filter((s) => s.key === 'custom').length ?? 0;

  const onSave = async () => {
    if (!draft) return;
    setError(null);
    try {
      const result = await save.mutateAsync(draft);
      setDraft(result.template);
      void message.success(t('reportTemplate.saved'));
    } catch (err) {
      setError(describeError(err));
    }
  };
  const onReset = async () => {
    setError(null);
    try {
      const result = await reset.mutateAsync();
      setDraft(result.template);
      void message.success(t('reportTemplate.resetDone'));
    } catch (err) {
      setError(describeError(err));
    }
  };

  // Edits not saved are not lost to a stray click outside the drawer.
  const requestClose = () => {
    if (!dirty) {
      onClose();
      return;
    }
    modal.confirm({
      title: t('evidence.discardTitle'),
      content: t('evidence.discardConfirm'),
      okText: t('evidence.discard'),
      okButtonProps: { danger: true },
      cancelText: t('evidence.keepEditing'),
      onOk: onClose,
    });
  };

  const english = currentLanguage() === 'en';
  // Side by side, the template and the preview scroll on their own; stacked, the drawer scrolls.
  const wide = Grid.useBreakpoint().xl === true;
  const pane = wide ? ({ maxHeight: 'calc(100vh - 130px)', overflowY: 'auto' } as const) : undefined;
  const downloads = (
    <Space wrap>
      {(['docx', 'pdf'] as const).map((format) => (
        <Tooltip key={format} title={dirty ? t('reportTemplate.downloadHint') : undefined}>
          <Button
            icon={format === 'docx' ? <FileWordOutlined /> : <FilePdfOutlined />}
            href={dirty ? undefined : selfCheckReportUrl(cert.orgId, cert.id, year, format)}
            disabled={dirty}
          >
            {t(format === 'docx' ? 'selfCheck.downloadWord' : 'selfCheck.downloadPdf')}
          </Button>
        </Tooltip>
      ))}
    </Space>
  );

  return (
    <Drawer
      open
      onClose={requestClose}
      title={t('reportTemplate.title', { year })}
      size="min(1320px, 100vw)"
      extra={downloads}
    >
      {saved.isError ? <PageError error={saved.error} /> : null}
      {!draft ? (
        <Spin />
      ) : (
        <Row gutter={[24, 16]}>
          <Col xs={24} xl={10} style={pane}>
            <Typography.Paragraph type="secondary">{t('reportTemplate.help')}</Typography.Paragraph>
            {canEdit ? null : <Alert type="info" showIcon title={t('reportTemplate.readOnly')} />}
            <Flex gap={8} align="center" wrap style={{ margin: '12px 0' }}>
              <Tag color={saved.data?.custom ? 'blue' : undefined}>
                {saved.data?.custom ? t('reportTemplate.customTemplate') : t('reportTemplate.defaultTemplate')}
              </Tag>
              {dirty ? <Tag color="orange">{t('reportTemplate.unsaved')}</Tag> : null}
            </Flex>
            <FormError message={error} />
            <label>
              <Typography.Text strong>{t('reportTemplate.coverTitle')}</Typography.Text>
              <Input
                value={draft.coverTitle}
                disabled={!canEdit}
                maxLength={60}
                onChange={(e) => setDraft({ ...draft, coverTitle: e.target.value })}
                style={{ margin: '4px 0 12px' }}
              />
            </label>
            {draft.sections.map((section, index) => (
              <Card
                key={index}
                size="small"
                style={{ marginBottom: 8, opacity: section.enabled ? 1 : 0.6 }}
                data-testid="template-section"
                title={
                  <Space>
                    <Switch
                      size="small"
                      checked={section.enabled}
                      disabled={!canEdit}
                      onChange={(enabled) => setSection(index, { enabled })}
                      aria-label={t('reportTemplate.enabled', { title: section.title })}
                    />
                    <Tag>{t(`reportTemplate.sections.${section.key}`)}</Tag>
                  </Space>
                }
                extra={
                  canEdit ? (
                    <Space size={0}>
                      <Button
                        type="text"
                        size="small"
                        icon={<ArrowUpOutlined />}
                        disabled={index === 0}
                        onClick={() => move(index, -1)}
                        aria-label={t('reportTemplate.moveUp', { title: section.title })}
                      />
                      <Button
                        type="text"
                        size="small"
                        icon={<ArrowDownOutlined />}
                        disabled={index === draft.sections.length - 1}
                        onClick={() => move(index, 1)}
                        aria-label={t('reportTemplate.moveDown', { title: section.title })}
                      />
                      {section.key === 'custom' ? (
                        <Button
                          type="text"
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          onClick={() => update((sections) => sections.filter((_, i) => i !== index))}
                          aria-label={t('reportTemplate.remove', { title: section.title })}
                        />
                      ) : null}
                    </Space>
                  ) : null
                }
              >
                <Input
                  value={section.title}
                  disabled={!canEdit}
                  maxLength={60}
                  onChange={(e) => setSection(index, { title: e.target.value })}
                  aria-label={t('reportTemplate.sectionTitle')}
                  placeholder={t('reportTemplate.sectionTitle')}
                />
                <Input.TextArea
                  value={section.text}
                  disabled={!canEdit}
                  maxLength={5000}
                  autoSize={{ minRows: section.text ? 2 : 1, maxRows: 10 }}
                  onChange={(e) => setSection(index, { text: e.target.value })}
                  aria-label={t('reportTemplate.sectionText')}
                  placeholder={t('reportTemplate.textPlaceholder')}
                  style={{ marginTop: 6 }}
                />
              </Card>
            ))}
            {canEdit ? (
              <Flex gap={8} wrap style={{ marginTop: 8 }}>
                <Tooltip
                  title={customCount >= MAX_CUSTOM ? t('reportTemplate.maxCustom', { count: MAX_CUSTOM }) : undefined}
                >
                  <Button
                    icon={<PlusOutlined />}
                    disabled={customCount >= MAX_CUSTOM}
                    onClick={() =>
                      update((sections) => [
                        ...sections,
                        { key: 'custom', enabled: true, title: t('reportTemplate.newSection'), text: '' },
                      ])
                    }
                  >
                    {t('reportTemplate.addCustom')}
                  </Button>
                </Tooltip>
                <Button type="primary" onClick={onSave} loading={save.isPending} disabled={!dirty}>
                  {t('reportTemplate.save')}
                </Button>
                <Button disabled={!dirty} onClick={() => setDraft(saved.data?.template)}>
                  {t('reportTemplate.discard')}
                </Button>
                <Popconfirm
                  title={t('reportTemplate.resetConfirm')}
                  onConfirm={onReset}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  disabled={!saved.data?.custom}
                >
                  <Button danger disabled={!saved.data?.custom} loading={reset.isPending}>
                    {t('reportTemplate.reset')}
                  </Button>
                </Popconfirm>
              </Flex>
            ) : null}
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              {t('reportTemplate.placeholders')}
              {saved.data?.placeholders.map((p) => (
                <span key={p.name} style={{ display: 'block' }}>
                  <Typography.Text code copyable>{`{${p.name}}`}</Typography.Text> {english ? p.en : p.zh}
                </span>
              ))}
            </Typography.Paragraph>
          </Col>
          <Col xs={24} xl={14} style={pane}>
            <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('reportTemplate.preview')}
              </Typography.Title>
              {preview.isFetching ? <Spin size="small" /> : null}
            </Flex>
            {preview.isError ? (
              <Alert
                type="warning"
                showIcon
                role="alert"
                title={t('reportTemplate.previewError', { message: describeError(preview.error) })}
                style={{ marginBottom: 8 }}
              />
            ) : null}
            {preview.data ? <DocumentPreview document={preview.data} /> : <Spin />}
          </Col>
        </Row>
      )}
    </Drawer>
  );
}
