-- The eligibility and growth records are organisation-scoped like the rest of the evidence:
-- visible to whoever may see the organisation, forced for the table owner too, and open to the
-- owner's own system transactions (no acting user) through the `_system` policy.
ALTER TABLE standards ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY standards_tenant ON standards TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE adverse_records ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY adverse_records_tenant ON adverse_records TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE legal_entities ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY legal_entities_tenant ON legal_entities TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['standards', 'adverse_records', 'legal_entities']
  LOOP
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (zizhi_current_user_id() IS NULL AND current_user <> %L) WITH CHECK (zizhi_current_user_id() IS NULL AND current_user <> %L)',
      t || '_system', t, 'zizhi_app', 'zizhi_app');
  END LOOP;
END
$$;
