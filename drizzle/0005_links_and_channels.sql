ALTER TABLE "conversation_links" ADD COLUMN "card_key" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "platform_channel_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_links_unique" ON "conversation_links" USING btree ("platform","channel_id","thread_id","case_id");--> statement-breakpoint
CREATE INDEX "conversation_links_card_idx" ON "conversation_links" USING btree ("card_key");