import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

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
    /** Set for an account created with a temporary password: it must choose its own first. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

/**
 * An invitation to join a workspace, addressed to an e-mail. The person sets their own password
 * when accepting (a new account) or accepts while logged in (an existing one): an admin never
 * chooses the password of an account that may already exist. With `temporaryPasswordHash` (offices
 * without e-mail) the account is created at its first log-in with that password, forced to change it,
 * and only if no account has the address.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['owner', 'admin', 'manager', 'contributor', 'viewer'] }).notNull(),
    orgIds: uuid('org_ids').array(),
    /** SHA-256 of the link's token: the link is shown once and cannot be read back. */
    tokenHash: text('token_hash').notNull(),
    temporaryPasswordHash: text('temporary_password_hash'),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    index('invitations_workspace_idx').on(t.workspaceId),
    index('invitations_email_idx').on(sql`lower(${t.email})`),
  ],
);

/** A password-reset link sent by e-mail: hashed, valid 30 minutes, used once. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('password_resets_token_hash_key').on(t.tokenHash),
    index('password_resets_user_idx').on(t.userId),
  ],
);

/**
 * Addresses an account has logged in from: failures from them slow the account down instead of
 * locking it, so guesses from elsewhere cannot lock its owner out.
 */
export const knownLoginIps = pgTable(
  'known_login_ips',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ip: text('ip').notNull(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('known_login_ips_key').on(t.userId, t.ip)],
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
  /** Filled with example data to try the product on; removable as a whole in one click. */
  demo: boolean('demo').notNull().default(false),
  createdAt: createdAt(),
});

/**
 * A counter per workspace that every write to what its dashboards and calendar feeds show moves
 * on (triggers, migration 0017), at the writing transaction's commit: a reader that reads it before its
 * data may serve an answer computed under the same value (`http/answer-cache.ts`).
 */
export const workspaceVersions = pgTable('workspace_versions', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  /** Drawn when the row is made: one workspace id on two databases (a transfer) never shares a stamp. */
  epoch: uuid('epoch').notNull().defaultRandom(),
});

/**
 * The workspaces a transaction wrote, one row each, made by the write triggers and removed at
 * commit when the counters move on (migration 0017): empty outside a transaction.
 */
