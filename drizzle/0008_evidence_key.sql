-- Evidence is named by an unguessable key instead of its sequential id. Files stored before get
-- a random key (two md5s of random(): 256 bits of text, of which the link uses all).
ALTER TABLE "card_evidence" ADD COLUMN "key" text;--> statement-breakpoint
UPDATE "card_evidence" SET "key" = md5(random()::text || "id"::text) || md5(random()::text) WHERE "key" IS NULL;--> statement-breakpoint
ALTER TABLE "card_evidence" ALTER COLUMN "key" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "card_evidence_key" ON "card_evidence" USING btree ("key");
