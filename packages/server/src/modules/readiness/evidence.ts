import { findFlags, type Evidence, type Flag } from '@zizhi/core';
import { and, eq } from 'drizzle-orm';
import { inTurn, type Tx } from '../../db/client.js';
import {
  adverseRecords,
  financialYears,
  ipAssets,
  legalEntities,
  managementCertificates,
  organisations,
  projects,
  qualifications,
  recordFiles,
  staff,
  standards,
} from '../../db/schema.js';

/**
 * Everything readiness and the authenticity checks read about one organisation, in core's
 * Evidence shape. The caller has already checked access; every query names the organisation.
 */
export async function loadEvidence(tx: Tx, orgId: string): Promise<Evidence> {
  const [org] = await tx
    .select({ name: organisations.name, businessSince: organisations.businessSince })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  const [
    projectRows,
    staffRows,
    qualificationRows,
    yearRows,
    ipRows,
    managementRows,
    auditReports,
    standardRows,
    adverseRows,
    legalEntityRows,
    legalEntityFiles,
  ] = await inTurn([
    tx.select().from(projects).where(eq(projects.orgId, orgId)),
    tx.select().from(staff).where(eq(staff.orgId, orgId)),
    tx.select().from(qualifications).where(eq(qualifications.orgId, orgId)),
    tx.select().from(financialYears).where(eq(financialYears.orgId, orgId)),
    tx.select().from(ipAssets).where(eq(ipAssets.orgId, orgId)),
    tx.select().from(managementCertificates).where(eq(managementCertificates.orgId, orgId)),
    tx
      .select({ recordId: recordFiles.recordId })
      .from(recordFiles)
      .where(
        and(
          eq(recordFiles.orgId, orgId),
          eq(recordFiles.recordType, 'financial-year'),
          eq(recordFiles.role, 'audit-report'),
        ),
      ),
    tx.select().from(standards).where(eq(standards.orgId, orgId)),
    tx.select().from(adverseRecords).where(eq(adverseRecords.orgId, orgId)),
    tx.select().from(legalEntities).where(eq(legalEntities.orgId, orgId)),
    tx
      .select({ recordId: recordFiles.recordId })
      .from(recordFiles)
      .where(and(eq(recordFiles.orgId, orgId), eq(recordFiles.recordType, 'legal-entity'))),
  ]);
  const audited = new Set(auditReports.map((r) => r.recordId));
  const legalEntity = legalEntityRows[0];
  // Nothing registered of a kind is "data missing" (readiness says what to enter), not zero.
  const some = <T>(rows: T[]) => (rows.length > 0 ? rows : undefined);
  return {
    organisation: { name: org?.name ?? null, businessSince: org?.businessSince ?? null },
    projects: some(projectRows)?.map((p) => ({
      id: p.id,
      name: p.name,
      client: p.client,
      contractNumber: p.contractNumber,
      amount: p.amount,
      signedOn: p.signedOn,
      acceptedOn: p.acceptedOn,
      status: p.status,
      managerId: p.managerId,
      technologies: p.technologies,
    })),
    staff: some(staffRows)?.map((s) => ({
      id: s.id,
      name: s.name,
      role: s.role,
      isRnd: s.isRnd,
      isTechnical: s.isTechnical,
      employedFrom: s.employedFrom,
      employedUntil: s.employedUntil,
      socialInsuranceFrom: s.socialInsuranceFrom,
      socialInsuranceUntil: s.socialInsuranceUntil,
    })),
    qualifications: some(qualificationRows)?.map((q) => ({
      id: q.id,
      staffId: q.staffId,
      kind: q.kind,
      name: q.name,
      number: q.number,
      issuedOn: q.issuedOn,
      expiresOn: q.expiresOn,
    })),
    financialYears: some(yearRows)?.map((y) => ({
      year: y.year,
      revenue: y.revenue,
      systemIntegrationRevenue: y.systemIntegrationRevenue,
      softwareServiceRevenue: y.softwareServiceRevenue,
      rndExpense: y.rndExpense,
      netProfit: y.netProfit,
      operatingCashFlow: y.operatingCashFlow,
      audited: audited.has(y.id),
    })),
    ip: some(ipRows)?.map((i) => ({ id: i.id, kind: i.kind, name: i.name, number: i.number, grantedOn: i.grantedOn })),
    managementCertificates: some(managementRows)?.map((m) => ({
      id: m.id,
      kind: m.kind,
      name: m.name,
      number: m.number,
      issuedOn: m.issuedOn,
      expiresOn: m.expiresOn,
    })),
    standards: some(standardRows)?.map((s) => ({
      id: s.id,
      name: s.name,
      number: s.number,
      role: s.role,
      publishedOn: s.publishedOn,
    })),
    // None recorded is an answer here: the company checked and has none to enter.
    adverseRecords: adverseRows.map((r) => ({
      id: r.id,
      kind: r.kind,
      listedOn: r.listedOn,
      clearedOn: r.clearedOn,
      note: r.notes,
    })),
    legalEntity: legalEntity
      ? {
          isIndependent: legalEntity.isIndependent,
          confirmedOn: legalEntity.confirmedOn,
          files: legalEntityFiles.filter((f) => f.recordId === legalEntity.id).length,
        }
      : null,
  };
}

/**
 * The authenticity flags (core's findFlags) of evidence already loaded for the organisation, with
 * the projects' attachments they also look at, as of `today`.
 */
export async function flagsOfEvidence(tx: Tx, orgId: string, evidence: Evidence, today: string): Promise<Flag[]> {
  const attachments = await tx
    .select({ projectId: recordFiles.recordId, role: recordFiles.role, amount: recordFiles.amount })
    .from(recordFiles)
    .where(and(eq(recordFiles.orgId, orgId), eq(recordFiles.recordType, 'project')));
  return findFlags(evidence, attachments, today);
}
