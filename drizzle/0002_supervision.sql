CREATE TABLE "card_evidence" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"card_id" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"data" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "presence_rounds" (
	"id" text PRIMARY KEY NOT NULL,
	"center_code" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by" text NOT NULL,
	"target" jsonb NOT NULL,
	"respond_within_sec" integer NOT NULL,
	"checks" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "card_evidence_card" ON "card_evidence" USING btree ("card_id");--> statement-breakpoint
CREATE INDEX "presence_rounds_center" ON "presence_rounds" USING btree ("center_code","issued_at");