import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/client.js';
import { actorNames } from '../../access/audit.js';
import {
  certificates,
  channels,
  files,
  financialYears,
  invitations,
  ipAssets,
  managementCertificates,
  organisations,
  projects,
  staff,
} from '../../db/schema.js';

/** Records of an organisation, named by one column. */
interface OrgRecords {
  table: PgTable & { id: PgColumn; orgId: PgColumn };
  name: SQL<string | null>;
}

const ORG_RECORDS: Readonly<Record<string, OrgRecords>> = {
  certificate: { table: certificates, name: sql<string>`${certificates.number}` },
  file: { table: files, name: sql<string>`${files.name}` },
  project: { table: projects, name: sql<string>`${projects.name}` },
  staff: { table: staff, name: sql<string>`${staff.name}` },
  ip: { table: ipAssets, name: sql<string>`${ipAssets.name}` },
  'management-certificate': { table: managementCertificates, name: sql<string | null>`${managementCertificates.name}` },
  'financial-year': { table: financialYears, name: sql<string>`${financialYears.year}::text` },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What audit rows are about, by name as it is now (certificate number, organisation or person's
 * name …), keyed `type:id`: the log shows "证书 A-1234", never an id. Records since deleted have
 * none; the row's own summary usually names them.
 */
export async function targetNames(
  tx: Tx,
  workspaceId: string,
  targets: ReadonlyArray<{ targetType: string; targetId: string | null }>,
): Promise<Map<string, string>> {
  const ids = new Map<string, Set<string>>();
  for (const { targetType, targetId } of targets) {
    if (!targetId || !UUID.test(targetId)) continue;
    if (!ids.has(targetType)) ids.set(targetType, new Set());
    ids.get(targetType)!.add(targetId);
  }
  const names = new Map<string, string>();
  const put = (type: string, rows: Array<{ id: string; name: string | null }>) => {
    for (const r of rows) if (r.name) names.set(`${type}:${r.id}`, r.name);
  };
  for (const [type, set] of ids) {
    const list = [...set];
    const records = ORG_RECORDS[type];
    if (records) {
      put(
        type,
        await tx
          .select({ id: sql<string>`${records.table.id}`, name: records.name })
          .from(records.table)
          .innerJoin(organisations, eq(organisations.id, records.table.orgId))
          .where(and(inArray(records.table.id, list), eq(organisations.workspaceId, workspaceId))),
      );
    } else if (type === 'org') {
      put(
        type,
        await tx
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(and(inArray(organisations.id, list), eq(organisations.workspaceId, workspaceId))),
      );
    } else if (type === 'channel') {
      put(
        type,
        await tx
          .select({ id: channels.id, name: channels.name })
          .from(channels)
          .where(and(inArray(channels.id, list), eq(channels.workspaceId, workspaceId))),
      );
    } else if (type === 'invitation') {
      put(
        type,
        await tx
          .select({ id: invitations.id, name: invitations.email })
          .from(invitations)
          .where(and(inArray(invitations.id, list), eq(invitations.workspaceId, workspaceId))),
      );
    } else if (type === 'member' || type === 'user') {
      const people = await actorNames(tx, list);
      put(
        type,
        [...people].map(([id, p]) => ({ id, name: p.name })),
      );
    }
  }
  return names;
}
