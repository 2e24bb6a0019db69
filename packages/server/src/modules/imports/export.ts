import {
  IP_KIND_NAMES_ZH,
  MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH,
  maskIdNumber,
  PROJECT_STATUS_NAMES_ZH,
  QUALIFICATION_KIND_NAMES_ZH,
} from '@zizhi/core';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import type { Actor } from '../../access/actor.js';
import { requireOrgAccess } from '../../access/membership.js';
import {
  listFinancialYears,
  listIp,
  listManagementCertificates,
  listProjects,
  listQualifications,
  listStaff,
} from '../registry/api.js';
import type { ExportCell, ExportColumn, ExportSheet } from './workbooks.js';

/** The lists that export to .xlsx, by their path segment (`…/exports/<kind>.xlsx`). */
export const EXPORT_KINDS = [
  'projects',
  'staff',
  'qualifications',
  'financial-years',
  'ip',
  'management-certificates',
] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_KIND_LABELS: Record<ExportKind, string> = {
  projects: '项目',
  staff: '人员',
  qualifications: '人员资质',
  'financial-years': '财务年度',
  ip: '知识产权',
  'management-certificates': '管理体系证书',
};

const DATE = 'yyyy-mm-dd';
const MONEY = '#,##0.00';

/** A stored calendar date as an Excel date: the UTC midnight, which Excel shows as that day everywhere. */
function dateCell(value: string | null): Date | null {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d));
}

/**
 * Yuan as a number Excel can sum when a double holds it exactly as written (up to 15
 * significant digits, as Excel itself keeps); longer amounts stay text rather than be rounded.
 */
function moneyCell(value: string | null): number | string | null {
  if (value === null) return null;
  const digits = value.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  return digits.length <= 15 ? Number(value) : value;
}

const yesNo = (v: boolean) => (v ? '是' : '否');
const masked = (idNumber: string | null) => (idNumber ? maskIdNumber(idNumber) : null);

const money = (header: string): ExportColumn => ({ header, numFmt: MONEY, width: 18 });
const date = (header: string): ExportColumn => ({ header, numFmt: DATE, width: 12 });
const text = (header: string, width?: number): ExportColumn => ({ header, ...(width ? { width } : {}) });

async function sheetFor(tx: Tx, orgId: string, kind: ExportKind): Promise<Omit<ExportSheet, 'sheetName'>> {
  switch (kind) {
    case 'projects': {
      const rows = await listProjects(tx, orgId);
      return {
        columns: [
          text('项目名称', 36),
          text('客户', 24),
          text('合同编号', 18),
          money('合同金额（元）'),
          date('签订日期'),
          date('验收日期'),
          text('状态'),
          text('项目经理'),
          text('技术领域', 24),
          text('备注', 30),
        ],
        rows: rows.map(({ project: p, managerName }): ExportCell[] => [
          p.name,
          p.client,
          p.contractNumber,
          moneyCell(p.amount),
          dateCell(p.signedOn),
          dateCell(p.acceptedOn),
          PROJECT_STATUS_NAMES_ZH[p.status],
          managerName,
          p.technologies.join('、'),
          p.notes,
        ]),
      };
    }
    case 'staff': {
      const rows = await listStaff(tx, orgId);
      return {
        columns: [
          text('姓名'),
          text('身份证号（已隐去部分）', 22),
          text('岗位'),
          text('研发人员'),
          text('技术人员'),
          date('入职日期'),
          date('离职日期'),
          text('社保起始月'),
          text('社保截止月'),
          text('备注', 30),
        ],
        rows: rows.map((s): ExportCell[] => [
          s.name,
          masked(s.idNumber),
          s.role,
          yesNo(s.isRnd),
          yesNo(s.isTechnical),
          dateCell(s.employedFrom),
          dateCell(s.employedUntil),
          s.socialInsuranceFrom,
          s.socialInsuranceUntil,
          s.notes,
        ]),
      };
    }
    case 'qualifications': {
      const rows = await listQualifications(tx, orgId);
      return {
        columns: [
          text('姓名'),
          text('身份证号（已隐去部分）', 22),
          text('资质类型', 22),
          text('证书名称', 24),
          text('证书编号', 18),
          date('发证日期'),
          date('有效期至'),
        ],
        rows: rows.map(({ qualification: q, staffName, idNumber }): ExportCell[] => [
          staffName,
          masked(idNumber),
          QUALIFICATION_KIND_NAMES_ZH[q.kind],
          q.name,
          q.number,
          dateCell(q.issuedOn),
          dateCell(q.expiresOn),
        ]),
      };
    }
    case 'financial-years': {
      const rows = await listFinancialYears(tx, orgId);
      return {
        columns: [
          text('年度'),
          money('营业收入（元）'),
          money('系统集成收入（元）'),
          money('软件和信息技术服务收入（元）'),
          money('研发费用（元）'),
          money('净利润（元）'),
          money('经营活动现金流量净额（元）'),
          text('备注', 30),
        ],
        rows: rows.map((y): ExportCell[] => [
          y.year,
          moneyCell(y.revenue),
          moneyCell(y.systemIntegrationRevenue),
          moneyCell(y.softwareServiceRevenue),
          moneyCell(y.rndExpense),
          moneyCell(y.netProfit),
          moneyCell(y.operatingCashFlow),
          y.notes,
        ]),
      };
    }
    case 'ip': {
      const rows = await listIp(tx, orgId);
      return {
        columns: [text('类型', 14), text('名称', 36), text('登记号 / 专利号', 22), date('授权日期'), text('备注', 30)],
        rows: rows.map((a): ExportCell[] => [
          IP_KIND_NAMES_ZH[a.kind],
          a.name,
          a.number,
          dateCell(a.grantedOn),
          a.notes,
        ]),
      };
    }
    case 'management-certificates': {
      const rows = await listManagementCertificates(tx, orgId);
      return {
        columns: [
          text('类型', 16),
          text('证书名称', 30),
          text('证书编号', 22),
          date('发证日期'),
          date('有效期至'),
          text('备注', 30),
        ],
        rows: rows.map((c): ExportCell[] => [
          MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH[c.kind],
          c.name,
          c.number,
          dateCell(c.issuedOn),
          dateCell(c.expiresOn),
          c.notes,
        ]),
      };
    }
  }
}

/**
 * One of an organisation's lists as a sheet (viewers and above), with the download's name
 * (企业名-项目-2026-03-05.xlsx). ID numbers are masked: an export leaves the system.
 */
export async function exportList({
  tx,
  actor,
  orgId,
  kind,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  kind: ExportKind;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const sheet = await sheetFor(tx, orgId, kind);
  return {
    fileName: `${org.name.replace(/[\\/:*?"<>|\p{Cc}]/gu, '_')}-${EXPORT_KIND_LABELS[kind]}-${chinaToday()}.xlsx`,
    sheet: { sheetName: EXPORT_KIND_LABELS[kind], ...sheet },
  };
}
