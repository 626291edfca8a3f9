-- Exact rollups of the calls table for statistics (quickstats_get, aggregate_get): per UTC hour, user,
-- realm (reseller, 0 = the admin's), source device, provider, destination, prefix and disposition,
-- the number of calls and the sums of billsec, real billsec and prices. Statement-level triggers with
-- transition tables keep them in step with every INSERT, UPDATE and DELETE on calls, whatever path
-- wrote the rows (ingestion, re-rating, fixtures). Absent references are 0; sums are numeric (exact).
create table call_rollups (
  bucket timestamptz not null,
  user_id integer not null,
  reseller_id integer not null,
  src_device_id integer not null,
  provider_id integer not null,
  destination_id integer not null,
  prefix text not null,
  disposition text not null,
  calls bigint not null,
  billsec bigint not null,
  real_billsec numeric not null,
  user_price numeric not null,
  reseller_price numeric not null,
  provider_price numeric not null,
  constraint call_rollups_pk primary key (bucket, reseller_id, user_id, src_device_id, provider_id, destination_id, prefix, disposition)
);
--> statement-breakpoint
create index call_rollups_user_id_bucket_idx on call_rollups (user_id, bucket);
--> statement-breakpoint
-- Adds the rows of `new_calls` (sign 1) and removes those of `old_calls` (sign -1), grouped by the
-- rollup key in key order (concurrent writers lock rollup rows in one order: no deadlock between them).
create or replace function openmor_call_rollups_apply() returns trigger language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    insert into call_rollups as r
    select date_trunc('hour', calldate at time zone 'UTC') at time zone 'UTC', user_id, coalesce(reseller_id, 0),
      coalesce(src_device_id, 0), coalesce(provider_id, 0), coalesce(destination_id, 0), prefix, disposition,
      count(*), sum(billsec), coalesce(sum(real_billsec), 0), sum(user_price), sum(reseller_price), sum(provider_price)
    from new_calls group by 1, 2, 3, 4, 5, 6, 7, 8 order by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint call_rollups_pk do update set calls = r.calls + excluded.calls,
      billsec = r.billsec + excluded.billsec, real_billsec = r.real_billsec + excluded.real_billsec,
      user_price = r.user_price + excluded.user_price, reseller_price = r.reseller_price + excluded.reseller_price,
      provider_price = r.provider_price + excluded.provider_price;
  else
    insert into call_rollups as r
    select date_trunc('hour', calldate at time zone 'UTC') at time zone 'UTC', user_id, coalesce(reseller_id, 0),
      coalesce(src_device_id, 0), coalesce(provider_id, 0), coalesce(destination_id, 0), prefix, disposition,
      sum(sign), sum(sign * billsec), coalesce(sum(sign * real_billsec), 0), sum(sign * user_price),
      sum(sign * reseller_price), sum(sign * provider_price)
    from (
      select 1 as sign, * from new_calls
      union all
      select -1 as sign, * from old_calls
    ) t group by 1, 2, 3, 4, 5, 6, 7, 8 order by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint call_rollups_pk do update set calls = r.calls + excluded.calls,
      billsec = r.billsec + excluded.billsec, real_billsec = r.real_billsec + excluded.real_billsec,
      user_price = r.user_price + excluded.user_price, reseller_price = r.reseller_price + excluded.reseller_price,
      provider_price = r.provider_price + excluded.provider_price;
  end if;
  return null;
end $$;
--> statement-breakpoint
create trigger calls_rollups_insert after insert on calls referencing new table as new_calls
  for each statement execute function openmor_call_rollups_apply();
--> statement-breakpoint
create trigger calls_rollups_update after update on calls referencing old table as old_calls new table as new_calls
  for each statement execute function openmor_call_rollups_apply();
--> statement-breakpoint
create or replace function openmor_call_rollups_delete() returns trigger language plpgsql as $$
begin
  insert into call_rollups as r
  select date_trunc('hour', calldate at time zone 'UTC') at time zone 'UTC', user_id, coalesce(reseller_id, 0),
    coalesce(src_device_id, 0), coalesce(provider_id, 0), coalesce(destination_id, 0), prefix, disposition,
    -count(*), -sum(billsec), -coalesce(sum(real_billsec), 0), -sum(user_price), -sum(reseller_price),
    -sum(provider_price)
  from old_calls group by 1, 2, 3, 4, 5, 6, 7, 8 order by 1, 2, 3, 4, 5, 6, 7, 8
  on conflict on constraint call_rollups_pk do update set calls = r.calls + excluded.calls,
    billsec = r.billsec + excluded.billsec, real_billsec = r.real_billsec + excluded.real_billsec,
    user_price = r.user_price + excluded.user_price, reseller_price = r.reseller_price + excluded.reseller_price,
    provider_price = r.provider_price + excluded.provider_price;
  return null;
end $$;
--> statement-breakpoint
create trigger calls_rollups_delete after delete on calls referencing old table as old_calls
  for each statement execute function openmor_call_rollups_delete();
--> statement-breakpoint
-- Rows of calls written before the triggers existed.
insert into call_rollups
select date_trunc('hour', calldate at time zone 'UTC') at time zone 'UTC', user_id, coalesce(reseller_id, 0),
  coalesce(src_device_id, 0), coalesce(provider_id, 0), coalesce(destination_id, 0), prefix, disposition,
  count(*), sum(billsec), coalesce(sum(real_billsec), 0), sum(user_price), sum(reseller_price), sum(provider_price)
from calls group by 1, 2, 3, 4, 5, 6, 7, 8;
