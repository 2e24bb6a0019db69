CREATE TABLE "assessment_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"certificate_id" uuid NOT NULL,
	"body" text,
	"person" text,
	"phone" text,
	"email" text,
	"note" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment_contacts" ADD CONSTRAINT "assessment_contacts_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_contacts" ADD CONSTRAINT "assessment_contacts_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_contacts" ADD CONSTRAINT "assessment_contacts_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_contacts_key" ON "assessment_contacts" USING btree ("certificate_id");--> statement-breakpoint
CREATE INDEX "assessment_contacts_org_idx" ON "assessment_contacts" USING btree ("org_id");--> statement-breakpoint
ALTER TABLE assessment_contacts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY assessment_contacts_tenant ON assessment_contacts TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
