-- Notification tables. Channels and deliveries belong to a workspace (the services further limit
-- them to admins); a member limited to some organisations sees only those organisations' deliveries.
-- Preferences and the inbox are personal: only the acting user's own rows.
-- The reminder sweep runs outside any tenant (withSystem), as the table owner.
ALTER TABLE channels ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY channels_tenant ON channels TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]))
  WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
--> statement-breakpoint
ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY deliveries_tenant ON deliveries TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]) AND (org_id IS NULL OR zizhi_org_allowed(org_id, workspace_id)))
  WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]) AND (org_id IS NULL OR zizhi_org_allowed(org_id, workspace_id)));
--> statement-breakpoint
ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY notification_preferences_own ON notification_preferences TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]) AND user_id = zizhi_current_user_id())
  WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]) AND user_id = zizhi_current_user_id());
--> statement-breakpoint
ALTER TABLE inbox_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY inbox_items_own ON inbox_items TO zizhi_app
  USING (user_id = zizhi_current_user_id()) WITH CHECK (user_id = zizhi_current_user_id());
