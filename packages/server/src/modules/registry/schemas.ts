import {
  IP_KINDS,
  MANAGEMENT_CERTIFICATE_KINDS,
  PROJECT_STATUSES,
  QUALIFICATION_KINDS,
  validateIdNumber,
} from '@zizhi/core';
import { z } from 'zod';
import { CalendarDateSchema, NameSchema, UuidSchema } from '../../http/schemas.js';
import { OrgParamsSchema } from '../orgs/schemas.js';

// Edge schemas of the evidence registry. Cross-record inconsistencies (acceptance before signing,
// invoices above the contract) are saved and reported as authenticity flags, not refused here:
// the record is what the paper says, and the flag tells the company what to fix.

/** Optional text; an empty string is stored as no value (the service normalises it). */
const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, { message: `${what}最多 ${max} 个字符` })
    .nullable()
    .optional();

/** Yuan with at most two decimals, as a string so no amount is ever rounded through a float. */
export const MoneySchema = z
  .string()
  .trim()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, { message: '金额应为以元为单位的数字，最多两位小数，例如 1250000.00' });
/** Profit and cash flow may be negative. */
export const SignedMoneySchema = z
  .string()
  .trim()
  .regex(/^-?\d{1,16}(\.\d{1,2})?$/, { message: '金额应为以元为单位的数字（可为负），最多两位小数，例如 -35000.50' });

export const MonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份格式应为 YYYY-MM，例如 2024-07' })
  .refine((m) => m >= '1900-01' && m <= '2199-12', { message: '月份超出范围' });

export const IdNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const check = validateIdNumber(v);
    if (!check.valid) ctx.addIssue({ code: 'custom', message: check.reason });
  });

const date = CalendarDateSchema.nullable().optional();

/** A file attached to a record in a role; invoices may carry their amount. */
export const AttachmentInputSchema = z.object({
  fileId: UuidSchema,
  role: z.string().trim().min(1).max(40),
  amount: MoneySchema.nullable().optional(),
});
export const AttachmentSchema = z.object({
  fileId: z.string(),
  role: z.string(),
  amount: z.string().nullable(),
  name: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  effectiveOn: z.string().nullable(),
  validUntil: z.string().nullable(),
});
const attachments = (roles: readonly [string, ...string[]]) =>
  z
    .array(AttachmentInputSchema.extend({ role: z.enum(roles, { message: `附件类型应为 ${roles.join('、')}` }) }))
    .max(200, { message: '附件最多 200 个' })
    .optional();

export const PROJECT_FILE_ROLES = ['contract', 'acceptance-report', 'invoice', 'feedback', 'other'] as const;
export const STAFF_FILE_ROLES = ['id-card', 'social-insurance', 'qualification', 'labour-contract', 'other'] as const;
export const FINANCIAL_YEAR_FILE_ROLES = ['audit-report', 'tax-return', 'other'] as const;
export const CERTIFICATE_FILE_ROLES = ['certificate', 'other'] as const;

// ── Projects

