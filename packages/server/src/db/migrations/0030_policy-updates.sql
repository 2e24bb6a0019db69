CREATE TABLE "policy_update_orgs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"update_id" uuid NOT NULL,
	"impact" text NOT NULL,
	"note" text,
	"event_id" uuid,
	"assessed_by" uuid,
	"assessed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"title" text NOT NULL,
	"issuer" text NOT NULL,
	"published_on" date NOT NULL,
	"link" text,
	"summary" text NOT NULL,
	"affects" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "policy_update_orgs" ADD CONSTRAINT "policy_update_orgs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_update_orgs" ADD CONSTRAINT "policy_update_orgs_update_id_policy_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."policy_updates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_update_orgs" ADD CONSTRAINT "policy_update_orgs_event_id_certificate_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."certificate_events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_update_orgs" ADD CONSTRAINT "policy_update_orgs_assessed_by_users_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_updates" ADD CONSTRAINT "policy_updates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_updates" ADD CONSTRAINT "policy_updates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "policy_update_orgs_key" ON "policy_update_orgs" USING btree ("update_id","org_id");--> statement-breakpoint
CREATE INDEX "policy_updates_ws_idx" ON "policy_updates" USING btree ("workspace_id","published_on");--> statement-breakpoint
ALTER TABLE policy_updates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY policy_updates_tenant ON policy_updates TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[])) WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
--> statement-breakpoint
ALTER TABLE policy_update_orgs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY policy_update_orgs_tenant ON policy_update_orgs TO zizhi_app
  USING (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[])) WITH CHECK (org_id = ANY ((SELECT zizhi_visible_orgs())::uuid[]));
