// The workspace's self-check report template: read by everyone who may draw the report, saved and
// reset by admins (as the requirement sets the report judges by).
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { reportTemplates } from '../../db/schema.js';
import { invalid } from '../../errors.js';
import type { Actor, RequestMeta } from '../../access/actor.js';
import { recordAudit } from '../../access/audit.js';
import { requireMembership } from '../../access/membership.js';
import { PARSE_OPTIONS } from '../../http/validation.js';
import { PLACEHOLDERS, defaultSelfCheckTemplate, type SelfCheckTemplate } from '../../reports/self-check-template.js';
import { SelfCheckTemplateSchema } from './template-schemas.js';

const KIND = 'self-check-report';

/**
 * The template the workspace's self-check reports follow: its saved one, else the default. A saved
 * template is checked again on read, so one a later version no longer accepts is reported, not
 * drawn half-right.
 */
export async function selfCheckTemplateFor(
  tx: Tx,
  workspaceId: string,
): Promise<{ template: SelfCheckTemplate; custom: boolean; updatedAt: string | null }> {
  const [row] = await tx
    .select({ template: reportTemplates.template, updatedAt: reportTemplates.updatedAt })
    .from(reportTemplates)
    .where(and(eq(reportTemplates.workspaceId, workspaceId), eq(reportTemplates.kind, KIND)));
  if (!row) return { template: defaultSelfCheckTemplate(), custom: false, updatedAt: null };
  const parsed = SelfCheckTemplateSchema.safeParse(row.template, PARSE_OPTIONS);
  if (!parsed.success) {
    throw invalid('template', '本工作空间保存的自查报告模板已无法使用，请在“报告模板”中检查后重新保存，或恢复默认');
  }
  return { template: parsed.data, custom: true, updatedAt: row.updatedAt.toISOString() };
}

const placeholders = Object.entries(PLACEHOLDERS).map(([name, words]) => ({ name, ...words }));

/** The template as the workspace uses it, with the placeholders its text may use (viewers and above). */
export async function getSelfCheckTemplate({ tx, actor, workspaceId }: { tx: Tx; actor: Actor; workspaceId: string }) {
  await requireMembership(tx, actor, workspaceId);
  return { ...(await selfCheckTemplateFor(tx, workspaceId)), placeholders };
}

/** Saves the workspace's template (admins and above); the next drafts follow it. */
export async function saveSelfCheckTemplate({
  tx,
  actor,
  meta,
  workspaceId,
  template,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
  template: SelfCheckTemplate;
}) {
  await requireMembership(tx, actor, workspaceId, 'admin');
  const [row] = await tx
    .insert(reportTemplates)
    .values({ workspaceId, kind: KIND, template, updatedBy: actor.userId })
    .onConflictDoUpdate({
      target: [reportTemplates.workspaceId, reportTemplates.kind],
      set: { template, updatedBy: actor.userId, updatedAt: new Date() },
    })
    .returning({ updatedAt: reportTemplates.updatedAt });
  await recordAudit(tx, {
    action: 'report-template.updated',
    actorId: actor.userId,
    workspaceId,
    targetType: 'report-template',
    targetId: null,
    summary: { sections: template.sections.filter((s) => s.enabled).map((s) => s.title) },
    ip: meta.ip,
  });
  return { template, custom: true, placeholders, updatedAt: row!.updatedAt.toISOString() };
}

/** Drops the saved template: drafts follow the default again (admins and above). */
export async function resetSelfCheckTemplate({
  tx,
  actor,
  meta,
  workspaceId,
}: {
  tx: Tx;
  actor: Actor;
  meta: RequestMeta;
  workspaceId: string;
}) {
  await requireMembership(tx, actor, workspaceId, 'admin');
  await tx
    .delete(reportTemplates)
    .where(and(eq(reportTemplates.workspaceId, workspaceId), eq(reportTemplates.kind, KIND)));
  await recordAudit(tx, {
    action: 'report-template.reset',
    actorId: actor.userId,
    workspaceId,
    targetType: 'report-template',
    targetId: null,
    summary: {},
    ip: meta.ip,
  });
  return { template: defaultSelfCheckTemplate(), custom: false, placeholders, updatedAt: null };
}
