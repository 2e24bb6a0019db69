import { CAPABILITY_DOMAINS, CAPABILITY_CATALOGUES, EVIDENCE_SOURCES, LEVELS } from '@zizhi/core';
import { z } from 'zod';
import { says } from '../../http/validation.js';
import { CalendarDateSchema, UuidSchema } from '../../http/schemas.js';

const PersonDaysSchema = z
  .number()
  .positive(says('人天应大于 0', 'must be more than 0'))
  .max(1000, says('人天最多 1000', 'must be at most 1,000'))
  .refine((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, says('人天最多保留一位小数', 'at most one decimal'));

export const PlanInputSchema = z.object({
  initialPersonDays: PersonDaysSchema.describe(
    'The initial assessment’s person-days, from the assessment body’s contract or report',
  ),
  visits: z
    .array(
      z.object({
        date: CalendarDateSchema.describe('The day of the visit (planned or held)'),
        personDays: PersonDaysSchema,
        itemIds: z
          .array(z.string().max(40))
          .max(200)
          .optional()
          .describe('Capability items placed on this visit by a person; the planner fills visits without them'),
      }),
    )
    .min(1, says('请至少安排一次监督评估', 'Plan at least one supervision'))
    .max(6, says('最多安排 6 次监督评估', 'Plan at most 6 supervisions')),
});
export type PlanInput = z.infer<typeof PlanInputSchema>;

const Words = z.object({ zh: z.string(), en: z.string() });

export const PlanSchema = z.object({
  saved: z.boolean().describe('Whether a plan is saved; otherwise only the suggested dates are given'),
  catalogueVersion: z.string(),
  initialPersonDays: z.number().nullable(),
  visits: z.array(
    z.object({
      date: z.string(),
      personDays: z.number(),
      itemIds: z.array(z.string()),
      capacity: z.number().int().describe('How many items the visit’s person-days reach'),
      past: z.boolean().describe('The day has come (China time)'),
    }),
  ),
  missingItemIds: z.array(z.string()),
  problems: z.array(
    z.object({
      code: z.enum(['too-few-visits', 'visit-too-short', 'items-uncovered', 'visit-overloaded']),
      visit: z.number().int().optional(),
      message: Words,
    }),
  ),
  results: z
    .array(
      z.object({
        date: z.string(),
        items: z.array(
          z.object({ itemId: z.string(), result: z.enum(['conform', 'finding']), note: z.string().nullable() }),
        ),
        findings: z.array(z.object({ text: z.string(), dueDate: z.string(), obligationId: UuidSchema })),
      }),
    )
    .describe('What each held visit found: per item, and the body’s findings with their rectification duties'),
  coverage: z.object({
    covered: z.number().int().describe('Items on a visit whose day has come'),
    planned: z.number().int().describe('Items on a visit still to come'),
    missing: z.number().int(),
  }),
  minimumPersonDays: z.number().nullable().describe('Half the initial person-days: the least a visit may have'),
  suggestedDates: z
    .array(z.object({ date: z.string(), title: Words }))
    .describe('The supervisions the deadline engine expects for the certificate, to plan from'),
  evidence: z
    .array(
      z.object({
        itemId: z.string(),
        files: z.number().int().describe('Current evidence files of the kinds that speak to the item'),
        gap: Words.nullable().describe('What the item lacks in the registry'),
      }),
    )
    .describe('For each item of the catalogue: its evidence in the registry, and gaps'),
  updatedAt: z.string().nullable(),
});

export const CatalogueSchema = z.object({
  versions: z.array(
    z.object({
      id: z.string(),
      standard: z.string(),
      domains: z.array(z.object({ id: z.enum(CAPABILITY_DOMAINS), name: z.string(), nameEn: z.string() })),
      items: z.array(
        z.object({
          id: z.string(),
          domain: z.string().describe('The capability domain (能力域), as the standard names it'),
          domainId: z.enum(CAPABILITY_DOMAINS),
          subdomain: z.string().describe('The sub-domain (能力子域)'),
          name: z.string().describe('The capability item (能力项)'),
          en: z.object({ domain: z.string(), subdomain: z.string(), name: z.string() }),
          confidence: z
            .enum(['high', 'medium', 'low'])
            .describe('high: stated by the standard’s summaries; medium: one source; low: inferred'),
          source: z.string(),
          evidence: z
            .array(z.enum(EVIDENCE_SOURCES))
            .describe('The kinds of evidence in the registry that speak to the item, as the workspace uses them'),
          corrected: z
            .object({
              note: z.string().nullable(),
              shipped: z.object({
                name: z.string(),
                subdomain: z.string(),
                evidence: z.array(z.enum(EVIDENCE_SOURCES)),
              }),
            })
            .nullable()
            .describe(
              'The workspace’s correction of the item, with the shipped values it replaced; null when as shipped',
            ),
        }),
      ),
    }),
  ),
});

export const CatalogueQuerySchema = z.object({
  workspaceId: UuidSchema.optional().describe(
    'The workspace whose corrections to apply; none gives the catalogue as shipped',
  ),
});

export const CorrectionParamsSchema = z.object({
  id: UuidSchema,
  capabilityId: z.string().max(40).describe('The capability item’s id (SM.1.1 …)'),
});

const CorrectionText = (zh: string, en: string) =>
  z
    .string()
    .trim()
    .min(1, says(`${zh}不能为空；不更正时请留空`, `${en} must not be blank; leave it out to keep the shipped one`))
    .max(60, says(`${zh}最多 60 个字`, `${en} is at most 60 characters`))
    .nullable()
    .optional();

export const CorrectionInputSchema = z
  .object({
    catalogueVersion: z
      .enum(CAPABILITY_CATALOGUES.map((v) => v.id) as [string, ...string[]])
      .optional()
      .describe('The catalogue version corrected; the default version when left out'),
    name: CorrectionText('能力项名称', 'The item name').describe('The Chinese name the workspace uses'),
    subdomain: CorrectionText('能力子域', 'The sub-domain').describe('The sub-domain the item belongs to'),
    evidence: z
      .array(z.enum(EVIDENCE_SOURCES))
      .max(EVIDENCE_SOURCES.length)
      .refine((list) => new Set(list).size === list.length, says('证据类别有重复', 'an evidence kind is repeated'))
      .nullable()
      .optional()
      .describe('The kinds of evidence that speak to the item; [] for none in the registry'),
    note: z.string().trim().max(500, says('说明最多 500 个字', 'at most 500 characters')).nullable().optional(),
  })
  .refine(
    (v) => v.name != null || v.subdomain != null || v.evidence != null,
    says(
      '请至少更正名称、能力子域或证据类别中的一项',
      'Correct at least the name, the sub-domain or the evidence kinds',
    ),
  );
export type CorrectionInput = z.infer<typeof CorrectionInputSchema>;

export const DossierQuerySchema = z.object({
  targetLevel: z
    .enum(LEVELS)
    .optional()
    .describe('The level applied for: the certificate’s own (renewal, the default) or the next one (upgrade)'),
});

export const ResultsInputSchema = z.object({
  date: CalendarDateSchema.describe('The day of the visit (a visit of the saved plan that has taken place)'),
  items: z
    .array(
      z.object({
        itemId: z.string().max(40),
        result: z.enum(['conform', 'finding']).describe('conform, or a finding on this item'),
        note: z.string().trim().max(500).optional(),
      }),
    )
    .max(200),
});
export type ResultsInput = z.infer<typeof ResultsInputSchema>;

export const FindingInputSchema = z.object({
  date: CalendarDateSchema.describe('The day of the visit that found it'),
  text: z
    .string()
    .trim()
    .min(1, says('请填写评估机构指出的问题', 'Describe the finding'))
    .max(500, says('问题描述最多 500 个字符', 'must be at most 500 characters')),
  dueDate: CalendarDateSchema.describe('The day the rectification is due'),
  assigneeId: UuidSchema.optional().describe('Who rectifies it (a member); the one recording it by default'),
});
export type FindingInput = z.infer<typeof FindingInputSchema>;

const contactText = (max: number) => z.string().trim().max(max).optional();

export const ContactInputSchema = z.object({
  body: contactText(100).describe('The assessment body (评估机构)'),
  person: contactText(50).describe('The contact person there'),
  phone: z
    .string()
    .trim()
    .regex(
      /^[0-9+\-() 转,，]{3,40}$/,
      says('电话只能包含数字、空格、+、-、括号和“转”', 'use digits, spaces, +, -, brackets'),
    )
    .optional(),
  email: z.email(says('请填写有效的电子邮件地址', 'Enter a valid e-mail address')).optional(),
  note: contactText(500).describe('Anything else: office hours, the project number at the body …'),
});
export type ContactInput = z.infer<typeof ContactInputSchema>;

export const ContactSchema = z.object({
  body: z.string().nullable(),
  person: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  note: z.string().nullable(),
  updatedAt: z.string().nullable().describe('Null until someone saves it (the body is then the issuer)'),
});
