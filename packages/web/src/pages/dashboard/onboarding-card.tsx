import { CheckCircleFilled } from '@ant-design/icons';
import { Button, Card, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useOnboarding } from '../../api/obligations';
import { CreateDemoButton } from '../../components/demo-banner';
import { useWorkspace } from '../../state/workspace';

const STEPS = ['org', 'certificate', 'history', 'evidence', 'channel'] as const;

const hiddenKey = (workspaceId: string) => `zizhi.onboarding.hidden.${workspaceId}`;

/**
 * The first steps of a new workspace, each a link to where it is taken: an organisation, its
 * certificate, the certificate's history, evidence, a channel for reminders. Shown until every
 * step is taken or someone hides it (in this browser).
 */
export function OnboardingCard({ workspaceId, isAdmin }: { workspaceId: string; isAdmin: boolean }) {
  const { t } = useTranslation();
  const onboarding = useOnboarding(workspaceId);
  const { me, workspaces } = useWorkspace();
  const [hidden, setHidden] = useState(() => localStorage.getItem(hiddenKey(workspaceId)) === '1');
  const data = onboarding.data;
  if (!data || hidden) return null;
  const done = STEPS.filter((s) => data.steps[s]).length;
  if (done === STEPS.length) return null;

  const orgPath = data.firstOrgId ? `/orgs/${data.firstOrgId}` : '/orgs';
  const links: Record<(typeof STEPS)[number], string | null> = {
    org: '/orgs',
    certificate: orgPath,
    history: data.firstCertificate
      ? `/orgs/${data.firstCertificate.orgId}/certificates/${data.firstCertificate.id}`
      : orgPath,
    evidence: data.firstOrgId ? `/orgs/${data.firstOrgId}/evidence` : '/orgs',
    channel: isAdmin ? '/settings/notifications' : null,
  };
  const current = STEPS.findIndex((s) => !data.steps[s]);

  return (
    <Card
      title={t('onboarding.title', { done, total: STEPS.length })}
      extra={
        <Button
          type="link"
          onClick={() => {
            localStorage.setItem(hiddenKey(workspaceId), '1');
            setHidden(true);
          }}
        >
          {t('onboarding.hide')}
        </Button>
      }
      data-testid="onboarding"
    >
      <Typography.Paragraph type="secondary">{t('onboarding.intro')}</Typography.Paragraph>
      {me.user.isAdmin && !workspaces.some((w) => w.demo) ? (
        <Typography.Paragraph type="secondary">
          <Space wrap>
            {t('onboarding.demoHint')}
            <CreateDemoButton />
          </Space>
        </Typography.Paragraph>
      ) : null}
      <Steps
        orientation="vertical"
        size="small"
        current={current}
        items={STEPS.map((s) => ({
          status: data.steps[s] ? 'finish' : s === STEPS[current] ? 'process' : 'wait',
          icon: data.steps[s] ? <CheckCircleFilled /> : undefined,
          title:
            links[s] && !data.steps[s] ? (
              <Link to={links[s]}>{t(`onboarding.steps.${s}`)}</Link>
            ) : (
              t(`onboarding.steps.${s}`)
            ),
          content: t(`onboarding.help.${s}`),
        }))}
      />
    </Card>
  );
}
