CREATE TABLE "workspace_versions" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"epoch" uuid DEFAULT gen_random_uuid() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspace_versions" ADD CONSTRAINT "workspace_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "obligations_due_order_idx" ON "obligations" USING btree ("due_date",coalesce("due_at", 'infinity'::timestamptz),"id");--> statement-breakpoint
-- The reader's side: members read their workspaces' counters; only the trigger writes them.
ALTER TABLE workspace_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY workspace_versions_tenant ON workspace_versions TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE ON workspace_versions FROM zizhi_app;
--> statement-breakpoint
-- Every workspace has its counter (and its epoch) from the start.
INSERT INTO workspace_versions (workspace_id) SELECT id FROM workspaces ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Moves a workspace's counter on once per transaction that made the workspace or changed its
-- name, organisations, certificates, events or obligations. It runs at commit (a deferred constraint trigger):
-- the counter's row lock is taken last, when the transaction waits for nothing else, so two
-- writers of one workspace queue there instead of deadlocking with the certificate locks that
-- recompute takes. A restore (app.restoring) puts back the archived counters as they were.
CREATE OR REPLACE FUNCTION zizhi_touch_workspace() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
DECLARE
  r record;
  ws uuid;
  touched text;
BEGIN
  IF current_setting('app.restoring', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    r := OLD;
  ELSE
    r := NEW;
  END IF;
  IF TG_TABLE_NAME = 'workspaces' THEN
    ws := r.id;
  ELSIF TG_TABLE_NAME = 'organisations' THEN
    ws := r.workspace_id;
  ELSE
    SELECT o.workspace_id INTO ws FROM organisations o WHERE o.id = r.org_id;
  END IF;
  IF ws IS NULL THEN
    RETURN NULL;
  END IF;
  touched := coalesce(current_setting('zizhi.touched_workspaces', true), '');
  IF strpos(touched, ws::text) > 0 THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('zizhi.touched_workspaces', touched || ws::text || ',', true);
  INSERT INTO workspace_versions AS v (workspace_id, version)
    SELECT ws, 1 WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = ws)
    ON CONFLICT (workspace_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER workspaces_touch AFTER INSERT OR UPDATE ON workspaces
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zizhi_touch_workspace();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER organisations_touch AFTER INSERT OR UPDATE OR DELETE ON organisations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zizhi_touch_workspace();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER certificates_touch AFTER INSERT OR UPDATE OR DELETE ON certificates
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zizhi_touch_workspace();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER certificate_events_touch AFTER INSERT OR UPDATE OR DELETE ON certificate_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zizhi_touch_workspace();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER obligations_touch AFTER INSERT OR UPDATE OR DELETE ON obligations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zizhi_touch_workspace();
