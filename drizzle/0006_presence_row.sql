CREATE TABLE "instance_presence" (
	"instance_id" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"terminals" jsonb NOT NULL,
	"walls" jsonb NOT NULL
);
