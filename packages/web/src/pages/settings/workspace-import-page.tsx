import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Input,
  List,
  Progress,
  Result,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, describeError } from '../../api/errors';
import { newProgressId } from '../../api/imports';
import { queryKeys } from '../../api/keys';
import type { ImportProgress, TransferKind, WorkspaceImportPerson, WorkspaceImportReport } from '../../api/types';
import { runWorkspaceImport, useWorkspaceImportProgress } from '../../api/workspace-transfer';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';

type Phase = 'idle' | 'checking' | 'checked' | 'importing' | 'done';

/**
 * Instance administrators (who create workspaces): import a workspace exported from another Zizhi
 * instance. Choosing the file runs a dry run that lists what would be imported, who is linked to an
 * existing account and who gets a new one, and any conflict; the import proper follows a confirmation.
 */
export default function WorkspaceImportPage() {
  const { t } = useTranslation();
  const { me } = useWorkspace();
  if (!me.user.isAdmin) return <Result status="403" title={t('errors.code.FORBIDDEN')} />;
  return <WorkspaceImport />;
}

function WorkspaceImport() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const { selectWorkspace } = useWorkspace();
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [phase, setPhase] = useState<Phase>('idle');
  const [report, setReport] = useState<WorkspaceImportReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [upload, setUpload] = useState(0);
  const [progressId, setProgressId] = useState<string | null>(null);
  const progress = useWorkspaceImportProgress(progressId);
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
      const answer = await runWorkspaceImport({
        file: chosen,
        ...(passphrase ? { passphrase } : {}),
        dryRun,
        progressId: id,
        onUpload: setUpload,
        signal: controller.signal,
      });
      setReport(answer);
      setPhase(dryRun ? 'checked' : 'done');
      if (!dryRun) {
        await client.invalidateQueries({ queryKey: queryKeys.me });
        void message.success(t('workspaceTransfer.done', { name: answer.workspace.name }));
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ABORTED') return;
      setError(err instanceof ApiError ? err : new ApiError({ status: 0, code: 'NETWORK', message: '' }));
      setPhase(dryRun ? 'idle' : 'checked');
    } finally {
      if (abort.current === controller) setProgressId(null);
    }
  };

  const choose = (chosen: File) => {
    setFile(chosen);
    setReport(null);
    void run(chosen, true);
  };

  const reset = () => {
    setFile(null);
    setReport(null);
    setError(null);
    setPassphrase('');
    setPhase('idle');
  };

  if (phase === 'done' && report) {
    return (
      <>
        <PageHeader title={t('workspaceTransfer.importTitle')} />
        <Result
          status="success"
          title={t('workspaceTransfer.done', { name: report.workspace.name })}
          subTitle={t('workspaceTransfer.doneHelp')}
          extra={[
            <Button
              key="open"
              type="primary"
              onClick={() => {
                selectWorkspace(report.workspace.id);
                void navigate('/');
              }}
            >
              {t('workspaceTransfer.open')}
            </Button>,
            <Button key="another" onClick={reset}>
              {t('workspaceTransfer.another')}
            </Button>,
          ]}
        >
          {report.mustSetPassword.length > 0 ? (
            <Alert
              type="info"
              showIcon
              title={t('workspaceTransfer.mustSetPassword')}
              description={
                <List size="small" dataSource={report.mustSetPassword} renderItem={(e) => <List.Item>{e}</List.Item>} />
              }
            />
          ) : null}
        </Result>
      </>
    );
  }

  const canImport = phase === 'checked' && report !== null && report.conflicts.length === 0;
  return (
    <>
      <PageHeader title={t('workspaceTransfer.importTitle')} />
      <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 960 }}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>{t('workspaceTransfer.importIntro')}</Typography.Paragraph>
        <Typography.Text type="secondary">{t('workspaceTransfer.importVersion')}</Typography.Text>
        <div style={{ maxWidth: 480 }}>
          <Typography.Text>{t('workspaceTransfer.passphraseForImport')}</Typography.Text>
          <Input.Password
            aria-label={t('workspaceTransfer.passphraseForImport')}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            disabled={busy}
            autoComplete="off"
            status={error?.field === 'passphrase' ? 'error' : undefined}
            style={{ marginTop: 4 }}
          />
        </div>
        <Upload.Dragger
          accept=".gz,.age,application/gzip"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(chosen) => {
            choose(chosen);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? file.name : t('workspaceTransfer.chooseFile')}</p>
          {file ? <p className="ant-upload-hint">{t('workspaceTransfer.changeFile')}</p> : null}
        </Upload.Dragger>
        {busy ? <TransferProgress upload={upload} progress={progress.data} /> : null}
        {error ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={describeError(error)}
            action={
              file && !busy ? (
                <Button size="small" onClick={() => void run(file, true)}>
                  {t('workspaceTransfer.check')}
                </Button>
              ) : undefined
            }
          />
        ) : null}
        {report && phase !== 'idle' ? <Summary report={report} /> : null}
        {report && phase !== 'idle' ? (
          report.conflicts.length > 0 ? (
            <Alert
              type="error"
              showIcon
              role="alert"
              title={t('workspaceTransfer.conflictsTitle')}
              description={
                <>
                  <div>{t('workspaceTransfer.conflictsHelp')}</div>
                  {report.conflicts.map((c) => (
                    <div key={c.table}>
                      {t('workspaceTransfer.conflictRow', {
                        kind: t(`workspaceTransfer.kinds.${c.kind}`),
                        count: c.rows,
                      })}
                      {c.names.length > 0
                        ? t('workspaceTransfer.conflictNames', {
                            names: c.names.join(t('workspaceTransfer.nameSeparator')),
                          })
                        : ''}
                    </div>
                  ))}
                </>
              }
            />
          ) : (
            <Alert type="success" showIcon title={t('workspaceTransfer.ready')} />
          )
        ) : null}
        {report && phase !== 'idle' ? (
          <Button
            type="primary"
            disabled={!canImport}
            loading={phase === 'importing'}
            onClick={() => file && void run(file, false)}
          >
            {t('workspaceTransfer.confirm')}
          </Button>
        ) : null}
      </Space>
    </>
  );
}

