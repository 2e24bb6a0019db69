import { CloudServerOutlined, CloudUploadOutlined, FolderOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  List,
  Progress,
  Result,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  useBackups,
  useStartBackup,
  useVerifyBackup,
  type BackupOverview,
  type BackupRun,
  type BackupTarget,
} from '../../api/backups';
import { describeError } from '../../api/errors';
import { formatInstant } from '../../components/domain';
import { PageHeader } from '../../components/page-header';
import { PageError } from '../../components/page-loading';
import { useWorkspace } from '../../state/workspace';
import { describeKeep, describeProgress, describeSchedule, formatBytes } from './backup-format';

/**
 * A passed drill older than the newest backup by more than this is flagged: a backup nobody has
 * restored for a month is a hope, not a plan.
 */
const DRILL_STALE_MS = 30 * 86_400_000;

/** Instance administrators: the backups of the whole installation, backing up now and restore drills. */
export default function BackupsPage() {
  const { t } = useTranslation();
  const { me } = useWorkspace();
  if (!me.user.isAdmin) return <Result status="403" title={t('errors.code.FORBIDDEN')} />;
  return <Backups />;
}

function Backups() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const backups = useBackups();
  const start = useStartBackup();
  const verify = useVerifyBackup();

  if (backups.isError) return <PageError error={backups.error} onRetry={() => void backups.refetch()} />;
  const data = backups.data;
  const configured = (data?.targets.length ?? 0) > 0;

  const backUpNow = () =>
    start.mutate(undefined, {
      onSuccess: () => void message.success(t('backups.started')),
      onError: (err) => void message.error(describeError(err)),
    });
  const drill = (id: string) =>
    verify.mutate(id, {
      onSuccess: () => void message.success(t('backups.drillStarted')),
      onError: (err) => void message.error(describeError(err)),
    });

  return (
    <>
      <PageHeader
        title={t('backups.title')}
        extra={
          configured ? (
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              loading={start.isPending || data?.running}
              disabled={data?.running}
              onClick={backUpNow}
            >
              {t('backups.backUpNow')}
            </Button>
          ) : null
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {t('backups.intro')}
      </Typography.Paragraph>
      {data && !configured ? <NotConfigured /> : null}
      {data && configured ? (
        <Flex vertical gap={16}>
          <Summary data={data} t={t} />
          <Targets targets={data.targets} t={t} />
          <Card title={t('backups.runs')} size="small">
            <Runs runs={data.runs} t={t} onDrill={drill} drillingId={verify.isPending ? verify.variables : undefined} />
          </Card>
          <Typography.Paragraph type="secondary" style={{ maxWidth: 860, margin: 0 }}>
            {t('backups.restoreHint')}
          </Typography.Paragraph>
        </Flex>
      ) : null}
      {!data ? <Card loading /> : null}
    </>
  );
}

