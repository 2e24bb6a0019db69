/**
 * Names for the shapes the UI uses, all derived from the generated `paths` (no hand-written
 * duplicates of server types).
 */
import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<Op> = Op extends { responses: infer R }
  ? R extends Record<number, unknown>
    ? Json<R[200 & keyof R]> | Json<R[201 & keyof R]>
    : never
  : never;
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

export type Me = Ok<paths['/api/me']['get']>;
export type User = Me['user'];
export type MeWorkspace = Me['workspaces'][number];
export type Role = MeWorkspace['role'];
export type SetupInput = Body<paths['/api/setup']['post']>;
export type LoginInput = Body<paths['/api/auth/login']['post']>;
export type Workspace = Ok<paths['/api/workspaces']['get']>['items'][number];
export type Member = Ok<paths['/api/workspaces/{id}/members']['get']>['items'][number];
/** Adding a member is an invitation: a link (shown once) or a temporary password. */
export type MemberInput = Body<paths['/api/workspaces/{id}/members']['post']>;
export type InvitationCreated = Ok<paths['/api/workspaces/{id}/members']['post']>;
export type Invitation = Ok<paths['/api/workspaces/{id}/invitations']['get']>['items'][number];
export type InvitationState = Invitation['state'];
export type InvitationPreview = Ok<paths['/api/invitations/{token}']['get']>;
export type AcceptInvitationInput = Body<paths['/api/invitations/{token}/accept']['post']>;
export type AcceptedInvitation = Ok<paths['/api/invitations/{token}/accept']['post']>;
export type PasswordResetConfirmInput = Body<paths['/api/auth/password-reset/confirm']['post']>;
export type MemberPatch = Body<paths['/api/workspaces/{id}/members/{userId}']['patch']>;
export type Org = Ok<paths['/api/orgs/{orgId}']['get']>;
export type OrgInput = Body<paths['/api/orgs']['post']>;
export type OrgPatch = Body<paths['/api/orgs/{orgId}']['patch']>;
export type OrgOverviewQuery = Omit<
  NonNullable<paths['/api/workspaces/{id}/org-overview']['get']['parameters']['query']>,
  'cursor' | 'limit'
>;
export type OrgOverviewRow = Ok<paths['/api/workspaces/{id}/org-overview']['get']>['items'][number];
export type ApiToken = Ok<paths['/api/tokens']['get']>['items'][number];
export type CreatedApiToken = Ok<paths['/api/tokens']['post']>;
export type TokenInput = Body<paths['/api/tokens']['post']>;
export type AuditQuery = NonNullable<paths['/api/audit-log']['get']['parameters']['query']>;
export type AuditPage = Ok<paths['/api/audit-log']['get']>;
export type AuditEntry = AuditPage['items'][number];

export const ROLES = ['owner', 'admin', 'manager', 'contributor', 'viewer'] as const satisfies readonly Role[];

