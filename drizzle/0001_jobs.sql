CREATE TABLE "digest_deliveries" (
	"week" text NOT NULL,
	"person_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"area" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "digest_deliveries_week_person_id_scope_area_pk" PRIMARY KEY("week","person_id","scope","area")
);
--> statement-breakpoint
CREATE TABLE "sla_checks" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_notifications" (
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sla_notifications_case_id_kind_due_at_pk" PRIMARY KEY("case_id","kind","due_at")
);
--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD CONSTRAINT "digest_deliveries_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_checks" ADD CONSTRAINT "sla_checks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_notifications" ADD CONSTRAINT "sla_notifications_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sla_checks_due_idx" ON "sla_checks" USING btree ("due_at");