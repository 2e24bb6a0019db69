// A workspace's corrections of the shipped catalogue. The official item list is not published, so a
// company or its consultant may know better: an item's Chinese name, its sub-domain, or which kinds
// of evidence speak to it. Corrections change what the planner, the plan's exports and the packs
// show; the item's id (and so saved plans and results) stays.
import type { CapabilityItem, CatalogueVersion } from './catalogue.js';
import { evidenceSourcesOf, type EvidenceSource } from './evidence-map.js';

/** What a workspace changed on one item; null (or absent) keeps the shipped value. */
export interface CatalogueCorrection {
  itemId: string;
  name?: string | null;
  subdomain?: string | null;
  evidence?: readonly EvidenceSource[] | null;
  note?: string | null;
}

export interface CorrectedItem extends CapabilityItem {
  /** The kinds of evidence that speak to the item, as the workspace uses them. */
  evidence: readonly EvidenceSource[];
  /** Present when the workspace corrected the item: its note and the shipped values it replaced. */
  corrected?: {
    note: string | null;
    shipped: { name: string; subdomain: string; evidence: readonly EvidenceSource[] };
  };
}

export interface CorrectedCatalogue extends Omit<CatalogueVersion, 'items'> {
  items: readonly CorrectedItem[];
}

/**
 * The catalogue version as a workspace uses it. A correction of an item the version does not have
 * is ignored (a version added later may drop an item). Only the Chinese name and sub-domain are
 * corrected: they are what the company's documents use.
 */
export function correctCatalogue(
  version: CatalogueVersion,
  corrections: readonly CatalogueCorrection[],
): CorrectedCatalogue {
  const byItem = new Map(corrections.map((c) => [c.itemId, c]));
  return {
    ...version,
    items: version.items.map((item) => {
      const shipped = evidenceSourcesOf(item.id);
      const c = byItem.get(item.id);
      if (!c || (c.name == null && c.subdomain == null && c.evidence == null)) return { ...item, evidence: shipped };
      return {
        ...item,
        name: { ...item.name, zh: c.name ?? item.name.zh },
        subdomain: { ...item.subdomain, zh: c.subdomain ?? item.subdomain.zh },
        evidence: c.evidence ?? shipped,
        corrected: {
          note: c.note ?? null,
          shipped: { name: item.name.zh, subdomain: item.subdomain.zh, evidence: shipped },
        },
      };
    }),
  };
}
