// Which rows belong to a workspace, found from the catalog: a table with a foreign key to
// `workspaces` belongs by that column, any other through a foreign key to a table that belongs
// (organisations, certificates …), nearest first. Every table of schema `public` must also be
// decided here, exported or excluded with its reason: a new table stops the export (and fails
// tables.test.ts) until someone decides, so nothing is silently left behind or carried along.
import type { ForeignKey, TableInfo } from '../backup/api.js';
import { ident, loadOrder } from '../backup/api.js';

/** Tables never exported, and why. */
export const EXCLUDED_TABLES: Readonly<Record<string, string>> = {
  users:
    'Accounts are installation-wide: the people the rows name are exported as name and e-mail only (people.ndjson), never password hashes or flags, and linked or created on import.',
  sessions: 'Log-in sessions are credentials of the source instance.',
  api_tokens: 'Personal API tokens are credentials of the source instance.',
  password_resets: 'Reset links are credentials of the source instance.',
  known_login_ips: 'Log-in limits of accounts, not workspace data.',
  login_failures: 'Log-in limits of accounts, not workspace data.',
  invitations:
    'Pending links point at the source instance and hold token and temporary-password hashes; accepted ones are history the audit log keeps. Invite again on the target.',
  calendar_feeds:
    'A feed address is a credential that points at the source instance; members create a new address on the target.',
  calendar_years: 'Installation-wide: the target counts with its own imported holiday years.',
  backup_runs: 'Installation-wide backup history of the source instance.',
  workspace_touches: 'Marks a transaction makes and removes before it commits: always empty.',
  import_runs:
    'An import being saved in parts on the source instance (emptied when it ends): its rows are exported as they are at that moment.',
  import_undo: 'What would undo an import being saved on the source instance: meaningless on the target.',
  workspace_versions:
    "A counter of changes for answer caches on the source instance; the import moves the target workspace's own counter on.",
};

/** SQL expressions that replace a column's value as it is exported (on alias `t`). */
type Overrides = Readonly<Record<string, string>>;

/** Tables exported, with the columns changed on the way out and why. */
export const EXPORTED_TABLES: Readonly<Record<string, { overrides?: Overrides; note?: string }>> = {
  workspaces: {},
  workspace_members: {},
  organisations: {},
  audit_log: {},
  certificates: {},
  certificate_transitions: {},
  certificate_events: {},
  obligations: {},
  files: {},
  staff: {},
  qualifications: {},
  projects: {},
  financial_years: {},
  ip_assets: {},
  management_certificates: {},
  standards: {},
  adverse_records: {},
  legal_entities: {},
  record_files: {},
  import_mappings: {},
  requirement_sets: {},
  report_templates: {},
  documents: {},
  audits: {},
  audit_items: {},
  meetings: {},
  obligation_files: {},
  supervision_plans: {},
  assessment_contacts: {},
  capability_corrections: {},
  certificate_usages: {},
  certificate_cases: {},
  case_materials: {},
  policy_updates: {},
  policy_update_orgs: {},
  channels: {
    // Sealed with the source instance's key, which the target does not have: exported without
    // them (an archive never carries a robot's token), disabled until someone enters them again.
    overrides: { config: `''`, hint: `'{"url":null,"hasSecret":false}'::jsonb`, enabled: 'false' },
    note: 'URL, signing secret and SMTP password are left out; imported disabled, to be entered again.',
  },
  notification_preferences: {},
  deliveries: {
    // Messages not yet sent would go out a second time from the target: they arrive cancelled.
    overrides: {
      status: `case when t.status in ('queued', 'pending', 'sending') then 'cancelled' else t.status end`,
      lease_until: 'null',
      next_attempt_at: `case when t.status in ('queued', 'pending', 'sending') then null else t.next_attempt_at end`,
    },
    note: 'The delivery log; messages still queued or pending arrive cancelled.',
  },
  inbox_items: {},
};

/**
 * Columns that hold another row's id without a foreign key. An import may point them at rows
 * of the archive or at nothing (a deleted record), never at a row the target already has.
 */
export const SOFT_REFERENCES: ReadonlyArray<{ table: string; column: string; references: string; array?: boolean }> = [
  { table: 'certificates', column: 'predecessor_id', references: 'certificates' },
  { table: 'certificates', column: 'scan_file_id', references: 'files' },
  { table: 'files', column: 'replaces_id', references: 'files' },
  { table: 'obligations', column: 'event_id', references: 'certificate_events' },
  { table: 'record_files', column: 'record_id', references: '*' },
  { table: 'audit_log', column: 'org_id', references: 'organisations' },
  { table: 'deliveries', column: 'org_id', references: 'organisations' },
  { table: 'deliveries', column: 'digest_id', references: 'deliveries' },
  { table: 'inbox_items', column: 'org_id', references: 'organisations' },
  { table: 'inbox_items', column: 'delivery_id', references: 'deliveries' },
  { table: 'workspace_members', column: 'org_ids', references: 'organisations', array: true },
  { table: 'channels', column: 'org_ids', references: 'organisations', array: true },
];