/** What the archive holds: where it comes from, how much of each kind, and its people. */
function Summary({ report }: { report: WorkspaceImportReport }) {
  const { t } = useTranslation();
  const accountText = (p: WorkspaceImportPerson) =>
    p.role === null
      ? t('workspaceTransfer.former')
      : p.account === 'existing'
        ? t('workspaceTransfer.existing')
        : t('workspaceTransfer.new');
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('workspaceTransfer.summary')}
      </Typography.Title>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('workspaceTransfer.workspace')}>{report.workspace.name}</Descriptions.Item>
        <Descriptions.Item label={t('workspaceTransfer.exportedAt')}>
          {dayjs(report.archive.createdAt).format('YYYY-MM-DD HH:mm')}
        </Descriptions.Item>
        <Descriptions.Item label={t('workspaceTransfer.fromVersion')}>{report.archive.zizhiVersion}</Descriptions.Item>
        <Descriptions.Item label={t('workspaceTransfer.encrypted')}>
          {report.archive.encrypted ? t('workspaceTransfer.yes') : t('workspaceTransfer.no')}
        </Descriptions.Item>
      </Descriptions>
      <Table
        aria-label={t('workspaceTransfer.kindsTable')}
        size="small"
        rowKey="kind"
        pagination={false}
        dataSource={report.kinds}
        columns={[
          {
            title: t('workspaceTransfer.kind'),
            dataIndex: 'kind',
            render: (k: TransferKind) => t(`workspaceTransfer.kinds.${k}`),
          },
          { title: t('workspaceTransfer.rows'), dataIndex: 'rows', align: 'right' },
        ]}
      />
      <Table<WorkspaceImportPerson>
        aria-label={t('workspaceTransfer.peopleTable')}
        size="small"
        rowKey="email"
        pagination={report.people.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        dataSource={report.people}
        columns={[
          { title: t('workspaceTransfer.name'), dataIndex: 'name' },
          { title: t('workspaceTransfer.email'), dataIndex: 'email' },
          {
            title: t('workspaceTransfer.role'),
            key: 'role',
            render: (_: unknown, p) =>
              p.role ? (
                <Tag>
                  {t(`roles.${p.role}`)}
                  {p.limited ? t('workspaceTransfer.someOrgs') : ''}
                </Tag>
              ) : (
                t('common.none')
              ),
          },
          {
            title: t('workspaceTransfer.account'),
            key: 'account',
            render: (_: unknown, p) => (
              <Typography.Text type={p.role !== null && p.account === 'new' ? 'warning' : undefined}>
                {accountText(p)}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Space>
  );
}

/** Upload (measured by the browser), then the server's phases (polled): checking the file, the data, importing. */
function TransferProgress({ upload, progress }: { upload: number; progress: ImportProgress | undefined }) {
  const { t } = useTranslation();
  let text: string;
  let percent: number;
  if (upload < 1 || !progress || progress.phase === 'upload') {
    text = t('workspaceTransfer.uploading');
    percent = Math.round(upload * 100);
  } else if (progress.phase === 'read') {
    text = t('workspaceTransfer.reading');
    percent =
      progress.bytes !== undefined && progress.totalBytes
        ? Math.min(99, Math.floor((progress.bytes / progress.totalBytes) * 100))
        : 0;
  } else if ((progress.phase === 'validate' || progress.phase === 'save') && progress.totalRows) {
    text = t(progress.phase === 'validate' ? 'workspaceTransfer.validating' : 'workspaceTransfer.saving', {
      rows: progress.rows,
      total: progress.totalRows,
    });
    percent = Math.min(99, Math.floor((progress.rows / progress.totalRows) * 100));
  } else {
    text = t('workspaceTransfer.working');
    percent = 99;
  }
  return (
    <div role="status" aria-live="polite" data-testid="workspace-import-progress">
      <Typography.Text>{text}</Typography.Text>
      <Progress percent={percent} status="active" />
    </div>
  );
}
