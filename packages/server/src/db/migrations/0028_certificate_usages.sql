CREATE TABLE "certificate_usages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"certificate_id" uuid NOT NULL,
	"registration_no" text NOT NULL,
	"purpose" text NOT NULL,
	"recipient" text NOT NULL,
	"tender_name" text,
	"tender_number" text,
	"date" date NOT NULL,
	"approved_by" text,
	"note" text,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "certificate_usages" ADD CONSTRAINT "certificate_usages_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_usages" ADD CONSTRAINT "certificate_usages_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_usages" ADD CONSTRAINT "certificate_usages_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_usages_no_key" ON "certificate_usages" USING btree ("org_id","registration_no");--> statement-breakpoint
CREATE INDEX "certificate_usages_cert_idx" ON "certificate_usages" USING btree ("certificate_id","date");--> statement-breakpoint
ALTER TABLE certificate_usages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY certificate_usages_tenant ON certificate_usages TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
