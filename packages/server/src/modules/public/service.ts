import { randomUUID } from 'node:crypto';
import { CERTIFICATE_STATE_LABELS, LEVEL_NAMES_ZH, type CertificateState } from '@zizhi/core';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { certificates, organisations } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { chinaToday } from '../../clock.js';
import type { PublicCertificate } from './schemas.js';

/** A public slug: 32 hex characters (122 random bits), as the column default makes them. */
export const PUBLIC_SLUG_PATTERN = /^[0-9a-f]{32}$/;

/** A fresh slug, of the same form as the column default. */
export const newPublicSlug = () => randomUUID().replaceAll('-', '');

/** The path of a certificate's public page. */
export const publicPath = (slug: string) => `/verify/${slug}`;

const columns = {
  id: certificates.id,
  slug: certificates.publicSlug,
  company: organisations.name,
  level: certificates.level,
  number: certificates.number,
  issuer: certificates.issuer,
  issuedOn: certificates.issuedOn,
  expiresOn: certificates.expiresOn,
  expiresOnProposed: certificates.expiresOnProposed,
  state: certificates.state,
};

/**
 * The state the public may see: what people recorded, and expiry once the date has passed. States
 * the engine only infers from missing records (abandoned after an unrecorded supervision, suspended
 * after a failure) are warnings for the holder, never published.
 */
function publicState(recorded: CertificateState, expiresOn: string, asOf: string): CertificateState {
  if (recorded === 'active' && asOf > expiresOn) return 'expired';
  return recorded;
}

/**
 * A certificate its organisation chose to publish, by its public slug, with its state on `asOf`.
 * Runs outside any tenant (the public is no one's member), so it selects only the published
 * fields; unknown and unpublished slugs are the same 404.
 */
export async function findPublicCertificate({
  tx,
  slug,
  asOf = chinaToday(),
}: {
  tx: Tx;
  slug: string;
  asOf?: string;
}): Promise<PublicCertificate> {
  if (!PUBLIC_SLUG_PATTERN.test(slug)) throw notFound('证书');
  const [row] = await tx
    .select(columns)
    .from(certificates)
    .innerJoin(organisations, eq(organisations.id, certificates.orgId))
    // A certificate of an organisation in the recycle bin is not shown: as if it were gone.
    .where(and(eq(certificates.isPublic, true), eq(certificates.publicSlug, slug), isNull(organisations.deletedAt)))
    .limit(1);
  if (!row) throw notFound('证书');
  const state = publicState(row.state as CertificateState, row.expiresOn, asOf);
  const unconfirmed = row.expiresOnProposed;
  return {
    company: row.company,
    level: row.level,
    levelName: LEVEL_NAMES_ZH[row.level],
    number: row.number,
    issuer: row.issuer,
    issuedOn: row.issuedOn,
    expiresOn: row.expiresOn,
    expiresOnConfirmed: !unconfirmed,
    state,
    stateLabel:
      state === 'expired' && unconfirmed
        ? '已过期（到期日按发证日期推算，未经核对）'
        : CERTIFICATE_STATE_LABELS[state].zh,
  };
}

/**
 * The slug of the one published certificate with this number, for old `/verify/<number>` links;
 * null when none or several workspaces publish the number (then the link cannot say which).
 */
export async function findSlugByNumber({ tx, number }: { tx: Tx; number: string }): Promise<string | null> {
  const rows = await tx
    .select({ slug: certificates.publicSlug })
    .from(certificates)
    .where(and(eq(certificates.isPublic, true), sql`upper(${certificates.number}) = upper(${number})`))
    .limit(2);
  return rows.length === 1 ? rows[0]!.slug : null;
}
