import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Flex,
  Modal,
  Progress,
  Segmented,
  Space,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, describeError } from '../../api/errors';
import {
  newProgressId,
  runImport,
  templateUrl,
  useAfterImport,
  useImportMapping,
  useImportProgress,
  useSaveImportMapping,
  type ImportKind,
} from '../../api/imports';
import type { ImportField, ImportProgress, ImportResult, ImportRowError } from '../../api/types';

type Phase = 'idle' | 'checking' | 'checked' | 'importing' | 'done';

/**
 * Import of projects, staff or qualifications from .xlsx / .csv: download the template, choose a
 * file, a dry run lists every row error before anything is saved, columns the server cannot place
 * are mapped by hand (and remembered), then the import proper, with progress throughout.
 */
export function ImportDialog({
  orgId,
  kinds,
  onClose,
}: {
  orgId: string;
  kinds: readonly ImportKind[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const afterImport = useAfterImport(orgId);
  const [kind, setKind] = useState<ImportKind>(kinds[0] ?? 'projects');
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [upload, setUpload] = useState(0);
  const [progressId, setProgressId] = useState<string | null>(null);
  const progress = useImportProgress(orgId, progressId);
  const mapping = useImportMapping(orgId, kind);
  const abort = useRef<AbortController | null>(null);
  const busy = phase === 'checking' || phase === 'importing';

  useEffect(() => () => abort.current?.abort(), []);

  const run = async (chosen: File, dryRun: boolean) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const id = newProgressId();
    setError(null);
    setUpload(0);
    setProgressId(id);
    setPhase(dryRun ? 'checking' : 'importing');
    try {
      const answer = await runImport({
        orgId,
        kind,
        file: chosen,
        dryRun,
        progressId: id,
        onUpload: setUpload,
        signal: controller.signal,
      });
      setResult(answer);
      setPhase(dryRun ? 'checked' : 'done');
      if (!dryRun) {
        await afterImport();
        void message.success(t('imports.done', { created: answer.created ?? 0, updated: answer.updated ?? 0 }));
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ABORTED') return;
      setError(describeError(err));
      setPhase(dryRun ? 'idle' : 'checked');
    } finally {
      if (abort.current === controller) setProgressId(null);
    }
  };

  const choose = (chosen: File) => {
    setFile(chosen);
    setResult(null);
    void run(chosen, true);
  };

  const switchKind = (next: ImportKind) => {
    abort.current?.abort();
    setKind(next);
    setFile(null);
    setResult(null);
    setError(null);
    setPhase('idle');
  };

  const errors = result?.errors ?? [];
  // The server names the required fields it found no column for, and the file's columns to map them to.
  const missing = new Set(result?.missingFields ?? []);
  const unmapped = (mapping.data?.fields ?? []).filter((f) => missing.has(f.key));
  const canImport = phase === 'checked' && result !== null && result.errorCount === 0 && result.rows > 0;

  return (
    <Modal
      open
      width={760}
      title={t('imports.title', { kind: t(`imports.kinds.${kind}`) })}
      onCancel={busy ? undefined : onClose}
      closable={!busy}
      mask={{ closable: false }}
      footer={
        <Space>
          <Button onClick={onClose} disabled={busy}>
            {phase === 'done' ? t('imports.finish') : t('common.cancel')}
          </Button>
          {phase !== 'done' ? (
            <Button
              type="primary"
              disabled={!canImport}
              loading={phase === 'importing'}
              onClick={() => file && void run(file, false)}
            >
              {t('imports.submit')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {kinds.length > 1 ? (
          <Segmented<ImportKind>
            value={kind}
            disabled={busy}
            onChange={switchKind}
            options={kinds.map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))}
          />
        ) : null}
        <Flex gap={8} align="center" wrap>
          <Typography.Text strong>{t('imports.step1')}</Typography.Text>
          <Button icon={<DownloadOutlined />} href={templateUrl(orgId, kind)} download>
            {t('imports.template', { kind: t(`imports.kinds.${kind}`) })}
          </Button>
        </Flex>
        <Typography.Text type="secondary">{t('imports.templateHelp')}</Typography.Text>
        <div>
          <Typography.Text strong>{t('imports.step2')}</Typography.Text>
          <Upload.Dragger
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            multiple={false}
            showUploadList={false}
            disabled={busy}
            beforeUpload={(chosen) => {
              choose(chosen);
              return false;
            }}
            style={{ marginTop: 8 }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{file ? file.name : t('imports.dragHint')}</p>
            {file ? <p className="ant-upload-hint">{t('imports.changeFile')}</p> : null}
          </Upload.Dragger>
        </div>
        {busy ? <ImportProgressBar upload={upload} progress={progress.data} dryRun={phase === 'checking'} /> : null}
        {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
        {result && unmapped.length > 0 && file && phase === 'checked' ? (
          <ColumnMapping
            orgId={orgId}
            kind={kind}
            headers={result.columns}
            fields={unmapped}
            saved={mapping.data?.mapping ?? {}}
            onSaved={() => void run(file, true)}
          />
        ) : null}
        {result && phase === 'checked' && unmapped.length === 0 ? (
          errors.length > 0 ? (
            <>
              <Alert
                type="error"
                showIcon
                role="alert"
                title={t('imports.dryRunErrors', { rows: result.rows, count: result.errorCount })}
              />
              <RowErrors errors={errors} />
            </>
          ) : result.rows === 0 ? (
            <Alert type="warning" showIcon title={t('imports.empty')} />
          ) : (
            <Alert type="success" showIcon title={t('imports.dryRunOk', { rows: result.rows })} />
          )
        ) : null}
        {result && phase === 'done' ? (
          <Alert
            type="success"
            showIcon
            role="status"
            title={t('imports.done', { created: result.created ?? 0, updated: result.updated ?? 0 })}
          />
        ) : null}
      </Space>
    </Modal>
  );
}

function RowErrors({ errors }: { errors: readonly ImportRowError[] }) {
  const { t } = useTranslation();
  return (
    <Table<ImportRowError & { key: number }>
      aria-label={t('imports.errorsTable')}
      size="small"
      dataSource={errors.map((e, key) => ({ ...e, key }))}
      pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      columns={[
        {
          title: t('imports.row'),
          dataIndex: 'row',
          width: 110,
          render: (row: number) => t('imports.rowN', { row }),
        },
        {
          title: t('imports.column'),
          dataIndex: 'column',
          width: 160,
          render: (column: string | null) => column ?? t('common.none'),
        },
        { title: t('imports.message'), key: 'message', render: (_: unknown, e) => withoutRow(e) },
      ]}
    />
  );
}

/** The server's message without the row it already shows in its own column. */
const withoutRow = (e: ImportRowError) => e.message.replace(`第 ${e.row} 行：`, '');

/** Upload (measured by the browser), then the server's phases (polled): reading, checking, saving. */
function ImportProgressBar({
  upload,
  progress,
  dryRun,
}: {
  upload: number;
  progress: ImportProgress | undefined;
  dryRun: boolean;
}) {
  const { t } = useTranslation();
  let text: string;
  let percent: number;
  if (upload < 1 || !progress || progress.phase === 'upload') {
    text = t('imports.uploading');
    percent = Math.round(upload * 100);
  } else if ((progress.phase === 'validate' || progress.phase === 'save') && progress.totalRows) {
    text = t(`imports.phases.${progress.phase}`, { rows: progress.rows, total: progress.totalRows });
    percent = Math.min(99, Math.floor((progress.rows / progress.totalRows) * 100));
  } else if (progress.phase === 'read') {
    text = t('imports.phases.read', { rows: progress.rows });
    percent =
      progress.bytes !== undefined && progress.totalBytes
        ? Math.min(99, Math.floor((progress.bytes / progress.totalBytes) * 100))
        : 0;
  } else {
    text = dryRun ? t('imports.checking') : t('imports.saving');
    percent = 99;
  }
  return (
    <div role="status" aria-live="polite" data-testid="import-progress">
      <Typography.Text>{text}</Typography.Text>
      <Progress percent={percent} status="active" />
    </div>
  );
}

/** Which column of the file holds each field the server could not place; saved for next time. */
function ColumnMapping({
  orgId,
  kind,
  headers,
  fields,
  saved,
  onSaved,
}: {
  orgId: string;
  kind: ImportKind;
  /** The chosen file's header names (empty when they could not be read: then typed). */
  headers: readonly string[];
  fields: readonly ImportField[];
  saved: Record<string, string>;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const save = useSaveImportMapping(orgId, kind);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const complete = fields.every((f) => choice[f.key]?.trim());

  const onSave = async () => {
    setError(null);
    try {
      await save.mutateAsync({ ...saved, ...choice });
      onSaved();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="column-mapping">
      <Alert type="warning" showIcon title={t('imports.mappingTitle')} description={t('imports.mappingHelp')} />
      {fields.map((f) => (
        <Flex key={f.key} gap={12} align="center" wrap>
          <Typography.Text style={{ width: 200 }}>
            {f.header}
            {f.help ? (
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {f.help}
              </Typography.Text>
            ) : null}
          </Typography.Text>
          <AutoComplete
            aria-label={f.header}
            placeholder={t('imports.mappingHeader')}
            value={choice[f.key]}
            onChange={(header: string) => setChoice((c) => ({ ...c, [f.key]: header }))}
            options={headers.map((h) => ({ value: h, label: h }))}
            showSearch={{ filterOption: (input, option) => String(option?.value ?? '').includes(input) }}
            style={{ minWidth: 260 }}
          />
        </Flex>
      ))}
      {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
      <Button type="primary" disabled={!complete} loading={save.isPending} onClick={() => void onSave()}>
        {t('imports.mappingSave')}
      </Button>
    </Space>
  );
}
