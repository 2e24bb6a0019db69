import type { Tx } from '../../db/client.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { addPersonObligation, loadObligation, updateObligation } from './service.js';

/**
 * A duty people set (a corrective action, a meeting's action item, a supervision finding) owned by `assigneeId`, else by
 * the one recording it. The owner is set through the obligations' own update, which checks that
 * they are a member who can see the organisation; a duty waived before is open again.
 */
export async function addOwnedDuty(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  duty: Omit<Parameters<typeof addPersonObligation>[1], 'assigneeId'>,
  assigneeId: string | undefined,
): Promise<string> {
  const id = await addPersonObligation(tx, { ...duty, assigneeId: null });
  const current = await loadObligation(tx, duty.orgId, id);
  await updateObligation({
    tx,
    actor,
    meta,
    orgId: duty.orgId,
    id,
    input: {
      assigneeId: assigneeId ?? actor.userId,
      ...(current.o.status === 'waived' ? { status: 'open' as const } : {}),
    },
  });
  return id;
}
