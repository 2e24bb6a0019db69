import {
  PROJECT_STATUS_NAMES_ZH,
  PROJECT_STATUSES,
  QUALIFICATION_KIND_NAMES_ZH,
  QUALIFICATION_KINDS,
} from '@zizhi/core';

/** What can be imported from a spreadsheet, by its path segment in the API. */
export const IMPORT_KINDS = ['projects', 'staff', 'qualifications'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  projects: '项目',
  staff: '人员',
  qualifications: '人员资质',
};

/**
 * How a cell is read: `staffRef` is a staff member's name or ID number, resolved against the
 * organisation's staff when the rows are checked against the database.
 */
export type FieldType = 'text' | 'date' | 'money' | 'boolean' | 'enum' | 'tags' | 'month' | 'idNumber' | 'staffRef';

export interface EnumOption {
  code: string;
  label: string;
  /** Other spellings seen in exports of other systems. */
  aliases?: readonly string[];
}

export interface ColumnDef {
  /** The field in the API and in saved mappings. */
  key: string;
  /** The header in the template, and the name used in messages. */
  header: string;
  /** Other headers recognised without a saved mapping (compared ignoring case, spaces and full-width forms). */
  aliases: readonly string[];
  type: FieldType;
  required: boolean;
  /** Longest text accepted (text and staffRef). */
  maxLength?: number;
  options?: readonly EnumOption[];
  /** The 说明 sheet's explanation. */
  help: string;
  /** The template's example row. */
  example: string | number | boolean | Date | null;
}

const statusOptions: EnumOption[] = PROJECT_STATUSES.map((code) => ({
  code,
  label: PROJECT_STATUS_NAMES_ZH[code],
  aliases: {
    signed: ['签约', '已签订', '已签合同'],
    'in-progress': ['进行中', '执行中', '在建'],
    accepted: ['验收', '已完成', '完成', '已结项', '结项'],
    terminated: ['终止', '已取消', '取消'],
  }[code],
}));

const qualificationOptions: EnumOption[] = QUALIFICATION_KINDS.map((code) => ({
  code,
  label: QUALIFICATION_KIND_NAMES_ZH[code],
  aliases: {
    pmp: ['项目管理专业人士', 'PMP 证书', 'PMP证书'],
    'senior-pm': ['信息系统项目管理师（高级）', '高级项目经理', '软考高级项目管理师'],
    'si-pm': ['系统集成项目管理工程师（中级）', '中级项目经理', '系统集成项目经理'],
    other: ['其它'],
  }[code],
}));

const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

/** An example ID number with a correct check digit (a published sample, not a real person). */
const EXAMPLE_ID_NUMBER = '11010519491231002X';

