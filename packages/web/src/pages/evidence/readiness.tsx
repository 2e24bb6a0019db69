import { LEVELS, type Level } from '@zizhi/core';
import {
  Alert,
  Card,
  Collapse,
  DatePicker,
  Descriptions,
  Flex,
  List,
  Select,
  Space,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { evidencePath } from '../../api/evidence';
import { useReadiness } from '../../api/readiness';
import type { EvidenceRef, Org, Readiness, RequirementResult, RequirementStatus } from '../../api/types';
import { chinaToday, formatMoney, fromDay, toDay, useLevelLabel } from '../../components/domain';
import { PageError, PageLoading } from '../../components/page-loading';
import { currentLanguage } from '../../i18n';

const UNITS = ['years', 'yuan', 'items', 'people', 'projects', 'percent', 'certificates', 'records'] as const;
type Unit = (typeof UNITS)[number];
const isUnit = (unit: string): unit is Unit => (UNITS as readonly string[]).includes(unit);

const LIGHT: Record<RequirementStatus, string> = { met: '#52c41a', 'not-met': '#ff4d4f', unknown: '#bfbfbf' };
const TAG: Record<RequirementStatus, string> = { met: 'success', 'not-met': 'error', unknown: 'default' };

/** A sentence in the UI's language. */
const say = (text: { zh: string; en: string } | null | undefined) =>
  text ? (currentLanguage() === 'en' ? text.en : text.zh) : '';

/** The forecast's reason without its leading date, which the sentence around it already gives. */
function reasonText(forecast: NonNullable<RequirementResult['forecast']>): string {
  const text = say(forecast.reason);
  const date = forecast.date.replace(/-/g, '\\-');
  return text.replace(new RegExp(`^(${date}\\s*起\\s*|From ${date}:\\s*)`), '') || text;
}

/** 达标评估: a level's requirements on a day, traffic lights, gaps, evidence and forecast. */
export function ReadinessPanel({ org }: { org: Org }) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const [params, setParams] = useSearchParams();
  const chosen = params.get('level');
  const level = (LEVELS as readonly string[]).includes(chosen ?? '') ? (chosen as Level) : undefined;
  const at = params.get('at') ?? chinaToday();
  // Without a chosen level the server answers for the current certificate's level and names it.
  const readiness = useReadiness(org.id, level ? { level, at } : { at });
  const current = readiness.data?.currentLevel ?? undefined;
  const upgrade = readiness.data?.upgradeLevel ?? undefined;

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const levelOption = (l: Level) =>
    l === current
      ? t('readiness.currentOption', { level: levelLabel(l) })
      : l === upgrade
        ? t('readiness.upgradeOption', { level: levelLabel(l) })
        : levelLabel(l);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Flex gap={16} wrap align="center">
        <Space>
          <Typography.Text>{t('readiness.level')}</Typography.Text>
          <Select<Level>
            aria-label={t('readiness.level')}
            value={level ?? readiness.data?.level}
            loading={readiness.isPending}
            onChange={(l) => setParam('level', l)}
            options={LEVELS.map((l) => ({ value: l, label: levelOption(l) }))}
            style={{ minWidth: 220 }}
          />
        </Space>
        <Space>
          <Typography.Text>{t('readiness.at')}</Typography.Text>
          <DatePicker
            aria-label={t('readiness.at')}
            value={fromDay(at)}
            format="YYYY-MM-DD"
            allowClear={false}
            onChange={(d) => setParam('at', d ? toDay(d) : null)}
          />
        </Space>
      </Flex>
      {readiness.data && !current ? <Alert type="info" showIcon title={t('readiness.noCertificate')} /> : null}
      {readiness.isError ? (
        <PageError error={readiness.error} onRetry={() => void readiness.refetch()} />
      ) : !readiness.data ? (
        <PageLoading />
      ) : (
        <ReadinessResultView orgId={org.id} result={readiness.data} />
      )}
    </Space>
  );
}

function StatusLight({ status }: { status: RequirementStatus }) {
  const { t } = useTranslation();
  return (
    <span
      role="img"
      aria-label={t(`readiness.statuses.${status}`)}
      style={{
        display: 'inline-block',
        width: 14,
        height: 14,
        borderRadius: '50%',
        background: LIGHT[status],
        boxShadow: `0 0 0 3px ${LIGHT[status]}33`,
        marginTop: 4,
      }}
    />
  );
}

function ReadinessResultView({ orgId, result }: { orgId: string; result: Readiness }) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  return (
    <>
      <Card size="small">
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('readiness.overall')}>
            <Space>
              <StatusLight status={result.status} />
              <Tag color={TAG[result.status]} data-testid="readiness-overall">
                {t(`readiness.overallStatuses.${result.status}`, { level: levelLabel(result.level) })}
              </Tag>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('readiness.counts')}>
            {t('readiness.countsText', {
              met: result.counts.met,
              notMet: result.counts.notMet,
              unknown: result.counts.unknown,
            })}
          </Descriptions.Item>
          <Descriptions.Item label={t('readiness.window')}>
            {t('readiness.windowText', {
              label: say(result.window.label),
              from: result.window.from,
              to: result.window.to,
            })}
          </Descriptions.Item>
          <Descriptions.Item label={t('readiness.stopsBeingMet')}>
            {result.stopsBeingMet
              ? t('readiness.stopsBeingMetOn', { date: result.stopsBeingMet.date })
              : result.horizon
                ? t('readiness.stableUntil', { date: result.horizon })
                : t('common.none')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <List
        aria-label={t('readiness.requirements')}
        itemLayout="horizontal"
        dataSource={result.requirements}
        renderItem={(r) => <RequirementItem orgId={orgId} r={r} />}
      />
      {result.skipped.length > 0 ? (
        <Typography.Text type="secondary">
          {t('readiness.skipped', {
            names: result.skipped.map((s) => say(s.label)).join(t('readiness.listSeparator')),
          })}
        </Typography.Text>
      ) : null}
      <NextAssessment result={result} />
    </>
  );
}

