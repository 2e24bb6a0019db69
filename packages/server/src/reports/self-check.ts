// The annual self-check report (年度自查报告) as a document: cover and commitment, the company and its
// changes in the year, the four capability domains with their figures and evidence, readiness
// against the level with its gaps, problems and rectification, and the attachment list (the three
// kinds the guidance names: project acceptance documents, staff-qualification updates, the
// financial audit report). docs/documents.md describes each section and where its figures come from.
import {
  EVENT_TYPE_NAMES_ZH,
  IP_KIND_NAMES_ZH,
  LEVEL_NAMES_ZH,
  MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH,
  PROJECT_STATUS_NAMES_ZH,
  QUALIFICATION_KIND_NAMES_ZH,
  formatYuan,
  parseYuan,
  type Evidence,
  type EventType,
  type Level,
  type ReadinessResult,
  type RequirementKind,
} from '@zizhi/core';
import type { Block, ReportDocument } from './model.js';
import {
  fillPlaceholders,
  numeralZh,
  type Placeholder,
  type SelfCheckSectionKey,
  type SelfCheckTemplate,
} from './self-check-template.js';

export interface SelfCheckData {
  year: number;
  /** The day the draft is made (China calendar). */
  today: string;
  organisation: {
    name: string;
    creditCode: string;
    address: string | null;
    legalRepresentative: string | null;
    foundedOn: string | null;
  };
  certificate: { number: string; level: Level; issuedOn: string; expiresOn: string; issuer: string };
  /** The certificate's events dated in the year, withdrawn ones left out, oldest first. */
  events: Array<{ type: string; date: string; note: string | null }>;
  evidence: Evidence;
  /** Readiness for the certificate's level at the end of the year (or today, in the current year). */
  readiness: ReadinessResult;
  /** Whether the workspace edited the level's requirement set (else the shipped advisory one). */
  customRequirements: boolean;
  /** Internal audits and quarterly meetings due in the year: how many, and how many done. */
  duties: { audits: { due: number; done: number }; meetings: { due: number; done: number } };
  /** Authenticity checks of the evidence, open now. */
  flags: string[];
  /** The workspace's sections, headings and fixed text (the default until it saves its own). */
  template: SelfCheckTemplate;
}

const DOMAINS = ['战略管理', '业务运营', '基础保障', '改进创新'] as const;
type Domain = (typeof DOMAINS)[number];

/** Which capability domain a readiness requirement is reported under. */
const DOMAIN_OF: Record<RequirementKind, Domain> = {
  'years-in-business': '战略管理',
  'legal-entity': '战略管理',
  'no-adverse-records': '战略管理',
  growth: '战略管理',
  'large-projects': '业务运营',
  'technology-projects': '业务运营',
  'avg-annual-revenue': '业务运营',
  'financial-total': '业务运营',
  'net-profit-margin': '业务运营',
  'insured-staff': '基础保障',
  'technical-ratio': '基础保障',
  'qualified-pm': '基础保障',
  'qualified-staff': '基础保障',
  'management-certificate': '基础保障',
  'rnd-ratio': '改进创新',
  'ip-count': '改进创新',
};

