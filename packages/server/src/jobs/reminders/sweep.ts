// The reminder sweep. Exactly once across processes, although pg-boss (and any timer) runs it at
// least once and possibly concurrently:
//
// 1. Claim (one short transaction per batch): due obligations are selected FOR UPDATE SKIP LOCKED,
//    so two sweepers never take the same obligation; `dueSteps` picks the step to send; a delivery
//    row per target is inserted with ON CONFLICT (key) DO NOTHING — the key is obligation + step +
//    target, the unique side-effect key checked in the same transaction; and the obligation's
//    last/next reminder fields advance. Commit. A crash before commit leaves nothing claimed.
// 2. Digest: queued personal deliveries of members who chose a digest are grouped into one delivery
//    per member, channel and day (or week), again under a unique key.
// 3. Send: pending deliveries are leased in batches (FOR UPDATE SKIP LOCKED, status → sending,
//    lease_until), sent outside any transaction, then marked sent, or pending again with
//    exponential backoff, or failed after MAX_ATTEMPTS. A sender that dies mid-send leaves a lease
//    that expires (LEASE_MS) and is taken over: the one case where a message can go out twice,
//    which is why webhook events carry a stable `id` to deduplicate on. In-app messages are rows
//    keyed by their delivery, so they never duplicate.

import { CLAIM_BATCH, emptyReport, type SweepOptions, type SweepReport } from './types.js';
import { claimReminders } from './claim.js';
import { buildDigests } from './messages.js';
import { sendPending } from './send.js';

export type { SweepOptions, SweepReport } from './types.js';

/** Runs one sweep as of `at`: claims due reminders, builds due digests, sends what is pending. */
export async function runSweep(options: SweepOptions): Promise<SweepReport> {
  const report = emptyReport(options.at);
  for (;;) {
    const r = await claimReminders(options);
    report.claimed += r.claimed;
    report.created += r.created;
    report.stale += r.stale;
    if (r.scanned < CLAIM_BATCH) break;
  }
  report.digests = await buildDigests(options);
  if (!options.claimOnly) await sendPending(options, report);
  return report;
}
