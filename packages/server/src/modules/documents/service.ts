import { evaluateReadiness, isLevel } from '@zizhi/core';
import { and, asc, between, desc, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { certificateEvents, documents, files, obligations, users } from '../../db/schema.js';
import { invalid, notFound } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';
import type { StoredBlob } from '../../storage/index.js';
import { recordEvent } from '../events/api.js';
import { getFile, recordFile } from '../files/api.js';
import type { SubmitSelfCheck } from './schemas.js';
import { flagsOfEvidence, loadEvidence, requirementSetFor } from '../readiness/api.js';
import type { SelfCheckData } from '../../reports/self-check.js';
import { selfCheckTemplateFor } from './templates.js';

/** The organisation's certificate, when `year` lies within its validity and is not after this year. */
async function certificateForYear(tx: Tx, orgId: string, certId: string, year: number) {
  const cert = await loadCertificate(tx, orgId, certId);
  if (!isLevel(cert.level)) throw notFound('证书');
  const first = Number(cert.issuedOn.slice(0, 4));
  const last = Math.min(Number(cert.expiresOn.slice(0, 4)), Number(chinaToday().slice(0, 4)));
  if (year < first || year > last) {
    throw invalid(
      'year',
      first > last
        ? `证书 ${cert.number} 尚未生效，还不能生成自查报告`
        : `证书 ${cert.number} 可生成 ${first}–${last} 年度的自查报告，${year} 年不在其中`,
    );
  }
  return { ...cert, level: cert.level };
}

/** The duties a self-check report counts, by obligation rule. */
const DUTY_RULES = { audits: 'audit.internal', meetings: 'meeting.quarterly' } as const;

/**
 * Everything a certificate's self-check report for `year` says, read in one transaction (viewers
 * and above): the organisation, the certificate, its events of the year, the evidence, readiness
 * for its level at the end of the year (today in the current year), the internal audits and
 * meetings due in the year, the open authenticity flags and the workspace's report template.
 */
export async function selfCheckData({
  tx,
  actor,
  orgId,
  certId,
  year,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
  year: number;
}): Promise<SelfCheckData> {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const cert = await certificateForYear(tx, orgId, certId, year);
  const today = chinaToday();
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const yearEnd = to < today ? to : today;
  const events = await tx
    .select({ type: certificateEvents.type, date: certificateEvents.date, data: certificateEvents.data })
    .from(certificateEvents)
    .where(
      and(
        eq(certificateEvents.certificateId, certId),
        between(certificateEvents.date, from, to),
        isNull(certificateEvents.withdrawnAt),
      ),
    )
    .orderBy(asc(certificateEvents.date), asc(certificateEvents.createdAt));
  const evidence = await loadEvidence(tx, orgId);
  const { set, custom } = await requirementSetFor(tx, org.workspaceId, cert.level);
  const readiness = evaluateReadiness({ level: cert.level, at: yearEnd, evidence, requirements: set });
  const duties = await tx
    .select({
      rule: obligations.rule,
      due: sql<number>`count(*)::int`,
      // Waived is not held: a waived audit did not take place.
      done: sql<number>`(count(*) filter (where ${obligations.status} = 'done' or ${obligations.satisfiedOn} is not null))::int`,
    })
    .from(obligations)
    .where(
      and(
        eq(obligations.certificateId, certId),
        inArray(obligations.rule, Object.values(DUTY_RULES)),
        between(obligations.dueDate, from, to),
        isNull(obligations.cancelledOn),
      ),
    )
    .groupBy(obligations.rule);
  const count = (rule: string) => {
    const row = duties.find((d) => d.rule === rule);
    return { due: row?.due ?? 0, done: row?.done ?? 0 };
  };
  const flags = await flagsOfEvidence(tx, orgId, evidence, today);
  const { template } = await selfCheckTemplateFor(tx, org.workspaceId);
  return {
    year,
    today,
    organisation: {
      name: org.name,
      creditCode: org.creditCode,
      address: org.address,
      legalRepresentative: org.legalRepresentative,
      foundedOn: org.foundedOn,
    },
    certificate: {
      number: cert.number,
      level: cert.level,
      issuedOn: cert.issuedOn,
      expiresOn: cert.expiresOn,
      issuer: cert.issuer,
    },
    events: events.map((e) => ({ type: e.type, date: e.date, note: noteOf(e.data) })),
    evidence,
    readiness,
    customRequirements: custom,
    duties: { audits: count(DUTY_RULES.audits), meetings: count(DUTY_RULES.meetings) },
    flags: flags.map((f) => f.message),
    template,
  };
}

/** An event's note as people wrote it, when it has one. */
function noteOf(data: unknown): string | null {
  const note = (data as { note?: unknown } | null)?.note;
  return typeof note === 'string' && note.trim() ? note.trim() : null;
}

/**
 * Checked before anything is generated or stored: recording a submission needs a manager (as
 * recording any event does), a CS1 or CS2 certificate (higher levels have supervisions instead)
 * and a submission day within the covered year or after it, and not in the future.
 */
export async function requireSubmitAccess({
  tx,
  actor,
  orgId,
  certId,
  body,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
  body: SubmitSelfCheck;
}) {
  await requireOrgAccess(tx, actor, orgId, 'manager');
  const cert = await certificateForYear(tx, orgId, certId, body.year);
  if (cert.level !== 'CS1' && cert.level !== 'CS2') {
    throw invalid(
      'year',
      `${cert.level} 证书接受监督评估，不提交年度自查报告；请登记监督评估结果（证书 ${cert.number}）`,
    );
  }
  if (body.submittedOn < `${body.year}-01-01` || body.submittedOn > chinaToday()) {
    throw invalid('submittedOn', `提交日期应在 ${body.year}-01-01 至今天（${chinaToday()}）之间`);
  }
}

type VersionRow = {
  doc: typeof documents.$inferSelect;
  file: { id: string; name: string; size: number; sha256: string };
  createdBy: string | null;
};

const presentVersion = ({ doc, file, createdBy }: VersionRow) => ({
  id: doc.id,
  kind: doc.kind,
  period: doc.period,
  version: doc.version,
  status: doc.status,
  submittedOn: doc.submittedOn,
  receiptNumber: doc.receiptNumber,
  file,
  dataSha256: doc.dataSha256,
  eventId: doc.eventId,
  createdBy,
  createdAt: doc.createdAt.toISOString(),
});

/**
 * Records a submitted self-check report as the next version of the year's (earlier versions stay
 * as they were): the file the company submitted, or else the PDF generated now from the data
 * (`generated`, stored before this transaction). It records the event `self-check.submitted`,
 * which completes the year's self-check duty.
 */
export async function submitSelfCheck({
  tx,
  actor,
  meta,
  orgId,
  certId,
  body,
  generated,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  certId: string;
  body: SubmitSelfCheck;
  generated: { blob: StoredBlob; name: string; dataSha256: string } | null;
}) {
  await requireSubmitAccess({ tx, actor, orgId, certId, body });
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  let file;
  if (body.fileId) {
    file = await getFile({ tx, actor, orgId, fileId: body.fileId }).catch(() => {
      throw invalid('fileId', {
        zh: '所选文件不存在或不属于该企业',
        en: 'The file does not exist or belongs to another organisation',
      });
    });
  } else if (generated) {
    file = await recordFile({
      tx,
      actor,
      meta,
      orgId,
      blob: generated.blob,
      name: generated.name,
      contentType: 'application/pdf',
      fields: { effectiveOn: body.submittedOn },
    });
  } else {
    throw invalid('fileId', { zh: '请选择提交的文件', en: 'Choose the file that was submitted' });
  }
  const period = String(body.year);
  const [{ last } = { last: null }] = await tx
    .select({ last: max(documents.version) })
    .from(documents)
    .where(
      and(eq(documents.certificateId, certId), eq(documents.kind, 'self-check-report'), eq(documents.period, period)),
    );
  const recorded = await recordEvent({
    tx,
    actor,
    meta,
    orgId,
    certId,
    body: {
      type: 'self-check.submitted',
      date: body.submittedOn,
      year: body.year,
      result: body.result,
      ...(body.receiptNumber ? { note: `回执号 ${body.receiptNumber}` } : {}),
    },
  });
  const [doc] = await tx
    .insert(documents)
    .values({
      orgId,
      certificateId: certId,
      kind: 'self-check-report',
      period,
      version: (last ?? 0) + 1,
      status: 'submitted',
      fileId: file.id,
      dataSha256: body.fileId ? null : (generated?.dataSha256 ?? null),
      submittedOn: body.submittedOn,
      receiptNumber: body.receiptNumber ?? null,
      eventId: recorded.event.id,
      createdBy: actor.userId,
    })
    .returning();
  await recordAudit(tx, {
    action: 'document.submitted',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'document',
    targetId: doc!.id,
    summary: {
      certificateId: certId,
      kind: '年度自查报告',
      year: body.year,
      version: doc!.version,
      submittedOn: body.submittedOn,
      receiptNumber: body.receiptNumber ?? null,
      file: file.name,
    },
    ip: meta.ip,
  });
  return presentVersion({
    doc: doc!,
    file: { id: file.id, name: file.name, size: file.size, sha256: file.sha256 },
    createdBy: actor.name,
  });
}

/** A certificate's recorded self-check report versions, newest year and version first (viewers and above). */
export async function listSelfCheckVersions({
  tx,
  actor,
  orgId,
  certId,
  year,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
  year?: number;
}) {
  await requireOrgAccess(tx, actor, orgId);
  await loadCertificate(tx, orgId, certId);
  const rows = await tx
    .select({
      doc: documents,
      file: { id: files.id, name: files.name, size: files.size, sha256: files.sha256 },
      createdBy: users.name,
    })
    .from(documents)
    .innerJoin(files, eq(files.id, documents.fileId))
    .leftJoin(users, eq(users.id, documents.createdBy))
    .where(
      and(
        eq(documents.certificateId, certId),
        eq(documents.kind, 'self-check-report'),
        year === undefined ? undefined : eq(documents.period, String(year)),
      ),
    )
    .orderBy(desc(documents.period), desc(documents.version));
  return rows.map(presentVersion);
}

/**
 * Keeps an issued document (a closed audit's report, a meeting's final minutes) as the next version
 * of its kind for what it covers: the PDF, stored before this transaction, as a file of the
 * organisation.
 */
async function keepIssued({
  tx,
  actor,
  meta,
  orgId,
  kind,
  certificateId,
  period,
  effectiveOn,
  blob,
  name,
  dataSha256,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  kind: 'audit-report' | 'meeting-minutes';
  certificateId: string;
  period: string;
  effectiveOn: string | null;
  blob: StoredBlob;
  name: string;
  dataSha256: string;
}) {
  const file = await recordFile({
    tx,
    actor,
    meta,
    orgId,
    blob,
    name,
    contentType: 'application/pdf',
    fields: { effectiveOn: effectiveOn ?? chinaToday() },
  });
  const [{ last } = { last: null }] = await tx
    .select({ last: max(documents.version) })
    .from(documents)
    .where(and(eq(documents.certificateId, certificateId), eq(documents.kind, kind), eq(documents.period, period)));
  await tx.insert(documents).values({
    orgId,
    certificateId,
    kind,
    period,
    version: (last ?? 0) + 1,
    status: 'issued',
    fileId: file.id,
    dataSha256,
    createdBy: actor.userId,
  });
  return file;
}

type Keep = {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  blob: StoredBlob;
  name: string;
  dataSha256: string;
};

/** A closed audit's report, kept as a document version of the certificate (period: the audit). */
export const keepAuditReport = ({
  audit,
  ...rest
}: Keep & { audit: { id: string; certificateId: string; closedOn: string | null } }) =>
  keepIssued({
    ...rest,
    kind: 'audit-report',
    certificateId: audit.certificateId,
    period: audit.id,
    effectiveOn: audit.closedOn,
  });

/** A meeting's final minutes, kept as a document version of the certificate (period: the meeting). */
export const keepMinutes = ({
  meeting,
  ...rest
}: Keep & { meeting: { id: string; certificateId: string; heldOn: string | null } }) =>
  keepIssued({
    ...rest,
    kind: 'meeting-minutes',
    certificateId: meeting.certificateId,
    period: meeting.id,
    effectiveOn: meeting.heldOn,
  });
