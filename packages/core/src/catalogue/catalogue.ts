// The capability catalogue of T/CITIF 001-2019 (《信息系统建设和服务能力评估体系 能力要求》): four capability
// domains (能力域), 17 sub-domains (能力子域) and 46 capability items (能力项). The supervision
// planner shares the items between the visits; the evidence registry points at them.
//
// The official list is not published. The item names come from a consultancy page listing the
// on-site process-assessment topics (8 + 10 + 20 + 8 = 46; other pages count 47). How sure each
// row is, is kept with it: the domains are certain; the sub-domains of 业务运营 and 基础保障 are
// stated by one page (medium); those of 战略管理 and 改进创新 are inferred from the names and their
// order (low); 技术先进性 is partly masked in the source (low). docs/capability-catalogue.md has
// the sources. A revised standard is added as another version beside this one.

export const CAPABILITY_DOMAINS = ['strategy', 'operations', 'foundation', 'improvement'] as const;
export type CapabilityDomain = (typeof CAPABILITY_DOMAINS)[number];

export const CAPABILITY_DOMAIN_NAMES: Readonly<Record<CapabilityDomain, { zh: string; en: string }>> = {
  strategy: { zh: '战略管理', en: 'Strategic management' },
  operations: { zh: '业务运营', en: 'Business operation' },
  foundation: { zh: '基础保障', en: 'Foundation support' },
  improvement: { zh: '改进创新', en: 'Improvement and innovation' },
};

/** How far a row can be trusted: high (stated by the standard's summaries), medium (one source), low (inferred). */
export type CatalogueConfidence = 'high' | 'medium' | 'low';

export interface CapabilityItem {
  /** Stable across versions when the item is the same: `domain.subdomain.item` in short English. */
  id: string;
  domain: CapabilityDomain;
  subdomain: { zh: string; en: string };
  name: { zh: string; en: string };
  confidence: CatalogueConfidence;
  /** Where the row comes from, in words a user may read. */
  source: string;
}

export interface CatalogueVersion {
  id: string;
  standard: string;
  /** The day the version was recorded in Zizhi. */
  recordedOn: string;
  items: readonly CapabilityItem[];
}

const PAGE = '公开咨询资料整理的现场过程评估内容（能力项名称）';
const INFERRED = '能力子域归属按名称和顺序推断（官方清单未公开）';
const STATED = '能力子域归属见公开咨询资料（单一来源）';

type Row = [subdomainZh: string, subdomainEn: string, items: Array<[zh: string, en: string]>];

function domain(id: CapabilityDomain, key: string, confidence: CatalogueConfidence, rows: Row[]): CapabilityItem[] {
  return rows.flatMap(([subZh, subEn, items], s) =>
    items.map(([zh, en], i) => ({
      id: `${key}.${s + 1}.${i + 1}`,
      domain: id,
      subdomain: { zh: subZh, en: subEn },
      name: { zh, en },
      confidence,
      source: `${PAGE}；${confidence === 'low' ? INFERRED : STATED}`,
    })),
  );
}