export const workspaceTouches = pgTable(
  'workspace_touches',
  {
    workspaceId: uuid('workspace_id').notNull(),
    tx: bigint('tx', { mode: 'number' })
      .notNull()
      .default(sql`txid_current()`),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.tx] })],
);

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
    /** Start in the business (years in business count from here, else from the first contract). */
    businessSince: date('business_since', { mode: 'string' }),
    legalRepresentative: text('legal_representative'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * In the recycle bin since then: hidden with everything under it (row-level security) until
     * restored, and removed for good 30 days later.
     */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    /** Who put it there (no reference: the account may be gone by the time it is read). */
    deletedBy: uuid('deleted_by'),
  },
  (t) => [
    uniqueIndex('organisations_credit_code_key').on(t.workspaceId, t.creditCode),
    index('organisations_workspace_idx').on(t.workspaceId),
    index('organisations_deleted_idx')
      .on(t.deletedAt)
      .where(sql`${t.deletedAt} is not null`),
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
    /**
     * The public page's address (`/verify/<slug>`): unguessable and per certificate, so the same
     * number can be tracked in two workspaces and nobody can publish another's number first.
     */
    publicSlug: text('public_slug')
      .notNull()
      .default(sql`replace(gen_random_uuid()::text, '-', '')`),
    predecessorId: uuid('predecessor_id'),
    scanFileId: uuid('scan_file_id'),
    /**
     * The engine release that last computed the stored obligations: a start-up recomputes the
     * certificates an older release computed, so changed rules reach data that was already there.
     */
    engineVersion: integer('engine_version').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('certificates_org_number_key').on(t.orgId, sql`upper(${t.number})`),
    uniqueIndex('certificates_public_slug_key').on(t.publicSlug),
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

/**
 * 证书使用登记: each time a copy of the certificate goes out (a tender, a client's supplier
 * registration, a website), with the registration number its stamped copy carries.
 */
export const certificateUsages = pgTable(
  'certificate_usages',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    /** `SY2026-0001`: the year of the use and its order in the organisation that year. */
    registrationNo: text('registration_no').notNull(),
    purpose: text('purpose', {
      enum: ['tender', 'supplier-registration', 'contract', 'website', 'qualification-review', 'other'],
    }).notNull(),
    recipient: text('recipient').notNull(),
    /** The project or tender the copy is for, and its number (招标编号). */
    tenderName: text('tender_name'),
    tenderNumber: text('tender_number'),
    /** China calendar date of the use. */
    date: date('date', { mode: 'string' }).notNull(),
    approvedBy: text('approved_by'),
    note: text('note'),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    voidReason: text('void_reason'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('certificate_usages_no_key').on(t.orgId, t.registrationNo),
    index('certificate_usages_cert_idx').on(t.certificateId, t.date),
  ],
);

/**
 * A guided case (变更, 重大变更, 遗失补办, 整改, 政策更新): the event that opened it is its identity,
 * so a case exists as soon as the event is recorded and goes when the event is withdrawn. The row
 * holds only what people add (owner, steps done by hand, closing): it is written on the first change.
 */
export const certificateCases = pgTable(
  'certificate_cases',
  {
    eventId: uuid('event_id')
      .primaryKey()
      .references(() => certificateEvents.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** Steps without a deadline of their own, marked done: step key → { on, by }. */
    stepsDone: jsonb('steps_done').notNull().default({}),
    closedOn: date('closed_on', { mode: 'string' }),
    closedBy: uuid('closed_by').references(() => users.id, { onDelete: 'set null' }),
    /** The event the closing recorded (a re-issued certificate, the passed re-assessment). */
    outcomeEventId: uuid('outcome_event_id').references(() => certificateEvents.id, { onDelete: 'set null' }),
    closingNote: text('closing_note'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('certificate_cases_cert_idx').on(t.certificateId)],
);

/** A case's material: provided (with the file) or not applicable (with the reason). */
export const caseMaterials = pgTable(
  'case_materials',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id')
      .notNull()
      .references(() => certificateCases.eventId, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    status: text('status', { enum: ['provided', 'not-applicable'] }).notNull(),
    fileId: uuid('file_id').references(() => files.id, { onDelete: 'restrict' }),
    reason: text('reason'),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('case_materials_key').on(t.caseId, t.key)],
);

/**
 * A published change of the assessment standard or policy (the 2025 revision adding AI and green
 * data-centre capability, a new fee notice): what it changes and which levels, requirement sets,
 * catalogue items and rules it touches. Each organisation's impact is assessed separately.
 */
export const policyUpdates = pgTable(
  'policy_updates',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    issuer: text('issuer').notNull(),
    publishedOn: date('published_on', { mode: 'string' }).notNull(),
    link: text('link'),
    /** What changes, in the words of whoever recorded it. */
    summary: text('summary').notNull(),
    /** { levels, requirementSetIds, items, rules }: what the update touches. */
    affects: jsonb('affects').notNull().default({}),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('policy_updates_ws_idx').on(t.workspaceId, t.publishedOn)],
);

/**
 * An organisation's assessment of a policy update: affected or not, why, and when affected the
 * `policy.update` event recorded on its certificate, which opens the case with its review deadline.
 */
export const policyUpdateOrgs = pgTable(
  'policy_update_orgs',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    updateId: uuid('update_id')
      .notNull()
      .references(() => policyUpdates.id, { onDelete: 'cascade' }),
    impact: text('impact', { enum: ['affected', 'not-affected'] }).notNull(),
    note: text('note'),
    eventId: uuid('event_id').references(() => certificateEvents.id, { onDelete: 'set null' }),
    assessedBy: uuid('assessed_by').references(() => users.id, { onDelete: 'set null' }),
    assessedAt: timestamp('assessed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('policy_update_orgs_key').on(t.updateId, t.orgId)],
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
    /**
     * Who set the duty: the engine (recomputed, removed when it no longer follows), or a person (a
     * corrective action, a meeting's action item: recompute leaves it alone).
     */
    origin: text('origin', { enum: ['engine', 'person'] })
      .notNull()
      .default('engine'),
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
    /**
     * Set by the engine when a recorded state (revoked, superseded …) ends the duty: kept for the
     * record, out of open work, counts, feeds and reminders.
     */
    cancelledOn: date('cancelled_on', { mode: 'string' }),
    cancelReason: text('cancel_reason'),
    cancelReasonEn: text('cancel_reason_en'),
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
    // Reminder state (jobs/reminders): the sweep sends what is due and advances these.
    /** When the next reminder is due; null when none is pending (done, waived, ladder exhausted). */
    nextReminderAt: timestamp('next_reminder_at', { withTimezone: true }),
    nextReminderStep: text('next_reminder_step'),
    /** The last step sent (or claimed for sending): steps up to it are never sent again. */
    lastReminderStep: text('last_reminder_step'),
  },
  (t) => [
    uniqueIndex('obligations_cert_key').on(t.certificateId, t.key),
    index('obligations_org_due_idx').on(t.orgId, t.dueDate),
    // The lists' order (obligations/service.ts `selectPage`): a page is read off its start.
    index('obligations_due_order_idx').on(t.dueDate, sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.id),
    index('obligations_next_reminder_idx')
      .on(t.nextReminderAt)
      .where(sql`${t.nextReminderAt} is not null`),
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
    // What the feed shows, chosen when it is made: a window around today, finished work or not,
    // and optionally some organisations, some rules, or only the owner's assignments.
    daysBack: integer('days_back').notNull().default(90),
    daysAhead: integer('days_ahead').notNull().default(730),
    includeFinished: boolean('include_finished').notNull().default(false),
    orgIds: uuid('org_ids').array(),
    rules: text('rules').array(),
    assignedToMe: boolean('assigned_to_me').notNull().default(false),
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

// ── Evidence registry. Each row belongs to one organisation; money is numeric(18,2)
// read and written as a decimal string in yuan.

const orgRef = () =>
  uuid('org_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' });
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const money = (name: string) => numeric(name, { precision: 18, scale: 2 });
const day = (name: string) => date(name, { mode: 'string' });

/** 人员: staff of the organisation. */
export const staff = pgTable(
  'staff',
  {
    id: id(),
    orgId: orgRef(),
    name: text('name').notNull(),
    /** 身份证号, checked by its check digit; lists show it masked. The natural key for re-imports. */
    idNumber: text('id_number'),
    role: text('role'),
    isRnd: boolean('is_rnd').notNull().default(false),
    isTechnical: boolean('is_technical').notNull().default(false),
    employedFrom: day('employed_from'),
    employedUntil: day('employed_until'),
    /** `YYYY-MM`: first and last month of social insurance paid by the organisation. */
    socialInsuranceFrom: text('social_insurance_from'),
    socialInsuranceUntil: text('social_insurance_until'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('staff_org_idx').on(t.orgId),
    uniqueIndex('staff_id_number_key')
      .on(t.orgId, t.idNumber)
      .where(sql`${t.idNumber} is not null`),
  ],
);

/** 人员资质: PMP, 信息系统项目管理师 … held by a staff member. */
export const qualifications = pgTable(
  'qualifications',
  {
    id: id(),
    orgId: orgRef(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['pmp', 'senior-pm', 'si-pm', 'other'] }).notNull(),
    name: text('name'),
    number: text('number'),
    issuedOn: day('issued_on'),
    expiresOn: day('expires_on'),
    createdAt: createdAt(),
  },
  (t) => [index('qualifications_org_idx').on(t.orgId), index('qualifications_staff_idx').on(t.staffId)],
);

/** 项目案例. Contract numbers are not unique here on purpose: a repeated one is an authenticity flag. */
export const projects = pgTable(
  'projects',
  {
    id: id(),
    orgId: orgRef(),
    name: text('name').notNull(),
    client: text('client'),
    contractNumber: text('contract_number'),
    amount: money('amount'),
    signedOn: day('signed_on'),
    acceptedOn: day('accepted_on'),
    status: text('status', { enum: ['signed', 'in-progress', 'accepted', 'terminated'] })
      .notNull()
      .default('signed'),
    managerId: uuid('manager_id').references(() => staff.id, { onDelete: 'set null' }),
    technologies: text('technologies')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('projects_org_idx').on(t.orgId), index('projects_contract_idx').on(t.orgId, t.contractNumber)],
);

/** 财务年度: one row per organisation and year, with its audit report among the attachments. */
export const financialYears = pgTable(
  'financial_years',
  {
    id: id(),
    orgId: orgRef(),
    year: integer('year').notNull(),
    revenue: money('revenue'),
    systemIntegrationRevenue: money('system_integration_revenue'),
    softwareServiceRevenue: money('software_service_revenue'),
    rndExpense: money('rnd_expense'),
    netProfit: money('net_profit'),
    operatingCashFlow: money('operating_cash_flow'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('financial_years_key').on(t.orgId, t.year)],
);

/** 知识产权: software copyrights and patents. */
export const ipAssets = pgTable(
  'ip_assets',
  {
    id: id(),
    orgId: orgRef(),
    kind: text('kind', {
      enum: ['software-copyright', 'invention-patent', 'utility-patent', 'design-patent'],
    }).notNull(),
    name: text('name').notNull(),
    number: text('number'),
    grantedOn: day('granted_on'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('ip_assets_org_idx').on(t.orgId)],
);

/** 管理体系证书: ISO 9001 / 20000 / 27001, CMMI, ITSS … */
export const managementCertificates = pgTable(
  'management_certificates',
  {
    id: id(),
    orgId: orgRef(),
    kind: text('kind', { enum: ['iso9001', 'iso20000', 'iso27001', 'cmmi', 'itss', 'other'] }).notNull(),
    name: text('name'),
    number: text('number'),
    issuedOn: day('issued_on'),
    expiresOn: day('expires_on'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('management_certificates_org_idx').on(t.orgId)],
);

/** 标准制定: a standard the organisation took part in drafting (one way to show growth at renewal). */
export const standards = pgTable(
  'standards',
  {
    id: id(),
    orgId: orgRef(),
    name: text('name').notNull(),
    /** 标准号, e.g. GB/T 28827.1-2022. */
    number: text('number'),
    role: text('role', { enum: ['lead', 'participant', 'other'] }).notNull(),
    publishedOn: day('published_on').notNull(),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('standards_org_idx').on(t.orgId)],
);

/**
 * 不良记录: a violation, an abnormal-operation listing (经营异常名录) or a serious-dishonesty
 * listing (严重违法失信名单), from the day listed until the day cleared (null: still listed).
 */
export const adverseRecords = pgTable(
  'adverse_records',
  {
    id: id(),
    orgId: orgRef(),
    kind: text('kind', { enum: ['violation', 'abnormal-operation', 'serious-dishonesty'] }).notNull(),
    listedOn: day('listed_on').notNull(),
    clearedOn: day('cleared_on'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('adverse_records_org_idx').on(t.orgId)],
);

/**
 * 独立法人: whether the organisation is an independent legal entity, as a person confirmed it
 * (one row per organisation; none until confirmed). The business licence is among its files.
 */
export const legalEntities = pgTable(
  'legal_entities',
  {
    id: id(),
    orgId: orgRef(),
    isIndependent: boolean('is_independent').notNull(),
    confirmedOn: day('confirmed_on').notNull(),
    confirmedBy: uuid('confirmed_by').references(() => users.id, { onDelete: 'set null' }),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('legal_entities_org_key').on(t.orgId)],
);

/**
 * A file attached to an evidence record in a role (contract, acceptance report, invoice …).
 * Invoices carry their amount, so invoices above the contract amount can be flagged.
 */
export const recordFiles = pgTable(
  'record_files',
  {
    id: id(),
    orgId: orgRef(),
    recordType: text('record_type', {
      enum: [
        'project',
        'staff',
        'financial-year',
        'ip',
        'management-certificate',
        'standard',
        'adverse-record',
        'legal-entity',
      ],
    }).notNull(),
    recordId: uuid('record_id').notNull(),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'restrict' }),
    role: text('role').notNull(),
    amount: money('amount'),
    createdAt: createdAt(),
  },
  (t) => [index('record_files_record_idx').on(t.orgId, t.recordType, t.recordId)],
);

/** Saved import column mappings, one per organisation and kind (a Jira or 禅道 export mapped once). */
export const importMappings = pgTable(
  'import_mappings',
  {
    id: id(),
    orgId: orgRef(),
    kind: text('kind').notNull(),
    /** Field name → source column header. */
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('import_mappings_key').on(t.orgId, t.kind)],
);

/**
 * A document Zizhi wrote or a person filed for a certificate's duty, kept as a version: a file in
 * the evidence store, who and when, and the digest of the data it was built from. A version is
 * never changed or replaced; a new one gets the next number.
 */
export const documents = pgTable(
  'documents',
  {
    id: id(),
    orgId: orgRef(),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['self-check-report', 'audit-report', 'meeting-minutes'] }).notNull(),
    /** What it covers: the year (2026) of a self-check report, the audit's or meeting's id otherwise. */
    period: text('period').notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['submitted', 'issued'] }).notNull(),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'restrict' }),
    /** SHA-256 of the data a generated file was built from; null for a file a person uploaded. */
    dataSha256: text('data_sha256'),
    submittedOn: date('submitted_on', { mode: 'string' }),
    receiptNumber: text('receipt_number'),
    /** The event that recorded the submission (the duty it completes). */
    eventId: uuid('event_id').references(() => certificateEvents.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('documents_version_key').on(t.certificateId, t.kind, t.period, t.version)],
);

