CREATE TABLE "case_stats_due" (
	"dim" text NOT NULL,
	"k1" text NOT NULL,
	"k2" text NOT NULL,
	"day" date NOT NULL,
	"month" date NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "case_stats_due_dim_k1_k2_day_month_pk" PRIMARY KEY("dim","k1","k2","day","month")
);
--> statement-breakpoint
ALTER TABLE "case_stats_meta" ADD COLUMN "version" smallint DEFAULT 1 NOT NULL;