import type { Evidence, EvidenceProject, EvidenceStaff } from './evidence.js';
import { formatYuan, parseYuan } from './money.js';

// Authenticity checks: forged or inconsistent evidence leads to revocation, so
// the product points at what an assessor would question before the assessor does. Pure: the
// service loads the evidence and the projects' attachments.

export const FLAG_CODES = [
  'acceptance-before-signing',
  'invoices-above-contract',
  'manager-not-insured',
  'expired-qualification',
  'duplicate-contract-number',
  'missing-acceptance-report',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export interface Flag {
  code: FlagCode;
  severity: 'error' | 'warning';
  recordType: 'project' | 'staff';
  recordId: string;
  /** The record's name as the user knows it. */
  recordLabel: string;
  message: string;
  messageEn: string;
}

/** A project's attachments as the checks need them. */
export interface ProjectAttachment {
  projectId: string;
  role: string;
  amount: string | null;
}

const PM_KINDS = new Set(['pmp', 'senior-pm', 'si-pm']);
const month = (date: string) => date.slice(0, 7);

/** The months of the project not covered by the manager's social insurance, as a range, or null. */
function uncoveredMonths(p: EvidenceProject, m: EvidenceStaff, today: string): string | null {
  if (!p.signedOn) return null;
  const from = month(p.signedOn);
  const to = month(p.acceptedOn ?? (today < p.signedOn ? p.signedOn : today));
  const insuredFrom = m.socialInsuranceFrom;
  const insuredTo = m.socialInsuranceUntil ?? '9999-12';
  if (!insuredFrom) return `${from} 至 ${to}`;
  if (insuredFrom <= from && insuredTo >= to) return null;
  return `${from} 至 ${to}`;
}

/**
 * The red flags in an organisation's evidence as of `today` (a China calendar date), ordered
 * by project. Each names the record to fix.
 */
export function findFlags(evidence: Evidence, attachments: readonly ProjectAttachment[], today: string): Flag[] {
  const flags: Flag[] = [];
  const staffById = new Map((evidence.staff ?? []).map((s) => [s.id, s]));
  const pmQualifications = new Map<
    string,
    Array<{ kind: string; expiresOn: string | null | undefined; label: string }>
  >();
  for (const q of evidence.qualifications ?? []) {
    if (!PM_KINDS.has(q.kind)) continue;
    const list = pmQualifications.get(q.staffId) ?? [];
    list.push({ kind: q.kind, expiresOn: q.expiresOn, label: q.name ?? q.kind.toUpperCase() });
    pmQualifications.set(q.staffId, list);
  }
  const byContract = new Map<string, EvidenceProject[]>();
  for (const p of evidence.projects ?? []) {
    const key = p.contractNumber?.trim().toUpperCase();
    if (key) byContract.set(key, [...(byContract.get(key) ?? []), p]);
  }

  const projects = [...(evidence.projects ?? [])].sort(
    (a, b) => (a.signedOn ?? '').localeCompare(b.signedOn ?? '') || a.name.localeCompare(b.name),
  );
  for (const p of projects) {
    const flag = (code: FlagCode, severity: Flag['severity'], message: string, messageEn: string) =>
      flags.push({ code, severity, recordType: 'project', recordId: p.id, recordLabel: p.name, message, messageEn });

    if (p.signedOn && p.acceptedOn && p.acceptedOn < p.signedOn) {
      flag(
        'acceptance-before-signing',
        'error',
        `项目“${p.name}”的验收日期 ${p.acceptedOn} 早于合同签订日期 ${p.signedOn}，请核对合同和验收报告`,
        `Project "${p.name}" was accepted on ${p.acceptedOn}, before its contract was signed on ${p.signedOn}`,
      );
    }

    const invoices = attachments.filter((a) => a.projectId === p.id && a.role === 'invoice' && a.amount);
    if (p.amount && invoices.length > 0) {
      const invoiced = invoices.reduce((sum, a) => sum + (parseYuan(a.amount) ?? 0n), 0n);
      const contract = parseYuan(p.amount);
      if (contract !== null && invoiced > contract) {
        flag(
          'invoices-above-contract',
          'error',
          `项目“${p.name}”的发票合计 ${formatYuan(invoiced)} 元，超过合同金额 ${formatYuan(contract)} 元，请核对发票或补充合同变更`,
          `Invoices of "${p.name}" total ¥${formatYuan(invoiced)}, above the contract amount ¥${formatYuan(contract)}`,
        );
      }
    }

    const manager = p.managerId ? staffById.get(p.managerId) : undefined;
    if (manager) {
      const gap = uncoveredMonths(p, manager, today);
      if (gap) {
        const insured = manager.socialInsuranceFrom
          ? `社保记录为 ${manager.socialInsuranceFrom} 至 ${manager.socialInsuranceUntil ?? '今'}`
          : '未登记社保';
        flag(
          'manager-not-insured',
          'error',
          `项目“${p.name}”的项目经理 ${manager.name} 在项目期间（${gap}）未全程在本公司缴纳社保（${insured}）`,
          `The manager of "${p.name}", ${manager.name}, was not insured by the company throughout the project (${gap})`,
        );
      }
      const held = pmQualifications.get(manager.id) ?? [];
      const at = p.signedOn;
      if (at && held.length > 0 && held.every((q) => q.expiresOn && q.expiresOn < at)) {
        const latest = held.reduce((a, b) => ((a.expiresOn ?? '') > (b.expiresOn ?? '') ? a : b));
        flag(
          'expired-qualification',
          'warning',
          `项目“${p.name}”签订于 ${at}，项目经理 ${manager.name} 的 ${latest.label} 证书已于 ${latest.expiresOn} 过期`,
          `"${p.name}" was signed on ${at}, but ${manager.name}'s ${latest.label} expired on ${latest.expiresOn}`,
        );
      }
    }

    const key = p.contractNumber?.trim().toUpperCase();
    const twins = key ? (byContract.get(key) ?? []) : [];
    if (twins.length > 1) {
      const others = twins.filter((t) => t.id !== p.id).map((t) => `“${t.name}”`);
      flag(
        'duplicate-contract-number',
        'error',
        `合同编号 ${p.contractNumber} 同时用于项目“${p.name}”和${others.join('、')}，同一合同不能作为两个业绩`,
        `Contract number ${p.contractNumber} is used by "${p.name}" and ${others.length} other project(s)`,
      );
    }

    const accepted = p.status === 'accepted' || Boolean(p.acceptedOn);
    if (accepted && !attachments.some((a) => a.projectId === p.id && a.role === 'acceptance-report')) {
      flag(
        'missing-acceptance-report',
        'warning',
        `项目“${p.name}”已验收，但没有上传验收报告；评估时无法作为业绩`,
        `Project "${p.name}" is accepted but has no acceptance report attached`,
      );
    }
  }
  return flags;
}
