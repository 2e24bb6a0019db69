CREATE TABLE "backup_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"trigger" text NOT NULL,
	"requested_by" uuid,
	"target" text NOT NULL,
	"archive_name" text NOT NULL,
	"bytes" bigint,
	"rows" bigint,
	"files" bigint,
	"sha256" text,
	"encrypted" boolean DEFAULT false NOT NULL,
	"error" jsonb,
	"verified_at" timestamp with time zone,
	"verify_status" text,
	"verify_error" jsonb,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "backup_runs" ADD CONSTRAINT "backup_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backup_runs_started_idx" ON "backup_runs" USING btree ("started_at");