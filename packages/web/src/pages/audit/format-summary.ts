// Audit rows in words: what was done, to what, and what changed, in the reader's language. The
// server stores keys (field names, states, rule ids, record ids); none of them is shown as such.
import {
  CASE_TEMPLATES,
  CERTIFICATE_STATE_LABELS,
  EVIDENCE_SOURCE_NAMES,
  LEVELS,
  OBLIGATION_RULES,
  USAGE_PURPOSE_NAMES,
  isCaseKind,
  isEvidenceSource,
  isUsagePurpose,
  type CertificateState,
} from '@zizhi/core';
import type { i18n as I18n } from 'i18next';

/** Actions the server records (its AuditAction union), for the filter. */
export const AUDIT_ACTIONS = [
  'setup.completed',
  'user.created',
  'user.password-changed',
  'user.password-reset-requested',
  'user.password-reset',
  'auth.login',
  'auth.login-failed',
  'auth.logout',
  'workspace.created',
  'workspace.demo-removed',
  'workspace.exported',
  'workspace.imported',
  'member.invited',
  'member.joined',
  'invitation.revoked',
  'invitation.renewed',
  'member.added',
  'member.updated',
  'member.removed',
  'org.created',
  'org.updated',
  'org.deleted',
  'org.restored',
  'org.purged',
  'token.created',
  'token.revoked',
  'calendar.year-imported',
  'feed.created',
  'feed.revoked',
  'certificate.created',
  'certificate.updated',
  'certificate.transition',
  'certificate.history-recorded',
  'event.recorded',
  'event.corrected',
  'event.withdrawn',
  'obligation.updated',
  'file.uploaded',
  'evidence.created',
  'evidence.updated',
  'evidence.deleted',
  'staff.id-number-revealed',
  'requirements.updated',
  'requirements.reset',
  'import.completed',
  'document.submitted',
  'audit.planned',
  'audit.item-updated',
  'audit.closed',
  'meeting.planned',
  'meeting.minutes-updated',
  'meeting.closed',
  'report-template.updated',
  'report-template.reset',
  'supervision.planned',
  'supervision.results-recorded',
  'supervision.finding-added',
  'supervision.contact-updated',
  'catalogue.corrected',
  'catalogue.reset',
  'usage.registered',
  'usage.voided',
  'case.updated',
  'case.step-done',
  'case.material-set',
  'case.material-cleared',
  'case.closed',
  'case.action-added',
  'policy-update.created',
  'policy-update.assessed',
  'import.mapping-saved',
  'channel.created',
  'channel.updated',
  'channel.deleted',
  'channel.tested',
] as const;

/** What an audit row carries that the log shows. */
export interface AuditRow {
  action: string;
  targetType: string;
  targetId: string | null;
  targetName?: string | null;
  orgId?: string | null;
  summary: unknown;
}

