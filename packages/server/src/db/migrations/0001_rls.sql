-- Row-level security: a second layer under the services' own workspace/org filters.
-- Tenant queries run as the non-owner role zizhi_app (SET LOCAL ROLE in each transaction),
-- because superusers and table owners bypass policies. The acting user is the
-- transaction setting app.user_id; visibility follows that user's memberships.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zizhi_app') THEN
    CREATE ROLE zizhi_app NOLOGIN;
  END IF;
END
$$;
--> statement-breakpoint
GRANT zizhi_app TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO zizhi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO zizhi_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO zizhi_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION zizhi_current_user_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
-- SECURITY DEFINER: runs as the owner so that reading memberships is not itself filtered.
CREATE OR REPLACE FUNCTION zizhi_visible_workspaces() RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT coalesce(array_agg(workspace_id), '{}') FROM workspace_members WHERE user_id = zizhi_current_user_id() $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION zizhi_org_allowed(org uuid, ws uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT EXISTS (
    SELECT 1 FROM workspace_members m
    WHERE m.user_id = zizhi_current_user_id() AND m.workspace_id = ws
      AND (m.org_ids IS NULL OR org = ANY (m.org_ids))) $$;
--> statement-breakpoint
-- The organisations the acting user may see. Policies call it as (SELECT …) so it runs once
-- per query, not once per row.
CREATE OR REPLACE FUNCTION zizhi_visible_orgs() RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT coalesce(array_agg(o.id), '{}') FROM organisations o
    JOIN workspace_members m ON m.workspace_id = o.workspace_id
    WHERE m.user_id = zizhi_current_user_id() AND (m.org_ids IS NULL OR o.id = ANY (m.org_ids)) $$;
--> statement-breakpoint
ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY workspaces_tenant ON workspaces TO zizhi_app
  USING (id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
--> statement-breakpoint
ALTER TABLE workspace_members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY workspace_members_tenant ON workspace_members TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
--> statement-breakpoint
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY organisations_tenant ON organisations TO zizhi_app
  USING (zizhi_org_allowed(id, workspace_id))
  WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A member limited to some organisations sees their rows and the workspace-wide ones.
CREATE POLICY audit_log_tenant ON audit_log TO zizhi_app
  USING ((workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]) AND (org_id IS NULL OR zizhi_org_allowed(org_id, workspace_id)))
         OR (workspace_id IS NULL AND actor_id = zizhi_current_user_id()))
  WITH CHECK ((workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]) AND (org_id IS NULL OR zizhi_org_allowed(org_id, workspace_id)))
         OR (workspace_id IS NULL AND actor_id = zizhi_current_user_id()));
--> statement-breakpoint
-- Personal rows: only the acting user's own sessions and API tokens.
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY sessions_own ON sessions TO zizhi_app
  USING (user_id = zizhi_current_user_id()) WITH CHECK (user_id = zizhi_current_user_id());
--> statement-breakpoint
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY api_tokens_own ON api_tokens TO zizhi_app
  USING (user_id = zizhi_current_user_id()) WITH CHECK (user_id = zizhi_current_user_id());
--> statement-breakpoint
-- Tables tenant code has no business with, or may only read.
REVOKE ALL ON login_failures FROM zizhi_app;
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE ON calendar_years FROM zizhi_app;
--> statement-breakpoint
-- People are shared between workspaces: tenant code may add them and read who they are,
-- never their password hashes, and may not change or remove them.
REVOKE SELECT, UPDATE, DELETE ON users FROM zizhi_app;
--> statement-breakpoint
GRANT SELECT (id, email, name, is_admin, created_at) ON users TO zizhi_app;
