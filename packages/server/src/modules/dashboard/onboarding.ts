import { and, eq, exists, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  certificateEvents,
  certificates,
  channels,
  financialYears,
  organisations,
  projects,
  staff,
} from '../../db/schema.js';
import type { Actor } from '../../access/actor.js';
import { requireMembership } from '../../access/membership.js';

/**
 * Where a new workspace stands on the way to being useful: an organisation, a certificate with
 * its history, evidence, a channel for reminders. Each step is one `exists` (the answer does not
 * grow with the workspace); a limited member sees the steps of their organisations.
 */
export async function onboarding({ tx, actor, workspaceId }: { tx: Tx; actor: Actor; workspaceId: string }) {
  const me = await requireMembership(tx, actor, workspaceId);
  const scope: SQL[] = [eq(organisations.workspaceId, workspaceId)];
  if (me.orgIds) scope.push(inArray(organisations.id, me.orgIds));
  const orgsWith = (table: typeof projects | typeof staff | typeof financialYears) =>
    exists(
      tx
        .select({ one: sql`1` })
        .from(table)
        .innerJoin(organisations, eq(organisations.id, table.orgId))
        .where(and(...scope)),
    );
  const [firstOrg] = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(...scope))
    .orderBy(organisations.createdAt, organisations.id)
    .limit(1);
  const [firstCert] = await tx
    .select({ id: certificates.id, orgId: certificates.orgId })
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    .where(and(...scope))
    .orderBy(certificates.createdAt, certificates.id)
    .limit(1);
  const [row] = await tx
    .select({
      history: exists(
        tx
          .select({ one: sql`1` })
          .from(certificateEvents)
          .innerJoin(organisations, eq(organisations.id, certificateEvents.orgId))
          .where(and(...scope)),
      ),
      evidence: sql<boolean>`(${orgsWith(projects)} or ${orgsWith(staff)} or ${orgsWith(financialYears)})`,
      channel: exists(
        tx
          .select({ one: sql`1` })
          .from(channels)
          .where(eq(channels.workspaceId, workspaceId)),
      ),
    })
    .from(sql`(select 1) as one`);
  return {
    steps: {
      org: Boolean(firstOrg),
      certificate: Boolean(firstCert),
      history: Boolean(row?.history),
      evidence: Boolean(row?.evidence),
      channel: Boolean(row?.channel),
    },
    firstOrgId: firstOrg?.id ?? null,
    firstCertificate: firstCert ?? null,
  };
}
