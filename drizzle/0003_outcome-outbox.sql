ALTER TABLE "assignments" ADD COLUMN "outcome" jsonb;--> statement-breakpoint
CREATE INDEX "assignments_pending_outcome" ON "assignments" USING btree ("id") WHERE "assignments"."outcome" is not null;