CREATE TABLE "api_nonces" (
	"owner_id" integer NOT NULL,
	"nonce" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "api_nonces_owner_id_nonce_pk" PRIMARY KEY("owner_id","nonce")
);
--> statement-breakpoint
CREATE INDEX "api_nonces_expires_at_idx" ON "api_nonces" USING btree ("expires_at");