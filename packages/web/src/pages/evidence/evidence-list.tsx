import {
  DeleteOutlined,
  DownloadOutlined,
  DownOutlined,
  EditOutlined,
  ImportOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { App, Button, Dropdown, Flex, Form, Input, Space, Table, Typography, type FormInstance } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useDeleteEvidence, useEvidenceList, useEvidenceRecord, useSaveEvidence } from '../../api/evidence';
import { describeError } from '../../api/errors';
import { exportUrl, isExportKind, type ImportKind } from '../../api/imports';
import type { EvidenceKind, EvidenceRecords, ExportKind } from '../../api/types';
import { useApiForm } from '../../components/form-error';
import { FormDrawer } from '../../components/form-drawer';
import { PageError } from '../../components/page-loading';
import { AttachmentsField, type AttachmentValue } from './fields';
import { ImportDialog } from './import-dialog';

type Item<K extends EvidenceKind> = EvidenceRecords[K]['item'];
type Input<K extends EvidenceKind> = EvidenceRecords[K]['input'];

/** How one kind's records are edited: form values ↔ record and API body, and the fields. */
export interface EvidenceEditor<K extends EvidenceKind, V extends { files?: AttachmentValue[] }> {
  /** The form's field names: a server error naming one of them lands on it. */
  fields: readonly string[];
  fileRoles: readonly string[];
  toValues: (item: Item<K> | undefined) => V;
  toInput: (values: V) => Input<K>;
  /**
   * The kind's Form.Items (rendered inside the form, above the attachments), given the record as
   * loaded (undefined for a new one) and what the person may do.
   */
  renderFields: (form: FormInstance<V>, context: { item: Item<K> | undefined; access: EvidenceAccess }) => ReactNode;
}

export interface EvidenceAccess {
  orgId: string;
  /** Contributors and above create and change records. */
  canEdit: boolean;
  /** Managers and above delete them. */
  canDelete: boolean;
}

/**
 * One kind's list: search, the table, export and import, and the editor in a drawer. The open
 * editor is in the URL (`?id=<id>`, `?id=new`), so an authenticity flag's link opens the record.
 */
export function EvidenceList<K extends EvidenceKind, V extends { files?: AttachmentValue[] }>({
  access,
  kind,
  columns,
  searchText,
  label,
  editor,
  filter,
  toolbar,
  imports,
  exports,
}: {
  access: EvidenceAccess;
  kind: K;
  columns: ColumnsType<Item<K>>;
  /** The text a search matches. */
  searchText: (item: Item<K>) => string;
  /** The record as a person names it (delete confirmation, drawer title). */
  label: (item: Item<K>) => string;
  editor: EvidenceEditor<K, V>;
  /** The kind's own filter (status, type …), applied with the search. */
  filter?: (item: Item<K>) => boolean;
  toolbar?: ReactNode;
  /** The import kinds offered from this list. */
  imports?: readonly ImportKind[];
  /** The workbooks offered for download; the list's own kind when left out (if it has one). */
  exports?: readonly ExportKind[];
}) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const { orgId, canEdit, canDelete } = access;
  const [params, setParams] = useSearchParams();
  const list = useEvidenceList(orgId, kind);
  const remove = useDeleteEvidence(orgId, kind);
  const [search, setSearch] = useState('');
  const [importing, setImporting] = useState(false);
  const openId = params.get('id') ?? undefined;
  const exportKinds: readonly ExportKind[] = exports ?? (isExportKind(kind) ? [kind] : []);

  const setOpen = (id: string | undefined) => {
    const next = new URLSearchParams(params);
    if (id) next.set('id', id);
    else next.delete('id');
    setParams(next, { replace: !id });
  };

  const items = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (list.data ?? []).filter(
      (item) => (!filter || filter(item)) && (!needle || searchText(item).toLowerCase().includes(needle)),
    );
  }, [list.data, search, filter, searchText]);

  const onDelete = (item: Item<K>) => {
    modal.confirm({
      title: t('evidence.deleteTitle'),
      content: t('evidence.deleteConfirm', { name: label(item) }),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await remove.mutateAsync(item.id);
          void message.success(t('common.deleted'));
          if (openId === item.id) setOpen(undefined);
        } catch (err) {
          void message.error(describeError(err));
        }
      },
    });
  };

  if (list.isError) return <PageError error={list.error} onRetry={() => void list.refetch()} />;

  const kindName = t(`evidence.sections.${kind}`);
  const actionColumn: ColumnsType<Item<K>>[number] = {
    title: t('common.actions'),
    key: 'actions',
    width: canDelete ? 140 : 80,
    render: (_: unknown, item) => (
      <Space size={0} onClick={(e) => e.stopPropagation()}>
        <Button
          type="link"
          size="small"
          icon={<EditOutlined />}
          aria-label={`${canEdit ? t('common.edit') : t('evidence.view')}: ${label(item)}`}
          onClick={() => setOpen(item.id)}
        >
          {canEdit ? t('common.edit') : t('evidence.view')}
        </Button>
        {canDelete ? (
          <Button
            type="link"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={`${t('common.delete')}: ${label(item)}`}
            onClick={() => onDelete(item)}
          />
        ) : null}
      </Space>
    ),
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Input.Search
            allowClear
            aria-label={t('evidence.search')}
            placeholder={t('evidence.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: 240 }}
          />
          {toolbar}
          <Typography.Text type="secondary">{t('common.total', { count: items.length })}</Typography.Text>
        </Space>
        <Space wrap>
          {canEdit && imports && imports.length > 0 ? (
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)}>
              {t('imports.button')}
            </Button>
          ) : null}
          {exportKinds.length > 1 ? (
            <Dropdown
              menu={{
                items: exportKinds.map((k) => ({
                  key: k,
                  label: (
                    <a href={exportUrl(orgId, k)} download>
                      {t(`evidence.exportKinds.${k}`)}
                    </a>
                  ),
                })),
              }}
            >
              <Button icon={<DownloadOutlined />}>
                {t('evidence.export')} <DownOutlined />
              </Button>
            </Dropdown>
          ) : exportKinds[0] ? (
            <Button icon={<DownloadOutlined />} href={exportUrl(orgId, exportKinds[0])} download>
              {t('evidence.export')}
            </Button>
          ) : null}
          {canEdit ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen('new')}>
              {t('evidence.create', { kind: kindName })}
            </Button>
          ) : null}
        </Space>
      </Flex>
      <Table<Item<K>>
        aria-label={t('evidence.table', { kind: kindName })}
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={items}
        columns={[...columns, actionColumn]}
        locale={{ emptyText: t('evidence.empty', { kind: kindName }) }}
        pagination={items.length > 20 ? { pageSize: 20, showSizeChanger: true } : false}
        onRow={(item) => ({ onClick: () => setOpen(item.id), style: { cursor: 'pointer' } })}
        scroll={{ x: 'max-content' }}
      />
      {openId ? (
        <RecordEditor<K, V>
          key={openId}
          access={access}
          kind={kind}
          id={openId === 'new' ? undefined : openId}
          editor={editor}
          label={label}
          onClose={() => setOpen(undefined)}
          onDelete={canDelete ? onDelete : undefined}
        />
      ) : null}
      {importing && imports ? <ImportDialog orgId={orgId} kinds={imports} onClose={() => setImporting(false)} /> : null}
    </>
  );
}

