import { z } from 'zod';
import { CertParamsSchema } from '../../http/params.js';
import { FORMATS } from '../../reports/model.js';

export const SelfCheckParamsSchema = CertParamsSchema.extend({ format: z.enum(FORMATS) });

export const SelfCheckQuerySchema = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .describe('The year the report covers (YYYY), within the certificate’s validity and not after this year'),
});

const binary = z.string().meta({ format: 'binary' });

export const DocumentResponse = {
  description: 'The document as a Word file (.docx) or PDF',
  content: {
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: binary },
    'application/pdf': { schema: binary },
  },
};