const ITEMS_2019: CapabilityItem[] = [
  ...domain('strategy', 'SM', 'low', [
    [
      '战略定位',
      'Strategic positioning',
      [
        ['战略意图制定', 'Strategic intent'],
        ['战略分析', 'Strategic analysis'],
      ],
    ],
    [
      '战略制定',
      'Strategy formulation',
      [
        ['战略选择', 'Strategic choice'],
        ['目标制定', 'Setting objectives'],
      ],
    ],
    [
      '战略执行',
      'Strategy execution',
      [
        ['目标分解与业务计划制定', 'Breaking down objectives and business planning'],
        ['过程监控', 'Process monitoring'],
      ],
    ],
    [
      '战略回顾',
      'Strategy review',
      [
        ['绩效评价', 'Performance evaluation'],
        ['绩效改进', 'Performance improvement'],
      ],
    ],
  ]),
  ...domain('operations', 'BO', 'medium', [
    [
      '客户关系',
      'Customer relations',
      [
        ['需求开发', 'Requirements development'],
        ['投标', 'Bidding'],
        ['合同管理', 'Contract management'],
        ['客户满意', 'Customer satisfaction'],
      ],
    ],
    [
      '项目管理',
      'Project management',
      [
        ['组织级项目管理', 'Organisational project management'],
        ['研发项目管理', 'R&D project management'],
        ['集成项目管理', 'Integration project management'],
        ['服务项目管理', 'Service project management'],
      ],
    ],
    [
      '采购与外包',
      'Procurement and outsourcing',
      [
        ['供应商选择与评价', 'Supplier selection and evaluation'],
        ['采购与外包控制', 'Procurement and outsourcing control'],
      ],
    ],
  ]),
  ...domain('foundation', 'FD', 'medium', [
    [
      '人员',
      'People',
      [
        ['能力规划', 'Competence planning'],
        ['能力评价', 'Competence evaluation'],
        ['能力提升', 'Competence development'],
        ['绩效考核', 'Performance appraisal'],
      ],
    ],
    [
      '技术',
      'Technology',
      [
        ['自主产品开发', 'Own product development'],
        ['技术先进性', 'Technological advancement'],
      ],
    ],
    [
      '资金',
      'Funds',
      [
        ['资金储备', 'Financial reserves'],
        ['财务状况', 'Financial condition'],
      ],
    ],
    [
      '基础设施',
      'Infrastructure',
      [
        ['信息系统', 'Information systems'],
        ['设备资产', 'Equipment and assets'],
        ['场所', 'Premises'],
      ],
    ],
    [
      '数据',
      'Data',
      [
        ['数据收集', 'Data collection'],
        ['数据应用', 'Data use'],
      ],
    ],
    [
      '信息安全',
      'Information security',
      [
        ['策略制定', 'Security policy'],
        ['风险管理', 'Risk management'],
        ['符合性评估', 'Compliance assessment'],
      ],
    ],
    [
      '质量管理',
      'Quality management',
      [
        ['质量管理规划', 'Quality planning'],
        ['质量管理实施', 'Quality implementation'],
        ['质量管理监督检查', 'Quality monitoring and inspection'],
        ['质量管理持续改进', 'Continual quality improvement'],
      ],
    ],
  ]),
  ...domain('improvement', 'II', 'low', [
    [
      '改进',
      'Improvement',
      [
        ['改进识别', 'Identifying improvements'],
        ['改进策划', 'Planning improvements'],
        ['改进实施', 'Implementing improvements'],
      ],
    ],
    [
      '创新',
      'Innovation',
      [
        ['创新机制', 'Innovation mechanism'],
        ['创新实施', 'Implementing innovation'],
        ['创新评价', 'Evaluating innovation'],
      ],
    ],
    [
      '知识管理',
      'Knowledge management',
      [
        ['知识管理机制', 'Knowledge management mechanism'],
        ['知识管理实施', 'Implementing knowledge management'],
      ],
    ],
  ]),
].map((item) =>
  // The second character of 技术先进性 is masked in the source: the name itself is a guess.
  item.name.zh === '技术先进性'
    ? { ...item, confidence: 'low' as const, source: `${PAGE}；名称第二个字在来源中被遮挡，为推断` }
    : item,
);

export const CAPABILITY_CATALOGUES: readonly CatalogueVersion[] = [
  {
    id: 'T/CITIF 001-2019',
    standard: '《信息系统建设和服务能力评估体系 能力要求》T/CITIF 001-2019',
    recordedOn: '2026-12-06',
    items: ITEMS_2019,
  },
];

/** The version new plans use. */
export const DEFAULT_CATALOGUE_VERSION = CAPABILITY_CATALOGUES[0]!.id;

export function catalogueVersion(id: string): CatalogueVersion | undefined {
  return CAPABILITY_CATALOGUES.find((v) => v.id === id);
}
