-- A call is found by its switch uniqueid through call_keys (uniqueid -> user_id, calldate, call id: the
-- calls primary key), which ingestion writes for every stored call anyway. The calls index on uniqueid
-- kept a second copy of the same key, one more random insert per CDR, and is dropped. Calls that were
-- written without their key (a direct SQL import) get it here, so the lookup still finds them.
insert into call_keys (uniqueid, call_id, calldate, user_id)
select distinct on (uniqueid) uniqueid, id, calldate, user_id from calls order by uniqueid, calldate, id
on conflict (uniqueid) do nothing;
--> statement-breakpoint
drop index if exists calls_uniqueid_idx;
