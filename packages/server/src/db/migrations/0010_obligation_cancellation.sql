ALTER TABLE "certificates" ADD COLUMN "engine_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "obligations" ADD COLUMN "cancelled_on" date;--> statement-breakpoint
ALTER TABLE "obligations" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "obligations" ADD COLUMN "cancel_reason_en" text;