DROP TABLE "instance_walls" CASCADE;--> statement-breakpoint
DROP TABLE "terminal_presence" CASCADE;