// Which evidence in the registry speaks to each capability item: the defaults a supervision pack
// and the planner's gaps use. The standard does not say (its requirements are not public); the
// map follows the items' names to the records a company keeps in Zizhi. Items about internal
// management (strategy, infrastructure, data, knowledge) have no record type here: their evidence
// is the company's own policies and records, which the plan names as a gap to prepare.

/** A kind of evidence file, as the pack's folders group them. */
export const EVIDENCE_SOURCES = [
  'contracts',
  'acceptance-reports',
  'feedback',
  'invoices',
  'qualifications',
  'social-insurance',
  'labour-contracts',
  'audit-reports',
  'tax-returns',
  'iso9001',
  'iso20000',
  'iso27001',
  'cmmi',
  'itss',
  'other-systems',
  'ip',
  'standards',
  'business-licence',
  'internal-audits',
  'meeting-minutes',
  'self-check-reports',
] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

export const EVIDENCE_SOURCE_NAMES: Readonly<Record<EvidenceSource, { zh: string; en: string }>> = {
  contracts: { zh: '项目合同', en: 'Project contracts' },
  'acceptance-reports': { zh: '项目验收报告', en: 'Acceptance reports' },
  feedback: { zh: '用户反馈', en: 'User feedback' },
  invoices: { zh: '项目发票', en: 'Project invoices' },
  qualifications: { zh: '人员资格证书', en: 'Staff qualifications' },
  'social-insurance': { zh: '社会保险缴纳证明', en: 'Social insurance records' },
  'labour-contracts': { zh: '劳动合同', en: 'Labour contracts' },
  'audit-reports': { zh: '财务审计报告', en: 'Financial audit reports' },
  'tax-returns': { zh: '纳税申报表', en: 'Tax returns' },
  iso9001: { zh: '质量管理体系认证（ISO 9001）', en: 'ISO 9001 certificate' },
  iso20000: { zh: 'IT服务管理体系认证（ISO/IEC 20000）', en: 'ISO/IEC 20000 certificate' },
  iso27001: { zh: '信息安全管理体系认证（ISO/IEC 27001）', en: 'ISO/IEC 27001 certificate' },
  cmmi: { zh: 'CMMI 评估证书', en: 'CMMI appraisal' },
  itss: { zh: 'ITSS 符合性证书', en: 'ITSS certificate' },
  'other-systems': { zh: '其他管理体系证书', en: 'Other management-system certificates' },
  ip: { zh: '知识产权证书', en: 'IP certificates' },
  standards: { zh: '参与制定的标准', en: 'Standards drafted' },
  'business-licence': { zh: '营业执照', en: 'Business licence' },
  'internal-audits': { zh: '内部合规检查报告', en: 'Internal audit reports' },
  'meeting-minutes': { zh: '资质维护季度会议纪要', en: 'Quarterly meeting minutes' },
  'self-check-reports': { zh: '年度自查报告', en: 'Annual self-check reports' },
};

/** Item id (catalogue.ts) → the sources that speak to it; absent: nothing in the registry does. */
export const ITEM_EVIDENCE: Readonly<Record<string, readonly EvidenceSource[]>> = {
  'SM.1.1': ['meeting-minutes'],
  'SM.1.2': ['meeting-minutes'],
  'SM.2.1': ['meeting-minutes'],
  'SM.2.2': ['meeting-minutes'],
  'SM.3.1': ['meeting-minutes'],
  'SM.3.2': ['internal-audits', 'meeting-minutes'],
  'SM.4.1': ['self-check-reports', 'audit-reports'],
  'SM.4.2': ['internal-audits', 'self-check-reports'],
  'BO.1.1': ['contracts'],
  'BO.1.2': ['contracts'],
  'BO.1.3': ['contracts', 'invoices'],
  'BO.1.4': ['feedback'],
  'BO.2.1': ['contracts', 'acceptance-reports', 'cmmi'],
  'BO.2.2': ['acceptance-reports', 'cmmi'],
  'BO.2.3': ['acceptance-reports'],
  'BO.2.4': ['acceptance-reports', 'iso20000', 'itss'],
  'BO.3.2': ['invoices'],
  'FD.1.1': ['qualifications'],
  'FD.1.2': ['qualifications'],
  'FD.1.3': ['qualifications'],
  'FD.1.4': ['labour-contracts', 'social-insurance'],
  'FD.2.1': ['ip'],
  'FD.2.2': ['ip', 'standards'],
  'FD.3.1': ['audit-reports'],
  'FD.3.2': ['audit-reports', 'tax-returns'],
  'FD.6.1': ['iso27001'],
  'FD.6.2': ['iso27001'],
  'FD.6.3': ['iso27001', 'internal-audits'],
  'FD.7.1': ['iso9001'],
  'FD.7.2': ['iso9001', 'acceptance-reports'],
  'FD.7.3': ['iso9001', 'internal-audits'],
  'FD.7.4': ['iso9001', 'internal-audits'],
  'II.1.1': ['internal-audits'],
  'II.1.2': ['meeting-minutes'],
  'II.1.3': ['internal-audits'],
  'II.2.1': ['ip'],
  'II.2.2': ['ip'],
  'II.2.3': ['ip', 'standards'],
};

export function isEvidenceSource(value: unknown): value is EvidenceSource {
  return (EVIDENCE_SOURCES as readonly unknown[]).includes(value);
}

export function evidenceSourcesOf(itemId: string): readonly EvidenceSource[] {
  return ITEM_EVIDENCE[itemId] ?? [];
}
