-- Room on every users page for the next version of its rows. Each call batch moves the balance of
-- every user it charges (one UPDATE per user and batch). With full pages the new version went to
-- another page, so each update also wrote an entry in each of the table's six indexes and left the
-- old version for VACUUM; with free room on the page it is a heap-only (HOT) update: no index entry,
-- and the old version is pruned from the page the next time it fills. 50 % leaves room for a version
-- of every row of the page between prunings.
ALTER TABLE "users" SET (fillfactor = 50);
--> statement-breakpoint
-- Existing pages get the room now: the table is rewritten once (in primary key order), which is quick
-- for a users table and takes its lock only for that moment.
CLUSTER "users" USING "users_pkey";