/** "≥ 3 个" / "≥ 80,000,000.00 元": a value in the requirement's unit. */
function useFormatValue() {
  const { t } = useTranslation();
  return (value: number | string | null, unit: RequirementResult['unit']) => {
    if (value === null) return t('readiness.noValue');
    const shown = unit === 'yuan' ? formatMoney(String(value)) : String(value);
    return isUnit(unit) ? t(`readiness.units.${unit}`, { value: shown }) : `${shown} ${unit}`;
  };
}

function RequirementItem({ orgId, r }: { orgId: string; r: RequirementResult }) {
  const { t } = useTranslation();
  const format = useFormatValue();
  return (
    <List.Item data-testid={`requirement-${r.kind}`} aria-label={say(r.label)}>
      <List.Item.Meta
        avatar={<StatusLight status={r.status} />}
        title={
          <Space wrap>
            <Typography.Text strong>{say(r.label)}</Typography.Text>
            <Tag color={TAG[r.status]}>{t(`readiness.statuses.${r.status}`)}</Tag>
            <Tooltip title={r.source}>
              <Tag variant="outlined">{r.advisory ? t('readiness.advisory') : t('readiness.official')}</Tag>
            </Tooltip>
          </Space>
        }
        description={
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            {/* A condition (legal entity, no adverse records) has no threshold: its summary says it all. */}
            {r.threshold === null ? null : (
              <Typography.Text data-testid="requirement-value">
                {t('readiness.valueVsThreshold', {
                  value: format(r.value, r.unit),
                  operator: r.operator === '>' ? '>' : '≥',
                  threshold: format(r.threshold, r.unit),
                })}
                {r.parts
                  ? t('readiness.parts', { numerator: r.parts.numerator, denominator: r.parts.denominator })
                  : ''}
              </Typography.Text>
            )}
            {r.missing && say(r.missing) === say(r.summary) ? null : (
              <Typography.Text type="secondary">{say(r.summary)}</Typography.Text>
            )}
            {r.gap ? <Typography.Text type="danger">{t('readiness.gap', { text: say(r.gap) })}</Typography.Text> : null}
            {r.missing ? (
              <Typography.Text type="warning">{t('readiness.missing', { text: say(r.missing) })}</Typography.Text>
            ) : null}
            {r.forecast ? (
              <Typography.Text type={r.status === 'met' ? 'warning' : 'secondary'} data-testid="requirement-forecast">
                {r.status === 'met' && r.forecast.status !== 'met'
                  ? t('readiness.forecastStops', { date: r.forecast.date, reason: reasonText(r.forecast) })
                  : t('readiness.forecastChange', {
                      date: r.forecast.date,
                      status: t(`readiness.statuses.${r.forecast.status}`),
                      reason: reasonText(r.forecast),
                    })}
              </Typography.Text>
            ) : null}
            {r.evidence.length > 0 ? (
              <Collapse
                size="small"
                ghost
                items={[
                  {
                    key: 'evidence',
                    label: t('readiness.evidence', { count: r.evidence.length }),
                    children: (
                      <Space wrap size={[8, 4]}>
                        {r.evidence.map((e) => (
                          <EvidenceLink key={`${e.type}-${e.id}`} orgId={orgId} e={e} />
                        ))}
                      </Space>
                    ),
                  },
                ]}
              />
            ) : null}
          </Space>
        }
      />
    </List.Item>
  );
}

/** Where each kind of counted evidence is edited: its section, and whether the record opens by id. */
const EVIDENCE_PLACES: Readonly<Record<EvidenceRef['type'], { section: string; byId: boolean }>> = {
  project: { section: 'projects', byId: true },
  staff: { section: 'staff', byId: true },
  qualification: { section: 'staff', byId: false },
  'financial-year': { section: 'financial-years', byId: false },
  ip: { section: 'ip', byId: true },
  'management-certificate': { section: 'management-certificates', byId: true },
  standard: { section: 'standards', byId: true },
  'legal-entity': { section: 'eligibility', byId: false },
  'adverse-record': { section: 'eligibility', byId: true },
};

/** A counted piece of evidence, linking to where it is edited. */
function EvidenceLink({ orgId, e }: { orgId: string; e: EvidenceRef }) {
  const place = EVIDENCE_PLACES[e.type];
  const to = evidencePath(orgId, place.section, place.byId ? e.id : undefined);
  return (
    <Link to={to}>
      <Tag>{e.label}</Tag>
    </Link>
  );
}

/** Readiness on the day of the certificate's next supervision or renewal, with the evidence as it stands. */
function NextAssessment({ result }: { result: Readiness }) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const next = result.next;
  if (!next) return null;
  return (
    <Card size="small" title={t('readiness.nextTitle', { occasion: say(next.title), date: next.date })}>
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Space>
          <StatusLight status={next.status} />
          <Typography.Text data-testid="readiness-next">
            {t(`readiness.overallStatuses.${next.status}`, { level: levelLabel(result.level) })}
            {' · '}
            {t('readiness.countsText', {
              met: next.counts.met,
              notMet: next.counts.notMet,
              unknown: next.counts.unknown,
            })}
          </Typography.Text>
        </Space>
        {next.notMet.map((r) => (
          <Space key={r.id} align="start">
            <StatusLight status={r.status} />
            <Typography.Text>
              {t('readiness.labelStatus', { label: say(r.label), status: t(`readiness.statuses.${r.status}`) })}
            </Typography.Text>
          </Space>
        ))}
      </Space>
    </Card>
  );
}
