import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const id = () =>
  uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** People who can log in. Global, not a tenant table: one person may belong to several workspaces. */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Instance administrator: may create workspaces and import calendar years. */
    isAdmin: boolean('is_admin').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the cookie value: a database leak does not yield usable sessions. */
    tokenHash: text('token_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** First characters of the token, shown in lists so a person can tell tokens apart. */
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)],
);

/** Failed logins, kept in the database so the limit holds across processes and restarts. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: id(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_failures_email_idx').on(t.email, t.at), index('login_failures_ip_idx').on(t.ip, t.at)],
);

export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  /** 'company' manages its own certificates; 'consultancy' serves many client companies. */
  kind: text('kind', { enum: ['company', 'consultancy'] })
    .notNull()
    .default('company'),
  createdAt: createdAt(),
});

export const workspaceMembers = pgTable(
  'workspace_members',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'admin', 'manager', 'contributor', 'viewer'] }).notNull(),
    /** null: every organisation of the workspace; otherwise only these. */
    orgIds: uuid('org_ids').array(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('workspace_members_key').on(t.workspaceId, t.userId),
    index('workspace_members_user_idx').on(t.userId),
  ],
);

/** 获证企业: one certificate-holding company. */
export const organisations = pgTable(
  'organisations',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    creditCode: text('credit_code').notNull(),
    address: text('address'),
    foundedOn: date('founded_on', { mode: 'string' }),
    legalRepresentative: text('legal_representative'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organisations_credit_code_key').on(t.workspaceId, t.creditCode),
    index('organisations_workspace_idx').on(t.workspaceId),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    /** null for personal actions (API tokens, log-in) that belong to no workspace. */
    workspaceId: uuid('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id'),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    summary: jsonb('summary').notNull().default({}),
    ip: text('ip'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_workspace_idx').on(t.workspaceId, t.at), index('audit_log_actor_idx').on(t.actorId, t.at)],
);

/** Calendar years imported at run time (a notice published after this release). */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  data: jsonb('data').notNull(),
  importedBy: uuid('imported_by').references(() => users.id, { onDelete: 'set null' }),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
});

/** 证书: one CS certificate of an organisation. Renewal, upgrade and downgrade create a successor. */
export const certificates = pgTable(
  'certificates',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    level: text('level', { enum: ['CS1', 'CS2', 'CS3', 'CS4', 'CS5'] }).notNull(),
    number: text('number').notNull(),
    issuer: text('issuer').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    /** As printed; when it was not entered, issue + 4 years − 1 day (`expiresOnProposed`). */
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    expiresOnProposed: boolean('expires_on_proposed').notNull().default(false),
    /** Recorded state (manual transitions); the engine's timeline adds derived states. */
    state: text('state').notNull().default('active'),
    /** Opt-in public verification page, badge and QR code. */
    isPublic: boolean('is_public').notNull().default(false),
    predecessorId: uuid('predecessor_id'),
    scanFileId: uuid('scan_file_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('certificates_org_number_key').on(t.orgId, sql`upper(${t.number})`),
    // A consultancy and its client may both track one certificate; only one may publish it.
    uniqueIndex('certificates_public_number_key')
      .on(sql`upper(${t.number})`)
      .where(sql`${t.isPublic}`),
    index('certificates_org_idx').on(t.orgId),
  ],
);

/** Every state change of a certificate, with date, reason and who recorded it. */
export const certificateTransitions = pgTable(
  'certificate_transitions',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    on: date('on', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('certificate_transitions_cert_idx').on(t.certificateId, t.on)],
);

/** 事件: what happened to a certificate; the obligation engine's input. */
export const certificateEvents = pgTable(
  'certificate_events',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    /** China calendar date of the event (for incidents, the Asia/Shanghai date of `at`). */
    date: date('date', { mode: 'string' }).notNull(),
    at: timestamp('at', { withTimezone: true }),
    /** Type-specific fields (year, deadline, passed, note) as the engine reads them. */
    data: jsonb('data').notNull().default({}),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnReason: text('withdrawn_reason'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('certificate_events_cert_idx').on(t.certificateId, t.date)],
);

/** 义务: the engine's output stored per certificate, plus what people set on it. */
export const obligations = pgTable(
  'obligations',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    /** The engine's stable key: recomputation updates the row with the same key. */
    key: text('key').notNull(),
    rule: text('rule').notNull(),
    titleZh: text('title_zh').notNull(),
    titleEn: text('title_en').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    windowStart: date('window_start', { mode: 'string' }),
    provisional: boolean('provisional').notNull().default(false),
    awaitingNotice: boolean('awaiting_notice').notNull().default(false),
    basis: text('basis').notNull(),
    basisEn: text('basis_en').notNull(),
    source: text('source').notNull(),
    eventId: uuid('event_id'),
    satisfiedOn: date('satisfied_on', { mode: 'string' }),
    // What people set; recomputation never touches these.
    status: text('status', { enum: ['open', 'in_progress', 'done', 'waived'] })
      .notNull()
      .default('open'),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    note: text('note'),
    completedOn: date('completed_on', { mode: 'string' }),
    waivedReason: text('waived_reason'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('obligations_cert_key').on(t.certificateId, t.key),
    index('obligations_org_due_idx').on(t.orgId, t.dueDate),
  ],
);

/** Private calendar feed of a member: the token in the URL is the credential, stored hashed. */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('calendar_feeds_token_key').on(t.tokenHash)],
);

/**
 * An uploaded file of an organisation (certificate scans, evidence). The bytes live in the
 * storage under their SHA-256, so identical content is stored once and never modified; each
 * upload is its own row, and a new version points at the one it replaces.
 */
export const files = pgTable(
  'files',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    /** The original name as uploaded (sanitised), used for downloads. */
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }),
    validUntil: date('valid_until', { mode: 'string' }),
    replacesId: uuid('replaces_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('files_org_idx').on(t.orgId), index('files_sha256_idx').on(t.sha256)],
);
