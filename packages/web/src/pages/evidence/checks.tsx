import { CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Badge, Card, Empty, List, Result, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useChecks } from '../../api/evidence';
import type { CheckFlag } from '../../api/types';
import { PageError, PageLoading } from '../../components/page-loading';
import { currentLanguage } from '../../i18n';

const SEVERITIES = ['error', 'warning'] as const satisfies readonly CheckFlag['severity'][];

/** 真实性检查: what an assessor would question, grouped by severity, each linking to the record to fix. */
export function ChecksPanel({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const checks = useChecks(orgId);
  if (checks.isPending) return <PageLoading />;
  if (checks.isError) return <PageError error={checks.error} onRetry={() => void checks.refetch()} />;
  const flags = checks.data;
  if (flags.length === 0) {
    return <Result status="success" title={t('checks.none')} subTitle={t('checks.noneHelp')} />;
  }
  const en = currentLanguage() === 'en';
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('checks.intro')}
      </Typography.Paragraph>
      {SEVERITIES.map((severity) => {
        const group = flags.filter((f) => f.severity === severity);
        return (
          <Card
            key={severity}
            size="small"
            title={
              <Space>
                {severity === 'error' ? (
                  <CloseCircleFilled style={{ color: '#ff4d4f' }} />
                ) : (
                  <ExclamationCircleFilled style={{ color: '#faad14' }} />
                )}
                {t(`checks.severities.${severity}`)}
                <Badge count={group.length} showZero color={severity === 'error' ? 'red' : 'orange'} />
              </Space>
            }
          >
            {group.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('checks.groupEmpty')} />
            ) : (
              <List
                aria-label={t(`checks.severities.${severity}`)}
                dataSource={group}
                renderItem={(flag) => (
                  <List.Item
                    key={`${flag.code}-${flag.recordId}`}
                    data-testid="check-flag"
                    actions={[
                      <Link key="open" to={flag.link}>
                        {t('checks.open', { name: flag.recordLabel })}
                      </Link>,
                    ]}
                  >
                    <List.Item.Meta
                      title={
                        <Space wrap>
                          <Tag>{t(`checks.recordTypes.${flag.recordType}`)}</Tag>
                          <Typography.Text strong>{flag.recordLabel}</Typography.Text>
                          <Typography.Text type="secondary">{t(`checks.codes.${flag.code}`)}</Typography.Text>
                        </Space>
                      }
                      description={en ? flag.messageEn : flag.message}
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        );
      })}
    </Space>
  );
}