/** Owners and admins manage members and read the audit log. */
export function canManageWorkspace(role: Role | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** Owners, admins and managers (资质专员) change organisations; contributors and viewers only read them. */
export function canEditOrgs(role: Role | undefined): boolean {
  return role === 'owner' || role === 'admin' || role === 'manager';
}

// Certificates, events, obligations, dashboard, calendar, files.
type CertPaths = paths['/api/orgs/{orgId}/certificates/{certId}'];
type EventPaths = paths['/api/orgs/{orgId}/certificates/{certId}/events/{eventId}'];
export type Certificate = Ok<CertPaths['patch']>;
export type CertificateDetail = Ok<CertPaths['get']>;
export type CertificateInput = Body<paths['/api/orgs/{orgId}/certificates']['post']>;
export type CertificatePatch = Body<CertPaths['patch']>;
export type CertificateTransition = CertificateDetail['transitions'][number];
export type TimelineSegment = CertificateDetail['timeline'][number];
export type TransitionInput = Body<paths['/api/orgs/{orgId}/certificates/{certId}/transitions']['post']>;
export type TransitionTarget = TransitionInput['to'];
export type SuccessorInput = Body<paths['/api/orgs/{orgId}/certificates/{certId}/successor']['post']>;
export type SuccessorKind = SuccessorInput['kind'];
export type CertEvent = Ok<EventPaths['get']>;
export type EventInput = Body<paths['/api/orgs/{orgId}/certificates/{certId}/events']['post']>;
export type EventPatch = Body<EventPaths['patch']>;
export type RecordedEvent = Ok<paths['/api/orgs/{orgId}/certificates/{certId}/events']['post']>;
export type EventPreview = Ok<paths['/api/orgs/{orgId}/certificates/{certId}/events/preview']['post']>;
export type PreviewObligation = EventPreview['obligations'][number];
/** A note from the engine in both languages; shown in the UI language, never by its code. */
export type EngineMessage = CertificateDetail['warnings'][number];
/** A deadline passed with nothing recorded: what the certificate may have become, never its state. */
export type EngineAlert = CertificateDetail['alerts'][number];
type HistoryPath = paths['/api/orgs/{orgId}/certificates/{certId}/history']['post'];
export type HistoryInput = Body<HistoryPath>;
export type HistoryResult = Ok<HistoryPath>;
export type Obligation = Ok<paths['/api/orgs/{orgId}/obligations']['get']>['items'][number];
export type ObligationStatus = Obligation['status'];
export type ObligationQuery = NonNullable<paths['/api/workspaces/{id}/obligations']['get']['parameters']['query']>;
export type ObligationPatch = Body<paths['/api/orgs/{orgId}/obligations/{id}']['patch']>;
export type ObligationBulk = Body<paths['/api/orgs/{orgId}/obligations/bulk']['post']>;
export type Dashboard = Ok<paths['/api/workspaces/{id}/dashboard']['get']>;
export type RedLine = Dashboard['redLines'][number];
export type DashboardTimeline = Ok<paths['/api/workspaces/{id}/dashboard/timelines']['get']>['items'][number];
export type NearestDeadline = Dashboard['nearest'][number];
export type CalendarYear = Ok<paths['/api/calendar/years']['get']>['items'][number];
export type CalendarYearFile = Body<paths['/api/calendar/years']['post']>;
export type CalendarYearImported = Ok<paths['/api/calendar/years']['post']>;
export type CalendarFeed = Ok<paths['/api/calendar/feeds']['get']>['items'][number];
export type CreatedCalendarFeed = Ok<paths['/api/calendar/feeds']['post']>;
export type CalendarFeedInput = NonNullable<
  paths['/api/calendar/feeds']['post']['requestBody']
>['content']['application/json'];
export type UploadedFile = Ok<paths['/api/orgs/{orgId}/files']['post']>;

// Evidence registry (证据) and its authenticity checks.
type ProjectPaths = paths['/api/orgs/{orgId}/projects/{id}'];
type StaffPaths = paths['/api/orgs/{orgId}/staff/{id}'];
type FinancialYearPaths = paths['/api/orgs/{orgId}/financial-years/{id}'];
type IpPaths = paths['/api/orgs/{orgId}/ip/{id}'];
type ManagementCertificatePaths = paths['/api/orgs/{orgId}/management-certificates/{id}'];
type StandardPaths = paths['/api/orgs/{orgId}/standards/{id}'];
type AdverseRecordPaths = paths['/api/orgs/{orgId}/adverse-records/{id}'];
export type Project = Ok<ProjectPaths['get']>;
export type ProjectInput = Body<paths['/api/orgs/{orgId}/projects']['post']>;
export type ProjectStatus = Project['status'];
export type Staff = Ok<StaffPaths['get']>;
export type StaffInput = Body<paths['/api/orgs/{orgId}/staff']['post']>;
export type Qualification = Staff['qualifications'][number];
export type QualificationInput = NonNullable<StaffInput['qualifications']>[number];
export type QualificationKind = Qualification['kind'];
export type FinancialYear = Ok<FinancialYearPaths['get']>;
export type FinancialYearInput = Body<paths['/api/orgs/{orgId}/financial-years']['post']>;
export type IpAsset = Ok<IpPaths['get']>;
export type IpInput = Body<paths['/api/orgs/{orgId}/ip']['post']>;
export type IpKind = IpAsset['kind'];
export type ManagementCertificate = Ok<ManagementCertificatePaths['get']>;
export type ManagementCertificateInput = Body<paths['/api/orgs/{orgId}/management-certificates']['post']>;
export type ManagementCertificateKind = ManagementCertificate['kind'];
export type Standard = Ok<StandardPaths['get']>;
export type StandardInput = Body<paths['/api/orgs/{orgId}/standards']['post']>;
export type StandardRole = Standard['role'];
export type AdverseRecord = Ok<AdverseRecordPaths['get']>;
export type AdverseRecordInput = Body<paths['/api/orgs/{orgId}/adverse-records']['post']>;
export type AdverseRecordKind = AdverseRecord['kind'];
export type LegalEntity = Ok<paths['/api/orgs/{orgId}/legal-entity']['get']>;
export type LegalEntityInput = Body<paths['/api/orgs/{orgId}/legal-entity']['put']>;
export type Attachment = Project['files'][number];
export type CheckFlag = Ok<paths['/api/orgs/{orgId}/checks']['get']>['items'][number];

/** Each registry kind (its path segment in the API) with its record and input shapes. */
export interface EvidenceRecords {
  projects: { item: Project; input: ProjectInput };
  staff: { item: Staff; input: StaffInput };
  'financial-years': { item: FinancialYear; input: FinancialYearInput };
  ip: { item: IpAsset; input: IpInput };
  'management-certificates': { item: ManagementCertificate; input: ManagementCertificateInput };
  standards: { item: Standard; input: StandardInput };
  'adverse-records': { item: AdverseRecord; input: AdverseRecordInput };
}
export type EvidenceKind = keyof EvidenceRecords;
export type EvidenceItem = EvidenceRecords[EvidenceKind]['item'];

/** Contributors and above record and change evidence; viewers only read it. */
export function canContribute(role: Role | undefined): boolean {
  return role !== undefined && role !== 'viewer';
}

// Readiness (达标评估).
export type ReadinessQuery = NonNullable<paths['/api/orgs/{orgId}/readiness']['get']['parameters']['query']>;
export type Readiness = Ok<paths['/api/orgs/{orgId}/readiness']['get']>;
export type RequirementResult = Readiness['requirements'][number];
export type RequirementStatus = RequirementResult['status'];
export type EvidenceRef = RequirementResult['evidence'][number];

// Imports and exports (.xlsx / .csv).
type ImportPaths = paths['/api/orgs/{orgId}/imports/{kind}'];
export type ImportKind = ImportPaths['post']['parameters']['path']['kind'];
export type ExportKind = paths['/api/orgs/{orgId}/exports/{kind}.xlsx']['get']['parameters']['path']['kind'];
export type ImportResult = Ok<ImportPaths['post']>;
export type ImportRowError = ImportResult['errors'][number];
export type ImportProgress = Ok<paths['/api/orgs/{orgId}/imports/progress/{progressId}']['get']>;
/** What a workspace import did, or (a dry run) would do: counts, people, conflicts. */
export type WorkspaceImportReport = Ok<paths['/api/workspaces/import']['post']>;
export type WorkspaceImportPerson = WorkspaceImportReport['people'][number];
export type TransferKind = WorkspaceImportReport['kinds'][number]['kind'];
export type ImportMapping = Ok<paths['/api/orgs/{orgId}/imports/{kind}/mapping']['get']>;
export type ImportField = ImportMapping['fields'][number];

// Notifications (通知): channels, the delivery log, a member's preferences, the in-app inbox.
type ChannelPaths = paths['/api/workspaces/{id}/channels/{channelId}'];
export type Channel = Ok<paths['/api/workspaces/{id}/channels']['get']>['items'][number];
export type ChannelType = Channel['type'];
export type ChannelInput = Body<paths['/api/workspaces/{id}/channels']['post']>;
export type ChannelPatch = Body<ChannelPaths['patch']>;
export type Delivery = Ok<paths['/api/workspaces/{id}/deliveries']['get']>['items'][number];
export type DeliveryStatus = Delivery['status'];
export type DeliveryQuery = NonNullable<paths['/api/workspaces/{id}/deliveries']['get']['parameters']['query']>;
export type NotificationPreferences = Ok<paths['/api/workspaces/{id}/notification-preferences']['get']>;
export type DigestChoice = NotificationPreferences['digest'];
export type InboxPage = Ok<paths['/api/me/inbox']['get']>;
export type InboxItem = InboxPage['items'][number];

// Requirement sets (达标要求) per level: the workspace's copy or the advisory default.
export type RequirementSetItem = Ok<paths['/api/workspaces/{id}/requirement-sets']['get']>['items'][number];
export type CalendarRecomputeStatus = Ok<paths['/api/calendar/recompute']['get']>;

// Internal audits.
export type Audit = Ok<paths['/api/orgs/{orgId}/audits/{id}']['get']>;
export type AuditInput = Body<paths['/api/orgs/{orgId}/audits']['post']>;
export type ChecklistItem = Ok<paths['/api/orgs/{orgId}/audits/{id}/checklist']['get']>['items'][number];
export type ItemPatch = Body<paths['/api/orgs/{orgId}/audits/{id}/checklist/{itemId}']['patch']>;
export type CloseAuditInput = Body<paths['/api/orgs/{orgId}/audits/{id}/close']['post']>;

// Quarterly qualification meetings.
export type Meeting = Ok<paths['/api/orgs/{orgId}/meetings/{id}']['get']>;
export type MeetingInput = Body<paths['/api/orgs/{orgId}/meetings']['post']>;
export type MinutesPatch = Body<paths['/api/orgs/{orgId}/meetings/{id}']['patch']>;
export type ActionItemInput = Body<paths['/api/orgs/{orgId}/meetings/{id}/actions']['post']>;
