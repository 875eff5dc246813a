CREATE TABLE "streets" (
	"street" text NOT NULL,
	"ward_id" text NOT NULL,
	"postcode_district" text DEFAULT '' NOT NULL,
	CONSTRAINT "streets_street_ward_id_postcode_district_pk" PRIMARY KEY("street","ward_id","postcode_district")
);
--> statement-breakpoint
CREATE TABLE "web_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"person_id" uuid,
	"csrf_token" text NOT NULL,
	"login" jsonb,
	"method" text,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "streets" ADD CONSTRAINT "streets_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_sessions" ADD CONSTRAINT "web_sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "web_sessions_last_seen_idx" ON "web_sessions" USING btree ("last_seen_at");--> statement-breakpoint
CREATE INDEX "cases_service_created_idx" ON "cases" USING btree ("service_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_topic_created_idx" ON "cases" USING btree ("topic","created_at");--> statement-breakpoint
CREATE INDEX "cases_open_idx" ON "cases" USING btree ("ward_id","service_id") WHERE status in ('new','routed','acknowledged','in_progress','needs_info','reopened');