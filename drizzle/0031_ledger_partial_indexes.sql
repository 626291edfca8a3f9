DROP INDEX "ledger_source_source_id_idx";--> statement-breakpoint
DROP INDEX "ledger_user_id_id_idx";--> statement-breakpoint
DROP INDEX "ledger_card_id_id_idx";--> statement-breakpoint
CREATE INDEX "ledger_user_id_id_idx" ON "ledger" USING btree ("user_id","id") WHERE "ledger"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "ledger_card_id_id_idx" ON "ledger" USING btree ("card_id","id") WHERE "ledger"."card_id" is not null;