CREATE TABLE "checkpoint_parts" (
	"name" text NOT NULL,
	"gen" integer NOT NULL,
	"part" integer NOT NULL,
	"data" text NOT NULL,
	CONSTRAINT "checkpoint_parts_name_gen_part_pk" PRIMARY KEY("name","gen","part")
);
--> statement-breakpoint
ALTER TABLE "checkpoints" ADD COLUMN "gen" integer;--> statement-breakpoint
ALTER TABLE "checkpoints" ADD COLUMN "parts" integer;