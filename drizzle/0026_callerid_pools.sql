ALTER TABLE "devices" ADD COLUMN "callerid_number_pool_id" integer;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "cid_valid_pool_id" integer;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "cid_random_pool_id" integer;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "callerid_number_pool_id" integer;