/** How a table's rows are found: the workspace itself, by its column, or through a parent. */
export type ScopeRule =
  | { kind: 'root' }
  | { kind: 'workspace'; column: string }
  | { kind: 'parent'; column: string; parent: string; parentKey: string };

export interface TransferTable {
  info: TableInfo;
  rule: ScopeRule;
  /** Steps from `workspaces` (0 for it): the rule's parent is always nearer. */
  depth: number;
  overrides: Overrides;
  /** Columns with a foreign key to `users`: exported as the person's id, mapped on import. */
  userColumns: string[];
  /** Foreign keys to other exported tables (single column, to the parent's primary key). */
  references: { column: string; table: string }[];
}

export interface TransferPlan {
  /** Exported tables in load order (each after the tables it references). */
  tables: TransferTable[];
  byName: Map<string, TransferTable>;
  /** What stops an export or import: undecided tables, decisions for tables that are gone … */
  problems: string[];
}

const singleKey = (t: TableInfo | undefined) => (t && t.primaryKey.length === 1 ? t.primaryKey[0]!.column : null);

/** Derives every exported table's rule from the catalog and checks the decisions above. */
export function planTransfer(tables: TableInfo[], foreignKeys: ForeignKey[]): TransferPlan {
  const problems: string[] = [];
  const names = new Set(tables.map((t) => t.name));
  const byInfo = new Map(tables.map((t) => [t.name, t]));
  for (const t of tables) {
    if (!(t.name in EXPORTED_TABLES) && !(t.name in EXCLUDED_TABLES)) {
      problems.push(
        `table ${t.name} is neither exported nor excluded: decide in modules/workspace-transfer/tables.ts (EXPORTED_TABLES or EXCLUDED_TABLES with the reason)`,
      );
    }
  }
  for (const name of [...Object.keys(EXPORTED_TABLES), ...Object.keys(EXCLUDED_TABLES)]) {
    if (!names.has(name)) problems.push(`table ${name} is decided in tables.ts but does not exist`);
  }
  const exported = tables.filter((t) => t.name in EXPORTED_TABLES);
  const single = foreignKeys.filter((fk) => fk.columns.length === 1);

  const rules = new Map<string, { rule: ScopeRule; depth: number }>();
  if (byInfo.has('workspaces')) rules.set('workspaces', { rule: { kind: 'root' }, depth: 0 });
  for (const t of exported) {
    const fk = single.find((f) => f.table === t.name && f.references === 'workspaces');
    if (fk && t.name !== 'workspaces')
      rules.set(t.name, { rule: { kind: 'workspace', column: fk.columns[0]! }, depth: 1 });
  }
  // Through parents, nearest first: add the tables whose nearest exported parent has a rule,
  // one step further each round.
  for (let changed = true; changed;) {
    changed = false;
    for (const t of exported) {
      if (rules.has(t.name)) continue;
      const parents = single
        .filter((f) => f.table === t.name && f.references !== t.name && rules.has(f.references))
        .map((f) => ({ fk: f, depth: rules.get(f.references)!.depth }))
        .sort((a, b) => a.depth - b.depth || a.fk.columns[0]!.localeCompare(b.fk.columns[0]!));
      const best = parents[0];
      const key = best && singleKey(byInfo.get(best.fk.references));
      if (!best || !key) continue;
      rules.set(t.name, {
        rule: { kind: 'parent', column: best.fk.columns[0]!, parent: best.fk.references, parentKey: key },
        depth: best.depth + 1,
      });
      changed = true;
    }
  }

  const planned: TransferTable[] = [];
  for (const info of exported) {
    const found = rules.get(info.name);
    if (!found) {
      problems.push(`table ${info.name} is exported but no foreign key leads from it to a workspace`);
      continue;
    }
    const decision = EXPORTED_TABLES[info.name]!;
    for (const column of Object.keys(decision.overrides ?? {})) {
      if (!info.columns.includes(column)) problems.push(`table ${info.name} has no column ${column} to override`);
    }
    const mine = foreignKeys.filter((f) => f.table === info.name);
    for (const f of mine) {
      if (f.columns.length !== 1)
        problems.push(`table ${info.name}: a foreign key of several columns is not supported`);
      if (f.references !== 'users' && !(f.references in EXPORTED_TABLES) && names.has(f.references)) {
        problems.push(`table ${info.name} references ${f.references}, which is not exported`);
      }
    }
    planned.push({
      info,
      rule: found.rule,
      depth: found.depth,
      overrides: decision.overrides ?? {},
      userColumns: mine.filter((f) => f.references === 'users').map((f) => f.columns[0]!),
      references: mine
        .filter((f) => f.references !== 'users' && f.references in EXPORTED_TABLES)
        .map((f) => ({ column: f.columns[0]!, table: f.references })),
    });
  }
  for (const ref of SOFT_REFERENCES) {
    const info = byInfo.get(ref.table);
    if (!info?.columns.includes(ref.column)) problems.push(`soft reference ${ref.table}.${ref.column} does not exist`);
  }
  const ordered = loadOrder(
    planned.map((p) => p.info),
    foreignKeys.filter((f) => f.references !== 'users'),
  ).map((info) => planned.find((p) => p.info.name === info.name)!);
  const position = new Map(ordered.map((p, i) => [p.info.name, i]));
  for (const p of ordered) {
    for (const r of p.references) {
      // A row of the same table is inserted by the same statement (checked at its end); a cycle
      // between tables would need a second pass the import does not have.
      if (r.table !== p.info.name && position.get(r.table)! > position.get(p.info.name)!) {
        problems.push(`tables ${p.info.name} and ${r.table} reference each other: not supported`);
      }
    }
  }
  return { tables: ordered, byName: new Map(ordered.map((p) => [p.info.name, p])), problems };
}

