import { UndoOutlined } from '@ant-design/icons';
import {
  FINANCIAL_FIELD_NAMES,
  FINANCIAL_FIELDS,
  LEVELS,
  PROJECT_DATE_BASES,
  REVENUE_FIELDS,
  type Level,
  type ProjectDateBasis,
  type Requirement,
  type RequirementSet,
  type RequirementWindow,
} from '@zizhi/core';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Flex,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors';
import { useRequirementSets, useResetRequirementSet, useSaveRequirementSet } from '../../api/requirement-sets';
import { canManageWorkspace } from '../../api/types';
import { FormError } from '../../components/form-error';
import { ResponsiveTabs } from '../../components/responsive-tabs';
import { PageError, PageLoading } from '../../components/page-loading';
import { PageHeader } from '../../components/page-header';
import { currentLanguage, translateDynamic } from '../../i18n';
import { formatMoneyShort, MoneyInput } from '../../components/money-input';
import { parseMoneyInput, useLevelLabel } from '../../components/domain';
import { useWorkspace } from '../../state/workspace';
import { usePhone } from '../../components/use-phone';

type Kind = Requirement['kind'];
/** A requirement measured against a threshold; the others are conditions (met or not). */
type Counted = Extract<Requirement, { threshold: unknown }>;
type Unit = 'years' | 'yuan' | 'items' | 'people' | 'projects' | 'percent' | 'certificates';

const isCounted = (r: Requirement): r is Counted => 'threshold' in r;

/** Comparisons as a reader writes them (≥, not >=). */
const OPERATOR_SIGNS: Readonly<Record<Counted['operator'], string>> = { '>=': '≥', '>': '>' };

const UNITS: Readonly<Record<Counted['kind'], Unit>> = {
  'years-in-business': 'years',
  'avg-annual-revenue': 'yuan',
  'ip-count': 'items',
  'insured-staff': 'people',
  'large-projects': 'projects',
  'rnd-ratio': 'percent',
  'technical-ratio': 'percent',
  'qualified-pm': 'percent',
  'qualified-staff': 'people',
  'technology-projects': 'projects',
  'financial-total': 'yuan',
  'net-profit-margin': 'percent',
  'management-certificate': 'certificates',
  growth: 'items',
};

/** Parameters with a fixed list of values, by requirement kind and parameter name. */
function paramChoices(kind: Kind, name: string): readonly string[] | undefined {
  if (name === 'per') return ['window', 'year'];
  if (name === 'aggregate') return ['sum', 'each-year'];
  if (name === 'revenueField') return REVENUE_FIELDS;
  if (name === 'field') return kind === 'financial-total' ? FINANCIAL_FIELDS : REVENUE_FIELDS;
  return undefined;
}

const localized = (text: { zh: string; en: string }) => (currentLanguage() === 'en' ? text.en : text.zh);

/** Settings → 达标要求: each level's requirement set; admins edit thresholds, parameters and the window. */
export default function RequirementSetsPage() {
  const { t } = useTranslation();
  const { workspace, role } = useWorkspace();
  const sets = useRequirementSets(workspace?.id);
  const levelLabel = useLevelLabel();
  const [level, setLevel] = useState<Level>('CS3');
  if (!workspace) return null;
  if (sets.isError) return <PageError error={sets.error} onRetry={() => void sets.refetch()} />;
  const canEdit = canManageWorkspace(role);
  return (
    <>
      <PageHeader title={t('requirementSets.title')} />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 820 }}>
        {t('requirementSets.intro')}
      </Typography.Paragraph>
      {!canEdit ? (
        <Alert type="info" showIcon title={t('requirementSets.readOnly')} style={{ marginBottom: 16 }} />
      ) : null}
      {sets.isPending ? (
        <PageLoading />
      ) : (
        <ResponsiveTabs
          label={t('requirementSets.levelPicker')}
          activeKey={level}
          onChange={(key) => setLevel(key as Level)}
          items={LEVELS.map((l) => {
            const item = sets.data.find((s) => s.level === l);
            return {
              key: l,
              text: levelLabel(l),
              label: levelLabel(l),
              children: item ? (
                <RequirementSetEditor
                  // A fresh draft whenever the stored set changes (saved, reset, another admin).
                  key={JSON.stringify(item.set)}
                  workspaceId={workspace.id}
                  level={l}
                  custom={item.custom}
                  stored={item.set}
                  canEdit={canEdit}
                />
              ) : null,
            };
          })}
        />
      )}
    </>
  );
}