/** 内部合规检查: an internal audit of a certificate's organisation over a period. */
export const audits = pgTable(
  'audits',
  {
    id: id(),
    orgId: orgRef(),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    /** The audit team, as names. */
    auditors: text('auditors').array().notNull(),
    scope: text('scope'),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    conclusion: text('conclusion'),
    closedOn: date('closed_on', { mode: 'string' }),
    /** The period's audit duty the report completed. */
    obligationId: uuid('obligation_id').references(() => obligations.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('audits_org_idx').on(t.orgId, t.periodStart)],
);

/** One line of an audit's checklist, generated from the requirements and the evidence, and its result. */
export const auditItems = pgTable(
  'audit_items',
  {
    id: id(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id, { onDelete: 'cascade' }),
    orgId: orgRef(),
    position: integer('position').notNull(),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    /** The records it is about: [{type, id, label}]. */
    refs: jsonb('refs').$type<Array<{ type: string; id: string; label: string }>>().notNull().default([]),
    result: text('result', { enum: ['conform', 'nonconform', 'observation'] }),
    note: text('note'),
    /** A nonconformity's corrective action: an obligation people set. */
    actionId: uuid('action_id').references(() => obligations.id, { onDelete: 'set null' }),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_items_audit_idx').on(t.auditId, t.position)],
);

/** 资质维护季度会议: a certificate's quarterly qualification meeting, its agenda and its minutes. */
export const meetings = pgTable(
  'meetings',
  {
    id: id(),
    orgId: orgRef(),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    /** The quarter reviewed: 2026-Q4. */
    quarter: text('quarter').notNull(),
    /** The agenda generated when it was planned: sections of lines, in Chinese. */
    agenda: jsonb('agenda').$type<Array<{ title: string; lines: string[] }>>().notNull(),
    heldOn: date('held_on', { mode: 'string' }),
    place: text('place'),
    chair: text('chair'),
    attendees: text('attendees')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    decisions: text('decisions'),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    /** The quarter's meeting duty the minutes completed. */
    obligationId: uuid('obligation_id').references(() => obligations.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('meetings_org_idx').on(t.orgId, t.quarter)],
);

/** Files attached to an obligation, e.g. when it is completed: minutes, receipts, reports. */
export const obligationFiles = pgTable(
  'obligation_files',
  {
    id: id(),
    orgId: orgRef(),
    obligationId: uuid('obligation_id')
      .notNull()
      .references(() => obligations.id, { onDelete: 'cascade' }),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'restrict' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('obligation_files_key').on(t.obligationId, t.fileId)],
);

/**
 * An import saved in several transactions (the embedded database lets no other request in while
 * one is open). While `finished_at` is null it is being saved: no other import of the kind may
 * start in the organisation, and a server that starts finds it unfinished and undoes it.
 */
export const importRuns = pgTable(
  'import_runs',
  {
    id: id(),
    orgId: orgRef(),
    kind: text('kind').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('import_runs_saving')
      .on(t.orgId, t.kind)
      .where(sql`finished_at is null`),
  ],
);

/**
 * What undoes a run's writes: per row written, the row as it was before (`before` null: the run
 * inserted it). Emptied in parts once the run is finished or undone.
 */
export const importUndo = pgTable(
  'import_undo',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => importRuns.id, { onDelete: 'cascade' }),
    orgId: orgRef(),
    rowId: uuid('row_id').notNull(),
    before: jsonb('before'),
  },
  (t) => [index('import_undo_run_idx').on(t.runId)],
);

/** A workspace's edited copy of a level's requirement set (the shipped advisory set otherwise). */
export const requirementSets = pgTable(
  'requirement_sets',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    level: text('level', { enum: ['CS1', 'CS2', 'CS3', 'CS4', 'CS5'] }).notNull(),
    set: jsonb('set').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('requirement_sets_key').on(t.workspaceId, t.level)],
);

