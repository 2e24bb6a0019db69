ALTER TABLE "organisations" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "deleted_by" uuid;--> statement-breakpoint
CREATE INDEX "organisations_deleted_idx" ON "organisations" USING btree ("deleted_at") WHERE "organisations"."deleted_at" is not null;--> statement-breakpoint
-- An organisation in the recycle bin is out of sight for tenant code, and so is everything under
-- it: the child tables' policies all go through zizhi_visible_orgs(). The audit log's do not
-- (zizhi_org_allowed), so what was done to it stays readable.
CREATE OR REPLACE FUNCTION zizhi_visible_orgs() RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT coalesce(array_agg(o.id), '{}') FROM organisations o
    JOIN workspace_members m ON m.workspace_id = o.workspace_id
    WHERE m.user_id = zizhi_current_user_id() AND (m.org_ids IS NULL OR o.id = ANY (m.org_ids))
      AND o.deleted_at IS NULL $$;
--> statement-breakpoint
DROP POLICY organisations_tenant ON organisations;
--> statement-breakpoint
CREATE POLICY organisations_tenant ON organisations TO zizhi_app
  USING (deleted_at IS NULL AND zizhi_org_allowed(id, workspace_id))
  WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
--> statement-breakpoint
-- What tenant code cannot see, it reaches through these, each limited like the policies: a
-- member's own workspaces and, for a member limited to some organisations, those. Who may do
-- it (admins) is checked before they are called.
CREATE OR REPLACE FUNCTION zizhi_recycle_bin(ws uuid)
  RETURNS TABLE (id uuid, name text, credit_code text, deleted_at timestamptz, deleted_by uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT o.id, o.name, o.credit_code, o.deleted_at, o.deleted_by FROM organisations o
    WHERE o.workspace_id = ws AND o.deleted_at IS NOT NULL AND zizhi_org_allowed(o.id, o.workspace_id)
    ORDER BY o.deleted_at DESC $$;
--> statement-breakpoint
-- Out of sight once binned: as zizhi_app the update could not pass its own row's policy.
CREATE OR REPLACE FUNCTION zizhi_recycle_org(org uuid) RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public
  AS $$ WITH recycled AS (
      UPDATE organisations SET deleted_at = now(), deleted_by = zizhi_current_user_id()
      WHERE id = org AND deleted_at IS NULL AND zizhi_org_allowed(id, workspace_id)
      RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM recycled) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION zizhi_restore_org(org uuid) RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public
  AS $$ WITH restored AS (
      UPDATE organisations SET deleted_at = NULL, deleted_by = NULL, updated_at = now()
      WHERE id = org AND deleted_at IS NOT NULL AND zizhi_org_allowed(id, workspace_id)
      RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM restored) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION zizhi_purge_org(org uuid) RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public
  AS $$ WITH purged AS (
      DELETE FROM organisations
      WHERE id = org AND deleted_at IS NOT NULL AND zizhi_org_allowed(id, workspace_id)
      RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM purged) $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION zizhi_recycle_bin(uuid), zizhi_recycle_org(uuid), zizhi_restore_org(uuid), zizhi_purge_org(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION zizhi_recycle_bin(uuid), zizhi_recycle_org(uuid), zizhi_restore_org(uuid), zizhi_purge_org(uuid) TO zizhi_app;
