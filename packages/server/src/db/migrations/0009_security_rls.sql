-- Security hardening. People are created only by set-up, an accepted invitation or a first
-- log-in with a temporary password, all outside tenant scope: tenant code may no longer insert
-- users (an admin could otherwise create an instance administrator), and sees only itself and
-- the members of its workspaces.
REVOKE INSERT ON users FROM zizhi_app;
--> statement-breakpoint
GRANT SELECT (must_change_password) ON users TO zizhi_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION zizhi_visible_users() RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT coalesce(array_agg(DISTINCT m.user_id), '{}') FROM workspace_members m
    WHERE m.workspace_id = ANY (zizhi_visible_workspaces()) $$;
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY users_visible ON users FOR SELECT TO zizhi_app
  USING (id = zizhi_current_user_id() OR id = ANY ((SELECT zizhi_visible_users())::uuid[]));
--> statement-breakpoint
-- The audit log keeps naming people who have since left a workspace: names (never more) of the
-- actors of audit rows the caller may see.
CREATE OR REPLACE FUNCTION zizhi_audit_actor_names(ids uuid[]) RETURNS TABLE (id uuid, name text, email text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT u.id, u.name, u.email FROM users u
    WHERE u.id = ANY (ids) AND EXISTS (
      SELECT 1 FROM audit_log a WHERE a.actor_id = u.id
        AND (a.workspace_id = ANY (zizhi_visible_workspaces()) OR a.actor_id = zizhi_current_user_id())) $$;
--> statement-breakpoint
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY invitations_tenant ON invitations TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]))
  WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
--> statement-breakpoint
-- Credentials and log-in history are for the system transactions alone.
REVOKE ALL ON password_resets FROM zizhi_app;
--> statement-breakpoint
REVOKE ALL ON known_login_ips FROM zizhi_app;
--> statement-breakpoint
-- Publication is addressed by a per-certificate slug now; the number look-up is gone.
DROP FUNCTION IF EXISTS zizhi_public_certificate_id(text);
--> statement-breakpoint
-- Addresses already used to log in are known good: failures from them slow down rather than lock.
INSERT INTO known_login_ips (user_id, ip, last_login_at)
  SELECT user_id, ip, max(created_at) FROM sessions WHERE ip IS NOT NULL GROUP BY user_id, ip
  ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- FORCE ROW LEVEL SECURITY: on a server where the connecting user owns the tables without being a
-- superuser, the owner is filtered too. Its own system transactions (no acting user) see every
-- row through the `_system` policy; an owner transaction that carries an acting user but did not
-- switch to zizhi_app sees nothing (fails closed). Tables that the SECURITY DEFINER functions read
-- as the owner inside tenant transactions stay unforced (workspace_members, organisations, users,
-- audit_log): their policies still bind zizhi_app.
DO $$
DECLARE
  t text;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity
      AND c.relname NOT IN ('workspace_members', 'organisations', 'users', 'audit_log')
  LOOP
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (zizhi_current_user_id() IS NULL AND current_user <> %L) WITH CHECK (zizhi_current_user_id() IS NULL AND current_user <> %L)',
      t || '_system', t, 'zizhi_app', 'zizhi_app');
  END LOOP;
END
$$;
--> statement-breakpoint
-- Delivery errors used to quote the remote side's answer, which could echo internal services:
-- keep that a delivery failed, not what the other side said.
UPDATE deliveries SET last_error = '发送失败（详情已按安全策略清除）' WHERE last_error IS NOT NULL;
--> statement-breakpoint
-- Requirement sources shown to users named a design-document section; edited copies saved from the
-- shipped sets carry that text too.
UPDATE requirement_sets SET "set" = replace("set"::text, 'DOMAIN.md §6 默认建议值', '默认建议值')::jsonb
  WHERE "set"::text LIKE '%DOMAIN.md%';
