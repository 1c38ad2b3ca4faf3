ALTER TABLE "clients" ADD COLUMN "result_email_since" timestamp with time zone;--> statement-breakpoint
-- Clients with an address keep having every completed list mailed, as before.
UPDATE "clients" SET "result_email_since" = "created_at" WHERE "result_email" IS NOT NULL;
