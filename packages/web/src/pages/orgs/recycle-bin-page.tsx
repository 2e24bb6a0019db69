import { DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { usePurgeOrg, useRecycleBin, useRestoreOrg } from '../../api/orgs';
import { canManageWorkspace } from '../../api/types';
import { formatInstant } from '../../components/domain';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';
import NotFoundPage from '../not-found/not-found-page';

type Binned = NonNullable<ReturnType<typeof useRecycleBin>['data']>['items'][number];

/** Deleted organisations of the workspace: restore within 30 days, or delete for good (admins). */
export default function RecycleBinPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { workspace, role } = useWorkspace();
  const allowed = canManageWorkspace(role);
  const bin = useRecycleBin(allowed ? workspace?.id : undefined);
  const restore = useRestoreOrg(workspace?.id ?? '');
  const purge = usePurgeOrg(workspace?.id ?? '');
  if (!allowed) return <NotFoundPage />;

  const onRestore = async (org: Binned) => {
    try {
      await restore.mutateAsync(org.id);
      void message.success(t('orgs.recycleBin.restored', { name: org.name }));
    } catch (err) {
      void message.error(describeError(err));
    }
  };
  const onPurge = async (org: Binned) => {
    try {
      await purge.mutateAsync(org.id);
      void message.success(t('orgs.recycleBin.purged', { name: org.name }));
    } catch (err) {
      void message.error(describeError(err));
    }
  };

  return (
    <>
      <PageHeader title={t('orgs.recycleBin.title')} />
      {bin.data ? (
        <Typography.Paragraph type="secondary">
          {t('orgs.recycleBin.intro', { days: bin.data.recycleDays })}
        </Typography.Paragraph>
      ) : null}
      {bin.isError ? (
        <PageError error={bin.error} onRetry={() => void bin.refetch()} />
      ) : (
        <Table<Binned>
          aria-label={t('orgs.recycleBin.table')}
          rowKey="id"
          loading={bin.isPending}
          dataSource={bin.data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('orgs.recycleBin.empty') }}
          columns={[
            { title: t('orgs.recycleBin.name'), dataIndex: 'name' },
            { title: t('orgs.recycleBin.creditCode'), dataIndex: 'creditCode' },
            { title: t('orgs.recycleBin.deletedAt'), dataIndex: 'deletedAt', render: (v: string) => formatInstant(v) },
            {
              title: t('orgs.recycleBin.deletedBy'),
              dataIndex: 'deletedBy',
              render: (v: string | null) => v ?? t('common.none'),
            },
            { title: t('orgs.recycleBin.purgeAt'), dataIndex: 'purgeAt', render: (v: string) => formatInstant(v) },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, org) => (
                <Space wrap>
                  <Button
                    size="small"
                    icon={<UndoOutlined />}
                    loading={restore.isPending && restore.variables === org.id}
                    onClick={() => void onRestore(org)}
                  >
                    {t('orgs.recycleBin.restore')}
                  </Button>
                  <Popconfirm
                    title={t('orgs.recycleBin.purgeConfirm', { name: org.name })}
                    okText={t('orgs.recycleBin.purge')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => onPurge(org)}
                  >
                    <Button
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      loading={purge.isPending && purge.variables === org.id}
                    >
                      {t('orgs.recycleBin.purge')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
