import { PaperClipOutlined } from '@ant-design/icons';
import { Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fileUrl } from '../../api/certificates';
import type { Obligation, ObligationStatus } from '../../api/types';
import {
  cancelReason,
  DueText,
  formatInstant,
  obligationBasis,
  obligationSource,
  obligationTitle,
  ProvisionalTag,
  STATUS_COLORS,
  useLevelLabel,
} from '../../components/domain';
import { ObligationActions } from './obligation-actions';
import { usePhone } from '../../components/use-phone';

/** The status as a tag; a cancelled obligation says why on hover. */
export function StatusTag({
  status,
  obligation,
}: {
  status: ObligationStatus;
  obligation?: Pick<Obligation, 'cancelReason' | 'cancelReasonEn'>;
}) {
  const { t } = useTranslation();
  const tag = <Tag color={STATUS_COLORS[status]}>{t(`obligations.statuses.${status}`)}</Tag>;
  const reason = status === 'cancelled' && obligation ? cancelReason(obligation) : null;
  return reason ? <Tooltip title={reason}>{tag}</Tooltip> : tag;
}

/** Finished one way or another: no bulk action applies. */
function isClosed(o: Pick<Obligation, 'status'>): boolean {
  return o.status === 'done' || o.status === 'waived' || o.status === 'cancelled';
}

/** Obligations with their due date (red when overdue), status, basis and row actions. */
export function ObligationTable({
  items,
  loading,
  showCertificate = true,
  canAct,
  pageSize = 20,
  onPageSize,
  selectedIds,
  onSelect,
}: {
  items: Obligation[];
  loading?: boolean;
  showCertificate?: boolean;
  canAct: boolean;
  pageSize?: number;
  /** With this, the pager offers 20, 50 or 100 rows a page. */
  onPageSize?: (size: number) => void;
  /** With these, open rows get checkboxes for bulk actions. */
  selectedIds?: string[];
  onSelect?: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const phone = usePhone();
  const title = (o: Obligation) => (
    <Space orientation="vertical" size={2}>
      <Typography.Text strong>{obligationTitle(o)}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {obligationBasis(o)}
        {o.source ? ` · ${t('obligations.source')} ${obligationSource(o)}` : ''}
      </Typography.Text>
    </Space>
  );
  const certificate = (o: Obligation) => (
    <Space orientation="vertical" size={0}>
      <Link to={`/orgs/${o.orgId}/certificates/${o.certificateId}`}>{o.certificateNumber}</Link>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {o.orgName} · {levelLabel(o.level)}
      </Typography.Text>
    </Space>
  );
  const due = (o: Obligation) => (
    <Space orientation="vertical" size={2}>
      <Typography.Text type={o.overdue ? 'danger' : undefined} strong={o.overdue}>
        <DueText o={o} />
      </Typography.Text>
      <Space size={4} wrap>
        {o.overdue ? <Tag color="error">{t('obligations.overdue')}</Tag> : null}
        <ProvisionalTag obligation={o} />
      </Space>
      {o.nextReminderAt ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {/* A time already past is waiting for the next reminder sweep, not history. */}
          {Date.parse(o.nextReminderAt) > Date.now()
            ? t('obligations.nextReminder', { time: formatInstant(o.nextReminderAt) })
            : t('obligations.reminderQueued')}
        </Typography.Text>
      ) : null}
    </Space>
  );
  const status = (o: Obligation) => (
    <Space orientation="vertical" size={2}>
      <StatusTag status={o.status} obligation={o} />
      {o.status === 'cancelled' ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="cancel-reason">
          {o.cancelledOn ? `${t('obligations.cancelledOn', { date: o.cancelledOn })}：` : ''}
          {cancelReason(o)}
        </Typography.Text>
      ) : null}
      {o.completedOn ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('obligations.completedOnShort', { date: o.completedOn })}
        </Typography.Text>
      ) : null}
      {o.satisfiedOn ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('obligations.satisfiedOn', { date: o.satisfiedOn })}
        </Typography.Text>
      ) : null}
      {o.waivedReason ? (
        <Tooltip title={o.waivedReason}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
            {o.waivedReason}
          </Typography.Text>
        </Tooltip>
      ) : null}
      {o.note ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('obligations.note')}：{o.note}
        </Typography.Text>
      ) : null}
      {o.files.map((f) => (
        <a key={f.id} href={fileUrl(o.orgId, f.id)} style={{ fontSize: 12 }}>
          <PaperClipOutlined /> {f.name}
        </a>
      ))}
    </Space>
  );
  const assignee = (name: string | null) =>
    name ?? <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  // On a phone each obligation is one card-like row: a six-column table does not fit 390 px.
  const columns: TableColumnsType<Obligation> = phone
    ? [
        {
          key: 'card',
          render: (_: unknown, o) => (
            <Space orientation="vertical" size={6} style={{ width: '100%' }}>
              {title(o)}
              {showCertificate ? certificate(o) : null}
              {due(o)}
              <Space size={8} wrap align="start">
                {status(o)}
                <Typography.Text type="secondary">
                  {t('obligations.assignee')}：{o.assigneeName ?? t('common.none')}
                </Typography.Text>
              </Space>
              {canAct ? <ObligationActions obligation={o} /> : null}
            </Space>
          ),
        },
      ]
    : [
        { title: t('obligations.obligation'), key: 'title', render: (_: unknown, o) => title(o) },
        ...(showCertificate
          ? [
              {
                title: t('obligations.certificate'),
                key: 'certificate',
                render: (_: unknown, o: Obligation) => certificate(o),
              },
            ]
          : []),
        {
          title: t('obligations.due'),
          key: 'due',
          width: 180,
          sorter: (a: Obligation, b: Obligation) => (a.dueAt ?? a.dueDate).localeCompare(b.dueAt ?? b.dueDate),
          defaultSortOrder: 'ascend' as const,
          render: (_: unknown, o: Obligation) => due(o),
        },
        {
          title: t('obligations.status'),
          dataIndex: 'status',
          width: 130,
          render: (_: unknown, o: Obligation) => status(o),
        },
        { title: t('obligations.assignee'), dataIndex: 'assigneeName', width: 100, render: assignee },
        ...(canAct
          ? [
              {
                title: t('common.actions'),
                key: 'actions',
                width: 210,
                render: (_: unknown, o: Obligation) => <ObligationActions obligation={o} />,
              },
            ]
          : []),
      ];
  return (
    <Table<Obligation>
      aria-label={t('obligations.table')}
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      locale={{ emptyText: t('obligations.empty') }}
      pagination={
        onPageSize
          ? {
              pageSize,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              onShowSizeChange: (_, size) => onPageSize(size),
              hideOnSinglePage: false,
            }
          : items.length > pageSize
            ? { pageSize, showSizeChanger: false }
            : false
      }
      rowSelection={
        canAct && selectedIds && onSelect
          ? {
              selectedRowKeys: selectedIds,
              onChange: (keys) => onSelect(keys.map(String)),
              getCheckboxProps: (o) => ({ disabled: isClosed(o) }),
              preserveSelectedRowKeys: true,
            }
          : undefined
      }
      showHeader={!phone}
      columns={columns}
    />
  );
}
