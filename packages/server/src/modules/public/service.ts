import { CERTIFICATE_STATE_LABELS, LEVEL_NAMES_ZH } from '@zizhi/core';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { certificates, organisations } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { chinaToday } from '../../clock.js';
import { currentState, engineEvent, evaluateCertificate, loadLiveEvents } from '../obligations/recompute.js';
import type { PublicCertificate } from './schemas.js';

/**
 * A certificate its organisation chose to publish, found by its number regardless of case, with
 * its state today. Runs outside any tenant (the public is no one's member), so it selects only
 * the published fields; unknown and unpublished numbers are the same 404.
 */
export async function findPublicCertificate({
  tx,
  number,
  asOf = chinaToday(),
}: {
  tx: Tx;
  number: string;
  asOf?: string;
}): Promise<PublicCertificate> {
  const [row] = await tx
    .select({
      id: certificates.id,
      company: organisations.name,
      level: certificates.level,
      number: certificates.number,
      issuer: certificates.issuer,
      issuedOn: certificates.issuedOn,
      expiresOn: certificates.expiresOn,
      state: certificates.state,
    })
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    .where(and(eq(certificates.isPublic, true), sql`upper(${certificates.number}) = upper(${number})`))
    .limit(1);
  if (!row) throw notFound('证书');
  const events = await loadLiveEvents(tx, row.id);
  const result = evaluateCertificate(row, events.map(engineEvent), asOf);
  const state = currentState(row.state, result, asOf);
  return {
    company: row.company,
    level: row.level,
    levelName: LEVEL_NAMES_ZH[row.level],
    number: row.number,
    issuer: row.issuer,
    issuedOn: row.issuedOn,
    expiresOn: row.expiresOn,
    state,
    stateLabel: CERTIFICATE_STATE_LABELS[state].zh,
  };
}
