import { Col, Form, Input, InputNumber, Row, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FinancialYear, FinancialYearInput } from '../../api/types';
import { formatMoney, parseMoneyInput } from '../../components/domain';
import { MoneyInput } from '../../components/money-input';
import { EvidenceList, type EvidenceAccess, type EvidenceEditor } from './evidence-list';
import { textOrNull, toAttachmentInputs, toAttachmentValues, useEvidenceRules, type AttachmentValue } from './fields';

const FINANCIAL_YEAR_FILE_ROLES = ['audit-report', 'tax-return', 'other'] as const;
/** The money columns, in the order of an audit report. Profit and cash flow may be negative. */
const AMOUNTS = [
  { key: 'revenue', signed: false },
  { key: 'systemIntegrationRevenue', signed: false },
  { key: 'softwareServiceRevenue', signed: false },
  { key: 'rndExpense', signed: false },
  { key: 'netProfit', signed: true },
  { key: 'operatingCashFlow', signed: true },
] as const;
type AmountKey = (typeof AMOUNTS)[number]['key'];

type YearValues = { year: number | null; notes?: string; files?: AttachmentValue[] } & Partial<
  Record<AmountKey, string | null>
>;

const toValues = (y: FinancialYear | undefined): YearValues => ({
  year: y?.year ?? null,
  ...Object.fromEntries(AMOUNTS.map(({ key }) => [key, y?.[key] ?? ''])),
  notes: y?.notes ?? '',
  files: toAttachmentValues(y?.files),
});

const toInput = (v: YearValues): FinancialYearInput => ({
  year: v.year ?? 0,
  ...Object.fromEntries(AMOUNTS.map(({ key }) => [key, parseMoneyInput(v[key])])),
  notes: textOrNull(v.notes),
  files: toAttachmentInputs(v.files),
});

const FIELDS = ['year', ...AMOUNTS.map((a) => a.key), 'notes'];

function YearFields() {
  const { t } = useTranslation();
  const rules = useEvidenceRules();
  return (
    <>
      <Form.Item
        name="year"
        label={t('evidence.year.year')}
        rules={[
          { required: true, message: t('validation.required', { field: t('evidence.year.year') }) },
          { type: 'integer', min: 1980, message: t('evidence.validation.yearMin') },
          { type: 'integer', max: 2199, message: t('evidence.validation.yearMax') },
        ]}
      >
        <InputNumber precision={0} controls={false} style={{ width: 160 }} placeholder="2025" />
      </Form.Item>
      <Row gutter={16}>
        {AMOUNTS.map(({ key, signed }) => (
          <Col span={12} key={key}>
            <Form.Item name={key} label={t(`evidence.year.${key}`)} rules={[rules.money(signed)]}>
              <MoneyInput />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Form.Item name="notes" label={t('evidence.notes')} rules={[rules.max(2000, t('evidence.notes'))]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </>
  );
}

/** 财务年度: audited figures per year; readiness averages the last three. */
export function FinancialYearsList({ access }: { access: EvidenceAccess }) {
  const { t } = useTranslation();
  const editor = useMemo<EvidenceEditor<'financial-years', YearValues>>(
    () => ({
      fields: FIELDS,
      fileRoles: FINANCIAL_YEAR_FILE_ROLES,
      toValues,
      toInput,
      renderFields: () => <YearFields />,
    }),
    [],
  );
  const money = (v: string | null) => (v ? formatMoney(v) : t('common.none'));
  const columns: ColumnsType<FinancialYear> = [
    {
      title: t('evidence.year.year'),
      dataIndex: 'year',
      render: (year: number) => <Typography.Link>{year}</Typography.Link>,
      sorter: (a, b) => a.year - b.year,
      defaultSortOrder: 'descend',
    },
    ...AMOUNTS.map(({ key }) => ({
      title: t(`evidence.year.${key}`),
      dataIndex: key,
      align: 'right' as const,
      render: money,
    })),
    {
      title: t('evidence.year.audited'),
      key: 'audited',
      render: (_: unknown, y: FinancialYear) =>
        y.files.some((f) => f.role === 'audit-report') ? (
          <Tag color="success">{t('evidence.year.auditedYes')}</Tag>
        ) : (
          <Tag color="warning">{t('evidence.year.auditedNo')}</Tag>
        ),
    },
  ];
  return (
    <EvidenceList<'financial-years', YearValues>
      access={access}
      kind="financial-years"
      columns={columns}
      label={(y) => t('evidence.year.label', { year: y.year })}
      searchText={(y) => `${y.year} ${y.notes ?? ''}`}
      editor={editor}
    />
  );
}
