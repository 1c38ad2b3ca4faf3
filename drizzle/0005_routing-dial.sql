CREATE TABLE "dials" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"assignment_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"mode" text NOT NULL,
	"result" text NOT NULL,
	"http_status" integer,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "second_language" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "extension" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_active_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dials" ADD CONSTRAINT "dials_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dials" ADD CONSTRAINT "dials_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dials_assignment" ON "dials" USING btree ("assignment_id");