function Summary({ data, t }: { data: BackupOverview; t: TFunction }) {
  const running = data.runs.find((r) => r.status === 'running' || r.verifyStatus === 'running');
  const drillStale =
    data.lastBackupAt !== null &&
    (data.lastVerifiedAt === null ||
      new Date(data.lastBackupAt).getTime() - new Date(data.lastVerifiedAt).getTime() > DRILL_STALE_MS);
  return (
    <Card size="small">
      {running ? <RunningProgress run={running} t={t} /> : null}
      <Descriptions column={{ xs: 1, md: 2 }} size="small" styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('backups.lastBackup')}>
          {data.lastBackupAt ? formatInstant(data.lastBackupAt) : t('backups.never')}
        </Descriptions.Item>
        <Descriptions.Item label={t('backups.lastDrill')}>
          <Space wrap>
            {data.lastVerifiedAt ? formatInstant(data.lastVerifiedAt) : t('backups.neverDrilled')}
            {drillStale ? <Tag color="warning">{t('backups.drillOverdue')}</Tag> : null}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('backups.schedule')}>{describeSchedule(data.schedule, t)}</Descriptions.Item>
        <Descriptions.Item label={t('backups.drillAfterBackup')}>
          {data.verifyAfterBackup ? t('common.yes') : t('common.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('backups.keep')}>{describeKeep(data.keep, t)}</Descriptions.Item>
        <Descriptions.Item label={t('backups.encryption')}>
          {data.encryption === 'none'
            ? t('backups.encryptionNone')
            : data.encryption === 'passphrase'
              ? t('backups.encryptionPassphrase')
              : t('backups.encryptionRecipients')}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function RunningProgress({ run, t }: { run: BackupRun; t: TFunction }) {
  // Progress lives in the process that runs the backup; another process's run shows as running only.
  const progress = run.progress ? describeProgress(run.progress, t) : null;
  return (
    <div role="status" aria-live="polite" style={{ marginBottom: 12 }}>
      <Typography.Text>{progress?.text ?? t('backups.runningElsewhere')}</Typography.Text>
      <Progress percent={progress?.percent ?? 99} status="active" showInfo={progress?.percent !== null} />
    </div>
  );
}

function Targets({ targets, t }: { targets: BackupTarget[]; t: TFunction }) {
  const dual = targets.some((x) => x.kind === 'dir') && targets.some((x) => x.kind === 's3');
  return (
    <Card
      size="small"
      title={
        <Space>
          {t('backups.targets')}
          {dual ? <Tag color="blue">{t('backups.dual')}</Tag> : null}
        </Space>
      }
    >
      <List
        dataSource={targets}
        renderItem={(target) => (
          <List.Item>
            <List.Item.Meta
              avatar={target.kind === 's3' ? <CloudServerOutlined /> : <FolderOutlined />}
              title={
                <Space wrap>
                  <span>{target.kind === 's3' ? t('backups.targetS3') : t('backups.targetDir')}</span>
                  <Typography.Text code copyable>
                    {target.target}
                  </Typography.Text>
                </Space>
              }
              description={
                target.error ? (
                  <Typography.Text type="danger">{t('backups.targetError', { message: target.error })}</Typography.Text>
                ) : (
                  t('backups.archiveCount', { count: target.archiveCount ?? 0 })
                )
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

function StatusTag({ run, t }: { run: BackupRun; t: TFunction }) {
  const color = run.status === 'ok' ? 'success' : run.status === 'failed' ? 'error' : 'processing';
  const tag = <Tag color={color}>{t(`backups.statuses.${run.status}`)}</Tag>;
  return run.error ? (
    <Flex vertical gap={4}>
      {tag}
      <Typography.Text type="danger" style={{ fontSize: 12 }}>
        {run.error}
      </Typography.Text>
    </Flex>
  ) : (
    tag
  );
}

function DrillCell({ run, t }: { run: BackupRun; t: TFunction }) {
  const status = run.verifyStatus ?? 'none';
  const color =
    status === 'ok' ? 'success' : status === 'failed' ? 'error' : status === 'running' ? 'processing' : 'default';
  return (
    <Flex vertical gap={4}>
      <span>
        <Tag color={color} icon={status === 'ok' ? <SafetyCertificateOutlined /> : undefined}>
          {t(`backups.drillStatuses.${status}`)}
        </Tag>
      </span>
      {run.verifiedAt ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('backups.drillPassedAt', { time: formatInstant(run.verifiedAt) })}
        </Typography.Text>
      ) : null}
      {run.verifyStatus === 'failed' && run.verifyError ? (
        <Typography.Text type="danger" style={{ fontSize: 12 }}>
          {run.verifyError}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

function Runs({
  runs,
  t,
  onDrill,
  drillingId,
}: {
  runs: BackupRun[];
  t: TFunction;
  onDrill: (id: string) => void;
  /** The run whose drill is being asked for (until the server answers). */
  drillingId: string | undefined;
}) {
  return (
    <Table<BackupRun>
      aria-label={t('backups.runsTable')}
      rowKey="id"
      size="small"
      dataSource={runs}
      pagination={false}
      scroll={{ x: 900 }}
      locale={{ emptyText: t('backups.noRuns') }}
      columns={[
        {
          title: t('backups.startedAt'),
          dataIndex: 'startedAt',
          width: 150,
          render: (v: string, run) => (
            <Flex vertical>
              <span>{formatInstant(v)}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`backups.triggers.${run.trigger}`)}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          title: t('backups.target'),
          dataIndex: 'target',
          render: (target: string, run) => (
            <Flex vertical gap={2}>
              <Space size={4}>
                {run.targetKind === 's3' ? <CloudServerOutlined /> : <FolderOutlined />}
                <Typography.Text style={{ wordBreak: 'break-all' }}>{target}</Typography.Text>
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                {run.archiveName}
              </Typography.Text>
              {run.deletedAt ? <Tag>{t('backups.deleted')}</Tag> : null}
            </Flex>
          ),
        },
        {
          title: t('backups.status'),
          dataIndex: 'status',
          width: 200,
          render: (_: string, run) => <StatusTag run={run} t={t} />,
        },
        {
          title: t('backups.size'),
          dataIndex: 'bytes',
          width: 110,
          render: (bytes: number | null, run) =>
            bytes === null ? (
              t('common.none')
            ) : (
              <Space size={4} wrap>
                {formatBytes(bytes)}
                {run.encrypted ? <Tag>{t('backups.encrypted')}</Tag> : null}
              </Space>
            ),
        },
        {
          title: t('backups.contents'),
          key: 'contents',
          width: 170,
          render: (_: unknown, run) =>
            run.rows === null
              ? t('common.none')
              : t('backups.contentsValue', {
                  rows: run.rows.toLocaleString(),
                  files: (run.files ?? 0).toLocaleString(),
                }),
        },
        {
          title: t('backups.drill'),
          key: 'drill',
          width: 220,
          render: (_: unknown, run) => <DrillCell run={run} t={t} />,
        },
        {
          title: t('common.actions'),
          key: 'actions',
          width: 110,
          render: (_: unknown, run) => {
            if (run.status !== 'ok') return null;
            const button = (
              <Button
                size="small"
                disabled={!run.canVerify || run.verifyStatus === 'running'}
                loading={run.verifyStatus === 'running' || drillingId === run.id}
                onClick={() => onDrill(run.id)}
              >
                {t('backups.runDrill')}
              </Button>
            );
            return run.canVerify ? button : <Tooltip title={t('backups.cannotDrill')}>{button}</Tooltip>;
          },
        },
      ]}
    />
  );
}

function NotConfigured() {
  const { t } = useTranslation();
  return (
    <Alert
      type="info"
      showIcon
      title={t('backups.emptyTitle')}
      description={
        <Flex vertical gap={8}>
          <Typography.Text>{t('backups.emptyBody')}</Typography.Text>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            <li>{t('backups.emptyTargets')}</li>
            <li>{t('backups.emptySchedule')}</li>
            <li>{t('backups.emptyEncryption')}</li>
          </ul>
          <Typography.Text type="secondary">{t('backups.restoreHint')}</Typography.Text>
        </Flex>
      }
    />
  );
}
