CREATE TABLE "import_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "import_undo" (
	"run_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"row_id" uuid NOT NULL,
	"before" jsonb
);
--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_undo" ADD CONSTRAINT "import_undo_run_id_import_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."import_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_undo" ADD CONSTRAINT "import_undo_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "import_runs_saving" ON "import_runs" USING btree ("org_id","kind") WHERE finished_at is null;--> statement-breakpoint
CREATE INDEX "import_undo_run_idx" ON "import_undo" USING btree ("run_id");--> statement-breakpoint
-- Organisation-scoped like the registry rows they undo.
ALTER TABLE import_runs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY import_runs_tenant ON import_runs TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE import_undo ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY import_undo_tenant ON import_undo TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
