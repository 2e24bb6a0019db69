import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useOrgs } from '../../api/orgs';
import { useWorkspace } from '../../state/workspace';

/** Placeholder dashboard (工作台): a welcome and the number of organisations. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const { me, workspace } = useWorkspace();
  const orgs = useOrgs(workspace?.id);
  return (
    <>
      <Typography.Title level={3}>{t('dashboard.welcome', { name: me.user.name })}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 720 }}>
        {t('dashboard.intro')}
      </Typography.Paragraph>
      {workspace ? (
        <Row gutter={16}>
          <Col xs={24} sm={12} lg={8}>
            <Card>
              <Statistic title={t('dashboard.workspace')} value={workspace.name} />
            </Card>
          </Col>
          <Col xs={24} sm={12} lg={8}>
            <Link to="/orgs">
              <Card hoverable>
                <Statistic title={t('dashboard.orgCount')} value={orgs.data?.length ?? '…'} loading={orgs.isPending} />
              </Card>
            </Link>
          </Col>
        </Row>
      ) : (
        <Typography.Paragraph>{t('dashboard.noWorkspace')}</Typography.Paragraph>
      )}
    </>
  );
}
