CREATE TABLE "instance_walls" (
	"instance_id" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"clients" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "terminal_presence" (
	"instance_id" text NOT NULL,
	"staff_code" text NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "terminal_presence_instance_id_staff_code_pk" PRIMARY KEY("instance_id","staff_code")
);
--> statement-breakpoint
CREATE INDEX "terminal_presence_seen" ON "terminal_presence" USING btree ("seen_at");