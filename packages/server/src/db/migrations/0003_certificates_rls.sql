-- Organisation-scoped tables: visible when the acting user may see the organisation.
ALTER TABLE certificates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY certificates_tenant ON certificates TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE certificate_transitions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY certificate_transitions_tenant ON certificate_transitions TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE certificate_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY certificate_events_tenant ON certificate_events TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE obligations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY obligations_tenant ON obligations TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE calendar_feeds ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY calendar_feeds_tenant ON calendar_feeds TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]) AND user_id = zizhi_current_user_id())
  WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]) AND user_id = zizhi_current_user_id());
--> statement-breakpoint
ALTER TABLE files ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY files_tenant ON files TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
-- Publication is global (one public page per certificate number) while certificates are
-- tenant rows: this says which certificate, if any, already publishes a number.
CREATE OR REPLACE FUNCTION zizhi_public_certificate_id(num text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id FROM certificates WHERE is_public AND upper(number) = upper(num) LIMIT 1 $$;
