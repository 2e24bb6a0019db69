// The workspace's template for the self-check report: which sections it has, in which order, with
// which headings and fixed text, and the company's own sections between them. The figures in a
// section always come from the data; the template only words and arranges them.

/** The sections the report builds from the data; each appears once in a template, on or off. */
export const SELF_CHECK_SECTIONS = [
  'commitment',
  'basics',
  'changes',
  'domains',
  'overall',
  'problems',
  'attachments',
] as const;
export type SelfCheckSectionKey = (typeof SELF_CHECK_SECTIONS)[number];

export interface TemplateSection {
  /** A built-in section, or `custom`: the company's own heading and paragraphs. */
  key: SelfCheckSectionKey | 'custom';
  enabled: boolean;
  /** The heading, numbered 一、二、… in the order of the sections that are on (the commitment is not numbered). */
  title: string;
  /** Paragraphs (one per line) shown under the heading, before the section's figures; may use placeholders. */
  text: string;
}

export interface SelfCheckTemplate {
  /** May use placeholders, as the sections’ text. */
  coverTitle: string;
  sections: TemplateSection[];
}

/** How many sections of the company's own a template may add. */
export const MAX_CUSTOM_SECTIONS = 10;

/** What a placeholder in the fixed text becomes, with the words a template editor shows for it. */
export const PLACEHOLDERS = {
  单位名称: { zh: '企业名称', en: 'Company name' },
  年度: { zh: '报告年度，如 2026', en: 'The report year, e.g. 2026' },
  证书等级: { zh: '证书等级，如 CS2（基本级）', en: 'Certificate level, e.g. CS2（基本级）' },
  证书编号: { zh: '证书编号', en: 'Certificate number' },
  截止日期: { zh: '数据截止日期（年末或今天）', en: 'The day the figures are counted to (year end or today)' },
  统计期: { zh: '要求集的统计期', en: 'The requirement set’s counting window' },
  要求集: { zh: '采用的要求集（内置或本单位编辑的）', en: 'The requirement set used (shipped or edited)' },
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;

const PLACEHOLDER_PATTERN = /\{([^{}]{1,20})\}/g;

/** The `{名称}` placeholders in `text` that are not known, in order of appearance, each once. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const [, name] of text.matchAll(PLACEHOLDER_PATTERN)) {
    if (!(name! in PLACEHOLDERS)) unknown.add(name!);
  }
  return [...unknown];
}

/** `text` with each known placeholder replaced by its value; anything else stays as written. */
export function fillPlaceholders(text: string, values: Readonly<Record<Placeholder, string>>): string {
  return text.replace(PLACEHOLDER_PATTERN, (whole, name: string) =>
    name in PLACEHOLDERS ? values[name as Placeholder] : whole,
  );
}

/** The template a workspace uses until it saves its own: the report as Zizhi has always drawn it. */
export function defaultSelfCheckTemplate(): SelfCheckTemplate {
  const section = (key: SelfCheckSectionKey, title: string, text = ''): TemplateSection => ({
    key,
    enabled: true,
    title,
    text,
  });
  return {
    coverTitle: '信息系统建设和服务能力评估年度自查报告',
    sections: [
      section(
        'commitment',
        '承 诺 书',
        '本单位郑重承诺：本报告所填写的{年度}年度自查内容及所附证明材料均真实、准确、完整，' +
          '不存在虚假记载、误导性陈述或重大遗漏；本单位持续符合信息系统建设和服务能力评估' +
          '{证书等级}的要求，愿意接受评估机构和社会各方面的监督。如有不实，本单位愿意承担相应责任。',
      ),
      section('basics', '企业基本情况'),
      section('changes', '本年度变更及重要事项'),
      section(
        'domains',
        '能力要素自查情况',
        '按信息系统建设和服务能力评估的四个能力域（战略管理、业务运营、基础保障、改进创新），对照{证书等级}的要求，' +
          '以截至{截止日期}登记的证据自查如下。各项“符合/不符合”按本单位采用的要求集（{要求集}）判断，统计期为{统计期}。',
      ),
      section('overall', '总体符合情况'),
      section('problems', '发现的问题及整改措施'),
      section('attachments', '附件清单'),
    ],
  };
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99, as headings and quarters count). */
export function numeralZh(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}