/** 2026-03-05 → 2026年3月5日. */
export function dateZh(day: string): string {
  const [y, m, d] = day.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** A decimal yuan string with thousands separators: "1234567.8" → "1,234,567.80". */
export function yuan(amount: string | null | undefined): string {
  const fen = parseYuan(amount ?? null);
  if (fen === null) return '—';
  const [whole, cents] = formatYuan(fen).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents ?? '00'}`;
}

const inYear = (day: string | null | undefined, year: number) => !!day && day.startsWith(`${year}-`);
const STATUS_ZH = { met: '符合', 'not-met': '不符合', unknown: '待补充数据' } as const;

export function buildSelfCheckReport(data: SelfCheckData): ReportDocument {
  const { year, organisation: org, certificate: cert, evidence, readiness, template } = data;
  const level = `${cert.level}（${LEVEL_NAMES_ZH[cert.level]}）`;
  const projects = evidence.projects ?? [];
  const staff = evidence.staff ?? [];
  const qualifications = evidence.qualifications ?? [];
  const yearEnd = `${year}-12-31` < data.today ? `${year}-12-31` : data.today;
  const staffById = new Map(staff.map((s) => [s.id, s]));
  const values: Record<Placeholder, string> = {
    单位名称: org.name,
    年度: String(year),
    证书等级: level,
    证书编号: cert.number,
    截止日期: dateZh(yearEnd),
    统计期: readiness.window.label.zh,
    要求集: data.customRequirements ? '本单位编辑的要求集' : '系统内置的参考要求集',
  };

  const blocks: Block[] = [];
  const h2 = (n: number, text: string) =>
    blocks.push({ type: 'heading', level: 2, text: `（${numeralZh(n + 1)}）${text}` });
  const p = (text: string) => blocks.push({ type: 'paragraph', text });

  // What each built-in section draws from the data after its heading and fixed text.
  const figures: Record<SelfCheckSectionKey, () => void> = {
    commitment: () => {
      blocks.push({
        type: 'signature',
        lines: [
          `单位名称（盖章）：${org.name}`,
          `法定代表人（签字）：${org.legalRepresentative ?? '            '}`,
          '日期：        年    月    日',
        ],
      });
    },
    basics: () => {
      blocks.push({
        type: 'table',
        columns: [
          { title: '项目', width: 2 },
          { title: '内容', width: 5 },
        ],
        rows: [
          ['单位名称', org.name],
          ['统一社会信用代码', org.creditCode],
          ['注册地址', org.address ?? '未登记'],
          ['法定代表人', org.legalRepresentative ?? '未登记'],
          ['成立日期', org.foundedOn ? dateZh(org.foundedOn) : '未登记'],
          ['证书等级', level],
          ['证书编号', cert.number],
          ['发证机构', cert.issuer],
          ['发证日期', dateZh(cert.issuedOn)],
          ['有效期至', dateZh(cert.expiresOn)],
        ],
        empty: '',
      });
    },
    changes: () => {
      blocks.push({
        type: 'table',
        columns: [
          { title: '日期', width: 2, align: 'center' },
          { title: '事项', width: 2 },
          { title: '说明', width: 4 },
        ],
        rows: data.events.map((e) => [
          dateZh(e.date),
          EVENT_TYPE_NAMES_ZH[e.type as EventType] ?? e.type,
          e.note ?? '',
        ]),
        empty: `${year}年度未登记变更、事故、投诉等事项。`,
      });
    },
    domains: () => {
      DOMAINS.forEach((domain, i) => {
        h2(i, domain);
        const rows = readiness.requirements
          .filter((r) => DOMAIN_OF[r.kind] === domain)
          .map((r) => {
            const gap = r.gap?.zh ?? r.missing?.zh ?? '';
            return [r.label.zh, STATUS_ZH[r.status], r.summary.zh, gap === r.summary.zh ? '' : gap];
          });
        blocks.push({
          type: 'table',
          columns: [
            { title: '自查项', width: 3 },
            { title: '结论', width: 1.4, align: 'center' },
            { title: '现状', width: 4 },
            { title: '差距或缺少的数据', width: 3 },
          ],
          rows,
          empty: `本能力域没有对应的量化要求，相关制度和过程证据见附件。`,
        });
        if (domain === '业务运营') {
          const accepted = projects
            .filter((pr) => inYear(pr.acceptedOn, year))
            .sort((a, b) => (a.acceptedOn ?? '').localeCompare(b.acceptedOn ?? ''));
          const total = accepted.reduce((sum, pr) => sum + (parseYuan(pr.amount ?? null) ?? 0n), 0n);
          p(
            `${year}年度验收项目 ${accepted.length} 个，合同金额合计 ${yuan(formatYuan(total))} 元；` +
              `年末在册项目 ${projects.length} 个（${Object.entries(PROJECT_STATUS_NAMES_ZH)
                .map(([status, name]) => `${name} ${projects.filter((pr) => pr.status === status).length} 个`)
                .join('、')}）。`,
          );
          blocks.push({
            type: 'table',
            columns: [
              { title: '序号', width: 0.8, align: 'center' },
              { title: '项目名称', width: 4 },
              { title: '客户', width: 3 },
              { title: '合同编号', width: 2.4 },
              { title: '合同金额（元）', width: 2.4, align: 'right' },
              { title: '验收日期', width: 2, align: 'center' },
            ],
            rows: accepted.map((pr, n) => [
              String(n + 1),
              pr.name,
              pr.client ?? '',
              pr.contractNumber ?? '',
              yuan(pr.amount),
              pr.acceptedOn ?? '',
            ]),
            empty: `${year}年度没有登记验收的项目。`,
          });
          const years = [...(evidence.financialYears ?? [])].sort((a, b) => a.year - b.year).slice(-3);
          blocks.push({
            type: 'table',
            columns: [
              { title: '年度', width: 1, align: 'center' },
              { title: '营业收入（元）', width: 2.5, align: 'right' },
              { title: '研发费用（元）', width: 2.5, align: 'right' },
              { title: '净利润（元）', width: 2.5, align: 'right' },
              { title: '经审计', width: 1, align: 'center' },
            ],
            rows: years.map((y) => [
              String(y.year),
              yuan(y.revenue),
              yuan(y.rndExpense),
              yuan(y.netProfit),
              y.audited ? '是' : '否',
            ]),
            empty: '尚未登记财务数据。',
          });
        }
        if (domain === '基础保障') {
          const employed = staff.filter((s) => !s.employedUntil || s.employedUntil >= yearEnd);
          const joined = staff.filter((s) => inYear(s.employedFrom, year)).length;
          const left = staff.filter((s) => inYear(s.employedUntil, year)).length;
          const month = yearEnd.slice(0, 7);
          const insured = employed.filter(
            (s) =>
              !!s.socialInsuranceFrom &&
              s.socialInsuranceFrom <= month &&
              (!s.socialInsuranceUntil || s.socialInsuranceUntil >= month),
          ).length;
          p(
            `截至${dateZh(yearEnd)}在职人员 ${employed.length} 人，其中技术人员 ${employed.filter((s) => s.isTechnical).length} 人、` +
              `研发人员 ${employed.filter((s) => s.isRnd).length} 人，${month.replace('-', '年')}月缴纳社会保险 ${insured} 人；` +
              `本年度入职 ${joined} 人、离职 ${left} 人。`,
          );
          const changed = qualifications
            .filter((q) => inYear(q.issuedOn, year) || inYear(q.expiresOn, year))
            .sort((a, b) => (a.issuedOn ?? a.expiresOn ?? '').localeCompare(b.issuedOn ?? b.expiresOn ?? ''));
          blocks.push({
            type: 'table',
            columns: [
              { title: '姓名', width: 1.5 },
              { title: '资格', width: 3 },
              { title: '证书编号', width: 2.5 },
              { title: '取得日期', width: 2, align: 'center' },
              { title: '有效期至', width: 2, align: 'center' },
            ],
            rows: changed.map((q) => [
              staffById.get(q.staffId)?.name ?? '',
              q.name ?? QUALIFICATION_KIND_NAMES_ZH[q.kind],
              q.number ?? '',
              q.issuedOn ?? '',
              q.expiresOn ?? '长期',
            ]),
            empty: `${year}年度没有新取得或到期的人员资格证书。`,
          });
          const systems = evidence.managementCertificates ?? [];
          blocks.push({
            type: 'table',
            columns: [
              { title: '管理体系认证', width: 2.5 },
              { title: '证书编号', width: 3 },
              { title: '有效期至', width: 2, align: 'center' },
            ],
            rows: systems.map((m) => [
              MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH[m.kind] ?? m.kind,
              m.number ?? '',
              m.expiresOn ?? '',
            ]),
            empty: '尚未登记管理体系认证证书。',
          });
        }
        if (domain === '改进创新') {
          const ip = evidence.ip ?? [];
          const granted = ip.filter((x) => inYear(x.grantedOn, year));
          p(
            `累计登记知识产权 ${ip.length} 项，其中${year}年度取得 ${granted.length} 项。` +
              `本年度应开展内部合规检查 ${data.duties.audits.due} 次、已完成 ${data.duties.audits.done} 次；` +
              `应召开资质维护季度会议 ${data.duties.meetings.due} 次、已召开 ${data.duties.meetings.done} 次。`,
          );
          blocks.push({
            type: 'table',
            columns: [
              { title: '类型', width: 2 },
              { title: '名称', width: 4 },
              { title: '登记/专利号', width: 3 },
              { title: '取得日期', width: 2, align: 'center' },
            ],
            rows: granted.map((x) => [IP_KIND_NAMES_ZH[x.kind] ?? x.kind, x.name, x.number ?? '', x.grantedOn ?? '']),
            empty: `${year}年度没有新取得的知识产权。`,
          });
        }
      });
    },
    overall: () => {
      const { met, notMet, unknown } = readiness.counts;
      p(
        `对照${level}的 ${met + notMet + unknown} 项量化要求：符合 ${met} 项，不符合 ${notMet} 项，缺少数据无法判断 ${unknown} 项。` +
          (notMet + unknown === 0 ? '本单位持续符合本级别要求。' : '不符合和待补充的项目列入下一部分整改。'),
      );
    },
    problems: () => {
      const problems = [
        ...readiness.requirements
          .filter((r) => r.status !== 'met')
          .map((r) => [r.label.zh, r.gap?.zh ?? r.missing?.zh ?? r.summary.zh]),
        ...data.flags.map((f) => ['证据真实性核查', f]),
        ...(data.duties.audits.done < data.duties.audits.due
          ? [['内部合规检查', `本年度应开展 ${data.duties.audits.due} 次，已完成 ${data.duties.audits.done} 次`]]
          : []),
        ...(data.duties.meetings.done < data.duties.meetings.due
          ? [
              [
                '资质维护季度会议',
                `本年度应召开 ${data.duties.meetings.due} 次，已召开 ${data.duties.meetings.done} 次`,
              ],
            ]
          : []),
      ];
      blocks.push({
        type: 'table',
        columns: [
          { title: '序号', width: 0.8, align: 'center' },
          { title: '问题', width: 3 },
          { title: '情况', width: 5 },
          { title: '整改措施及完成时限', width: 3.5 },
        ],
        rows: problems.map(([what, detail], n) => [String(n + 1), what!, detail!, '']),
        empty: '本年度自查未发现问题。',
      });
    },
    attachments: () => {
      const acceptedCount = projects.filter((pr) => inYear(pr.acceptedOn, year)).length;
      const audited = (evidence.financialYears ?? []).some((y) => y.year === year - 1 && y.audited);
      [
        `1. ${year}年度验收项目的合同及验收报告（${acceptedCount} 个项目）`,
        '2. 人员资格证书更新情况及社会保险缴纳证明',
        `3. ${year - 1}年度财务审计报告${audited ? '' : '（尚未上传审计报告）'}`,
        '4. 管理体系认证证书、知识产权证书复印件',
        '5. 本年度内部合规检查记录及季度会议纪要',
      ].forEach((line) => blocks.push({ type: 'paragraph', text: line, indent: false }));
    },
  };

  let numbered = 0;
  for (const section of template.sections) {
    if (!section.enabled) continue;
    const paragraphs = fillPlaceholders(section.text, values)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (section.key === 'commitment') {
      // The commitment (承诺书) is a page of its own, signed by the legal representative.
      blocks.push({ type: 'paragraph', text: section.title, align: 'center', indent: false });
      paragraphs.forEach(p);
      figures.commitment();
      blocks.push({ type: 'pageBreak' });
      continue;
    }
    numbered += 1;
    blocks.push({ type: 'heading', level: 1, text: `${numeralZh(numbered)}、${section.title}` });
    paragraphs.forEach(p);
    if (section.key !== 'custom') figures[section.key]();
  }

  return {
    title: `${org.name} ${year}年度自查报告`,
    cover: {
      title: fillPlaceholders(template.coverTitle, values),
      subtitle: `（${year}年度）`,
      lines: [
        ['单位名称', org.name],
        ['统一社会信用代码', org.creditCode],
        ['证书等级', level],
        ['证书编号', cert.number],
      ],
      date: dateZh(data.today),
    },
    blocks,
  };
}
