// 证书使用登记: every time a copy of the certificate goes out, what it is for, to whom and who
// approved it, with a registration number; and the stamped copy that carries that number, so a copy
// lent to another company is traceable. A use on a day the certificate may not be used (suspended
// for rectification, expired, revoked …) is refused with the reason, and so is a copy while it may
// not be used today.
import {
  CERTIFICATE_STATE_LABELS,
  LEVEL_NAMES_ZH,
  USAGE_PURPOSE_NAMES,
  isLevel,
  type CertificateState,
} from '@zizhi/core';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import { chinaToday, formatInstant } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { certificateUsages, certificates, files, organisations, users } from '../../db/schema.js';
import { conflict, notFound } from '../../errors.js';
import { encodeCursor } from '../../http/paging.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';
import { PDF_FAILED } from '../../reports/pdf.js';
import { renderStampedCopy, type ScanFormat } from '../../reports/stamped-copy.js';
import { loadExcel, textForSpreadsheet } from '../../reports/spreadsheet.js';
import type { BlobStore } from '../../storage/index.js';
import { evaluateStored } from '../obligations/api.js';
import { publicPath } from '../public/api.js';
import type { UsageInput, UsageListQuery } from './schemas.js';

type UsageRow = typeof certificateUsages.$inferSelect;

const present = (u: UsageRow, createdByName: string | null) => ({
  id: u.id,
  certificateId: u.certificateId,
  registrationNo: u.registrationNo,
  purpose: u.purpose,
  recipient: u.recipient,
  tenderName: u.tenderName,
  tenderNumber: u.tenderNumber,
  date: u.date,
  approvedBy: u.approvedBy,
  note: u.note,
  voidedAt: u.voidedAt?.toISOString() ?? null,
  voidReason: u.voidReason,
  createdAt: u.createdAt.toISOString(),
  createdBy: u.createdBy ? { id: u.createdBy, name: createdByName ?? '' } : null,
});

type CertRow = Awaited<ReturnType<typeof loadCertificate>>;

/**
 * Why the certificate may not be used on `date`, in words; null when it may. The engine's state
 * timeline decides: recorded suspensions and revocations, expiry, a successor's issue.
 */
async function refusal(tx: Tx, cert: CertRow, date: string): Promise<{ zh: string; en: string } | null> {
  if (date < cert.issuedOn) {
    return {
      zh: `使用日期 ${date} 早于证书的发证日期 ${cert.issuedOn}`,
      en: `The date of use ${date} is before the certificate was issued (${cert.issuedOn})`,
    };
  }
  const { timeline } = await evaluateStored(tx, cert, { asOf: date > chinaToday() ? date : chinaToday() });
  const segment = [...timeline].reverse().find((s) => s.from <= date);
  const state: CertificateState = segment?.state ?? 'active';
  if (state === 'active') return null;
  const label = CERTIFICATE_STATE_LABELS[state];
  return {
    zh: `证书在 ${date} 处于“${label.zh}”状态（${segment?.reasonZh ?? ''}），不能使用`,
    en: `On ${date} the certificate is ${label.en} (${segment?.reasonEn ?? ''}): it may not be used`,
  };
}

