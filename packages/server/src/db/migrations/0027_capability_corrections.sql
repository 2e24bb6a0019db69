CREATE TABLE "capability_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"catalogue_version" text NOT NULL,
	"item_id" text NOT NULL,
	"name" text,
	"subdomain" text,
	"evidence" jsonb,
	"note" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "capability_corrections" ADD CONSTRAINT "capability_corrections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capability_corrections" ADD CONSTRAINT "capability_corrections_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "capability_corrections_key" ON "capability_corrections" USING btree ("workspace_id","catalogue_version","item_id");--> statement-breakpoint
ALTER TABLE capability_corrections ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY capability_corrections_tenant ON capability_corrections TO zizhi_app
  USING (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[])) WITH CHECK (workspace_id = ANY ((SELECT zizhi_visible_workspaces())::uuid[]));
