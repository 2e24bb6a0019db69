-- Evidence tables are organisation-scoped: visible when the acting user may see the organisation.
ALTER TABLE staff ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY staff_tenant ON staff TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE qualifications ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY qualifications_tenant ON qualifications TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY projects_tenant ON projects TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE financial_years ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY financial_years_tenant ON financial_years TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE ip_assets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ip_assets_tenant ON ip_assets TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE management_certificates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY management_certificates_tenant ON management_certificates TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE record_files ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY record_files_tenant ON record_files TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE import_mappings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY import_mappings_tenant ON import_mappings TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
-- Requirement sets belong to a workspace.
ALTER TABLE requirement_sets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY requirement_sets_tenant ON requirement_sets TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[])) WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
