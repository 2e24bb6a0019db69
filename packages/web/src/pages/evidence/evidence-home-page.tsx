import { Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { useOrgs } from '../../api/orgs';
import type { Org } from '../../api/types';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';

/** `/evidence`: evidence is kept per organisation, so pick one (or go straight to the only one). */
export default function EvidenceHomePage() {
  const { t } = useTranslation();
  const { workspace } = useWorkspace();
  const orgs = useOrgs(workspace?.id);
  if (orgs.isError) return <PageError error={orgs.error} onRetry={() => void orgs.refetch()} />;
  const items = orgs.data ?? [];
  if (items.length === 1) return <Navigate to={`/orgs/${items[0]!.id}/evidence/projects`} replace />;
  return (
    <>
      <PageHeader title={t('nav.evidence')} />
      <Typography.Paragraph type="secondary">{t('evidence.pickOrg')}</Typography.Paragraph>
      <Table<Org>
        aria-label={t('orgs.table')}
        rowKey="id"
        loading={orgs.isPending}
        dataSource={items}
        pagination={items.length > 20 ? { pageSize: 20 } : false}
        locale={{ emptyText: t('orgs.empty') }}
        columns={[
          {
            title: t('orgs.name'),
            dataIndex: 'name',
            render: (name: string, o) => <Link to={`/orgs/${o.id}/evidence/projects`}>{name}</Link>,
          },
          {
            title: t('evidence.sectionsTitle'),
            key: 'sections',
            render: (_: unknown, o) => (
              <Space wrap>
                {(['staff', 'financial-years', 'checks', 'readiness'] as const).map((s) => (
                  <Link key={s} to={`/orgs/${o.id}/evidence/${s}`}>
                    {t(`evidence.sections.${s}`)}
                  </Link>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
