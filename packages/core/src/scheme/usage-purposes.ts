/**
 * What a copy of the certificate goes out for (证书使用登记): the register's purposes, with the
 * words the register, its workbook and the stamped copy use.
 */
export const USAGE_PURPOSES = [
  'tender',
  'supplier-registration',
  'contract',
  'website',
  'qualification-review',
  'other',
] as const;
export type UsagePurpose = (typeof USAGE_PURPOSES)[number];

export function isUsagePurpose(value: unknown): value is UsagePurpose {
  return (USAGE_PURPOSES as readonly unknown[]).includes(value);
}

export const USAGE_PURPOSE_NAMES: Readonly<Record<UsagePurpose, { zh: string; en: string }>> = {
  tender: { zh: '投标', en: 'Tender' },
  'supplier-registration': { zh: '供应商入库', en: 'Supplier registration' },
  contract: { zh: '合同签订', en: 'Contract' },
  website: { zh: '网站或宣传资料', en: 'Website or brochure' },
  'qualification-review': { zh: '资格审查', en: 'Qualification review' },
  other: { zh: '其他', en: 'Other' },
};
