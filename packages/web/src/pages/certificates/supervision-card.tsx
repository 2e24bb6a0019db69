import {
  CheckCircleFilled,
  DeleteOutlined,
  DownloadOutlined,
  ExclamationCircleFilled,
  FileZipOutlined,
  PlusOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Dropdown,
  Flex,
  InputNumber,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import {
  useCapabilityCatalogue,
  useSaveSupervisionPlan,
  useSupervisionPlan,
  supervisionPackUrl,
  supervisionPlanFileUrl,
  type CatalogueItem,
  type PlanInput,
  type SupervisionPlan,
} from '../../api/supervision';
import type { CertificateDetail } from '../../api/types';
import { fromDay, toDay } from '../../components/domain';
import { FormError } from '../../components/form-error';
import { currentLanguage } from '../../i18n';
import { VisitResultsModal } from './supervision-results';
import { AssessmentTimeline } from './assessment-timeline';
import { useOrg } from '../../api/orgs';

interface VisitDraft {
  date: string | null;
  personDays: number | null;
}

/** The form starts from the saved plan, else from the supervisions the engine expects. */
function initialDraft(plan: SupervisionPlan): { initial: number | null; visits: VisitDraft[] } {
  if (plan.saved) {
    return {
      initial: plan.initialPersonDays,
      visits: plan.visits.map((v) => ({ date: v.date, personDays: v.personDays })),
    };
  }
  const suggested: VisitDraft[] = plan.suggestedDates.map((s) => ({ date: s.date, personDays: null }));
  while (suggested.length < 2) suggested.push({ date: null, personDays: null });
  return { initial: null, visits: suggested };
}

/**
 * A CS3+ certificate's supervision plan: the initial assessment's person-days and the visits; the
 * planner shares the capability items between them, and the matrix shows which visit covers each
 * item (a click moves it), what is covered, planned or missing, and what breaks the rules.
 */
export function SupervisionPlanCard({ cert, canEdit }: { cert: CertificateDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const plan = useSupervisionPlan(cert.orgId, cert.id);
  const org = useOrg(cert.orgId);
  const catalogue = useCapabilityCatalogue(org.data?.workspaceId);
  return (
    <Card
      title={
        <Space>
          <SafetyCertificateOutlined />
          {t('supervision.title')}
        </Space>
      }
      extra={
        <Space wrap>
          {plan.data?.saved ? (
            <Dropdown
              menu={{
                items: (['xlsx', 'docx', 'pdf'] as const).map((format) => ({
                  key: format,
                  label: (
                    <a href={supervisionPlanFileUrl(cert.orgId, cert.id, format)}>
                      {t(`supervision.export.${format}`)}
                    </a>
                  ),
                })),
              }}
            >
              <Button icon={<DownloadOutlined />}>{t('supervision.export.title')}</Button>
            </Dropdown>
          ) : null}
          <Button icon={<FileZipOutlined />} href={supervisionPackUrl(cert.orgId, cert.id)}>
            {t('supervision.pack')}
          </Button>
        </Space>
      }
      style={{ marginTop: 16 }}
      data-testid="supervision-card"
      loading={plan.isPending || catalogue.isPending || org.isPending}
    >
      {plan.isError || catalogue.isError ? (
        <Alert type="error" showIcon title={describeError(plan.error ?? catalogue.error)} />
      ) : plan.data && catalogue.data ? (
        <PlanEditor
          // A new form when the plan itself changes, not when results are recorded on it (a dialog stays open).
          key={JSON.stringify([plan.data.initialPersonDays, plan.data.visits.map((v) => [v.date, v.personDays])])}
          cert={cert}
          plan={plan.data}
          items={catalogue.data.versions.find((v) => v.id === plan.data.catalogueVersion)?.items ?? []}
          canEdit={canEdit}
        />
      ) : null}
      <AssessmentTimeline cert={cert} kinds={['supervision']} canEdit={canEdit} />
    </Card>
  );
}

function PlanEditor({
  cert,
  plan,
  items,
  canEdit,
}: {
  cert: CertificateDetail;
  plan: SupervisionPlan;
  items: CatalogueItem[];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const english = currentLanguage() === 'en';
  const save = useSaveSupervisionPlan(cert.orgId, cert.id);
  const start = useMemo(() => initialDraft(plan), [plan]);
  const [initial, setInitial] = useState(start.initial);
  const [visits, setVisits] = useState<VisitDraft[]>(start.visits);
  const [error, setError] = useState<string | null>(null);

  const send = async (input: PlanInput) => {
    setError(null);
    try {
      await save.mutateAsync(input);
      void message.success(t('supervision.saved'));
    } catch (err) {
      setError(describeError(err));
    }
  };
  const onPlan = () => {
    if (initial === null || visits.some((v) => v.date === null || v.personDays === null)) {
      setError(t('supervision.fillAll'));
      return;
    }
    void send({
      initialPersonDays: initial,
      visits: visits.map((v) => ({ date: v.date!, personDays: v.personDays! })),
    });
  };
  /** Moves one item to visit `to`, keeping every other placement as it is shown. */
  const moveItem = (itemId: string, to: number) =>
    void send({
      initialPersonDays: plan.initialPersonDays!,
      visits: plan.visits.map((v, i) => ({
        date: v.date,
        personDays: v.personDays,
        itemIds: i === to ? [...v.itemIds, itemId] : v.itemIds.filter((id) => id !== itemId),
      })),
    });

  const [resultsOf, setResultsOf] = useState<number | null>(null);
  const visitOf = new Map(plan.visits.flatMap((v, i) => v.itemIds.map((id) => [id, i] as const)));
  const resultOf = (date: string, itemId: string) =>
    plan.results.find((r) => r.date === date)?.items.find((x) => x.itemId === itemId)?.result;
  const evidenceOf = new Map(plan.evidence.map((e) => [e.itemId, e]));
  const label = (item: CatalogueItem) => (english ? item.en : item);
  const status = (id: string) => {
    const at = visitOf.get(id);
    if (at === undefined) return 'missing';
    return plan.visits[at]!.past ? 'covered' : 'planned';
  };
  const STATUS_COLOR = { covered: 'green', planned: 'blue', missing: 'red' } as const;

  return (
    <>
      <Typography.Paragraph type="secondary">{t('supervision.help')}</Typography.Paragraph>
      {plan.saved ? null : (
        <Alert type="info" showIcon title={t('supervision.notSaved')} style={{ marginBottom: 12 }} />
      )}
      <FormError message={error} />
      <Flex gap={16} wrap align="end">
        <label>
          <div>{t('supervision.initialPersonDays')}</div>
          <InputNumber
            min={0.5}
            max={1000}
            step={0.5}
            precision={1}
            value={initial}
            disabled={!canEdit}
            onChange={(v) => setInitial(v)}
            aria-label={t('supervision.initialPersonDays')}
            suffix={t('supervision.days')}
            style={{ width: 150 }}
          />
        </label>
        {initial ? (
          <Typography.Text type="secondary">{t('supervision.minimum', { days: initial / 2 })}</Typography.Text>
        ) : null}
      </Flex>
      <Space direction="vertical" style={{ margin: '12px 0', width: '100%' }}>
        {visits.map((v, i) => (
          <Flex key={i} gap={8} wrap align="center" data-testid="supervision-visit">
            <Typography.Text strong style={{ minWidth: 110 }}>
              {t('supervision.visit', { n: i + 1 })}
            </Typography.Text>
            <DatePicker
              value={v.date ? fromDay(v.date) : null}
              disabled={!canEdit}
              onChange={(d) => setVisits(visits.map((x, k) => (k === i ? { ...x, date: d ? toDay(d) : null } : x)))}
              aria-label={t('supervision.visitDate', { n: i + 1 })}
            />
            <InputNumber
              min={0.5}
              max={1000}
              step={0.5}
              precision={1}
              value={v.personDays}
              disabled={!canEdit}
              onChange={(d) => setVisits(visits.map((x, k) => (k === i ? { ...x, personDays: d } : x)))}
              aria-label={t('supervision.visitDays', { n: i + 1 })}
              suffix={t('supervision.days')}
              style={{ width: 150 }}
            />
            {canEdit && visits.length > 1 ? (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                onClick={() => setVisits(visits.filter((_, k) => k !== i))}
                aria-label={t('supervision.removeVisit', { n: i + 1 })}
              />
            ) : null}
          </Flex>
        ))}
      </Space>
      {canEdit ? (
        <Flex gap={8} wrap>
          <Button
            icon={<PlusOutlined />}
            disabled={visits.length >= 6}
            onClick={() => setVisits([...visits, { date: null, personDays: null }])}
          >
            {t('supervision.addVisit')}
          </Button>
          <Button type="primary" onClick={onPlan} loading={save.isPending}>
            {t('supervision.plan')}
          </Button>
        </Flex>
      ) : null}

      {plan.saved ? (
        <>
          <Flex gap={8} wrap style={{ margin: '16px 0 8px' }} aria-label={t('supervision.coverage')}>
            <Tag color="green">{t('supervision.covered', { count: plan.coverage.covered })}</Tag>
            <Tag color="blue">{t('supervision.planned', { count: plan.coverage.planned })}</Tag>
            <Tag color={plan.coverage.missing ? 'red' : undefined}>
              {t('supervision.missing', { count: plan.coverage.missing })}
            </Tag>
          </Flex>
          {plan.problems.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              role="alert"
              title={t('supervision.problems')}
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {plan.problems.map((p, i) => (
                    <li key={i}>{english ? p.message.en : p.message.zh}</li>
                  ))}
                </ul>
              }
              style={{ marginBottom: 8 }}
            />
          ) : null}
          {canEdit && plan.visits.some((v) => v.past) ? (
            <Flex gap={8} wrap style={{ marginBottom: 8 }}>
              {plan.visits.map((v, i) =>
                v.past ? (
                  <Button key={v.date} onClick={() => setResultsOf(i)}>
                    {t('supervision.results.open', { n: i + 1 })}
                  </Button>
                ) : null,
              )}
            </Flex>
          ) : null}
          {resultsOf !== null ? (
            <VisitResultsModal
              cert={cert}
              plan={plan}
              visit={resultsOf}
              items={items}
              onClose={() => setResultsOf(null)}
            />
          ) : null}
          <Table<CatalogueItem>
            size="small"
            rowKey="id"
            dataSource={items}
            pagination={false}
            scroll={{ x: 'max-content' }}
            aria-label={t('supervision.matrix')}
            columns={[
              {
                title: t('supervision.domain'),
                key: 'domain',
                render: (_, item) => `${label(item).domain} · ${label(item).subdomain}`,
              },
              {
                title: t('supervision.item'),
                key: 'name',
                render: (_, item) => (
                  <Space size={4}>
                    {label(item).name}
                    {item.confidence === 'low' ? (
                      <Tooltip title={item.source}>
                        <Tag>{t('supervision.inferred')}</Tag>
                      </Tooltip>
                    ) : null}
                  </Space>
                ),
              },
              ...plan.visits.map((v, i) => ({
                title: (
                  <div style={{ whiteSpace: 'nowrap' }}>
                    {t('supervision.visit', { n: i + 1 })}
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('supervision.visitColumn', { date: v.date, days: v.personDays, count: v.capacity })}
                    </Typography.Text>
                  </div>
                ),
                key: `visit-${i}`,
                align: 'center' as const,
                render: (_: unknown, item: CatalogueItem) =>
                  resultOf(v.date, item.id) === 'finding' ? (
                    <ExclamationCircleFilled
                      style={{ color: '#fa8c16' }}
                      aria-label={t('supervision.foundOn', { item: label(item).name, n: i + 1 })}
                    />
                  ) : visitOf.get(item.id) === i || resultOf(v.date, item.id) === 'conform' ? (
                    <CheckCircleFilled
                      style={{ color: v.past ? '#52c41a' : '#1677ff' }}
                      aria-label={t('supervision.onVisit', { item: label(item).name, n: i + 1 })}
                    />
                  ) : canEdit ? (
                    <Button
                      type="text"
                      size="small"
                      disabled={save.isPending}
                      onClick={() => moveItem(item.id, i)}
                      aria-label={t('supervision.moveTo', { item: label(item).name, n: i + 1 })}
                      style={{ color: '#bfbfbf' }}
                    >
                      ○
                    </Button>
                  ) : null,
              })),
              {
                title: t('supervision.evidence'),
                key: 'evidence',
                render: (_, item) => {
                  const e = evidenceOf.get(item.id);
                  if (!e) return null;
                  return (
                    <Space size={4} wrap>
                      <span>{t('supervision.files', { count: e.files })}</span>
                      {e.gap ? (
                        <Tooltip title={english ? e.gap.en : e.gap.zh}>
                          <Tag color="orange">{t('supervision.gap')}</Tag>
                        </Tooltip>
                      ) : null}
                    </Space>
                  );
                },
              },
              {
                title: t('supervision.status'),
                key: 'status',
                render: (_, item) => {
                  const s = status(item.id);
                  return <Tag color={STATUS_COLOR[s]}>{t(`supervision.statuses.${s}`)}</Tag>;
                },
              },
            ]}
          />
        </>
      ) : null}
    </>
  );
}
