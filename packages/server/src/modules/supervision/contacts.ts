// Who to call at the assessment body about a certificate: the body, the contact person, phone and
// e-mail, kept per certificate (read by viewers, changed by managers).
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { assessmentContacts } from '../../db/schema.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { loadCertificate, requireOrgAccess } from '../../access/membership.js';
import type { ContactInput } from './schemas.js';

const EMPTY = { body: null, person: null, phone: null, email: null, note: null, updatedAt: null };

export async function getContact({
  tx,
  actor,
  orgId,
  certId,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  certId: string;
}) {
  await requireOrgAccess(tx, actor, orgId);
  const cert = await loadCertificate(tx, orgId, certId);
  const [row] = await tx.select().from(assessmentContacts).where(eq(assessmentContacts.certificateId, certId));
  // Until someone enters it, the body is the one that issued the certificate.
  if (!row) return { ...EMPTY, body: cert.issuer };
  return {
    body: row.body,
    person: row.person,
    phone: row.phone,
    email: row.email,
    note: row.note,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function saveContact({
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
  input: ContactInput;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId, 'manager');
  await loadCertificate(tx, orgId, certId);
  const values = {
    body: input.body ?? null,
    person: input.person ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    note: input.note ?? null,
  };
  await tx
    .insert(assessmentContacts)
    .values({ orgId, certificateId: certId, ...values, updatedBy: actor.userId })
    .onConflictDoUpdate({
      target: [assessmentContacts.certificateId],
      set: { ...values, updatedBy: actor.userId, updatedAt: new Date() },
    });
  await recordAudit(tx, {
    action: 'supervision.contact-updated',
    actorId: actor.userId,
    workspaceId: org.workspaceId,
    orgId,
    targetType: 'certificate',
    targetId: certId,
    summary: { body: values.body, person: values.person },
    ip: meta.ip,
  });
  return getContact({ tx, actor, orgId, certId });
}
