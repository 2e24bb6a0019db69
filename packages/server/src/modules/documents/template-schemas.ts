import { z } from 'zod';
import { says } from '../../http/validation.js';
import {
  MAX_CUSTOM_SECTIONS,
  PLACEHOLDERS,
  SELF_CHECK_SECTIONS,
  unknownPlaceholders,
  type SelfCheckTemplate,
} from '../../reports/self-check-template.js';
import { SelfCheckQuerySchema } from './schemas.js';

const SECTION_NAMES_ZH: Record<(typeof SELF_CHECK_SECTIONS)[number], string> = {
  commitment: '承诺书',
  basics: '企业基本情况',
  changes: '本年度变更及重要事项',
  domains: '能力要素自查情况',
  overall: '总体符合情况',
  problems: '发现的问题及整改措施',
  attachments: '附件清单',
};

const KNOWN = Object.keys(PLACEHOLDERS)
  .map((name) => `{${name}}`)
  .join('、');

/** A typo in a placeholder is refused: it would otherwise reach a submitted report in braces. */
function knownPlaceholders(value: string, ctx: z.RefinementCtx) {
  const unknown = unknownPlaceholders(value);
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `不认识的占位符 ${unknown.map((n) => `{${n}}`).join('、')}；可用的占位符：${KNOWN}`,
    });
  }
}

const text = z
  .string()
  .max(5000, says('每节文字最多 5000 个字符', 'must be at most 5,000 characters'))
  .superRefine(knownPlaceholders);

export const TemplateSectionSchema = z.object({
  key: z.enum([...SELF_CHECK_SECTIONS, 'custom']).describe('A built-in section, or custom: the company’s own'),
  enabled: z.boolean(),
  title: z
    .string()
    .trim()
    .min(1, says('请填写章节标题', 'Enter the section heading'))
    .max(60, says('章节标题最多 60 个字符', 'must be at most 60 characters')),
  text: text.describe(
    'Paragraphs (one per line) under the heading, before the section’s figures; placeholders such as {单位名称} are filled in',
  ),
});

export const SelfCheckTemplateSchema = z
  .object({
    coverTitle: z
      .string()
      .trim()
      .min(1, says('请填写封面标题', 'Enter the cover title'))
      .max(60, says('封面标题最多 60 个字符', 'must be at most 60 characters'))
      .superRefine(knownPlaceholders),
    sections: z
      .array(TemplateSectionSchema)
      .max(SELF_CHECK_SECTIONS.length + MAX_CUSTOM_SECTIONS)
      .describe('In the order they appear; each built-in section exactly once, on or off'),
  })
  .superRefine((template, ctx) => {
    for (const key of SELF_CHECK_SECTIONS) {
      const count = template.sections.filter((s) => s.key === key).length;
      if (count !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['sections'],
          message:
            count === 0
              ? `缺少“${SECTION_NAMES_ZH[key]}”一节：不需要时请关闭它，不要删除`
              : `“${SECTION_NAMES_ZH[key]}”一节出现了 ${count} 次，只能有一次`,
        });
      }
    }
    if (template.sections.filter((s) => s.key === 'custom').length > MAX_CUSTOM_SECTIONS) {
      ctx.addIssue({
        code: 'custom',
        path: ['sections'],
        message: `最多添加 ${MAX_CUSTOM_SECTIONS} 个自定义章节`,
      });
    }
  }) satisfies z.ZodType<SelfCheckTemplate>;

export const TemplateResponseSchema = z.object({
  template: SelfCheckTemplateSchema,
  custom: z.boolean().describe('Whether the workspace saved its own template (else the default)'),
  placeholders: z
    .array(z.object({ name: z.string(), zh: z.string(), en: z.string() }))
    .describe('What may be written in braces in a section’s text'),
  updatedAt: z.string().nullable(),
});

export const PreviewBodySchema = z.object({
  year: SelfCheckQuerySchema.shape.year,
  template: SelfCheckTemplateSchema.optional().describe(
    'A template being edited, to preview before saving; the saved one (or the default) otherwise',
  ),
});

const BlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heading'), level: z.union([z.literal(1), z.literal(2)]), text: z.string() }),
  z.object({
    type: z.literal('paragraph'),
    text: z.string(),
    align: z.enum(['left', 'center', 'right']).optional(),
    indent: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('table'),
    columns: z.array(
      z.object({ title: z.string(), width: z.number(), align: z.enum(['left', 'center', 'right']).optional() }),
    ),
    rows: z.array(z.array(z.string())),
    empty: z.string(),
    /** Rows left out of the preview (the file has them all). */
    more: z.number().int().optional(),
  }),
  z.object({ type: z.literal('signature'), lines: z.array(z.string()) }),
  z.object({ type: z.literal('pageBreak') }),
]);

export const PreviewSchema = z.object({
  document: z.object({
    title: z.string(),
    cover: z.object({
      title: z.string(),
      subtitle: z.string().optional(),
      lines: z.array(z.tuple([z.string(), z.string()])),
      date: z.string(),
    }),
    blocks: z.array(BlockSchema),
  }),
});
