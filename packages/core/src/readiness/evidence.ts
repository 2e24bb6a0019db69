// The evidence a readiness answer is computed from (projects, staff, qualifications, finance, IP,
// management certificates, standards and the eligibility records). One shape for the server
// (built from the registry tables), the CLI (`zizhi readiness --data company.json`) and tests.
// Dates are China calendar dates `YYYY-MM-DD`; months are `YYYY-MM`; money is a decimal string
// in yuan ("12345.67"), never a float, so sums are exact.

/** Project status (项目状态). */
export const PROJECT_STATUSES = ['signed', 'in-progress', 'accepted', 'terminated'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const PROJECT_STATUS_NAMES_ZH: Readonly<Record<ProjectStatus, string>> = {
  signed: '已签约',
  'in-progress': '实施中',
  accepted: '已验收',
  terminated: '已终止',
};

/** Qualification kinds: the ones readiness rules name, and `other`. */
export const QUALIFICATION_KINDS = ['pmp', 'senior-pm', 'si-pm', 'other'] as const;
export type QualificationKind = (typeof QUALIFICATION_KINDS)[number];

export const QUALIFICATION_KIND_NAMES_ZH: Readonly<Record<QualificationKind, string>> = {
  pmp: 'PMP',
  'senior-pm': '信息系统项目管理师',
  'si-pm': '系统集成项目管理工程师',
  other: '其他',
};

export const IP_KINDS = ['software-copyright', 'invention-patent', 'utility-patent', 'design-patent'] as const;
export type IpKind = (typeof IP_KINDS)[number];

export const IP_KIND_NAMES_ZH: Readonly<Record<IpKind, string>> = {
  'software-copyright': '软件著作权',
  'invention-patent': '发明专利',
  'utility-patent': '实用新型专利',
  'design-patent': '外观设计专利',
};

export const MANAGEMENT_CERTIFICATE_KINDS = ['iso9001', 'iso20000', 'iso27001', 'cmmi', 'itss', 'other'] as const;
export type ManagementCertificateKind = (typeof MANAGEMENT_CERTIFICATE_KINDS)[number];

export const MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH: Readonly<Record<ManagementCertificateKind, string>> = {
  iso9001: 'ISO 9001',
  iso20000: 'ISO/IEC 20000',
  iso27001: 'ISO/IEC 27001',
  cmmi: 'CMMI',
  itss: 'ITSS',
  other: '其他',
};

/** Kinds of adverse record (不良记录) that bar an application while they overlap the window. */
export const ADVERSE_RECORD_KINDS = ['violation', 'abnormal-operation', 'serious-dishonesty'] as const;
export type AdverseRecordKind = (typeof ADVERSE_RECORD_KINDS)[number];

export const ADVERSE_RECORD_KIND_NAMES_ZH: Readonly<Record<AdverseRecordKind, string>> = {
  violation: '违法违规记录',
  'abnormal-operation': '经营异常名录',
  'serious-dishonesty': '严重违法失信名单',
};

export const ADVERSE_RECORD_KIND_NAMES_EN: Readonly<Record<AdverseRecordKind, string>> = {
  violation: 'violation record',
  'abnormal-operation': 'abnormal business operation listing',
  'serious-dishonesty': 'serious dishonesty listing',
};

/** The organisation's part in drafting a standard. */
export const STANDARD_ROLES = ['lead', 'participant', 'other'] as const;
export type StandardRole = (typeof STANDARD_ROLES)[number];

export const STANDARD_ROLE_NAMES_ZH: Readonly<Record<StandardRole, string>> = {
  lead: '牵头起草单位',
  participant: '参与起草单位',
  other: '其他参与',
};

export interface EvidenceProject {
  id: string;
  name: string;
  client?: string | null;
  contractNumber?: string | null;
  /** Contract amount in yuan, decimal string. */
  amount?: string | null;
  signedOn?: string | null;
  acceptedOn?: string | null;
  status: ProjectStatus;
  /** The project manager: an `EvidenceStaff.id`. */
  managerId?: string | null;
  /** Technology tags such as 云计算, 大数据, 人工智能. */
  technologies?: readonly string[];
}

export interface EvidenceStaff {
  id: string;
  name: string;
  role?: string | null;
  /** 研发人员 */
  isRnd?: boolean;
  /** 技术人员 */
  isTechnical?: boolean;
  employedFrom?: string | null;
  /** Last day employed; null while employed. */
  employedUntil?: string | null;
  /** First month of social insurance paid by the company (`YYYY-MM`). */
  socialInsuranceFrom?: string | null;
  /** Last month paid (`YYYY-MM`); null while still paid. */
  socialInsuranceUntil?: string | null;
}

export interface EvidenceQualification {
  id: string;
  staffId: string;
  kind: QualificationKind;
  /** The certificate's name as printed (needed for `other`). */
  name?: string | null;
  number?: string | null;
  issuedOn?: string | null;
  /** Last valid day; null when it does not expire. */
  expiresOn?: string | null;
}

export interface EvidenceFinancialYear {
  year: number;
  revenue?: string | null;
  /** 系统集成收入 */
  systemIntegrationRevenue?: string | null;
  /** 软件和信息技术服务收入 */
  softwareServiceRevenue?: string | null;
  rndExpense?: string | null;
  netProfit?: string | null;
  operatingCashFlow?: string | null;
  /** Whether an audit report file is attached. */
  audited?: boolean;
}

export interface EvidenceIp {
  id: string;
  kind: IpKind;
  name: string;
  number?: string | null;
  grantedOn?: string | null;
}

export interface EvidenceManagementCertificate {
  id: string;
  kind: ManagementCertificateKind;
  name?: string | null;
  number?: string | null;
  issuedOn?: string | null;
  expiresOn?: string | null;
}

/** Whether the organisation is an independent legal entity (独立法人), as a person confirmed it. */
export interface EvidenceLegalEntity {
  isIndependent: boolean;
  confirmedOn?: string | null;
  /** How many supporting files (business licence, articles) are attached. */
  files?: number;
}

/** A listing or finding against the organisation: from `listedOn` until `clearedOn` (null: still listed). */
export interface EvidenceAdverseRecord {
  id: string;
  kind: AdverseRecordKind;
  listedOn?: string | null;
  clearedOn?: string | null;
  note?: string | null;
}

/** A standard the organisation took part in drafting, dated by its publication. */
export interface EvidenceStandard {
  id: string;
  name: string;
  number?: string | null;
  role: StandardRole;
  publishedOn?: string | null;
}

/** Everything readiness reads about one organisation. Arrays may be empty; missing data is "unknown". */
export interface Evidence {
  organisation?: {
    name?: string | null;
    /**
     * When the company started in the business. Years in business count from here, or else from
     * the earliest project signing (the first related contract).
     */
    businessSince?: string | null;
  };
  projects?: readonly EvidenceProject[];
  staff?: readonly EvidenceStaff[];
  qualifications?: readonly EvidenceQualification[];
  financialYears?: readonly EvidenceFinancialYear[];
  ip?: readonly EvidenceIp[];
  managementCertificates?: readonly EvidenceManagementCertificate[];
  /** Null or absent: nobody has confirmed it yet. */
  legalEntity?: EvidenceLegalEntity | null;
  /** An empty list: none recorded; absent: not known. */
  adverseRecords?: readonly EvidenceAdverseRecord[];
  standards?: readonly EvidenceStandard[];
}
