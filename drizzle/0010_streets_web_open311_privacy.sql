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
CREATE TABLE "open311_inbound_updates" (
	"key_id" uuid NOT NULL,
	"client_update_id" text NOT NULL,
	"case_id" uuid NOT NULL,
	"event_id" bigint NOT NULL,
	"email" text,
	"first_name" text,
	"last_name" text,
	CONSTRAINT "open311_inbound_updates_key_id_client_update_id_pk" PRIMARY KEY("key_id","client_update_id")
);
--> statement-breakpoint
CREATE TABLE "open311_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"person_id" uuid NOT NULL,
	"rate_per_minute" integer DEFAULT 60 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "open311_rate_windows" (
	"key_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "open311_rate_windows_key_id_window_start_pk" PRIMARY KEY("key_id","window_start")
);
--> statement-breakpoint
CREATE TABLE "open311_requests" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"key_id" uuid,
	"lat" double precision,
	"long" double precision,
	"address_string" text,
	"address_id" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"email" text,
	"first_name" text,
	"last_name" text,
	"phone" text,
	"device_id" text,
	"account_id" text,
	"media_url" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ward_boundaries" (
	"ward_id" text PRIMARY KEY NOT NULL,
	"geometry" jsonb NOT NULL,
	"bbox" jsonb NOT NULL,
	"source" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"detail" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_redactions" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "streets" ADD CONSTRAINT "streets_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_sessions" ADD CONSTRAINT "web_sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_inbound_updates" ADD CONSTRAINT "open311_inbound_updates_key_id_open311_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."open311_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_inbound_updates" ADD CONSTRAINT "open311_inbound_updates_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_inbound_updates" ADD CONSTRAINT "open311_inbound_updates_event_id_case_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."case_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_keys" ADD CONSTRAINT "open311_keys_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_rate_windows" ADD CONSTRAINT "open311_rate_windows_key_id_open311_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."open311_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_requests" ADD CONSTRAINT "open311_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_requests" ADD CONSTRAINT "open311_requests_key_id_open311_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."open311_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ward_boundaries" ADD CONSTRAINT "ward_boundaries_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_redactions" ADD CONSTRAINT "case_redactions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "web_sessions_last_seen_idx" ON "web_sessions" USING btree ("last_seen_at");--> statement-breakpoint
CREATE UNIQUE INDEX "open311_keys_hash" ON "open311_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "open311_keys_name" ON "open311_keys" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "open311_requests_email_idx" ON "open311_requests" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "cases_service_created_idx" ON "cases" USING btree ("service_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_topic_created_idx" ON "cases" USING btree ("topic","created_at");--> statement-breakpoint
CREATE INDEX "cases_open_idx" ON "cases" USING btree ("ward_id","service_id") WHERE status in ('new','routed','acknowledged','in_progress','needs_info','reopened');