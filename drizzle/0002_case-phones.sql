ALTER TABLE "attempts" ADD COLUMN "phone_e164" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "phones" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
-- Cases imported before: their one number becomes the list of numbers.
UPDATE "cases" SET "phones" = jsonb_build_array(jsonb_build_object('e164', "phone_e164", 'raw', "phone_raw", 'kind', 'Telefon', 'status', 'active')) WHERE "phones" = '[]'::jsonb;--> statement-breakpoint
-- "Falsche Nummer" gets its own effect: the case goes on with its next number, or closes.
UPDATE "clients" SET "settings" = jsonb_set("settings", '{outcomes}', (
  SELECT jsonb_agg(CASE WHEN o->>'code' = 'wrong_number' AND o->>'effect' = 'close' THEN jsonb_set(o, '{effect}', '"wrong_number"') ELSE o END ORDER BY i)
  FROM jsonb_array_elements("settings"->'outcomes') WITH ORDINALITY AS t(o, i)
)) WHERE "settings" ? 'outcomes' AND jsonb_typeof("settings"->'outcomes') = 'array' AND jsonb_array_length("settings"->'outcomes') > 0;