/** The translator and the names the page knows (the workspace's organisations and members). */
export interface AuditContext {
  i18n: I18n;
  orgName?: (id: string) => string | undefined;
  personName?: (id: string) => string | undefined;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

function translator(ctx: AuditContext) {
  const t = ctx.i18n.t.bind(ctx.i18n) as unknown as Translate;
  const maybe = (key: string, options?: Record<string, unknown>) =>
    ctx.i18n.exists(key) ? t(key, options) : undefined;
  const english = ctx.i18n.language === 'en';
  return { t, maybe, english };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Ids and checksums: a person learns nothing from them, and the target column names the record. */
const HIDDEN = new Set([
  'id',
  'orgId',
  'certificateId',
  'predecessorId',
  'successorId',
  'replacesId',
  'fileId',
  'sha256',
  'contentType',
]);

/** Fields holding a member's id, shown by the member's name. */
const PEOPLE = new Set(['assigneeId', 'confirmedBy']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The action in words (every action the server records has a translation). */
export function actionLabel(action: string, ctx: AuditContext): string {
  const { t, maybe } = translator(ctx);
  return maybe(`audit.actions.${action}`) ?? t('audit.values.otherAction');
}

function stateName(state: unknown, english: boolean): string | undefined {
  const labels = CERTIFICATE_STATE_LABELS[state as CertificateState] as { zh: string; en: string } | undefined;
  return labels ? (english ? labels.en : labels.zh) : undefined;
}

function ruleName(rule: unknown, english: boolean): string | undefined {
  const r = OBLIGATION_RULES.find((x) => x.id === rule);
  return r ? (english ? r.titleEn : r.titleZh) : undefined;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function instant(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/**
 * One value in words, given its field and the row (a `kind` of an IP asset is not the `kind` of a
 * workspace); null when it is nothing a person reads (an id).
 */
function showValue(key: string, value: unknown, row: AuditRow, ctx: AuditContext): string | null {
  const { t, maybe, english } = translator(ctx);
  const none = t('common.none');
  if (value === null || value === undefined || value === '') {
    return key === 'orgIds' && value === null ? t('members.allOrgs') : none;
  }
  const code = typeof value === 'string' ? value : undefined;
  switch (key) {
    case 'role':
      if (row.targetType === 'staff') break; // a job title, as typed
      if (row.targetType === 'standard') return (code && maybe(`audit.values.standardRoles.${code}`)) ?? none;
      return (code && maybe(`roles.${code}`)) ?? none;
    case 'via':
      return (code && maybe(`audit.via.${code}`)) ?? none;
    case 'level':
      return code && (LEVELS as readonly string[]).includes(code) ? `${code} ${t(`levels.${code}`)}` : none;
    case 'from':
    case 'to':
      if (row.action === 'certificate.transition') return stateName(value, english) ?? none;
      break;
    case 'rule':
      return ruleName(value, english) ?? t('audit.targets.obligation');
    case 'impact':
      return (code && maybe(`policy.impactValues.${code}`)) ?? none;
    case 'step':
    case 'material': {
      // A case's step or material, named as its procedure names it.
      const kind = isRecord(row.summary) ? row.summary.kind : undefined;
      const template = isCaseKind(kind) ? CASE_TEMPLATES[kind] : undefined;
      const found =
        key === 'step' ? template?.steps.find((s) => s.key === code) : template?.materials.find((m) => m.key === code);
      return found ? found[english ? 'en' : 'zh'] : none;
    }
    case 'status':
      if (row.targetType === 'case') return (code && maybe(`cases.materialStatuses.${code}`)) ?? none;
      if (row.targetType === 'project') return (code && maybe(`evidence.projectStatuses.${code}`)) ?? none;
      return (code && maybe(`obligations.statuses.${code}`)) ?? none;
    case 'type':
      if (row.targetType === 'channel') return (code && maybe(`channels.types.${code}`)) ?? none;
      return (code && maybe(`events.types.${code}`)) ?? none;
    case 'kind': {
      const scope: Record<string, string> = {
        workspace: 'audit.values.workspaceKinds',
        certificate: 'certificates.kinds',
        ip: 'evidence.ipKinds',
        'management-certificate': 'evidence.managementCertificateKinds',
        'adverse-record': 'audit.values.adverseKinds',
        import: 'evidence.exportKinds',
        'import-mapping': 'evidence.exportKinds',
        case: 'cases.kinds',
      };
      const prefix = scope[row.targetType];
      return (prefix && code && maybe(`${prefix}.${code}`)) ?? none;
    }
    case 'passed':
      return t(value === true ? 'audit.values.passed' : 'audit.values.failed');
    case 'result':
      return (code && maybe(`audit.values.results.${code}`)) ?? none;
    case 'scanFileId':
      return t('audit.values.uploaded');
    case 'orgIds':
      if (Array.isArray(value)) {
        const names = value.map((id) => ctx.orgName?.(String(id)));
        return names.every((n) => n !== undefined)
          ? names.join(english ? ', ' : '、') || none
          : t('audit.values.orgs', { count: value.length });
      }
      return none;
    case 'size':
      return typeof value === 'number' ? bytes(value) : none;
    case 'requirements':
      return Array.isArray(value) ? t('audit.values.count', { count: value.length }) : none;
    case 'purpose':
      return isUsagePurpose(value) ? USAGE_PURPOSE_NAMES[value][english ? 'en' : 'zh'] : none;
    case 'evidenceKinds':
      // Evidence source ids, named as the catalogue page names them.
      return Array.isArray(value)
        ? value
            .map((v) => (isEvidenceSource(v) ? EVIDENCE_SOURCE_NAMES[v][english ? 'en' : 'zh'] : String(v)))
            .join(english ? ', ' : '、') || none
        : none;
    case 'visitDates':
    case 'sections':
      // The headings of the sections a report template has on, as the admin wrote them.
      return Array.isArray(value) ? value.map(String).join(english ? ', ' : '、') || none : none;
    case 'papers':
      return Array.isArray(value) ? t('audit.values.notices', { count: value.length }) : none;
    case 'mapping':
      return isRecord(value) ? t('audit.values.columns', { count: Object.keys(value).length }) : none;
    case 'window':
      if (isRecord(value) && typeof value.years === 'number')
        return t('audit.values.calendarYears', { count: value.years });
      if (isRecord(value) && typeof value.months === 'number') return t('audit.values.months', { count: value.months });
      return none;
    case 'changed':
      // Which settings of a channel changed (never their values).
      if (Array.isArray(value)) {
        return value
          .map((k) => maybe(`audit.channelFields.${String(k)}`))
          .filter((v): v is string => v !== undefined)
          .join(english ? ', ' : '、');
      }
      return none;
  }
  if (PEOPLE.has(key) || key === 'managerId') {
    return (code && ctx.personName?.(code)) ?? t('audit.values.assigned');
  }
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (UUID.test(value)) return null;
    return INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? instant(value) : value;
  }
  if (Array.isArray(value)) {
    const shown = value.map((v) => showValue(key, v, row, ctx)).filter((v): v is string => v !== null);
    return shown.length ? shown.join(english ? ', ' : '、') : none;
  }
  return null;
}

function fieldLabel(key: string, row: AuditRow, ctx: AuditContext): string | undefined {
  if (HIDDEN.has(key)) return undefined;
  const { maybe } = translator(ctx);
  // The same key means something else on some records: a staff member's role is their job.
  if (key === 'role' && row.targetType === 'staff') return maybe('audit.fields.jobTitle');
  if (key === 'orgIds' && row.targetType === 'channel') return maybe('audit.channelFields.orgIds');
  return maybe(`audit.fields.${key}`);
}

/**
 * One line for an audit row's summary: `{changed:{k:{before,after}}}` as “字段：之前 → 之后”,
 * `{after:{…}}` / `{before:{…}}` (a created or deleted record) and other keys as “字段：值”.
 * Fields without a name in words (ids, checksums) are left out.
 */
export function formatSummary(row: AuditRow, ctx: AuditContext): string {
  const { t, english } = translator(ctx);
  const summary = row.summary;
  if (typeof summary === 'string') return summary;
  if (!isRecord(summary)) return '';
  const colon = english ? ': ' : '：';
  const parts: string[] = [];
  const add = (key: string, value: unknown) => {
    const label = fieldLabel(key, row, ctx);
    if (label === undefined || value === undefined) return;
    const shown = showValue(key, value, row, ctx);
    if (shown !== null) parts.push(`${label}${colon}${shown}`);
  };
  for (const [key, value] of Object.entries(summary)) {
    if (key === 'changed' && isRecord(value)) {
      for (const [field, change] of Object.entries(value)) {
        const label = fieldLabel(field, row, ctx);
        if (label === undefined) continue;
        const { before, after } = isRecord(change) ? change : { before: undefined, after: change };
        const from = showValue(field, before, row, ctx) ?? t('common.none');
        const to = showValue(field, after, row, ctx) ?? t('common.none');
        parts.push(`${label}${colon}${from} → ${to}`);
      }
    } else if ((key === 'after' || key === 'before') && isRecord(value)) {
      for (const [field, v] of Object.entries(value)) add(field, v);
    } else {
      add(key, value);
    }
  }
  return parts.join(english ? '; ' : '；');
}

/** The name a row's own summary gives its target (at the time), if any. */
function nameInSummary(row: AuditRow, ctx: AuditContext): string | undefined {
  const { english } = translator(ctx);
  const s = isRecord(row.summary) ? row.summary : {};
  const record = isRecord(s.after) ? s.after : isRecord(s.before) ? s.before : {};
  const text = (v: unknown) => (typeof v === 'string' && v !== '' && !UUID.test(v) ? v : undefined);
  switch (row.targetType) {
    case 'event': {
      const type = showValue('type', s.type, row, ctx);
      return type && typeof s.date === 'string' ? `${type} ${s.date}` : undefined;
    }
    case 'obligation': {
      const rule = ruleName(s.rule, english);
      return rule && typeof s.dueDate === 'string' ? `${rule} ${s.dueDate}` : rule;
    }
    case 'calendar-year':
      return typeof s.year === 'number' ? String(s.year) : text(row.targetId);
    case 'financial-year':
      return typeof record.year === 'number' ? String(record.year) : undefined;
    case 'requirement-set':
      return typeof s.level === 'string' ? (showValue('level', s.level, row, ctx) ?? undefined) : undefined;
    case 'import':
    case 'import-mapping':
      return (
        text(s.file) ?? (typeof s.kind === 'string' ? (showValue('kind', s.kind, row, ctx) ?? undefined) : undefined)
      );
  }
  return (
    text(s.name) ?? text(s.number) ?? text(s.email) ?? text(record.name) ?? text(record.number) ?? text(record.email)
  );
}

/** The target of a row: its kind, and its name or number when the row or the workspace tells it. */
export function describeTarget(row: AuditRow, ctx: AuditContext): string {
  const { t, maybe } = translator(ctx);
  const kind = maybe(`audit.targets.${row.targetType}`);
  const id = row.targetId ?? undefined;
  const byId =
    id &&
    (row.targetType === 'org'
      ? ctx.orgName?.(id)
      : row.targetType === 'member' || row.targetType === 'user'
        ? ctx.personName?.(id)
        : undefined);
  const name = row.targetName ?? nameInSummary(row, ctx) ?? byId;
  if (!kind) return name ?? '';
  return name ? t('audit.targetNamed', { kind, name }) : kind;
}
