CREATE TABLE "digest_subscriptions" (
	"person_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"area" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "digest_subscriptions_person_id_scope_area_pk" PRIMARY KEY("person_id","scope","area")
);
--> statement-breakpoint
ALTER TABLE "digest_subscriptions" ADD CONSTRAINT "digest_subscriptions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;