import { LEVELS, defaultRequirementSet, parseRequirementSet, type Level, type RequirementSet } from '@zizhi/core';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { requirementSets } from '../../db/schema.js';
import { invalid } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { requireMembership } from '../../access/membership.js';

/**
 * The requirement set a workspace uses for a level: its edited copy, else the shipped advisory
 * default. A stored copy is validated again on read, so a set saved by an older version that no
 * longer passes is reported instead of silently misjudging.
 */
export async function requirementSetFor(
  tx: Tx,
  workspaceId: string,
  level: Level,
): Promise<{ set: RequirementSet; custom: boolean }> {
  const [row] = await tx
    .select({ set: requirementSets.set })
    .from(requirementSets)
    .where(and(eq(requirementSets.workspaceId, workspaceId), eq(requirementSets.level, level)));
  if (!row) return { set: defaultRequirementSet(level), custom: false };
  return { set: parseRequirementSet(row.set), custom: true };
}

/** Every level's set as the workspace uses it (viewers and above). */
export async function listRequirementSets({ tx, actor, workspaceId }: { tx: Tx; actor: Actor; workspaceId: string }) {
  await requireMembership(tx, actor, workspaceId);
  const items = [];
  for (const level of LEVELS) items.push({ level, ...(await requirementSetFor(tx, workspaceId, level)) });
  return items;
}

/** Stores the workspace's edited copy of a level's set (admins and above). */
export async function saveRequirementSet({
  tx,
  actor,
  meta,
  workspaceId,
  level,
  input,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  level: Level;
  input: unknown;
}) {
  await requireMembership(tx, actor, workspaceId, 'admin');
  const set = parseRequirementSet(input);
  if (set.level !== level) throw invalid('level', `要求集的等级是 ${set.level}，与地址中的 ${level} 不一致`);
  await tx
    .insert(requirementSets)
    .values({ workspaceId, level, set, updatedBy: actor.userId })
    .onConflictDoUpdate({
      target: [requirementSets.workspaceId, requirementSets.level],
      set: { set, updatedBy: actor.userId, updatedAt: new Date() },
    });
  await recordAudit(tx, {
    action: 'requirements.updated',
    actorId: actor.userId,
    workspaceId,
    targetType: 'requirement-set',
    targetId: null,
    summary: {
      level,
      requirements: set.requirements.map((r) => r.id),
      window: set.window,
      projectDateBasis: set.projectDateBasis,
    },
    ip: meta.ip,
  });
  return { level, set, custom: true };
}

/** Drops the edited copy: the level uses the shipped default again (admins and above). */
export async function resetRequirementSet({
  tx,
  actor,
  meta,
  workspaceId,
  level,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  level: Level;
}) {
  await requireMembership(tx, actor, workspaceId, 'admin');
  await tx
    .delete(requirementSets)
    .where(and(eq(requirementSets.workspaceId, workspaceId), eq(requirementSets.level, level)));
  await recordAudit(tx, {
    action: 'requirements.reset',
    actorId: actor.userId,
    workspaceId,
    targetType: 'requirement-set',
    targetId: null,
    summary: { level },
    ip: meta.ip,
  });
  return { level, set: defaultRequirementSet(level), custom: false };
}
