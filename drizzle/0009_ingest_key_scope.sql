ALTER TABLE "ingest_keys" ADD COLUMN "scope_kind" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "ingest_keys" ADD COLUMN "scope_code" text;