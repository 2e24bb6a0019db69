ALTER TABLE "calendar_feeds" ADD COLUMN "days_back" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD COLUMN "days_ahead" integer DEFAULT 730 NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD COLUMN "include_finished" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD COLUMN "org_ids" uuid[];--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD COLUMN "rules" text[];--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD COLUMN "assigned_to_me" boolean DEFAULT false NOT NULL;