export const COLUMNS: Record<ImportKind, readonly ColumnDef[]> = {
  projects: [
    {
      key: 'name',
      header: '项目名称',
      aliases: ['项目', '项目名', 'Project', 'Project Name', 'Name'],
      type: 'text',
      required: true,
      maxLength: 200,
      help: '合同上的项目名称',
      example: '某市政务云平台运维服务项目',
    },
    {
      key: 'client',
      header: '客户',
      aliases: ['客户名称', '甲方', '建设单位', '委托方', 'Client', 'Customer'],
      type: 'text',
      required: false,
      maxLength: 200,
      help: '合同甲方',
      example: '某市大数据管理局',
    },
    {
      key: 'contractNumber',
      header: '合同编号',
      aliases: ['合同号', '合同编码', 'Contract No.', 'Contract No', 'Contract Number'],
      type: 'text',
      required: true,
      maxLength: 100,
      help: '再次导入时按合同编号更新已有项目，而不是重复新增',
      example: 'HT-2025-001',
    },
    {
      key: 'amount',
      header: '合同金额（元）',
      aliases: ['合同金额', '金额', '合同额', '金额（元）', 'Amount', 'Contract Amount'],
      type: 'money',
      required: false,
      help: '以元为单位，最多两位小数，可带千分位逗号，例如 1,250,000.00',
      example: 1250000,
    },
    {
      key: 'signedOn',
      header: '签订日期',
      aliases: ['签约日期', '合同签订日期', '签订时间', 'Signed On', 'Sign Date'],
      type: 'date',
      required: false,
      help: 'YYYY-MM-DD，也接受 2026/3/5、2026年3月5日 和 Excel 日期单元格',
      example: day(2025, 3, 5),
    },
    {
      key: 'acceptedOn',
      header: '验收日期',
      aliases: ['验收时间', '终验日期', 'Accepted On', 'Acceptance Date'],
      type: 'date',
      required: false,
      help: '同上；早于签订日期时照常导入，并在真实性检查中提示',
      example: day(2025, 12, 20),
    },
    {
      key: 'status',
      header: '状态',
      aliases: ['项目状态', 'Status'],
      type: 'enum',
      required: false,
      options: statusOptions,
      help: '留空时新项目记为“已签约”，已有项目保持原状态',
      example: '已验收',
    },
    {
      key: 'manager',
      header: '项目经理',
      aliases: ['项目负责人', '负责人', 'PM', 'Project Manager'],
      type: 'staffRef',
      required: false,
      maxLength: 100,
      help: '本企业人员的姓名或身份证号（须已在“人员”中登记；重名时请填身份证号）',
      example: '张三',
    },
    {
      key: 'technologies',
      header: '技术领域',
      aliases: ['技术', '技术标签', '技术方向', 'Technologies', 'Tags'],
      type: 'tags',
      required: false,
      help: '多个用 、 , 或 ; 分隔，例如 云计算、大数据',
      example: '云计算、大数据',
    },
  ],
  staff: [
    {
      key: 'name',
      header: '姓名',
      aliases: ['员工姓名', '人员姓名', 'Name'],
      type: 'text',
      required: true,
      maxLength: 100,
      help: '',
      example: '张三',
    },
    {
      key: 'idNumber',
      header: '身份证号',
      aliases: ['身份证号码', '证件号码', '公民身份号码', 'ID Number', 'ID No.'],
      type: 'idNumber',
      required: true,
      help: '18 位，校验位须正确；请将此列设为文本格式（数字格式会丢失末几位）。再次导入时按身份证号更新',
      example: EXAMPLE_ID_NUMBER,
    },
    {
      key: 'role',
      header: '岗位',
      aliases: ['职位', '职务', '岗位名称', 'Role', 'Title'],
      type: 'text',
      required: false,
      maxLength: 100,
      help: '',
      example: '项目经理',
    },
    {
      key: 'isRnd',
      header: '研发人员',
      aliases: ['是否研发人员', '研发', 'R&D'],
      type: 'boolean',
      required: false,
      help: '是 或 否（留空为否）',
      example: '否',
    },
    {
      key: 'isTechnical',
      header: '技术人员',
      aliases: ['是否技术人员', '技术'],
      type: 'boolean',
      required: false,
      help: '是 或 否（留空为否）',
      example: '是',
    },
    {
      key: 'employedFrom',
      header: '入职日期',
      aliases: ['入职时间', '到岗日期', 'Hire Date'],
      type: 'date',
      required: false,
      help: 'YYYY-MM-DD',
      example: day(2021, 7, 1),
    },
    {
      key: 'employedUntil',
      header: '离职日期',
      aliases: ['离职时间', 'Leave Date'],
      type: 'date',
      required: false,
      help: '在职请留空；不能早于入职日期',
      example: null,
    },
    {
      key: 'socialInsuranceFrom',
      header: '社保起始月',
      aliases: ['社保起始月份', '社保开始月份', '社保缴纳起始月'],
      type: 'month',
      required: false,
      help: 'YYYY-MM，本企业开始为其缴纳社保的月份',
      example: '2021-07',
    },
    {
      key: 'socialInsuranceUntil',
      header: '社保截止月',
      aliases: ['社保截止月份', '社保结束月份', '社保缴纳截止月'],
      type: 'month',
      required: false,
      help: 'YYYY-MM，仍在缴纳请留空',
      example: null,
    },
  ],
  qualifications: [
    {
      key: 'idNumber',
      header: '身份证号',
      aliases: ['身份证号码', '证件号码', '持证人身份证号', 'ID Number'],
      type: 'idNumber',
      required: true,
      help: '持证人的身份证号，须已在“人员”中登记',
      example: EXAMPLE_ID_NUMBER,
    },
    {
      key: 'kind',
      header: '资质类型',
      aliases: ['证书类型', '资格类型', 'Kind', 'Type'],
      type: 'enum',
      required: true,
      options: qualificationOptions,
      help: '',
      example: '信息系统项目管理师',
    },
    {
      key: 'name',
      header: '证书名称',
      aliases: ['资质名称', 'Certificate'],
      type: 'text',
      required: false,
      maxLength: 200,
      help: '资质类型为“其他”时必填',
      example: '信息系统项目管理师',
    },
    {
      key: 'number',
      header: '证书编号',
      aliases: ['证书号', '资格证书编号', '管理号', 'Certificate No.'],
      type: 'text',
      required: true,
      maxLength: 100,
      help: '再次导入时按 持证人 + 资质类型 + 证书编号 更新',
      example: 'GJ2021001234',
    },
    {
      key: 'issuedOn',
      header: '发证日期',
      aliases: ['取得日期', '签发日期', 'Issued On'],
      type: 'date',
      required: false,
      help: 'YYYY-MM-DD',
      example: day(2021, 5, 20),
    },
    {
      key: 'expiresOn',
      header: '有效期至',
      aliases: ['到期日期', '有效期', 'Expires On'],
      type: 'date',
      required: false,
      help: '长期有效请留空；不能早于发证日期',
      example: null,
    },
  ],
};

/**
 * A header as compared: compatibility forms folded (full-width brackets and letters), case,
 * spaces and a trailing required mark ignored, so 合同金额(元) matches 合同金额（元）.
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/(\*|\(必填\))$/, '');
}