function RequirementSetEditor({
  workspaceId,
  level,
  custom,
  stored,
  canEdit,
}: {
  workspaceId: string;
  level: Level;
  custom: boolean;
  stored: RequirementSet;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  // On a phone the settings stack under their labels: side by side they are wider than the screen.
  const phone = usePhone();
  const { message } = App.useApp();
  const save = useSaveRequirementSet(workspaceId);
  const reset = useResetRequirementSet(workspaceId);
  const [draft, setDraft] = useState<RequirementSet>(stored);
  const [error, setError] = useState<string | null>(null);
  const dirty = JSON.stringify(draft) !== JSON.stringify(stored);
  const busy = save.isPending || reset.isPending;

  const changeRequirement = (index: number, change: (r: Requirement) => Requirement) =>
    setDraft((d) => ({ ...d, requirements: d.requirements.map((r, i) => (i === index ? change(r) : r)) }));
  const setThreshold = (index: number, value: number | string) =>
    changeRequirement(index, (r) => ({ ...r, threshold: value }) as Requirement);
  const setParam = (index: number, name: string, value: unknown) =>
    changeRequirement(index, (r) => ({ ...r, params: { ...r.params, [name]: value } }) as Requirement);
  const setWindow = (window: RequirementWindow) => setDraft((d) => ({ ...d, window }));
  const setProjectDateBasis = (projectDateBasis: ProjectDateBasis) => setDraft((d) => ({ ...d, projectDateBasis }));

  const onSave = async () => {
    setError(null);
    try {
      await save.mutateAsync({ level, set: draft });
      void message.success(t('requirementSets.saved', { level }));
    } catch (err) {
      setError(describeError(err));
    }
  };
  const onReset = async () => {
    setError(null);
    try {
      await reset.mutateAsync(level);
      void message.success(t('requirementSets.resetDone', { level }));
    } catch (err) {
      setError(describeError(err));
    }
  };

  const unitSuffix = (kind: Counted['kind']) => t(`requirementSets.unitSuffix.${UNITS[kind]}`);

  const renderThreshold = (r: Requirement, index: number): ReactNode => {
    if (!isCounted(r)) return <Typography.Text type="secondary">{t('requirementSets.condition')}</Typography.Text>;
    const label = `${t('requirementSets.threshold')} · ${localized(r.label)}`;
    const operator = (
      <Typography.Text strong aria-label={t(`requirementSets.operators.${r.operator}`)} style={{ minWidth: 16 }}>
        {OPERATOR_SIGNS[r.operator]}
      </Typography.Text>
    );
    const money = UNITS[r.kind] === 'yuan' && typeof r.threshold === 'string';
    if (!canEdit) {
      const shown = money
        ? (formatMoneyShort(r.threshold as string) ?? String(r.threshold))
        : `${r.threshold} ${unitSuffix(r.kind)}`;
      return (
        <Flex gap={6} align="center">
          {operator}
          {shown}
        </Flex>
      );
    }
    if (money) {
      return (
        <Flex gap={6} align="center">
          {operator}
          <MoneyInput
            aria-label={label}
            value={r.threshold as string}
            onChange={(v) => setThreshold(index, parseMoneyInput(v) ?? '')}
            style={{ width: 230 }}
            disabled={busy}
          />
        </Flex>
      );
    }
    if (typeof r.threshold === 'string') {
      return (
        <Input
          aria-label={label}
          value={r.threshold}
          onChange={(e) => setThreshold(index, e.target.value.trim())}
          suffix={unitSuffix(r.kind)}
          style={{ width: 200 }}
          disabled={busy}
        />
      );
    }
    return (
      <Flex gap={6} align="center">
        {operator}
        <InputNumber<number>
          aria-label={label}
          value={r.threshold}
          onChange={(v) => setThreshold(index, v ?? 0)}
          suffix={unitSuffix(r.kind)}
          style={{ width: 130 }}
          disabled={busy}
        />
      </Flex>
    );
  };

  const paramLabel = (name: string) => t(`requirementSets.params.${name}`, { defaultValue: name });
  const choiceLabel = (name: string, value: string) => {
    if (name === 'field' || name === 'revenueField') {
      const names = FINANCIAL_FIELD_NAMES[value as keyof typeof FINANCIAL_FIELD_NAMES];
      return names ? localized(names) : value;
    }
    return t(`requirementSets.choices.${value}`, { defaultValue: value });
  };

  /** A kind of evidence a rule counts (IP kinds, qualifications), by its name; tags stay as typed. */
  const listItemLabel = (value: string) =>
    translateDynamic(`evidence.ipKinds.${value}`) ?? translateDynamic(`evidence.qualificationKinds.${value}`) ?? value;

  const renderParams = (r: Requirement, index: number): ReactNode => {
    const entries = Object.entries(r.params as Record<string, unknown>);
    if (entries.length === 0) return t('common.none');
    return (
      <Space orientation="vertical" size={4}>
        {entries.map(([name, value]) => {
          const aria = `${paramLabel(name)} · ${localized(r.label)}`;
          let control: ReactNode;
          const choices = paramChoices(r.kind, name);
          if (Array.isArray(value)) {
            control = (
              <Space size={[4, 4]} wrap>
                {value.map((v) => (
                  <Tag key={String(v)}>{listItemLabel(String(v))}</Tag>
                ))}
              </Space>
            );
          } else if (name === 'minAmount' && typeof value === 'string') {
            control = canEdit ? (
              <MoneyInput
                aria-label={aria}
                size="small"
                value={value}
                onChange={(v) => setParam(index, name, parseMoneyInput(v) ?? '')}
                style={{ width: 230 }}
                disabled={busy}
              />
            ) : (
              (formatMoneyShort(value) ?? value)
            );
          } else if (!canEdit) {
            control = typeof value === 'string' && choices ? choiceLabel(name, value) : String(value);
          } else if (choices && typeof value === 'string') {
            control = (
              <Select
                aria-label={aria}
                size="small"
                value={value}
                onChange={(v: string) => setParam(index, name, v)}
                options={choices.map((c) => ({ value: c, label: choiceLabel(name, c) }))}
                style={{ minWidth: 180 }}
                disabled={busy}
              />
            );
          } else if (typeof value === 'number') {
            control = (
              <InputNumber<number>
                aria-label={aria}
                size="small"
                value={value}
                onChange={(v) => setParam(index, name, v ?? 0)}
                disabled={busy}
              />
            );
          } else {
            control = (
              <Input
                aria-label={aria}
                size="small"
                value={String(value)}
                onChange={(e) => setParam(index, name, e.target.value.trim())}
                style={{ width: 180 }}
                disabled={busy}
              />
            );
          }
          return (
            <Flex key={name} gap={6} align="center" wrap>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {paramLabel(name)}：
              </Typography.Text>
              {control}
            </Flex>
          );
        })}
      </Space>
    );
  };

  const windowValue = draft.window.kind === 'calendar-years' ? draft.window.years : draft.window.months;
  const windowText =
    draft.window.kind === 'calendar-years'
      ? t('requirementSets.windowYears', { count: draft.window.years })
      : t('requirementSets.windowMonths', { count: draft.window.months });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions
        size="small"
        column={1}
        bordered
        layout={phone ? 'vertical' : 'horizontal'}
        items={[
          {
            key: 'status',
            label: t('requirementSets.status'),
            children: custom ? (
              <Tag color="blue">{t('requirementSets.custom')}</Tag>
            ) : (
              <Tag>{t('requirementSets.default')}</Tag>
            ),
          },
          {
            key: 'window',
            label: t('requirementSets.window'),
            children: canEdit ? (
              <Space wrap>
                <Select
                  aria-label={t('requirementSets.windowKind')}
                  value={draft.window.kind}
                  disabled={busy}
                  onChange={(kind: RequirementWindow['kind']) =>
                    setWindow(
                      kind === 'calendar-years'
                        ? { kind, years: Math.max(1, Math.min(10, Math.round(windowValue / 12) || 3)) }
                        : { kind, months: Math.max(1, Math.min(120, windowValue * 12)) },
                    )
                  }
                  options={[
                    { value: 'calendar-years', label: t('requirementSets.windowKinds.calendar-years') },
                    { value: 'months', label: t('requirementSets.windowKinds.months') },
                  ]}
                  style={{ width: 220 }}
                />
                <InputNumber<number>
                  aria-label={t('requirementSets.windowLength')}
                  min={1}
                  max={draft.window.kind === 'calendar-years' ? 10 : 120}
                  precision={0}
                  value={windowValue}
                  disabled={busy}
                  suffix={
                    draft.window.kind === 'calendar-years'
                      ? t('requirementSets.unitSuffix.years')
                      : t('requirementSets.unitSuffix.months')
                  }
                  onChange={(v) =>
                    setWindow(
                      draft.window.kind === 'calendar-years'
                        ? { kind: 'calendar-years', years: v ?? 1 }
                        : { kind: 'months', months: v ?? 1 },
                    )
                  }
                />
                <Typography.Text type="secondary">{windowText}</Typography.Text>
              </Space>
            ) : (
              windowText
            ),
          },
          {
            key: 'projectDateBasis',
            label: t('requirementSets.projectDateBasis'),
            children: (
              <Space orientation="vertical" size={4}>
                {canEdit ? (
                  <Select<ProjectDateBasis>
                    aria-label={t('requirementSets.projectDateBasis')}
                    value={draft.projectDateBasis}
                    disabled={busy}
                    onChange={setProjectDateBasis}
                    options={PROJECT_DATE_BASES.map((b) => ({
                      value: b,
                      label: t(`requirementSets.projectDateBases.${b}`),
                    }))}
                    style={{ minWidth: 320 }}
                  />
                ) : (
                  t(`requirementSets.projectDateBases.${draft.projectDateBasis}`)
                )}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('requirementSets.projectDateBasisHelp')}
                </Typography.Text>
              </Space>
            ),
          },
          { key: 'source', label: t('requirementSets.source'), children: draft.source },
        ]}
      />
      <Table<Requirement>
        aria-label={t('requirementSets.table', { level })}
        rowKey="id"
        size="middle"
        dataSource={[...draft.requirements]}
        pagination={false}
        tableLayout="auto"
        columns={[
          {
            title: t('requirementSets.requirement'),
            key: 'label',
            render: (_: unknown, r) => (
              <Space orientation="vertical" size={2}>
                <Typography.Text strong>{localized(r.label)}</Typography.Text>
                {t(`requirementSets.kinds.${r.kind}`) === localized(r.label) ? null : (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`requirementSets.kinds.${r.kind}`)}
                  </Typography.Text>
                )}
                {r.appliesTo ? (
                  <Space size={4} wrap>
                    {r.appliesTo.map((p) => (
                      <Tag key={p} color="purple">
                        {t(`requirementSets.purposes.${p}`)}
                      </Tag>
                    ))}
                  </Space>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('requirementSets.threshold'),
            key: 'threshold',
            render: (_: unknown, r, index) => renderThreshold(r, index),
          },
          { title: t('requirementSets.paramsTitle'), key: 'params', render: (_: unknown, r, i) => renderParams(r, i) },
          {
            title: t('requirementSets.source'),
            dataIndex: 'source',
            render: (source: string, r) => (
              <Space orientation="vertical" size={2}>
                {r.advisory ? (
                  <Tag color="gold">{t('readiness.advisory')}</Tag>
                ) : (
                  <Tag color="green">{t('readiness.official')}</Tag>
                )}
                <Typography.Paragraph
                  type="secondary"
                  style={{ fontSize: 12, maxWidth: 240, margin: 0 }}
                  ellipsis={{ rows: 2, tooltip: source }}
                >
                  {source}
                </Typography.Paragraph>
              </Space>
            ),
          },
        ]}
      />
      <FormError message={error} />
      {canEdit ? (
        <Flex gap={8} wrap>
          <Button type="primary" onClick={() => void onSave()} loading={save.isPending} disabled={!dirty || busy}>
            {t('requirementSets.save', { level })}
          </Button>
          <Button
            icon={<UndoOutlined />}
            disabled={!dirty || busy}
            onClick={() => {
              setDraft(stored);
              setError(null);
            }}
          >
            {t('requirementSets.discard')}
          </Button>
          {custom ? (
            <Popconfirm
              title={t('requirementSets.resetConfirm', { level })}
              okText={t('requirementSets.reset')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={onReset}
            >
              <Button danger loading={reset.isPending} disabled={busy}>
                {t('requirementSets.reset')}
              </Button>
            </Popconfirm>
          ) : null}
          {dirty ? <Typography.Text type="warning">{t('requirementSets.unsaved')}</Typography.Text> : null}
        </Flex>
      ) : null}
    </Space>
  );
}
