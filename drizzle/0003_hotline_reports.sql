CREATE TABLE "bulletin_drafts" (
	"month" text NOT NULL,
	"scope" text NOT NULL,
	"texts" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bulletin_drafts_month_scope_pk" PRIMARY KEY("month","scope")
);
--> statement-breakpoint
CREATE TABLE "bulletins" (
	"month" text NOT NULL,
	"scope" text NOT NULL,
	"version" integer NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" text NOT NULL,
	"reason" text,
	"figures" jsonb NOT NULL,
	"texts" jsonb NOT NULL,
	CONSTRAINT "bulletins_month_scope_version_pk" PRIMARY KEY("month","scope","version")
);
--> statement-breakpoint
CREATE TABLE "hotline_tickets" (
	"ticket_id" text PRIMARY KEY NOT NULL,
	"channel" text,
	"category" text,
	"summary" text,
	"caller_phone" text,
	"region_code" text,
	"department_code" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"assigned_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"reopened_count" integer DEFAULT 0 NOT NULL,
	"supervised_level" integer,
	"overdue" boolean DEFAULT false NOT NULL,
	"callback_reached" boolean,
	"satisfaction" text,
	"detail" jsonb,
	"last_seq" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "hotline_tickets_status" ON "hotline_tickets" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "hotline_tickets_department" ON "hotline_tickets" USING btree ("department_code","created_at");--> statement-breakpoint
CREATE INDEX "hotline_tickets_created" ON "hotline_tickets" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "events_hotline_ticket" ON "events" USING btree (("data"->>'ticketId'),"seq") WHERE "events"."type" like 'hotline.%';