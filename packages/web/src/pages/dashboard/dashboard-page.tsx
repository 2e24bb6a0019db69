import {
  AlertOutlined,
  AuditOutlined,
  ClockCircleOutlined,
  PauseCircleOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { CERTIFICATE_STATES } from '@zizhi/core';
import { Alert, Button, Card, Col, Empty, List, Row, Select, Space, Spin, Statistic, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDashboard, useTimelines } from '../../api/obligations';
import { CreateDemoButton } from '../../components/demo-banner';
import { OnboardingCard } from './onboarding-card';
import { OpenCasesCard } from './open-cases-card';
import { useOrgs } from '../../api/orgs';
import type { Dashboard, NearestDeadline, RedLine } from '../../api/types';
import { engineText, formatInstant, LEVELS, obligationTitle, StateTag, useLevelLabel } from '../../components/domain';
import { PageError } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { useWorkspace } from '../../state/workspace';

const TimelineChart = lazy(() => import('./timeline-chart'));

/** 工作台: what needs attention across the workspace's organisations (or one of them). */
export default function DashboardPage() {
  const { t } = useTranslation();
  const { me, workspace, role } = useWorkspace();
  const orgs = useOrgs(workspace?.id);
  const [orgId, setOrgId] = useState<string | undefined>();
  const dashboard = useDashboard(workspace?.id, orgId);

  if (!workspace) {
    return (
      <>
        <Typography.Title level={3}>{t('dashboard.welcome', { name: me.user.name })}</Typography.Title>
        <Typography.Paragraph>{t('dashboard.noWorkspace')}</Typography.Paragraph>
        <CreateDemoButton />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t('dashboard.welcome', { name: me.user.name })}
        extra={
          <Select
            aria-label={t('dashboard.filterOrg')}
            placeholder={t('dashboard.allOrgs')}
            allowClear
            value={orgId}
            onChange={setOrgId}
            options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
            style={{ minWidth: 240 }}
            showSearch={{ optionFilterProp: 'label' }}
          />
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 720 }}>
        {t('dashboard.intro')}
      </Typography.Paragraph>
      <OnboardingCard workspaceId={workspace.id} isAdmin={role === 'owner' || role === 'admin'} />
      {dashboard.isError ? (
        <PageError error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : dashboard.data ? (
        <DashboardView
          data={dashboard.data}
          orgCount={orgs.data?.length}
          orgName={(id) => orgs.data?.find((o) => o.id === id)?.name}
          isAdmin={me.user.isAdmin}
          workspaceId={workspace.id}
          orgId={orgId}
        />
      ) : (
        <Spin />
      )}
    </>
  );
}

function DashboardView({
  data,
  orgCount,
  orgName,
  isAdmin,
  workspaceId,
  orgId,
}: {
  data: Dashboard;
  orgCount: number | undefined;
  orgName: (id: string) => string | undefined;
  isAdmin: boolean;
  workspaceId: string;
  orgId: string | undefined;
}) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const obligationsLink = (extra: Record<string, string>) =>
    `/obligations?${new URLSearchParams({ ...(orgId ? { orgId } : {}), ...extra }).toString()}`;
  const daysAfter = (days: number) => {
    const d = new Date(`${data.asOf}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {data.unpublishedYears.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('dashboard.unpublished', { years: data.unpublishedYears.join('、') })}
          description={
            isAdmin ? (
              <Link to="/settings/calendar">{t('dashboard.unpublishedAdmin')}</Link>
            ) : (
              t('dashboard.unpublishedUser')
            )
          }
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Link to="/certificates">
            <Card hoverable>
              <Statistic
                title={t('dashboard.certificates')}
                value={data.certificates.total}
                formatter={(v) => <span data-testid="certificates-total">{v}</span>}
              />
              <Typography.Text type="secondary">
                {t('dashboard.orgCountInline', { count: orgCount ?? 0 })}
              </Typography.Text>
            </Card>
          </Link>
        </Col>
        {(
          [
            ['d7', 7],
            ['d30', 30],
            ['d90', 90],
          ] as const
        ).map(([key, days]) => (
          <Col xs={12} md={4} key={key}>
            <Link to={obligationsLink({ from: data.asOf, to: daysAfter(days) })}>
              <Card hoverable data-testid={`due-${key}`}>
                <Statistic
                  title={t('dashboard.dueIn', { days })}
                  value={data.due[key]}
                  formatter={(v) => <span data-testid={`due-${key}-value`}>{v}</span>}
                  prefix={<ClockCircleOutlined />}
                />
              </Card>
            </Link>
          </Col>
        ))}
        <Col xs={12} md={6}>
          <Link to={obligationsLink({})}>
            <Card hoverable data-testid="overdue">
              <Statistic
                title={t('dashboard.overdue')}
                value={data.overdue}
                formatter={(v) => <span data-testid="overdue-value">{v}</span>}
                prefix={<WarningOutlined />}
                styles={{ content: { color: data.overdue > 0 ? '#cf1322' : undefined } }}
              />
            </Card>
          </Link>
        </Col>
        <Col xs={12} md={6}>
          <Link to={obligationsLink({ rule: 'audit.corrective' })}>
            <Card hoverable data-testid="corrective-actions">
              <Statistic
                title={t('dashboard.correctiveActions')}
                value={data.correctiveActions.open}
                formatter={(v) => <span data-testid="corrective-actions-value">{v}</span>}
                prefix={<AuditOutlined />}
              />
              <Typography.Text type={data.correctiveActions.overdue > 0 ? 'danger' : 'secondary'}>
                {t('dashboard.correctiveOverdue', { count: data.correctiveActions.overdue })}
              </Typography.Text>
            </Card>
          </Link>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card title={t('dashboard.byState')} style={{ height: '100%' }}>
            <Space wrap size={[8, 8]} data-testid="by-state">
              {CERTIFICATE_STATES.filter((s) => (data.certificates.byState[s] ?? 0) > 0).map((s) => (
                <Space key={s} size={4}>
                  <StateTag state={s} />
                  <Typography.Text strong>{data.certificates.byState[s]}</Typography.Text>
                </Space>
              ))}
              {data.certificates.total === 0 ? (
                <Typography.Text type="secondary">{t('dashboard.noCertificates')}</Typography.Text>
              ) : null}
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={t('dashboard.byLevel')} style={{ height: '100%' }}>
            <Row gutter={8} data-testid="by-level">
              {LEVELS.map((l) => (
                <Col key={l} flex="1">
                  <Statistic title={levelLabel(l)} value={data.certificates.byLevel[l] ?? 0} />
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
      <Card
        title={
          <Space>
            <AlertOutlined style={{ color: '#cf1322' }} />
            {t('dashboard.redLines')}
          </Space>
        }
      >
        <RedLines items={data.redLines} />
        {data.redLinesTotal > data.redLines.length ? (
          <Typography.Text type="secondary">
            {t('dashboard.redLinesMore', { shown: data.redLines.length, total: data.redLinesTotal })}
          </Typography.Text>
        ) : null}
      </Card>
      <Card
        title={t('dashboard.nearest')}
        extra={<Link to={obligationsLink({ status: 'open' })}>{t('dashboard.nearestAll')}</Link>}
      >
        <NearestList items={data.nearest} />
      </Card>
      <OpenCasesCard workspaceId={workspaceId} orgId={orgId} orgName={orgName} />
      <TimelinesCard workspaceId={workspaceId} orgId={orgId} asOf={data.asOf} />
    </Space>
  );
}

/** The four-year timelines, 20 certificates at a time. */
function TimelinesCard({ workspaceId, orgId, asOf }: { workspaceId: string; orgId: string | undefined; asOf: string }) {
  const { t } = useTranslation();
  const timelines = useTimelines(workspaceId, orgId);
  const items = timelines.data?.items ?? [];
  const total = timelines.data?.total ?? 0;
  let body;
  if (timelines.isError) body = <PageError error={timelines.error} onRetry={() => void timelines.refetch()} />;
  else if (!timelines.data) body = <Spin />;
  else if (items.length === 0) body = <Empty description={t('dashboard.noCertificates')} />;
  else {
    body = (
      <>
        <TimelineLegend />
        <Suspense fallback={<Spin />}>
          <TimelineChart timelines={items} asOf={asOf} />
        </Suspense>
        {timelines.hasNextPage ? (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button loading={timelines.isFetchingNextPage} onClick={() => void timelines.fetchNextPage()}>
              {t('dashboard.timelinesMore', { shown: items.length, total })}
            </Button>
          </div>
        ) : null}
      </>
    );
  }
  return <Card title={t('dashboard.timeline')}>{body}</Card>;
}

function NearestList({ items }: { items: NearestDeadline[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <Typography.Text type="secondary">{t('dashboard.noNearest')}</Typography.Text>;
  return (
    <List<NearestDeadline>
      size="small"
      dataSource={items}
      renderItem={(n) => (
        <List.Item key={n.obligationId}>
          <Space wrap>
            <Typography.Text>{n.dueAt ? formatInstant(n.dueAt) : n.dueDate}</Typography.Text>
            <Typography.Text strong>{obligationTitle(n)}</Typography.Text>
            <Link to={`/orgs/${n.orgId}/certificates/${n.certificateId}`}>{n.certificateNumber}</Link>
            <Typography.Text type="secondary">{n.orgName}</Typography.Text>
            {n.provisional ? <Tag color="warning">{t('obligations.provisional')}</Tag> : null}
          </Space>
        </List.Item>
      )}
    />
  );
}

function TimelineLegend() {
  const { t } = useTranslation();
  return (
    <Space wrap style={{ marginBottom: 8 }}>
      {(['active', 'suspended', 'abandoned', 'expired', 'superseded'] as const).map((s) => (
        <StateTag key={s} state={s} />
      ))}
      <Typography.Text type="secondary">{t('dashboard.legend')}</Typography.Text>
    </Space>
  );
}

/** "还剩 5 小时 12 分" until an hour deadline, refreshed every 30 seconds. */
function Countdown({ dueAt }: { dueAt: string }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const left = new Date(dueAt).getTime() - now;
  if (left <= 0) return <Tag color="error">{t('dashboard.timeUp')}</Tag>;
  const minutes = Math.floor(left / 60_000);
  return (
    <Tag color={minutes < 12 * 60 ? 'error' : 'warning'} icon={<ClockCircleOutlined />}>
      {t('dashboard.countdown', { hours: Math.floor(minutes / 60), minutes: minutes % 60 })}
    </Tag>
  );
}

/** A red line's title in the UI language (older servers send the Chinese title only). */
function redLineTitle(r: RedLine): string {
  const en = (r as RedLine & { titleEn?: unknown }).titleEn;
  return typeof en === 'string' ? engineText({ zh: r.title, en }) : r.title;
}

function RedLines({ items }: { items: RedLine[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <Typography.Text type="secondary">{t('dashboard.noRedLines')}</Typography.Text>;
  const icon = (kind: RedLine['kind']) =>
    kind === 'suspended' ? (
      <PauseCircleOutlined style={{ color: '#fa8c16' }} />
    ) : kind === 'incident-report' ? (
      <AlertOutlined style={{ color: '#cf1322' }} />
    ) : (
      <WarningOutlined style={{ color: '#cf1322' }} />
    );
  return (
    <List<RedLine>
      size="small"
      dataSource={items}
      renderItem={(r) => (
        <List.Item
          key={`${r.kind}-${r.certificateId}-${r.obligationId ?? ''}`}
          extra={r.dueAt ? <Countdown dueAt={r.dueAt} /> : undefined}
        >
          <Space wrap>
            {icon(r.kind)}
            <Tag>{t(`dashboard.redLineKinds.${r.kind}`)}</Tag>
            <Typography.Text strong>{redLineTitle(r)}</Typography.Text>
            <Link to={`/orgs/${r.orgId}/certificates/${r.certificateId}`}>{r.certificateNumber}</Link>
            <Typography.Text type="secondary">{r.orgName}</Typography.Text>
            {r.dueAt ? (
              <Typography.Text type="danger">{formatInstant(r.dueAt)}</Typography.Text>
            ) : r.dueDate ? (
              <Typography.Text type="danger">{r.dueDate}</Typography.Text>
            ) : null}
          </Space>
        </List.Item>
      )}
    />
  );
}
