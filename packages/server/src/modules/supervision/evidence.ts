// The evidence files of an organisation as a supervision pack assembles them: the current version
// of each file attached to a registry record or kept as a document version, with the kind of
// evidence it is (EVIDENCE_SOURCES), the record it belongs to in words, and whether it has expired.
import { MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH, type EvidenceSource } from '@zizhi/core';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  documents,
  files,
  financialYears,
  ipAssets,
  managementCertificates,
  projects,
  recordFiles,
  staff,
  standards,
} from '../../db/schema.js';

export interface EvidenceFile {
  source: EvidenceSource;
  /** The record the file belongs to, as a person names it. */
  record: string;
  fileId: string;
  name: string;
  sha256: string;
  size: number;
  validUntil: string | null;
  expired: boolean;
}

/**
 * Which kind of evidence an attached file is, by its record and role. Staff identity cards are
 * never packed: an assessor does not ask for them, and they are personal data.
 */
function sourceOf(recordType: string, role: string, kind: string | null): EvidenceSource | null {
  switch (recordType) {
    case 'project':
      return (
        (
          {
            contract: 'contracts',
            'acceptance-report': 'acceptance-reports',
            feedback: 'feedback',
            invoice: 'invoices',
          } as const
        )[role as 'contract'] ?? null
      );
    case 'staff':
      return (
        (
          {
            qualification: 'qualifications',
            'social-insurance': 'social-insurance',
            'labour-contract': 'labour-contracts',
          } as const
        )[role as 'qualification'] ?? null
      );
    case 'financial-year':
      return (
        ({ 'audit-report': 'audit-reports', 'tax-return': 'tax-returns' } as const)[role as 'audit-report'] ?? null
      );
    case 'ip':
      return 'ip';
    case 'management-certificate':
      return kind === 'other' || !kind ? 'other-systems' : (kind as EvidenceSource);
    case 'standard':
      return 'standards';
    case 'legal-entity':
      return role === 'business-licence' ? 'business-licence' : null;
    default:
      return null;
  }
}

const DOCUMENT_SOURCE = {
  'self-check-report': 'self-check-reports',
  'audit-report': 'internal-audits',
  'meeting-minutes': 'meeting-minutes',
} as const;
const DOCUMENT_NAME = {
  'self-check-report': '自查报告',
  'audit-report': '内审报告',
  'meeting-minutes': '会议纪要',
} as const;

/**
 * Every current evidence file of the organisation and, for documents, of the certificate: files a
 * newer upload replaced are left out, and of a document only its latest version counts.
 */
export async function loadEvidenceFiles(tx: Tx, orgId: string, certId: string, today: string): Promise<EvidenceFile[]> {
  const current = sql`not exists (select 1 from files newer where newer.replaces_id = ${files.id})`;
  const attached = await tx
    .select({
      recordType: recordFiles.recordType,
      role: recordFiles.role,
      fileId: files.id,
      name: files.name,
      sha256: files.sha256,
      size: files.size,
      validUntil: files.validUntil,
      project: projects.name,
      person: staff.name,
      year: financialYears.year,
      ip: ipAssets.name,
      systemKind: managementCertificates.kind,
      systemName: managementCertificates.name,
      systemExpires: managementCertificates.expiresOn,
      standard: standards.name,
    })
    .from(recordFiles)
    .innerJoin(files, eq(files.id, recordFiles.fileId))
    .leftJoin(projects, and(eq(recordFiles.recordType, 'project'), eq(projects.id, recordFiles.recordId)))
    .leftJoin(staff, and(eq(recordFiles.recordType, 'staff'), eq(staff.id, recordFiles.recordId)))
    .leftJoin(
      financialYears,
      and(eq(recordFiles.recordType, 'financial-year'), eq(financialYears.id, recordFiles.recordId)),
    )
    .leftJoin(ipAssets, and(eq(recordFiles.recordType, 'ip'), eq(ipAssets.id, recordFiles.recordId)))
    .leftJoin(
      managementCertificates,
      and(eq(recordFiles.recordType, 'management-certificate'), eq(managementCertificates.id, recordFiles.recordId)),
    )
    .leftJoin(standards, and(eq(recordFiles.recordType, 'standard'), eq(standards.id, recordFiles.recordId)))
    .where(and(eq(recordFiles.orgId, orgId), current))
    .orderBy(recordFiles.recordType, recordFiles.createdAt);

  const out: EvidenceFile[] = [];
  const seen = new Set<string>();
  for (const row of attached) {
    const source = sourceOf(row.recordType, row.role, row.systemKind);
    if (!source || seen.has(`${source}:${row.fileId}`)) continue;
    seen.add(`${source}:${row.fileId}`);
    const system =
      row.systemKind && (row.systemName || MANAGEMENT_CERTIFICATE_KIND_NAMES_ZH[row.systemKind as 'iso9001']);
    const record =
      row.project ??
      row.person ??
      (row.year ? `${row.year}年度` : null) ??
      row.ip ??
      system ??
      row.standard ??
      '营业执照';
    const validUntil = row.validUntil ?? row.systemExpires ?? null;
    out.push({
      source,
      record,
      fileId: row.fileId,
      name: row.name,
      sha256: row.sha256,
      size: row.size,
      validUntil,
      expired: validUntil !== null && validUntil < today,
    });
  }

  const kept = await tx
    .selectDistinctOn([documents.kind, documents.period], {
      kind: documents.kind,
      period: documents.period,
      version: documents.version,
      fileId: files.id,
      name: files.name,
      sha256: files.sha256,
      size: files.size,
    })
    .from(documents)
    .innerJoin(files, eq(files.id, documents.fileId))
    .where(and(eq(documents.orgId, orgId), eq(documents.certificateId, certId)))
    .orderBy(documents.kind, documents.period, desc(documents.version));
  for (const doc of kept) {
    out.push({
      source: DOCUMENT_SOURCE[doc.kind],
      record: `${DOCUMENT_NAME[doc.kind]}（${doc.period}，第 ${doc.version} 版）`,
      fileId: doc.fileId,
      name: doc.name,
      sha256: doc.sha256,
      size: doc.size,
      validUntil: null,
      expired: false,
    });
  }
  return out;
}
