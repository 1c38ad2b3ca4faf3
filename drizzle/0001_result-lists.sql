ALTER TYPE "public"."delivery_status" ADD VALUE 'sending';--> statement-breakpoint
ALTER TYPE "public"."delivery_status" ADD VALUE 'retrying';--> statement-breakpoint
ALTER TYPE "public"."delivery_status" ADD VALUE 'unknown';--> statement-breakpoint
CREATE TABLE "rejected_rows" (
	"list_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"problems" jsonb NOT NULL,
	"source" jsonb,
	CONSTRAINT "rejected_rows_list_id_row_number_pk" PRIMARY KEY("list_id","row_number")
);
--> statement-breakpoint
-- No version before this one wrote "deliveries": its rows are keyed anew by id and round.
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_pkey";--> statement-breakpoint
ALTER TABLE "deliveries" ALTER COLUMN "recipient" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "source" jsonb;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "round" integer NOT NULL;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "requested_by" uuid;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "rejected_rows" ADD CONSTRAINT "rejected_rows_list_id_dunning_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."dunning_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_list_row" ON "cases" USING btree ("list_id","row_number");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_list_round" ON "deliveries" USING btree ("list_id","round");