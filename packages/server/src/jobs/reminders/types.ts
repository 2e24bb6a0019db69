// What the three phases of the reminder sweep share: limits, row types and the report.
import { formatInstant } from '../../clock.js';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/client.js';
import type { channels, deliveries } from '../../db/schema.js';
import type { DigestPayload } from '../../notify/messages.js';

export type { DigestPayload };

/** Attempts per delivery before it is marked failed. */
export const MAX_ATTEMPTS = 5;
/** First retry after 1 minute, then 2, 4, 8 … (capped at 1 hour). */
export const RETRY_BASE_MS = 60_000;
/** How long a sender holds a delivery it is sending before another sweep may take it over. */
export const LEASE_MS = 5 * 60_000;
/**
 * A due step older than this is recorded as said but not sent. Catch-up after an outage (days)
 * still sends; a certificate entered late does not announce reminders from months ago (its overdue
 * work shows in the app, and its next overdue step, if any, is sent when it falls due).
 */
export const STALE_AFTER_MS = 14 * 86_400_000;
export const CLAIM_BATCH = 200;
export const SEND_BATCH = 100;
export const SEND_CONCURRENCY = 16;

export const backoffMs = (attempts: number) => Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), 3_600_000);

export type DeliveryRow = typeof deliveries.$inferSelect;
export type ChannelRow = typeof channels.$inferSelect;
export type PersonalType = 'email' | 'in-app';

export interface SweepItem {
  deliveryId: string;
  kind: DeliveryRow['kind'];
  channelType: string;
  /** Channel name or member e-mail. */
  target: string;
  step: string | null;
  title: string;
  error?: string;
}

export interface SweepReport {
  at: string;
  /** Obligations whose due step was claimed. */
  claimed: number;
  /** Delivery rows created for them (targets × steps). */
  created: number;
  /** Due steps too old to send (STALE_AFTER_MS): recorded as said. */
  stale: number;
  digests: number;
  sent: SweepItem[];
  retrying: SweepItem[];
  failed: SweepItem[];
  cancelled: number;
}

export interface SweepOptions {
  db: Db;
  config: Pick<Config, 'publicUrl' | 'port' | 'secretKey' | 'dataDir' | 'channelAllowHosts'> & {
    smtpUrl?: Config['smtpUrl'];
    smtpFrom?: string;
  };
  kind: 'pglite' | 'postgres';
  /** The sweep's instant (epoch ms): `zizhi reminders run --at`, tests; the clock otherwise. */
  at: number;
  /** Skip the send phase (bench: measure claim and send separately). */
  claimOnly?: boolean;
}

/** A report with nothing done yet, as of `at`. */
export function emptyReport(at: number): SweepReport {
  return {
    at: formatInstant(new Date(at)),
    claimed: 0,
    created: 0,
    stale: 0,
    digests: 0,
    sent: [],
    retrying: [],
    failed: [],
    cancelled: 0,
  };
}
