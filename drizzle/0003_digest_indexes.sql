CREATE INDEX "cases_ward_created_idx" ON "cases" USING btree ("ward_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_created_idx" ON "cases" USING btree ("created_at");