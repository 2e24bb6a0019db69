CREATE TABLE "case_materials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"key" text NOT NULL,
	"status" text NOT NULL,
	"file_id" uuid,
	"reason" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate_cases" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"certificate_id" uuid NOT NULL,
	"owner_id" uuid,
	"steps_done" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"closed_on" date,
	"closed_by" uuid,
	"outcome_event_id" uuid,
	"closing_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_materials" ADD CONSTRAINT "case_materials_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_materials" ADD CONSTRAINT "case_materials_case_id_certificate_cases_event_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."certificate_cases"("event_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_materials" ADD CONSTRAINT "case_materials_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_materials" ADD CONSTRAINT "case_materials_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_cases" ADD CONSTRAINT "certificate_cases_event_id_certificate_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."certificate_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_cases" ADD CONSTRAINT "certificate_cases_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_cases" ADD CONSTRAINT "certificate_cases_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_cases" ADD CONSTRAINT "certificate_cases_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_cases" ADD CONSTRAINT "certificate_cases_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_cases" ADD CONSTRAINT "certificate_cases_outcome_event_id_certificate_events_id_fk" FOREIGN KEY ("outcome_event_id") REFERENCES "public"."certificate_events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_materials_key" ON "case_materials" USING btree ("case_id","key");--> statement-breakpoint
CREATE INDEX "certificate_cases_cert_idx" ON "certificate_cases" USING btree ("certificate_id");--> statement-breakpoint
ALTER TABLE certificate_cases ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY certificate_cases_tenant ON certificate_cases TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
--> statement-breakpoint
ALTER TABLE case_materials ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY case_materials_tenant ON case_materials TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
