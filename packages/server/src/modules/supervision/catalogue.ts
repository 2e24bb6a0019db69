// The capability catalogue as a workspace uses it: the shipped versions with the workspace's
// corrections (core/catalogue/corrections.ts), read by the planner, the plan's exports and the packs.
import {
  CAPABILITY_CATALOGUES,
  CAPABILITY_DOMAIN_NAMES,
  CAPABILITY_DOMAINS,
  DEFAULT_CATALOGUE_VERSION,
  catalogueVersion,
  isEvidenceSource,
  correctCatalogue,
  type CatalogueCorrection,
  type CorrectedCatalogue,
  type EvidenceSource,
} from '@zizhi/core';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { capabilityCorrections } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { requireMembership } from '../../access/membership.js';
import type { CatalogueSchema, CorrectionInput } from './schemas.js';

type CatalogueResponse = z.infer<typeof CatalogueSchema>;

/** Stored evidence ids that this version still knows (a source may be retired later). */
function evidenceOf(stored: unknown): EvidenceSource[] | null {
  if (!Array.isArray(stored)) return null;
  return stored.filter(isEvidenceSource);
}

async function correctionsOf(tx: Tx, workspaceId: string): Promise<Map<string, CatalogueCorrection[]>> {
  const rows = await tx.select().from(capabilityCorrections).where(eq(capabilityCorrections.workspaceId, workspaceId));
  const byVersion = new Map<string, CatalogueCorrection[]>();
  for (const r of rows) {
    const list = byVersion.get(r.catalogueVersion) ?? [];
    list.push({
      itemId: r.itemId,
      name: r.name,
      subdomain: r.subdomain,
      evidence: evidenceOf(r.evidence),
      note: r.note,
    });
    byVersion.set(r.catalogueVersion, list);
  }
  return byVersion;
}

/**
 * A catalogue version with the workspace's corrections; an unknown version falls back to the
 * default (a plan saved under a version this release no longer ships).
 */
export async function workspaceCatalogue(
  tx: Tx,
  workspaceId: string,
  version: string = DEFAULT_CATALOGUE_VERSION,
): Promise<CorrectedCatalogue> {
  const shipped = catalogueVersion(version) ?? catalogueVersion(DEFAULT_CATALOGUE_VERSION)!;
  const corrections = (await correctionsOf(tx, workspaceId)).get(shipped.id) ?? [];
  return correctCatalogue(shipped, corrections);
}

function present(versions: readonly CorrectedCatalogue[]): CatalogueResponse {
  return {
    versions: versions.map((v) => ({
      id: v.id,
      standard: v.standard,
      domains: CAPABILITY_DOMAINS.map((id) => ({
        id,
        name: CAPABILITY_DOMAIN_NAMES[id].zh,
        nameEn: CAPABILITY_DOMAIN_NAMES[id].en,
      })),
      items: v.items.map((item) => ({
        id: item.id,
        domain: CAPABILITY_DOMAIN_NAMES[item.domain].zh,
        domainId: item.domain,
        subdomain: item.subdomain.zh,
        name: item.name.zh,
        en: { domain: CAPABILITY_DOMAIN_NAMES[item.domain].en, subdomain: item.subdomain.en, name: item.name.en },
        confidence: item.confidence,
        source: item.source,
        evidence: [...item.evidence],
        corrected: item.corrected
          ? {
              note: item.corrected.note,
              shipped: { ...item.corrected.shipped, evidence: [...item.corrected.shipped.evidence] },
            }
          : null,
      })),
    })),
  };
}

/** Every version as shipped. */
export function shippedCatalogue(): CatalogueResponse {
  return present(CAPABILITY_CATALOGUES.map((v) => correctCatalogue(v, [])));
}

/** Every version as the workspace corrected it (viewers and above). */
export async function capabilityCatalogue({
  tx,
  actor,
  workspaceId,
}: {
  tx: Tx;
  actor: Actor;
  workspaceId: string;
}): Promise<CatalogueResponse> {
  await requireMembership(tx, actor, workspaceId);
  const corrections = await correctionsOf(tx, workspaceId);
  return present(CAPABILITY_CATALOGUES.map((v) => correctCatalogue(v, corrections.get(v.id) ?? [])));
}

function shippedItem(version: string, itemId: string) {
  const item = catalogueVersion(version)?.items.find((i) => i.id === itemId);
  if (!item) throw notFound('能力项');
  return item;
}

/** Stores the workspace's correction of one item (admins and above); gives the corrected catalogue. */
export async function saveCorrection({
  tx,
  actor,
  meta,
  workspaceId,
  itemId,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  itemId: string;
  input: CorrectionInput;
}) {
  await requireMembership(tx, actor, workspaceId, 'admin');
  const version = input.catalogueVersion ?? DEFAULT_CATALOGUE_VERSION;
  const item = shippedItem(version, itemId);
  const values = {
    name: input.name ?? null,
    subdomain: input.subdomain ?? null,
    evidence: input.evidence ?? null,
    note: input.note || null,
    updatedBy: actor.userId,
    updatedAt: new Date(),
  };
  await tx
    .insert(capabilityCorrections)
    .values({ workspaceId, catalogueVersion: version, itemId, ...values })
    .onConflictDoUpdate({
      target: [capabilityCorrections.workspaceId, capabilityCorrections.catalogueVersion, capabilityCorrections.itemId],
      set: values,
    });
  await recordAudit(tx, {
    action: 'catalogue.corrected',
    actorId: actor.userId,
    workspaceId,
    targetType: 'capability-item',
    targetId: null,
    summary: {
      capabilityItem: item.name.zh,
      ...(values.name ? { name: values.name } : {}),
      ...(values.subdomain ? { subdomain: values.subdomain } : {}),
      ...(values.evidence ? { evidenceKinds: values.evidence } : {}),
    },
    ip: meta.ip,
  });
  return capabilityCatalogue({ tx, actor, workspaceId });
}

/** Drops the workspace's correction of one item: it is as shipped again (admins and above). */
export async function resetCorrection({
  tx,
  actor,
  meta,
  workspaceId,
  itemId,
  version = DEFAULT_CATALOGUE_VERSION,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  itemId: string;
  version?: string;
}) {
  await requireMembership(tx, actor, workspaceId, 'admin');
  const item = shippedItem(version, itemId);
  const removed = await tx
    .delete(capabilityCorrections)
    .where(
      and(
        eq(capabilityCorrections.workspaceId, workspaceId),
        eq(capabilityCorrections.catalogueVersion, version),
        eq(capabilityCorrections.itemId, itemId),
      ),
    )
    .returning({ id: capabilityCorrections.id });
  if (removed.length > 0) {
    await recordAudit(tx, {
      action: 'catalogue.reset',
      actorId: actor.userId,
      workspaceId,
      targetType: 'capability-item',
      targetId: null,
      summary: { capabilityItem: item.name.zh },
      ip: meta.ip,
    });
  }
  return capabilityCatalogue({ tx, actor, workspaceId });
}
