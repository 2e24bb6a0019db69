import { FolderOpenOutlined } from '@ant-design/icons';
import { Button, Card, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { EVIDENCE_SECTIONS } from './sections';

/** The evidence area as reached from an organisation's profile. */
export function OrgEvidenceLinks({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card
      title={
        <Space>
          <FolderOpenOutlined />
          {t('nav.evidence')}
        </Space>
      }
      style={{ marginTop: 16 }}
    >
      <Typography.Paragraph type="secondary">{t('evidence.profileIntro')}</Typography.Paragraph>
      <Space wrap>
        {EVIDENCE_SECTIONS.map((section) => (
          <Button
            key={section}
            type={section === 'readiness' ? 'primary' : 'default'}
            onClick={() => void navigate(`/orgs/${orgId}/evidence/${section}`)}
          >
            {t(`evidence.sections.${section}`)}
          </Button>
        ))}
      </Space>
    </Card>
  );
}
