CREATE TYPE "public"."case_event_type" AS ENUM('opened', 'routed', 'unrouted', 'acknowledged', 'update', 'info_requested', 'info_provided', 'resolved', 'reopened', 'reassigned', 'rerouted', 'closed', 'message_mirrored', 'watcher_added', 'escalated', 'reminded');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('new', 'routed', 'acknowledged', 'in_progress', 'needs_info', 'resolved', 'reopened', 'closed');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sending', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."platform" AS ENUM('slack', 'teams', 'local');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('councillor', 'rm', 'wac', 'senior_officer', 'manager', 'admin');--> statement-breakpoint
CREATE TYPE "public"."scope" AS ENUM('ward', 'cluster', 'district', 'city');--> statement-breakpoint
CREATE TYPE "public"."thread_owner" AS ENUM('councillor', 'rm', 'notice');--> statement-breakpoint
CREATE TYPE "public"."urgency" AS ENUM('normal', 'urgent');--> statement-breakpoint
CREATE TABLE "area_aliases" (
	"alias" text PRIMARY KEY NOT NULL,
	"ward_id" text NOT NULL,
	"source" text DEFAULT 'catalogue' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_identities" (
	"platform" "platform" NOT NULL,
	"external_id" text NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "chat_identities_platform_external_id_pk" PRIMARY KEY("platform","external_id")
);
--> statement-breakpoint
CREATE TABLE "cluster_wards" (
	"cluster_id" text NOT NULL,
	"ward_id" text NOT NULL,
	CONSTRAINT "cluster_wards_cluster_id_ward_id_pk" PRIMARY KEY("cluster_id","ward_id")
);
--> statement-breakpoint
CREATE TABLE "clusters" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "districts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"roles" "role"[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_away" (
	"person_id" uuid NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	CONSTRAINT "person_away_person_id_from_date_pk" PRIMARY KEY("person_id","from_date")
);
--> statement-breakpoint
CREATE TABLE "person_services" (
	"person_id" uuid NOT NULL,
	"service_id" text NOT NULL,
	CONSTRAINT "person_services_person_id_service_id_pk" PRIMARY KEY("person_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "person_wards" (
	"person_id" uuid NOT NULL,
	"ward_id" text NOT NULL,
	CONSTRAINT "person_wards_person_id_ward_id_pk" PRIMARY KEY("person_id","ward_id")
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"service_id" text NOT NULL,
	"scope" "scope" NOT NULL,
	"area" text,
	"rm_id" uuid NOT NULL,
	"deputy_id" uuid
);
--> statement-breakpoint
CREATE TABLE "routing_tables" (
	"version" integer PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"rule_count" integer NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"portfolio" text NOT NULL,
	"levels" jsonb NOT NULL,
	"phase1" boolean NOT NULL,
	"covers" jsonb NOT NULL,
	"vocabulary" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"service_id" text NOT NULL,
	"urgency" "urgency" NOT NULL,
	"policy" jsonb NOT NULL,
	CONSTRAINT "sla_policies_service_id_urgency_pk" PRIMARY KEY("service_id","urgency")
);
--> statement-breakpoint
CREATE TABLE "ward_sets" (
	"id" text PRIMARY KEY NOT NULL,
	"active" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wards" (
	"id" text PRIMARY KEY NOT NULL,
	"ward_set" text NOT NULL,
	"name" text NOT NULL,
	"district_id" text
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"type" "case_event_type" NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"from_status" "case_status",
	"to_status" "case_status",
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_watchers" (
	"case_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "case_watchers_case_id_person_id_pk" PRIMARY KEY("case_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"status" "case_status" NOT NULL,
	"status_before_info" "case_status",
	"service_id" text,
	"ward_id" text,
	"urgency" "urgency" NOT NULL,
	"topic" text,
	"location" text,
	"summary" text NOT NULL,
	"description" text NOT NULL,
	"raised_by_id" uuid NOT NULL,
	"assignee_id" uuid,
	"rm_id" uuid,
	"deputy_id" uuid,
	"routing" jsonb,
	"routing_version" integer,
	"source_platform" "platform",
	"acknowledge_by" timestamp with time zone,
	"respond_by" timestamp with time zone,
	"resolve_by" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"duplicate_of_id" uuid,
	"row_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cases_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "conversation_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform" "platform" NOT NULL,
	"channel_id" text NOT NULL,
	"thread_id" text NOT NULL,
	"message_id" text,
	"case_id" uuid NOT NULL,
	"owner" "thread_owner" NOT NULL,
	"person_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_corrections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid,
	"text" text NOT NULL,
	"original_ward_id" text,
	"original_service_id" text,
	"corrected_ward_id" text,
	"corrected_service_id" text,
	"by_id" uuid,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"platform" "platform" NOT NULL,
	"target" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"platform_message_id" text,
	"case_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"source" text NOT NULL,
	"event_key" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "processed_events_source_event_key_pk" PRIMARY KEY("source","event_key")
);
--> statement-breakpoint
ALTER TABLE "area_aliases" ADD CONSTRAINT "area_aliases_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_identities" ADD CONSTRAINT "chat_identities_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_wards" ADD CONSTRAINT "cluster_wards_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cluster_wards" ADD CONSTRAINT "cluster_wards_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_away" ADD CONSTRAINT "person_away_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_services" ADD CONSTRAINT "person_services_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_services" ADD CONSTRAINT "person_services_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_wards" ADD CONSTRAINT "person_wards_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_wards" ADD CONSTRAINT "person_wards_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_version_routing_tables_version_fk" FOREIGN KEY ("version") REFERENCES "public"."routing_tables"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_rm_id_people_id_fk" FOREIGN KEY ("rm_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_deputy_id_people_id_fk" FOREIGN KEY ("deputy_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wards" ADD CONSTRAINT "wards_ward_set_ward_sets_id_fk" FOREIGN KEY ("ward_set") REFERENCES "public"."ward_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wards" ADD CONSTRAINT "wards_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_actor_id_people_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_watchers" ADD CONSTRAINT "case_watchers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_watchers" ADD CONSTRAINT "case_watchers_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_raised_by_id_people_id_fk" FOREIGN KEY ("raised_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_assignee_id_people_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_rm_id_people_id_fk" FOREIGN KEY ("rm_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_deputy_id_people_id_fk" FOREIGN KEY ("deputy_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_links" ADD CONSTRAINT "conversation_links_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_links" ADD CONSTRAINT "conversation_links_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_corrections" ADD CONSTRAINT "intake_corrections_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_corrections" ADD CONSTRAINT "intake_corrections_by_id_people_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_identities_person_idx" ON "chat_identities" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_email_key" ON "people" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "person_wards_ward_idx" ON "person_wards" USING btree ("ward_id");--> statement-breakpoint
CREATE INDEX "routing_rules_version_idx" ON "routing_rules" USING btree ("version");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "cases_ward_service_idx" ON "cases" USING btree ("ward_id","service_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_assignee_idx" ON "cases" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "cases_raised_by_idx" ON "cases" USING btree ("raised_by_id");--> statement-breakpoint
CREATE INDEX "cases_ack_due_idx" ON "cases" USING btree ("acknowledge_by") WHERE status in ('new','routed','reopened');--> statement-breakpoint
CREATE INDEX "cases_respond_due_idx" ON "cases" USING btree ("respond_by") WHERE status in ('routed','acknowledged','in_progress','reopened');--> statement-breakpoint
CREATE INDEX "conversation_links_thread_idx" ON "conversation_links" USING btree ("platform","channel_id","thread_id");--> statement-breakpoint
CREATE INDEX "conversation_links_case_idx" ON "conversation_links" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_idempotency_key" ON "outbox" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "processed_events_received_idx" ON "processed_events" USING btree ("received_at");