/**
 * A workspace's template for a generated document (today the self-check report): its sections in
 * order, on or off, with headings and fixed text (reports/self-check-template.ts); absent, the
 * default is used.
 */
export const reportTemplates = pgTable(
  'report_templates',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['self-check-report'] }).notNull(),
    template: jsonb('template').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('report_templates_key').on(t.workspaceId, t.kind)],
);

/**
 * A CS3+ certificate's supervision plan: the initial assessment's person-days and the visits, each
 * with its date, person-days and the capability items it covers (`plan`: modules/supervision).
 */
export const supervisionPlans = pgTable(
  'supervision_plans',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    catalogueVersion: text('catalogue_version').notNull(),
    plan: jsonb('plan').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('supervision_plans_key').on(t.certificateId), index('supervision_plans_org_idx').on(t.orgId)],
);

/** Who to call at the assessment body about a certificate (监督评估、再评估、升级). */
export const assessmentContacts = pgTable(
  'assessment_contacts',
  {
    id: id(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => certificates.id, { onDelete: 'cascade' }),
    body: text('body'),
    person: text('person'),
    phone: text('phone'),
    email: text('email'),
    note: text('note'),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('assessment_contacts_key').on(t.certificateId), index('assessment_contacts_org_idx').on(t.orgId)],
);