/** Only what changed, so a save never rewrites a field someone else changed meanwhile. */
function changedFields<T extends object>(before: T, after: T): Partial<T> {
  const patch: Partial<T> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (JSON.stringify(after[key] ?? null) !== JSON.stringify(before[key] ?? null)) patch[key] = after[key];
  }
  return patch;
}

function RecordEditor<K extends EvidenceKind, V extends { files?: AttachmentValue[] }>({
  access,
  kind,
  id,
  editor,
  label,
  onClose,
  onDelete,
}: {
  access: EvidenceAccess;
  kind: K;
  /** Undefined for a new record. */
  id: string | undefined;
  editor: EvidenceEditor<K, V>;
  label: (item: Item<K>) => string;
  onClose: () => void;
  onDelete: ((item: Item<K>) => void) | undefined;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const record = useEvidenceRecord(access.orgId, kind, id);
  const save = useSaveEvidence(access.orgId, kind);
  const { form, error, handleError, clearError } = useApiForm<V>(editor.fields);
  const kindName = t(`evidence.sections.${kind}`);
  const item = record.data;
  const initialValues = useMemo(() => editor.toValues(item), [editor, item]);
  const readOnly = !access.canEdit;

  const onFinish = async (values: V) => {
    clearError();
    const input = editor.toInput(values);
    const body = id ? changedFields(editor.toInput(initialValues), input) : input;
    if (id && Object.keys(body).length === 0) {
      onClose();
      return;
    }
    try {
      await save.mutateAsync({ id, body });
      void message.success(t('common.saved'));
      onClose();
    } catch (err) {
      handleError(err);
    }
  };

  const isDirty = () =>
    !readOnly &&
    Object.keys(
      changedFields(
        editor.toInput(initialValues),
        editor.toInput({ ...initialValues, ...(form.getFieldsValue(true) as V) }),
      ),
    ).length > 0;

  return (
    <FormDrawer
      open
      title={id ? (item ? `${kindName} · ${label(item)}` : kindName) : t('evidence.create', { kind: kindName })}
      onClose={onClose}
      onSubmit={() => form.submit()}
      saving={save.isPending}
      error={error}
      isDirty={isDirty}
      readOnly={readOnly}
      loading={Boolean(id) && record.isPending}
      loadError={record.isError ? record.error : undefined}
      onRetry={() => void record.refetch()}
      extra={
        item && onDelete ? (
          <Button danger icon={<DeleteOutlined />} onClick={() => onDelete(item)}>
            {t('common.delete')}
          </Button>
        ) : undefined
      }
    >
      <Form<V>
        form={form}
        name={`evidence-${kind}`}
        layout="vertical"
        requiredMark="optional"
        initialValues={initialValues}
        // The whole store: list rows carry values no field shows (an attachment's name, a qualification's id).
        onFinish={() => void onFinish({ ...initialValues, ...(form.getFieldsValue(true) as V) })}
        disabled={readOnly || save.isPending}
        scrollToFirstError
      >
        {editor.renderFields(form, { item, access })}
        <AttachmentsField orgId={access.orgId} roles={editor.fileRoles} disabled={readOnly || save.isPending} />
      </Form>
    </FormDrawer>
  );
}
