import { CASE_TEMPLATES } from '@zizhi/core';
import { Card, List, Progress, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useWorkspaceCases } from '../../api/cases';
import { describeError } from '../../api/errors';
import { currentLanguage } from '../../i18n';

/**
 * 办理中的事项 on the dashboard: each open case with how far it has come, a rectification with its
 * actions done, and what is due next.
 */
export function OpenCasesCard({
  workspaceId,
  orgId,
  orgName,
}: {
  workspaceId: string;
  orgId: string | undefined;
  orgName: (id: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const english = currentLanguage() === 'en';
  const cases = useWorkspaceCases(workspaceId, orgId);
  const items = cases.data?.items ?? [];
  return (
    <Card title={t('dashboard.openCases')} data-testid="open-cases">
      {cases.isError ? (
        <Typography.Text type="danger" role="alert">
          {describeError(cases.error)}
        </Typography.Text>
      ) : (
        <List
          loading={cases.isPending}
          dataSource={items}
          locale={{ emptyText: t('dashboard.noOpenCases') }}
          renderItem={(c) => {
            const p = c.progress;
            const parts = c.kind === 'rectification' && p.actions > 0 ? p.actions : p.steps;
            const done = c.kind === 'rectification' && p.actions > 0 ? p.actionsDone : p.stepsDone;
            return (
              <List.Item>
                <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                  <Space wrap>
                    <Typography.Text strong>{CASE_TEMPLATES[c.kind][english ? 'en' : 'zh']}</Typography.Text>
                    <Link to={`/orgs/${c.orgId}/certificates/${c.certificateId}`}>{c.certificateNo}</Link>
                    <Typography.Text type="secondary">{orgName(c.orgId) ?? ''}</Typography.Text>
                    {c.overdue ? <Tag color="red">{t('cases.overdue')}</Tag> : null}
                    {c.nextDue ? (
                      <Typography.Text type="secondary">
                        {t('dashboard.caseNextDue', { date: c.nextDue })}
                      </Typography.Text>
                    ) : null}
                  </Space>
                  <Space wrap style={{ width: '100%' }}>
                    <Progress
                      percent={Math.round((done / Math.max(parts, 1)) * 100)}
                      size="small"
                      style={{ width: 200, margin: 0 }}
                      aria-label={t('dashboard.caseProgress')}
                    />
                    <Typography.Text type="secondary">
                      {c.kind === 'rectification' && p.actions > 0
                        ? t('dashboard.rectificationProgress', { done: p.actionsDone, total: p.actions })
                        : t('cases.progress', {
                            steps: p.stepsDone,
                            stepsTotal: p.steps,
                            materials: p.materialsDone,
                            materialsTotal: p.materials,
                          })}
                    </Typography.Text>
                  </Space>
                </Space>
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}