/**
 * A workspace's correction of one capability item of a catalogue version (core/catalogue/
 * corrections.ts): its Chinese name, sub-domain or kinds of evidence; null keeps the shipped value.
 */
export const capabilityCorrections = pgTable(
  'capability_corrections',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    catalogueVersion: text('catalogue_version').notNull(),
    itemId: text('item_id').notNull(),
    name: text('name'),
    subdomain: text('subdomain'),
    /** Evidence source ids (core EVIDENCE_SOURCES); null keeps the shipped map, [] means none. */
    evidence: jsonb('evidence'),
    note: text('note'),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('capability_corrections_key').on(t.workspaceId, t.catalogueVersion, t.itemId)],
);

// ── Notifications (modules/reminders, modules/channels, modules/inbox).

/**
 * A workspace's notification channel: an e-mail list (SMTP), a 企业微信 / 钉钉 / 飞书 robot or a
 * generic webhook. URL, secret and SMTP password are stored AES-256-GCM encrypted (`config`);
 * `hint` holds what may be shown (the masked URL, whether a secret is set).
 */
export const channels = pgTable(
  'channels',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    type: text('type', { enum: ['email', 'wecom', 'dingtalk', 'feishu', 'webhook'] }).notNull(),
    name: text('name').notNull(),
    /** `v1:<iv>:<tag>:<ciphertext>` (base64) of the JSON {url, secret, from}. */
    config: text('config').notNull(),
    hint: jsonb('hint').$type<{ url: string | null; hasSecret: boolean }>().notNull(),
    /** E-mail channels: the addresses it sends to. */
    recipients: text('recipients')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** null: reminders of every organisation of the workspace; otherwise only these. */
    orgIds: uuid('org_ids').array(),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('channels_workspace_idx').on(t.workspaceId)],
);

