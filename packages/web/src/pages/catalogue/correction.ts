import type { EvidenceSource } from '@zizhi/core';
import type { CatalogueItem, CorrectionInput } from '../../api/supervision';

export interface CorrectionValues {
  name: string;
  subdomain: string;
  evidence: EvidenceSource[];
  note: string;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The correction to send: only what differs from the shipped item; null when nothing does. */
export function correctionOf(item: CatalogueItem, v: CorrectionValues): CorrectionInput | null {
  const shipped = item.corrected?.shipped ?? { name: item.name, subdomain: item.subdomain, evidence: item.evidence };
  const name = v.name.trim();
  const subdomain = v.subdomain.trim();
  const input: CorrectionInput = {
    name: name !== shipped.name ? name : null,
    subdomain: subdomain !== shipped.subdomain ? subdomain : null,
    evidence: sameSet(v.evidence, shipped.evidence) ? null : v.evidence,
    note: v.note.trim() || null,
  };
  return input.name === null && input.subdomain === null && input.evidence === null ? null : input;
}
