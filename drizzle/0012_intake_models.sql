CREATE TABLE "intake_examples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"case_id" uuid,
	"source" text NOT NULL,
	"text" text NOT NULL,
	"platform" text,
	"channel_name" text,
	"sender_role" text,
	"sender_wards" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"kind" text NOT NULL,
	"cases" jsonb NOT NULL,
	"missing" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"base_version" text NOT NULL,
	"outcome" text NOT NULL,
	"model" text,
	"examples" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"figures" jsonb NOT NULL,
	"in_use" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"in_use_since" timestamp with time zone,
	"created_by" text NOT NULL,
	"council_examples" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intake_examples" ADD CONSTRAINT "intake_examples_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "intake_examples_key_idx" ON "intake_examples" USING btree ("key");--> statement-breakpoint
CREATE INDEX "intake_examples_case_idx" ON "intake_examples" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "intake_models_version_idx" ON "intake_models" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "intake_models_in_use_idx" ON "intake_models" USING btree ("in_use") WHERE "intake_models"."in_use";