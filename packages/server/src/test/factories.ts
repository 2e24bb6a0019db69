// Test factories for certificates and events, written straight to the database (until the
// certificate routes can be used instead). Imported by tests only.
import { defaultExpiry, type Level } from '@zizhi/core';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { certificateEvents, certificates, backupRuns, inboxItems } from '../db/schema.js';
import { withSystem } from '../db/tenancy.js';
import { recomputeCertificate } from '../modules/obligations/recompute.js';

export interface EventInput {
  type: string;
  date?: string;
  /** Incidents: an ISO instant with offset. */
  at?: string;
  data?: Record<string, unknown>;
}

/** Inserts an event and recomputes the certificate's obligations; returns the event id. */
export async function addEvent(db: Db, certificateId: string, event: EventInput): Promise<string> {
  return withSystem(db, async (tx) => {
    const [cert] = await tx
      .select({ orgId: certificates.orgId })
      .from(certificates)
      .where(eq(certificates.id, certificateId));
    const at = event.at ? new Date(event.at) : null;
    const date = event.date ?? new Date(at!.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const [row] = await tx
      .insert(certificateEvents)
      .values({ orgId: cert!.orgId, certificateId, type: event.type, date, at, data: event.data ?? {} })
      .returning({ id: certificateEvents.id });
    await recomputeCertificate(tx, certificateId);
    return row!.id;
  });
}

/** Inserts a certificate with its events and computes its obligations; returns its id. */
export async function createCertificate(
  db: Db,
  input: {
    orgId: string;
    level: Level;
    number: string;
    issuedOn: string;
    expiresOn?: string;
    issuer?: string;
    isPublic?: boolean;
    /** True when the expiry was proposed from the issue date rather than entered. */
    expiresOnProposed?: boolean;
    state?: string;
    events?: EventInput[];
  },
): Promise<string> {
  const id = await withSystem(db, async (tx) => {
    const [row] = await tx
      .insert(certificates)
      .values({
        orgId: input.orgId,
        level: input.level,
        number: input.number,
        issuer: input.issuer ?? '中国电子信息行业联合会',
        issuedOn: input.issuedOn,
        expiresOn: input.expiresOn ?? defaultExpiry(input.issuedOn),
        isPublic: input.isPublic ?? false,
        expiresOnProposed: input.expiresOnProposed ?? false,
        state: input.state ?? 'active',
      })
      .returning({ id: certificates.id });
    await recomputeCertificate(tx, row!.id);
    return row!.id;
  });
  for (const event of input.events ?? []) await addEvent(db, id, event);
  return id;
}

// Imports of the helpers below, kept with them (appended so concurrent edits above do not collide).
import { randomUUID } from 'node:crypto';

/** Inserts an in-app inbox message for a member (what a reminder sweep delivers); returns its id. */
export async function addInboxItem(
  db: Db,
  input: { userId: string; workspaceId: string; orgId?: string | null; obligationId?: string | null; title?: string },
): Promise<string> {
  return withSystem(db, async (tx) => {
    const [row] = await tx
      .insert(inboxItems)
      .values({
        userId: input.userId,
        workspaceId: input.workspaceId,
        orgId: input.orgId ?? null,
        obligationId: input.obligationId ?? null,
        deliveryId: randomUUID(),
        title: input.title ?? '提醒：投诉处理期限临近',
        body: '请在期限前处理。',
        link: 'https://zizhi.example.com/obligations',
      })
      .returning({ id: inboxItems.id });
    return row!.id;
  });
}

/** Records a finished backup at `target` (its archive need not exist); returns the run's id. */
export async function addBackupRun(
  db: Db,
  input: { target: string; archiveName?: string; startedAt?: Date },
): Promise<string> {
  return withSystem(db, async (tx) => {
    const startedAt = input.startedAt ?? new Date();
    const [row] = await tx
      .insert(backupRuns)
      .values({
        startedAt,
        finishedAt: startedAt,
        status: 'ok',
        trigger: 'manual',
        target: input.target,
        archiveName: input.archiveName ?? 'zizhi-backup-20260101T000000Z-0000.tar.gz',
        bytes: 1024,
        rows: 10,
        files: 0,
        sha256: '0'.repeat(64),
      })
      .returning({ id: backupRuns.id });
    return row!.id;
  });
}
