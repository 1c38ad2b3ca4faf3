ALTER TABLE "deliveries" ADD COLUMN "to_client" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Rounds made before this column: each kept its list from being mailed by itself (any round did).
UPDATE "deliveries" SET "to_client" = true;