/** Throws when the plan has problems: a developer's decision is missing, never a user's fault. */
export function requireSound(plan: TransferPlan): TransferPlan {
  if (plan.problems.length > 0) throw new Error(`workspace transfer: ${plan.problems.join('; ')}`);
  return plan;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A workspace id as an SQL literal: checked to be a UUID first, so it is nothing else. */
export function uuidLiteral(id: string): string {
  if (!UUID.test(id)) throw new Error(`not a uuid: ${JSON.stringify(id)}`);
  return `'${id.toLowerCase()}'::uuid`;
}

/**
 * The condition that a row (alias `alias`) of `table` belongs to the workspace. `relation`
 * names where each table's rows are read: `public."x"` when exporting, the staged copy when an
 * import checks what it was given.
 */
export function scopeCondition(
  plan: TransferPlan,
  table: string,
  alias: string,
  relation: (table: string) => string,
  workspace: string,
  depth = 0,
): string {
  const t = plan.byName.get(table);
  if (!t) throw new Error(`${table} is not exported`);
  const ws = uuidLiteral(workspace);
  switch (t.rule.kind) {
    case 'root':
      return `${alias}.${ident('id')} = ${ws}`;
    case 'workspace':
      return `${alias}.${ident(t.rule.column)} = ${ws}`;
    case 'parent': {
      const p = `p${depth + 1}`;
      return (
        `${alias}.${ident(t.rule.column)} in (select ${p}.${ident(t.rule.parentKey)} from ${relation(t.rule.parent)} ${p} ` +
        `where ${scopeCondition(plan, t.rule.parent, p, relation, workspace, depth + 1)})`
      );
    }
  }
}

export const publicRelation = (table: string) => `public.${ident(table)}`;

/** What the dry run and the audit row count a table as (evidence, members …). */
export type TransferKind =
  | 'organisations'
  | 'certificates'
  | 'events'
  | 'obligations'
  | 'evidence'
  | 'files'
  | 'members'
  | 'auditEntries'
  | 'channels'
  | 'other';

const KINDS: Readonly<Record<string, TransferKind>> = {
  organisations: 'organisations',
  certificates: 'certificates',
  certificate_events: 'events',
  obligations: 'obligations',
  staff: 'evidence',
  qualifications: 'evidence',
  projects: 'evidence',
  financial_years: 'evidence',
  ip_assets: 'evidence',
  management_certificates: 'evidence',
  standards: 'evidence',
  adverse_records: 'evidence',
  legal_entities: 'evidence',
  files: 'files',
  workspace_members: 'members',
  audit_log: 'auditEntries',
  channels: 'channels',
};

export const KIND_ORDER: TransferKind[] = [
  'organisations',
  'certificates',
  'events',
  'obligations',
  'evidence',
  'files',
  'members',
  'auditEntries',
  'channels',
  'other',
];

export const kindOf = (table: string): TransferKind => KINDS[table] ?? 'other';
