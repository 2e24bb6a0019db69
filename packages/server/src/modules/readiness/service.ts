import {
  evaluateReadiness,
  forecastReadiness,
  isLevel,
  LEVELS,
  type Level,
  type RequirementPurpose,
} from '@zizhi/core';
import { and, asc, desc, eq, gte, inArray } from 'drizzle-orm';
import { chinaToday } from '../../clock.js';
import type { Tx } from '../../db/client.js';
import { certificates, obligations } from '../../db/schema.js';
import type { Actor } from '../../access/actor.js';
import { pendingSql } from '../obligations/api.js';
import { requireOrgAccess } from '../../access/membership.js';
import { loadEvidence } from './evidence.js';
import { requirementSetFor } from './requirement-sets.js';

/** The obligations at which an assessor looks at the evidence again, and what for. */
const CHECKPOINTS: Record<string, RequirementPurpose> = {
  'supervision.first': 'supervision',
  'supervision.second': 'supervision',
  'self-check.annual': 'supervision',
  'renewal.apply': 'renewal',
};

/**
 * Readiness of an organisation for a level on a day (viewers and above): the level defaults to
 * the current certificate's, the day to today in China. Also readiness on the certificate's next
 * supervision or renewal date, with the evidence as recorded now.
 */
export async function orgReadiness({
  tx,
  actor,
  orgId,
  level,
  at,
}: {
  tx: Tx;
  actor: Actor;
  orgId: string;
  level?: Level;
  at?: string;
}) {
  const { org } = await requireOrgAccess(tx, actor, orgId);
  const today = chinaToday();
  const day = at ?? today;
  const [current] = await tx
    .select({ id: certificates.id, level: certificates.level, number: certificates.number })
    .from(certificates)
    .where(and(eq(certificates.orgId, orgId), eq(certificates.state, 'active')))
    .orderBy(desc(certificates.issuedOn))
    .limit(1);
  const currentLevel = current && isLevel(current.level) ? current.level : null;
  const target = level ?? currentLevel ?? 'CS1';
  const { set, custom } = await requirementSetFor(tx, org.workspaceId, target);
  const evidence = await loadEvidence(tx, orgId);
  const result = evaluateReadiness({ level: target, at: day, evidence, requirements: set });

  let next = null;
  if (current) {
    const [checkpoint] = await tx
      .select({
        rule: obligations.rule,
        titleZh: obligations.titleZh,
        titleEn: obligations.titleEn,
        dueDate: obligations.dueDate,
      })
      .from(obligations)
      .where(
        and(
          eq(obligations.certificateId, current.id),
          inArray(obligations.rule, Object.keys(CHECKPOINTS)),
          pendingSql(),
          gte(obligations.dueDate, day),
        ),
      )
      .orderBy(asc(obligations.dueDate))
      .limit(1);
    if (checkpoint) {
      const then = forecastReadiness({
        level: target,
        at: day,
        on: checkpoint.dueDate,
        evidence,
        requirements: set,
        purpose: CHECKPOINTS[checkpoint.rule],
      });
      next = {
        date: checkpoint.dueDate,
        rule: checkpoint.rule,
        title: { zh: checkpoint.titleZh, en: checkpoint.titleEn },
        status: then.status,
        counts: then.counts,
        notMet: then.requirements
          .filter((r) => r.status !== 'met')
          .map((r) => ({ id: r.id, label: r.label, status: r.status })),
      };
    }
  }
  const upgrade = currentLevel ? (LEVELS[LEVELS.indexOf(currentLevel) + 1] ?? null) : null;
  return {
    ...result,
    customRequirements: custom,
    currentLevel,
    upgradeLevel: upgrade,
    certificateNumber: current?.number ?? null,
    next,
  };
}