/** Registers a use (managers and above): 201 with its registration number, or 409 with the reason. */
export async function registerUsage({
  tx,
  actor,
  meta,
  orgId,
  certId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  certId: string;
  input: UsageInput;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const cert = await loadCertificate(tx, orgId, certId);
  const reason = await refusal(tx, cert, input.date);
  if (reason) throw conflict(reason);
  // Numbers are taken in order per organisation and year: two registrations wait for each other here.
  await tx.execute(sql`SELECT id FROM ${organisations} WHERE id = ${orgId} FOR UPDATE`);
  const prefix = `SY${input.date.slice(0, 4)}-`;
  const [last] = await tx
    .select({ n: sql<number | null>`max(cast(substr(${certificateUsages.registrationNo}, 8) as integer))` })
    .from(certificateUsages)
    .where(and(eq(certificateUsages.orgId, orgId), sql`${certificateUsages.registrationNo} like ${`${prefix}%`}`));
  const registrationNo = `${prefix}${String(Number(last?.n ?? 0) + 1).padStart(4, '0')}`;
  const [row] = await tx
    .insert(certificateUsages)
    .values({
      orgId,
      certificateId: certId,
      registrationNo,
      purpose: input.purpose,
      recipient: input.recipient,
      tenderName: input.tenderName ?? null,
      tenderNumber: input.tenderNumber ?? null,
      date: input.date,
      approvedBy: input.approvedBy ?? null,
      note: input.note ?? null,
      createdBy: actor.userId,
    })
    .returning();
  await recordAudit(tx, {
    action: 'usage.registered',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: {
      registrationNo,
      purpose: input.purpose,
      recipient: input.recipient,
      ...(input.tenderName ? { tenderName: input.tenderName } : {}),
      date: input.date,
    },
    ip: meta.ip,
  });
  return present(row!, null);
}

/**
 * An organisation's uses, newest first, a page at a time (viewers and above); `certificateId`
 * narrows them to one certificate.
 */
export async function listUsages({
  tx,
  actor,
  orgId,
  query,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  query: UsageListQuery;
}) {
  await requireOrgAccess(tx, actor, orgId);
  if (query.certificateId) await loadCertificate(tx, orgId, query.certificateId);
  const limit = query.limit;
  const after = query.cursor ? { at: new Date(query.cursor[0]!), id: query.cursor[1]! } : null;
  const rows = await tx
    .select({ u: certificateUsages, name: users.name })
    .from(certificateUsages)
    .leftJoin(users, eq(users.id, certificateUsages.createdBy))
    .where(
      and(
        eq(certificateUsages.orgId, orgId),
        query.certificateId ? eq(certificateUsages.certificateId, query.certificateId) : undefined,
        after
          ? or(
              lt(certificateUsages.createdAt, after.at),
              and(eq(certificateUsages.createdAt, after.at), lt(certificateUsages.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(certificateUsages.createdAt), desc(certificateUsages.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => present(r.u, r.name)),
    nextCursor: rows.length > limit && last ? encodeCursor([last.u.createdAt.toISOString(), last.u.id]) : null,
  };
}

async function loadUsage(tx: Tx, certId: string, usageId: string): Promise<UsageRow> {
  const [row] = await tx
    .select()
    .from(certificateUsages)
    .where(and(eq(certificateUsages.id, usageId), eq(certificateUsages.certificateId, certId)));
  if (!row) throw notFound('使用登记');
  return row;
}

/** Voids a use registered by mistake (managers and above): kept in the register with the reason. */
export async function voidUsage({
  tx,
  actor,
  meta,
  orgId,
  certId,
  usageId,
  reason,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  orgId: string;
  certId: string;
  usageId: string;
  reason: string;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  await loadCertificate(tx, orgId, certId);
  const usage = await loadUsage(tx, certId, usageId);
  if (usage.voidedAt) {
    throw conflict({
      zh: `登记 ${usage.registrationNo} 已作废`,
      en: `Registration ${usage.registrationNo} is already void`,
    });
  }
  const [row] = await tx
    .update(certificateUsages)
    .set({ voidedAt: new Date(), voidReason: reason })
    .where(eq(certificateUsages.id, usageId))
    .returning();
  await recordAudit(tx, {
    action: 'usage.voided',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: { registrationNo: usage.registrationNo, reason },
    ip: meta.ip,
  });
  return present(row!, null);
}

const SCAN_FORMATS: Readonly<Record<string, ScanFormat>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** What the copy says it is for: “XX 项目”投标, or the purpose alone. */
function purposeWords(u: UsageRow): string {
  const purpose = USAGE_PURPOSE_NAMES[u.purpose].zh;
  return u.tenderName ? `“${u.tenderName}”${u.purpose === 'other' ? '' : purpose}` : purpose;
}

/** The most a watermark line holds of a long project name, so the line stays on the page. */
const SHORT = 24;

/**
 * Everything the stamped copy needs, read in one transaction (managers and above): the checks
 * first, then the scan's address in the store.
 */
export async function stampedCopyData({
  tx,
  actor,
  orgId,
  certId,
  usageId,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
  usageId: string;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  const cert = await loadCertificate(tx, orgId, certId);
  const usage = await loadUsage(tx, certId, usageId);
  if (usage.voidedAt) {
    throw conflict({
      zh: `登记 ${usage.registrationNo} 已作废（${usage.voidReason ?? ''}），不再提供副本`,
      en: `Registration ${usage.registrationNo} is void (${usage.voidReason ?? ''}): no copy is given`,
    });
  }
  const today = chinaToday();
  const now = await refusal(tx, cert, today);
  if (now) throw conflict({ zh: `${now.zh}，不提供副本`, en: `${now.en}; no copy is given` });
  if (!cert.scanFileId) {
    throw conflict({
      zh: '证书还没有扫描件：请先在证书页面上传证书扫描件（PDF、PNG 或 JPG）',
      en: 'The certificate has no scan: upload it on the certificate page first (PDF, PNG or JPG)',
    });
  }
  const [scan] = await tx
    .select()
    .from(files)
    .where(and(eq(files.id, cert.scanFileId), eq(files.orgId, orgId)));
  const format = scan ? SCAN_FORMATS[scan.contentType] : undefined;
  if (!scan || !format) {
    throw conflict({
      zh: '证书扫描件的格式不能生成副本：请上传 PDF、PNG 或 JPG 格式的扫描件',
      en: 'The certificate scan’s format cannot be stamped: upload a PDF, PNG or JPG scan',
    });
  }
  const level = isLevel(cert.level) ? `${cert.level}（${LEVEL_NAMES_ZH[cert.level]}）` : cert.level;
  const words = purposeWords(usage);
  const short = words.length > SHORT ? `${words.slice(0, SHORT - 1)}…` : words;
  return {
    registrationNo: usage.registrationNo,
    scan: { sha256: scan.sha256, size: scan.size, format },
    verifyPath: cert.isPublic && cert.publicSlug ? publicPath(cert.publicSlug) : null,
    watermark: `仅供${short}使用 · 他用无效 · ${usage.registrationNo}`,
    band: [
      `仅供${words}使用，他用无效`,
      `提供给：${usage.recipient}${usage.tenderNumber ? ` · 项目编号：${usage.tenderNumber}` : ''}`,
      `使用日期 ${usage.date} · 登记号 ${usage.registrationNo} · 出具日期 ${today}`,
      `${org.name} · 证书编号 ${cert.number} · ${level}`,
    ],
    filename: `${cert.number}-副本-${usage.registrationNo}.pdf`,
  };
}

export type StampedCopyData = Awaited<ReturnType<typeof stampedCopyData>>;

/** The copy as PDF: the scan read from the store (checked against its hash), then stamped. */
export async function renderCopy(data: StampedCopyData, store: BlobStore, baseUrl: string): Promise<Buffer> {
  const blob = await store.get(data.scan.sha256);
  const chunks: Buffer[] = [];
  for await (const chunk of blob.stream) chunks.push(chunk as Buffer);
  const band = [...data.band];
  let qrSvg: string | undefined;
  if (data.verifyPath) {
    const url = `${baseUrl}${data.verifyPath}`;
    band.push('扫描二维码或访问以下地址，核验证书的当前状态：', url);
    const { default: QRCode } = await import('qrcode');
    qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  }
  try {
    return await renderStampedCopy({
      title: `证书副本 ${data.registrationNo}`,
      scan: { bytes: Buffer.concat(chunks), format: data.scan.format },
      watermark: data.watermark,
      band,
      ...(qrSvg ? { qrSvg } : {}),
    });
  } catch (err) {
    // The layout is ours and tested: a document that does not compile means the scan could not be read.
    if (err instanceof Error && err.message.startsWith(PDF_FAILED)) {
      throw conflict({
        zh: '证书扫描件无法读取（文件可能已损坏、加密或没有页面）：请重新上传清晰的 PDF、PNG 或 JPG 扫描件',
        en: 'The certificate scan cannot be read (damaged, encrypted or without pages): upload a clear PDF, PNG or JPG scan again',
      });
    }
    throw err;
  }
}

/** The organisation's whole register as a workbook (viewers and above). */
export async function usageWorkbook({ tx, actor, orgId }: { tx: Tx; actor: Actor; orgId: string }) {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const rows = await tx
    .select({ u: certificateUsages, name: users.name, number: certificates.number })
    .from(certificateUsages)
    .leftJoin(users, eq(users.id, certificateUsages.createdBy))
    .innerJoin(certificates, eq(certificates.id, certificateUsages.certificateId))
    .where(eq(certificateUsages.orgId, orgId))
    .orderBy(certificateUsages.date, certificateUsages.registrationNo);
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet('证书使用登记');
  const columns: Array<[string, number]> = [
    ['登记号', 14],
    ['证书编号', 22],
    ['使用日期', 12],
    ['用途', 14],
    ['接收方', 28],
    ['项目或招标名称', 32],
    ['项目编号', 18],
    ['审批人', 12],
    ['登记人', 12],
    ['登记时间', 18],
    ['状态', 24],
  ];
  ws.columns = columns.map(([header, width]) => ({ header, width }));
  ws.getRow(1).font = { bold: true };
  for (const { u, name, number } of rows) {
    const values = [
      u.registrationNo,
      number,
      u.date,
      USAGE_PURPOSE_NAMES[u.purpose].zh,
      u.recipient,
      u.tenderName ?? '',
      u.tenderNumber ?? '',
      u.approvedBy ?? '',
      name ?? '',
      formatInstant(u.createdAt).slice(0, 16).replace('T', ' '),
      u.voidedAt ? `已作废：${u.voidReason ?? ''}` : '有效',
    ];
    ws.addRow(values.map((v) => textForSpreadsheet(v)));
  }
  return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), filename: `${org.name}-证书使用登记.xlsx` };
}