/** A member's own choices: personal e-mail and in-app inbox, and single messages or a digest. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: boolean('email').notNull().default(false),
    inApp: boolean('in_app').notNull().default(true),
    digest: text('digest', { enum: ['none', 'daily', 'weekly'] })
      .notNull()
      .default('none'),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('notification_preferences_key').on(t.workspaceId, t.userId)],
);

/**
 * One message to one target: a reminder step of an obligation to a channel or a member, or a
 * member's digest. `key` is unique: it is the exactly-once guard (a second claim of the same step
 * inserts nothing). Sending moves pending → sending (leased) → sent | pending (retry) | failed.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id'),
    obligationId: uuid('obligation_id').references(() => obligations.id, { onDelete: 'set null' }),
    step: text('step'),
    key: text('key').notNull(),
    /** 'reminder' | 'digest' | 'test'. */
    kind: text('kind', { enum: ['reminder', 'digest', 'test'] }).notNull(),
    channelId: uuid('channel_id').references(() => channels.id, { onDelete: 'set null' }),
    /** Personal deliveries: the member, and 'email' or 'in-app'. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    channelType: text('channel_type').notNull(),
    /** What to say: the reminder(s) as messages.ts reads them. */
    payload: jsonb('payload').notNull(),
    /** Waiting for the member's digest ('queued'), then 'digested' into `digestId`; 'cancelled' when the obligation was finished first. */
    status: text('status', {
      enum: ['queued', 'pending', 'sending', 'sent', 'failed', 'digested', 'cancelled'],
    }).notNull(),
    digestId: uuid('digest_id'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** A sender holds the row until then; after it, another sweep may take it over. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('deliveries_key').on(t.key),
    index('deliveries_workspace_idx').on(t.workspaceId, t.createdAt),
    index('deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('deliveries_queued_idx')
      .on(t.userId)
      .where(sql`${t.status} = 'queued'`),
  ],
);

