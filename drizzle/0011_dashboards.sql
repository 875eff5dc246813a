CREATE TABLE "case_stats_daily" (
	"dim" text NOT NULL,
	"k1" text NOT NULL,
	"day" date NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "case_stats_daily_dim_k1_day_pk" PRIMARY KEY("dim","k1","day")
);
--> statement-breakpoint
CREATE TABLE "case_stats_hist" (
	"dim" text NOT NULL,
	"k1" text NOT NULL,
	"k2" text NOT NULL,
	"month" date NOT NULL,
	"measure" smallint NOT NULL,
	"bucket" smallint NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "case_stats_hist_dim_k1_k2_month_measure_bucket_pk" PRIMARY KEY("dim","k1","k2","month","measure","bucket")
);
--> statement-breakpoint
CREATE TABLE "case_stats_meta" (
	"id" smallint PRIMARY KEY NOT NULL,
	"zone" text NOT NULL,
	"built_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_stats_monthly" (
	"dim" text NOT NULL,
	"k1" text NOT NULL,
	"k2" text NOT NULL,
	"k3" text NOT NULL,
	"month" date NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"open" integer DEFAULT 0 NOT NULL,
	"acknowledged" integer DEFAULT 0 NOT NULL,
	"ack_on_time" integer DEFAULT 0 NOT NULL,
	"ack_pending" integer DEFAULT 0 NOT NULL,
	"responded" integer DEFAULT 0 NOT NULL,
	"resp_on_time" integer DEFAULT 0 NOT NULL,
	"resp_pending" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "case_stats_monthly_dim_k1_k2_k3_month_pk" PRIMARY KEY("dim","k1","k2","k3","month")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "overdue_at" timestamp with time zone GENERATED ALWAYS AS (least(case when acknowledged_at is null then acknowledge_by end, case when responded_at is null then respond_by end)) STORED;--> statement-breakpoint
CREATE INDEX "cases_overdue_city_idx" ON "cases" USING btree ("overdue_at") WHERE status in ('new','routed','acknowledged','in_progress','reopened') and (acknowledged_at is null or responded_at is null);--> statement-breakpoint
CREATE INDEX "cases_overdue_ward_idx" ON "cases" USING btree ("ward_id","overdue_at") WHERE status in ('new','routed','acknowledged','in_progress','reopened') and (acknowledged_at is null or responded_at is null);--> statement-breakpoint
CREATE INDEX "cases_overdue_service_idx" ON "cases" USING btree ("service_id","overdue_at") WHERE status in ('new','routed','acknowledged','in_progress','reopened') and (acknowledged_at is null or responded_at is null);--> statement-breakpoint
CREATE INDEX "cases_overdue_topic_idx" ON "cases" USING btree ("topic","overdue_at") WHERE status in ('new','routed','acknowledged','in_progress','reopened') and (acknowledged_at is null or responded_at is null);--> statement-breakpoint
CREATE INDEX "cases_unacknowledged_idx" ON "cases" USING btree ("acknowledge_by","service_id") WHERE acknowledged_at is null;--> statement-breakpoint
CREATE INDEX "cases_unanswered_idx" ON "cases" USING btree ("respond_by","service_id") WHERE responded_at is null;--> statement-breakpoint
CREATE INDEX "cases_open_due_idx" ON "cases" USING btree ("respond_by","seq") WHERE status in ('new','routed','acknowledged','in_progress','needs_info','reopened');--> statement-breakpoint
CREATE INDEX "cases_location_words_idx" ON "cases" USING gin (to_tsvector('simple', coalesce(location, '')));--> statement-breakpoint
CREATE INDEX "cases_open_location_words_idx" ON "cases" USING gin (to_tsvector('simple', coalesce(location, ''))) WHERE status in ('new','routed','acknowledged','in_progress','needs_info','reopened');