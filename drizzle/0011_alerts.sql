CREATE TABLE "alert_channels" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"url" text NOT NULL,
	"secret" text,
	"levels" jsonb NOT NULL,
	"scope_kind" text DEFAULT 'all' NOT NULL,
	"scope_code" text,
	"mail_to" text,
	"mail_from" text,
	"quiet_from" text,
	"quiet_to" text,
	"escalate_to" text,
	"escalate_after_min" integer,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_channels_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "alert_deliveries" (
	"seq_no" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"channel_id" integer NOT NULL,
	"alert_id" text NOT NULL,
	"event" text NOT NULL,
	"event_seq" bigint NOT NULL,
	"level" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_status" integer,
	"last_answer" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "alert_deliveries_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE INDEX "alert_deliveries_due" ON "alert_deliveries" USING btree ("status","next_at");--> statement-breakpoint
CREATE INDEX "alert_deliveries_alert" ON "alert_deliveries" USING btree ("alert_id","channel_id","seq_no");