const projectFields = {
  name: NameSchema,
  client: text(200, '客户名称'),
  contractNumber: text(100, '合同编号'),
  amount: MoneySchema.nullable().optional(),
  signedOn: date,
  acceptedOn: date,
  status: z.enum(PROJECT_STATUSES, { message: '状态应为 signed、in-progress、accepted 或 terminated' }).optional(),
  managerId: UuidSchema.nullable().optional(),
  technologies: z
    .array(z.string().trim().min(1).max(40, { message: '技术标签最多 40 个字符' }))
    .max(30, { message: '技术标签最多 30 个' })
    .optional(),
  notes: text(2000, '备注'),
  files: attachments(PROJECT_FILE_ROLES),
};
export const CreateProjectSchema = z.object(projectFields);
export const UpdateProjectSchema = z.object(projectFields).partial();
export const ProjectSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  client: z.string().nullable(),
  contractNumber: z.string().nullable(),
  amount: z.string().nullable(),
  signedOn: z.string().nullable(),
  acceptedOn: z.string().nullable(),
  status: z.enum(PROJECT_STATUSES),
  managerId: z.string().nullable(),
  managerName: z.string().nullable(),
  technologies: z.array(z.string()),
  notes: z.string().nullable(),
  files: z.array(AttachmentSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

// ── Staff and their qualifications

export const QualificationInputSchema = z.object({
  id: UuidSchema.optional(),
  kind: z.enum(QUALIFICATION_KINDS, { message: '资质类型应为 pmp、senior-pm、si-pm 或 other' }),
  name: text(100, '证书名称'),
  number: text(100, '证书编号'),
  issuedOn: date,
  expiresOn: date,
});
export const QualificationSchema = z.object({
  id: z.string(),
  staffId: z.string(),
  kind: z.enum(QUALIFICATION_KINDS),
  name: z.string().nullable(),
  number: z.string().nullable(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
});

const staffFields = {
  name: NameSchema,
  idNumber: IdNumberSchema.nullable().optional(),
  role: text(100, '岗位'),
  isRnd: z.boolean().optional(),
  isTechnical: z.boolean().optional(),
  employedFrom: date,
  employedUntil: date,
  socialInsuranceFrom: MonthSchema.nullable().optional(),
  socialInsuranceUntil: MonthSchema.nullable().optional(),
  notes: text(2000, '备注'),
  qualifications: z.array(QualificationInputSchema).max(50, { message: '资质最多 50 项' }).optional(),
  files: attachments(STAFF_FILE_ROLES),
};
type StaffDates = {
  employedFrom?: string | null;
  employedUntil?: string | null;
  socialInsuranceFrom?: string | null;
  socialInsuranceUntil?: string | null;
};
const staffOrder = <T extends z.ZodType<StaffDates>>(schema: T) =>
  schema
    .refine((s) => !s.employedFrom || !s.employedUntil || s.employedUntil >= s.employedFrom, {
      message: '离职日期不能早于入职日期',
      path: ['employedUntil'],
    })
    .refine(
      (s) => !s.socialInsuranceFrom || !s.socialInsuranceUntil || s.socialInsuranceUntil >= s.socialInsuranceFrom,
      { message: '社保截止月不能早于起始月', path: ['socialInsuranceUntil'] },
    );
export const CreateStaffSchema = staffOrder(z.object(staffFields));
export const UpdateStaffSchema = staffOrder(z.object(staffFields).partial());
export const StaffSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  /** Masked (110105********123X) in lists; in full only when one record is read. */
  idNumber: z.string().nullable(),
  role: z.string().nullable(),
  isRnd: z.boolean(),
  isTechnical: z.boolean(),
  employedFrom: z.string().nullable(),
  employedUntil: z.string().nullable(),
  socialInsuranceFrom: z.string().nullable(),
  socialInsuranceUntil: z.string().nullable(),
  notes: z.string().nullable(),
  qualifications: z.array(QualificationSchema),
  files: z.array(AttachmentSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

// ── Financial years

const yearFields = {
  year: z
    .number({ message: '年度应为数字，例如 2025' })
    .int({ message: '年度应为整数' })
    .min(1980, { message: '年度不能早于 1980' })
    .max(2199, { message: '年度超出范围' }),
  revenue: MoneySchema.nullable().optional(),
  systemIntegrationRevenue: MoneySchema.nullable().optional(),
  softwareServiceRevenue: MoneySchema.nullable().optional(),
  rndExpense: MoneySchema.nullable().optional(),
  netProfit: SignedMoneySchema.nullable().optional(),
  operatingCashFlow: SignedMoneySchema.nullable().optional(),
  notes: text(2000, '备注'),
  files: attachments(FINANCIAL_YEAR_FILE_ROLES),
};
export const CreateFinancialYearSchema = z.object(yearFields);
export const UpdateFinancialYearSchema = z.object(yearFields).partial();
export const FinancialYearSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  year: z.number().int(),
  revenue: z.string().nullable(),
  systemIntegrationRevenue: z.string().nullable(),
  softwareServiceRevenue: z.string().nullable(),
  rndExpense: z.string().nullable(),
  netProfit: z.string().nullable(),
  operatingCashFlow: z.string().nullable(),
  notes: z.string().nullable(),
  files: z.array(AttachmentSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

// ── IP

const ipFields = {
  kind: z.enum(IP_KINDS, {
    message: '类型应为 software-copyright、invention-patent、utility-patent 或 design-patent',
  }),
  name: NameSchema,
  number: text(100, '登记号/专利号'),
  grantedOn: date,
  notes: text(2000, '备注'),
  files: attachments(CERTIFICATE_FILE_ROLES),
};
export const CreateIpSchema = z.object(ipFields);
export const UpdateIpSchema = z.object(ipFields).partial();
export const IpSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  kind: z.enum(IP_KINDS),
  name: z.string(),
  number: z.string().nullable(),
  grantedOn: z.string().nullable(),
  notes: z.string().nullable(),
  files: z.array(AttachmentSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

// ── Management certificates

const managementFields = {
  kind: z.enum(MANAGEMENT_CERTIFICATE_KINDS, {
    message: '类型应为 iso9001、iso20000、iso27001、cmmi、itss 或 other',
  }),
  name: text(200, '证书名称'),
  number: text(100, '证书编号'),
  issuedOn: date,
  expiresOn: date,
  notes: text(2000, '备注'),
  files: attachments(CERTIFICATE_FILE_ROLES),
};
const certificateOrder = <T extends z.ZodType<{ issuedOn?: string | null; expiresOn?: string | null }>>(schema: T) =>
  schema.refine((c) => !c.issuedOn || !c.expiresOn || c.expiresOn >= c.issuedOn, {
    message: '有效期至不能早于发证日期',
    path: ['expiresOn'],
  });
export const CreateManagementCertificateSchema = certificateOrder(z.object(managementFields));
export const UpdateManagementCertificateSchema = certificateOrder(z.object(managementFields).partial());
export const ManagementCertificateSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  kind: z.enum(MANAGEMENT_CERTIFICATE_KINDS),
  name: z.string().nullable(),
  number: z.string().nullable(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  notes: z.string().nullable(),
  files: z.array(AttachmentSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const RecordParamsSchema = OrgParamsSchema.extend({ id: UuidSchema });
