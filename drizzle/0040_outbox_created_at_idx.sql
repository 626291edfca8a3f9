DROP INDEX "outbox_events_user_id_id_idx";--> statement-breakpoint
DROP INDEX "outbox_events_realm_id_id_idx";--> statement-breakpoint
CREATE INDEX "outbox_events_created_at_idx" ON "outbox_events" USING btree ("created_at");