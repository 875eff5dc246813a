ALTER TABLE "case_stats_meta" ADD COLUMN "build_cursor" uuid;--> statement-breakpoint
ALTER TABLE "case_stats_meta" ADD COLUMN "cases_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "case_stats_meta" ADD COLUMN "cases_done" integer DEFAULT 0 NOT NULL;