/** The in-app inbox: one row per in-app delivery (unique), read by its member only. */
export const inboxItems = pgTable(
  'inbox_items',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id'),
    obligationId: uuid('obligation_id').references(() => obligations.id, { onDelete: 'set null' }),
    deliveryId: uuid('delivery_id').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    link: text('link').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('inbox_items_delivery_key').on(t.deliveryId),
    index('inbox_items_user_idx').on(t.userId, t.createdAt),
  ],
);

/**
 * One backup at one target: a run writes the same archive to every configured target (a folder,
 * S3, or both), one row each, so one failing target shows as failed while the other succeeds.
 * The restore drill's last result on that copy is kept beside it. Installation-wide, not a
 * tenant table: only system transactions read or write it (the app role has no rights on it).
 */
export const backupRuns = pgTable(
  'backup_runs',
  {
    id: id(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    status: text('status', { enum: ['running', 'ok', 'failed'] }).notNull(),
    trigger: text('trigger', { enum: ['scheduled', 'manual'] }).notNull(),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    /** Where, as shown to people: a folder path or s3://bucket/prefix/, never credentials. */
    target: text('target').notNull(),
    archiveName: text('archive_name').notNull(),
    bytes: bigint('bytes', { mode: 'number' }),
    rows: bigint('rows', { mode: 'number' }),
    files: bigint('files', { mode: 'number' }),
    sha256: text('sha256'),
    encrypted: boolean('encrypted').notNull().default(false),
    /** Why it failed, { zh, en }, worded for people (never a stack trace). */
    error: jsonb('error').$type<{ zh: string; en: string }>(),
    /** When a restore drill last succeeded on this copy (kept when a later drill fails). */
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    /** The latest drill's outcome. */
    verifyStatus: text('verify_status', { enum: ['running', 'ok', 'failed'] }),
    verifyError: jsonb('verify_error').$type<{ zh: string; en: string }>(),
    /** When retention deleted the archive at its target (the row stays as history). */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('backup_runs_started_idx').on(t.startedAt)],
);
