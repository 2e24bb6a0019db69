CREATE TABLE "workspace_touches" (
	"workspace_id" uuid NOT NULL,
	"tx" bigint DEFAULT txid_current() NOT NULL,
	CONSTRAINT "workspace_touches_workspace_id_tx_pk" PRIMARY KEY("workspace_id","tx")
);
--> statement-breakpoint
REVOKE ALL ON workspace_touches FROM zizhi_app;
--> statement-breakpoint
-- 0017 moved a counter from a deferred trigger on every row written: a recompute rewriting dozens
-- of obligations ran it dozens of times. Replaced by statement triggers that mark each workspace
-- once (below) and one deferred trigger per mark.
DROP TRIGGER IF EXISTS workspaces_touch ON workspaces;
--> statement-breakpoint
DROP TRIGGER IF EXISTS organisations_touch ON organisations;
--> statement-breakpoint
DROP TRIGGER IF EXISTS certificates_touch ON certificates;
--> statement-breakpoint
DROP TRIGGER IF EXISTS certificate_events_touch ON certificate_events;
--> statement-breakpoint
DROP TRIGGER IF EXISTS obligations_touch ON obligations;
--> statement-breakpoint
DROP FUNCTION IF EXISTS zizhi_touch_workspace();
--> statement-breakpoint
-- After each statement that made or renamed a workspace or changed its organisations,
-- certificates, events or obligations: marks each workspace it wrote, once per transaction (the
-- list in zizhi.touched_workspaces), with a row in workspace_touches. Once per statement, not per
-- row: a recompute rewrites dozens of rows. A restore (app.restoring) puts back the archived
-- counters as they were.
CREATE OR REPLACE FUNCTION zizhi_note_workspaces() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
DECLARE
  written uuid[];
  ws uuid;
  touched text;
BEGIN
  IF current_setting('app.restoring', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'workspaces' THEN
    SELECT array_agg(DISTINCT c.id) INTO written FROM changed c;
  ELSIF TG_TABLE_NAME = 'organisations' THEN
    SELECT array_agg(DISTINCT c.workspace_id) INTO written FROM changed c;
  ELSE
    SELECT array_agg(DISTINCT o.workspace_id) INTO written
      FROM organisations o WHERE o.id IN (SELECT DISTINCT c.org_id FROM changed c);
  END IF;
  IF written IS NULL THEN
    RETURN NULL;
  END IF;
  touched := coalesce(current_setting('zizhi.touched_workspaces', true), '');
  FOREACH ws IN ARRAY written LOOP
    CONTINUE WHEN strpos(touched, ws::text) > 0;
    touched := touched || ws::text || ',';
    INSERT INTO workspace_touches (workspace_id) VALUES (ws);
  END LOOP;
  PERFORM set_config('zizhi.touched_workspaces', touched, true);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- At commit, for each workspace the transaction wrote: its counter moves on by one and the mark
-- goes. A deferred constraint trigger, so the counter's row lock is taken last, when the
-- transaction waits for nothing else: two writers of one workspace queue there instead of
-- deadlocking with the certificate locks that recompute takes.
CREATE OR REPLACE FUNCTION zizhi_bump_workspace() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
  AS $$
BEGIN
  DELETE FROM workspace_touches WHERE workspace_id = NEW.workspace_id AND tx = NEW.tx;
  INSERT INTO workspace_versions AS v (workspace_id, version)
    SELECT NEW.workspace_id, 1 WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = NEW.workspace_id)
    ON CONFLICT (workspace_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER workspace_touches_bump AFTER INSERT ON workspace_touches
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zizhi_bump_workspace();
--> statement-breakpoint
CREATE TRIGGER workspaces_made AFTER INSERT ON workspaces
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER workspaces_changed AFTER UPDATE ON workspaces
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER organisations_added AFTER INSERT ON organisations
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER organisations_changed AFTER UPDATE ON organisations
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER organisations_removed AFTER DELETE ON organisations
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER certificates_added AFTER INSERT ON certificates
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER certificates_changed AFTER UPDATE ON certificates
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER certificates_removed AFTER DELETE ON certificates
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER certificate_events_added AFTER INSERT ON certificate_events
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER certificate_events_changed AFTER UPDATE ON certificate_events
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER certificate_events_removed AFTER DELETE ON certificate_events
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER obligations_added AFTER INSERT ON obligations
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER obligations_changed AFTER UPDATE ON obligations
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
--> statement-breakpoint
CREATE TRIGGER obligations_removed AFTER DELETE ON obligations
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION zizhi_note_workspaces();
