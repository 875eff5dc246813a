CREATE TYPE "public"."inbound_status" AS ENUM('pending', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "inbound_queue" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"platform" "platform" NOT NULL,
	"event_key" text NOT NULL,
	"body" jsonb,
	"status" "inbound_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_queue_key_idx" ON "inbound_queue" USING btree ("platform","event_key");--> statement-breakpoint
CREATE INDEX "inbound_queue_due_idx" ON "inbound_queue" USING btree ("status","next_attempt_at");