import {
  IP_KINDS,
  MANAGEMENT_CERTIFICATE_KINDS,
  PROJECT_STATUSES,
  QUALIFICATION_KINDS,
  validateIdNumber,
  type IdNumberProblem,
} from '@zizhi/core';
import { z } from 'zod';
import { CalendarDateSchema, NameSchema, UuidSchema } from '../../http/schemas.js';
import { says } from '../../http/validation.js';
import { OrgParamsSchema } from '../../http/params.js';

// Edge schemas of the evidence registry. Cross-record inconsistencies (acceptance before signing,
// invoices above the contract) are saved and reported as authenticity flags, not refused here:
// the record is what the paper says, and the flag tells the company what to fix.

/** Optional text; an empty string is stored as no value (the service normalises it). */
const text = (max: number) => z.string().trim().max(max).nullable().optional();

/** Yuan with at most two decimals, as a string so no amount is ever rounded through a float. */
export const MoneySchema = z
  .string()
  .trim()
  // A minus sign is the mistake to name, not the decimals.
  .refine((v) => !/^-\d/.test(v), {
    message: says('金额不能为负数，请填写 0 或正数', 'must not be negative; enter 0 or more'),
    abort: true,
  })
  .regex(/^\d{1,16}(\.\d{1,2})?$/, {
    message: says(
      '金额应为以元为单位的数字，最多两位小数，例如 1250000.00',
      'must be an amount in yuan with at most two decimals, e.g. 1250000.00',
    ),
  });
/** Profit and cash flow may be negative. */
export const SignedMoneySchema = z
  .string()
  .trim()
  .regex(/^-?\d{1,16}(\.\d{1,2})?$/, {
    message: says(
      '金额应为以元为单位的数字（可为负），最多两位小数，例如 -35000.50',
      'must be an amount in yuan (may be negative) with at most two decimals, e.g. -35000.50',
    ),
  });

export const MonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, {
    message: says('月份格式应为 YYYY-MM，例如 2024-07', 'must be a month written YYYY-MM, e.g. 2024-07'),
    abort: true,
  })
  .refine((m) => m >= '1900-01' && m <= '2199-12', {
    message: says('月份应在 1900-01 至 2199-12 之间', 'must be a month from 1900-01 to 2199-12'),
  });

const ID_NUMBER_PROBLEMS_EN: Readonly<Record<IdNumberProblem, string>> = {
  length: 'must have 18 characters',
  character: 'must be 17 digits followed by a digit or X',
  region: 'starts with a region code that does not exist',
  'birth-date': 'has a birth date (characters 7–14) that is not a real date',
  'future-birth-date': 'has a birth date after today',
  check: 'has a wrong check character (look for a mistyped digit)',
};

export const IdNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const check = validateIdNumber(v);
    if (!check.valid)
      ctx.addIssue({ code: 'custom', message: says(check.reason, ID_NUMBER_PROBLEMS_EN[check.problem]) });
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
    .array(AttachmentInputSchema.extend({ role: z.enum(roles) }))
    .max(200)
    .optional();

export const PROJECT_FILE_ROLES = ['contract', 'acceptance-report', 'invoice', 'feedback', 'other'] as const;
export const STAFF_FILE_ROLES = ['id-card', 'social-insurance', 'qualification', 'labour-contract', 'other'] as const;
export const FINANCIAL_YEAR_FILE_ROLES = ['audit-report', 'tax-return', 'other'] as const;
export const CERTIFICATE_FILE_ROLES = ['certificate', 'other'] as const;

// ── Projects

const projectFields = {
  name: NameSchema,
  client: text(200),
  contractNumber: text(100),
  amount: MoneySchema.nullable().optional(),
  signedOn: date,
  acceptedOn: date,
  status: z.enum(PROJECT_STATUSES).optional(),
  managerId: UuidSchema.nullable().optional(),
  technologies: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(40, { message: says('每个技术标签最多 40 个字符', 'each tag has at most 40 characters') }),
    )
    .max(30)
    .optional(),
  notes: text(2000),
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
  kind: z.enum(QUALIFICATION_KINDS),
  name: text(100),
  number: text(100),
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
  role: text(100),
  isRnd: z.boolean().optional(),
  isTechnical: z.boolean().optional(),
  employedFrom: date,
  employedUntil: date,
  socialInsuranceFrom: MonthSchema.nullable().optional(),
  socialInsuranceUntil: MonthSchema.nullable().optional(),
  notes: text(2000),
  qualifications: z.array(QualificationInputSchema).max(50).optional(),
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
      message: says('离职日期不能早于入职日期', 'must not be before the date employed from'),
      path: ['employedUntil'],
    })
    .refine(
      (s) => !s.socialInsuranceFrom || !s.socialInsuranceUntil || s.socialInsuranceUntil >= s.socialInsuranceFrom,
      {
        message: says('社保截止月不能早于起始月', 'must not be before the first month of social insurance'),
        path: ['socialInsuranceUntil'],
      },
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
    .number({ message: says('年度应为数字，例如 2025', 'must be a number, e.g. 2025') })
    .int()
    .min(1980, { message: says('年度不能早于 1980', 'must be 1980 or later') })
    .max(2199, { message: says('年度不能晚于 2199', 'must be 2199 or earlier') }),
  revenue: MoneySchema.nullable().optional(),
  systemIntegrationRevenue: MoneySchema.nullable().optional(),
  softwareServiceRevenue: MoneySchema.nullable().optional(),
  rndExpense: MoneySchema.nullable().optional(),
  netProfit: SignedMoneySchema.nullable().optional(),
  operatingCashFlow: SignedMoneySchema.nullable().optional(),
  notes: text(2000),
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
  kind: z.enum(IP_KINDS),
  name: NameSchema,
  number: text(100),
  grantedOn: date,
  notes: text(2000),
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
  kind: z.enum(MANAGEMENT_CERTIFICATE_KINDS),
  name: text(200),
  number: text(100),
  issuedOn: date,
  expiresOn: date,
  notes: text(2000),
  files: attachments(CERTIFICATE_FILE_ROLES),
};
const certificateOrder = <T extends z.ZodType<{ issuedOn?: string | null; expiresOn?: string | null }>>(schema: T) =>
  schema.refine((c) => !c.issuedOn || !c.expiresOn || c.expiresOn >= c.issuedOn, {
    message: says('有效期至不能早于发证日期', 'must not be before the issue date'),
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
