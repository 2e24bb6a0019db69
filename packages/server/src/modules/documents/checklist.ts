// An internal audit's checklist (内审检查表), generated from the level's requirements and the
// evidence of the period: what the guidance says an internal compliance check covers (project
// documents, staff qualifications, finance), and one line for each specific thing an auditor should
// look at. Pure: the service loads the data.
import {
  QUALIFICATION_KIND_NAMES_ZH,
  addCalendarDays,
  type Evidence,
  type Flag,
  type ReadinessResult,
} from '@zizhi/core';

export const ITEM_KINDS = [
  'general',
  'project-documents',
  'qualification-expiring',
  'staff-uninsured',
  'flag',
  'finance-missing',
  'requirement',
  'usage',
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export interface ChecklistItem {
  kind: ItemKind;
  text: string;
  refs: Array<{ type: string; id: string; label: string }>;
}

/** Lines of one kind at most: a larger finding is one line saying how many more there are. */
const MAX_PER_KIND = 200;

/** A registered use of the certificate in the period (证书使用登记). */
export interface PeriodUsage {
  id: string;
  registrationNo: string;
  date: string;
  recipient: string;
  approvedBy: string | null;
  voided: boolean;
}

/** The project attachments that matter to an audit, by project id. */
export type ProjectFiles = ReadonlyMap<string, ReadonlySet<string>>;

const DOCUMENT_NAMES: Array<[string, string]> = [
  ['contract', '合同'],
  ['acceptance-report', '验收报告'],
  ['feedback', '用户反馈（满意度）文件'],
];

/** Months `YYYY-MM` from `from` to `to` (both days), inclusive. */
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const [ty, tm] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function buildChecklist({
  periodStart,
  periodEnd,
  asOf,
  evidence,
  projectFiles,
  flags,
  readiness,
  usages = [],
}: {
  periodStart: string;
  periodEnd: string;
  /** The day the audit looks from: the period's end, or today while the period runs. */
  asOf: string;
  evidence: Evidence;
  projectFiles: ProjectFiles;
  flags: readonly Flag[];
  readiness: ReadinessResult;
  /** The certificate's registered uses dated in the period. */
  usages?: readonly PeriodUsage[];
}): ChecklistItem[] {
  const items: ChecklistItem[] = [
    {
      kind: 'general',
      text: '项目文档完整性：本期签订、实施和验收的项目，合同、验收报告和用户反馈齐全，与登记的信息一致',
      refs: [],
    },
    { kind: 'general', text: '人员资质更新：在职人员的资格证书在有效期内，新取得和到期的证书已登记', refs: [] },
    { kind: 'general', text: '财务数据准确性：财务数据与审计报告、纳税申报表一致', refs: [] },
    {
      kind: 'general',
      text: '证书使用合规：对外提供的证书复印件均已在证书使用登记中登记并经审批，没有出借、转让或挂靠证书',
      refs: [],
    },
  ];
  const capped = (kind: ItemKind, lines: ChecklistItem[]) => {
    items.push(...lines.slice(0, MAX_PER_KIND));
    if (lines.length > MAX_PER_KIND) {
      items.push({ kind, text: `另有 ${lines.length - MAX_PER_KIND} 项同类问题，请在系统中逐项核对`, refs: [] });
    }
  };
  const inPeriod = (day: string | null | undefined) => !!day && day >= periodStart && day <= periodEnd;

  // Projects accepted in the period without one of the documents an assessor asks for.
  capped(
    'project-documents',
    (evidence.projects ?? [])
      .filter((p) => inPeriod(p.acceptedOn))
      .sort((a, b) => (a.acceptedOn ?? '').localeCompare(b.acceptedOn ?? ''))
      .flatMap((p) => {
        const have = projectFiles.get(p.id) ?? new Set<string>();
        const missing = DOCUMENT_NAMES.filter(([role]) => !have.has(role)).map(([, name]) => name);
        if (missing.length === 0) return [];
        const label = p.contractNumber ? `${p.name}（合同编号 ${p.contractNumber}）` : p.name;
        return [
          {
            kind: 'project-documents' as const,
            text: `项目“${label}”于 ${p.acceptedOn} 验收，缺少${missing.join('、')}`,
            refs: [{ type: 'project', id: p.id, label: p.name }],
          },
        ];
      }),
  );

  // Qualifications of staff still employed that expired in the period or expire within 90 days.
  const staff = new Map((evidence.staff ?? []).map((s) => [s.id, s]));
  const horizon = addCalendarDays(asOf, 90);
  capped(
    'qualification-expiring',
    (evidence.qualifications ?? [])
      .filter((q) => {
        const holder = staff.get(q.staffId);
        if (!holder || (holder.employedUntil && holder.employedUntil < asOf)) return false;
        return !!q.expiresOn && q.expiresOn >= periodStart && q.expiresOn <= horizon;
      })
      .sort((a, b) => (a.expiresOn ?? '').localeCompare(b.expiresOn ?? ''))
      .map((q) => {
        const holder = staff.get(q.staffId)!;
        const what = `${q.name ?? QUALIFICATION_KIND_NAMES_ZH[q.kind]}${q.number ? `（证书编号 ${q.number}）` : ''}`;
        const when = q.expiresOn! < asOf ? `已于 ${q.expiresOn} 到期` : `将于 ${q.expiresOn} 到期`;
        return {
          kind: 'qualification-expiring' as const,
          text: `${holder.name}的${what}${when}，请续期或更新登记`,
          refs: [
            { type: 'qualification', id: q.id, label: what },
            { type: 'staff', id: holder.id, label: holder.name },
          ],
        };
      }),
  );

  // Staff employed in a month of the period without social insurance for that month.
  const periodMonths = monthsBetween(periodStart, asOf < periodEnd ? asOf : periodEnd);
  capped(
    'staff-uninsured',
    (evidence.staff ?? []).flatMap((s) => {
      const employed = periodMonths.filter(
        (m) =>
          !!s.employedFrom && s.employedFrom.slice(0, 7) <= m && (!s.employedUntil || s.employedUntil.slice(0, 7) >= m),
      );
      const uninsured = employed.filter(
        (m) =>
          !s.socialInsuranceFrom ||
          s.socialInsuranceFrom > m ||
          (!!s.socialInsuranceUntil && s.socialInsuranceUntil < m),
      );
      if (uninsured.length === 0) return [];
      return [
        {
          kind: 'staff-uninsured' as const,
          text: `${s.name}在职期间 ${uninsured.join('、')} 没有社会保险缴纳记录`,
          refs: [{ type: 'staff', id: s.id, label: s.name }],
        },
      ];
    }),
  );

  // Authenticity flags open now.
  capped(
    'flag',
    flags.map((f) => ({
      kind: 'flag' as const,
      text: f.message,
      refs: [{ type: f.recordType, id: f.recordId, label: f.recordLabel }],
    })),
  );

  // Finance: the last full year's figures and their audit report.
  const lastYear = Number(periodEnd.slice(0, 4)) - 1;
  const year = (evidence.financialYears ?? []).find((y) => y.year === lastYear);
  if (!year) {
    items.push({ kind: 'finance-missing', text: `缺少 ${lastYear} 年度的财务数据，请登记并附审计报告`, refs: [] });
  } else {
    const missing = [
      ['revenue', '营业收入'],
      ['rndExpense', '研发费用'],
      ['netProfit', '净利润'],
    ].filter(([field]) => !year[field as 'revenue' | 'rndExpense' | 'netProfit']);
    if (missing.length > 0) {
      items.push({
        kind: 'finance-missing',
        text: `${lastYear} 年度财务数据缺少${missing.map(([, name]) => name).join('、')}`,
        refs: [{ type: 'financial-year', id: String(lastYear), label: `${lastYear} 年度` }],
      });
    }
    if (!year.audited) {
      items.push({
        kind: 'finance-missing',
        text: `${lastYear} 年度财务数据没有附审计报告`,
        refs: [{ type: 'financial-year', id: String(lastYear), label: `${lastYear} 年度` }],
      });
    }
  }

  // The register of the period: how many uses to compare with the copies that went out, and uses
  // nobody is recorded as having approved.
  const live = usages.filter((u) => !u.voided);
  if (usages.length > 0) {
    const voided = usages.length - live.length;
    items.push({
      kind: 'usage',
      text: `本期登记证书使用 ${usages.length} 次${voided > 0 ? `（其中作废 ${voided} 次）` : ''}：逐次核对用途、接收方与对外提供的副本一致`,
      refs: [],
    });
  }
  capped(
    'usage',
    live
      .filter((u) => !u.approvedBy)
      .map((u) => ({
        kind: 'usage' as const,
        text: `证书使用登记 ${u.registrationNo}（${u.date}，提供给${u.recipient}）没有填写审批人`,
        refs: [{ type: 'usage', id: u.id, label: u.registrationNo }],
      })),
  );

  // The level's requirements not met, or not known for want of data.
  for (const r of readiness.requirements) {
    if (r.status === 'met') continue;
    items.push({
      kind: 'requirement',
      text: `达标要求“${r.label.zh}”${r.status === 'not-met' ? '不满足' : '缺少数据'}：${r.gap?.zh ?? r.missing?.zh ?? r.summary.zh}`,
      refs: r.evidence.slice(0, 20).map((e) => ({ type: e.type, id: e.id, label: e.label })),
    });
  }
  return items;
}
