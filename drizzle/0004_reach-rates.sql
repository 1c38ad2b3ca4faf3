CREATE TABLE "reach_rates" (
	"client_id" uuid NOT NULL,
	"day_type" text NOT NULL,
	"window" text NOT NULL,
	"attempts" integer NOT NULL,
	"reached" integer NOT NULL,
	"right_party" integer NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reach_rates_client_id_day_type_window_pk" PRIMARY KEY("client_id","day_type","window")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "retry_choice" jsonb;--> statement-breakpoint
ALTER TABLE "reach_rates" ADD CONSTRAINT "reach_rates_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;