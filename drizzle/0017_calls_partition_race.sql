-- openmor_calls_partition, safe when two sessions create the same month at once: taking an advisory
-- lock does not refresh the session's catalogue cache, so the second creator may still miss the
-- partition the first one just committed; its CREATE then fails with duplicate_table, which now means
-- "already there".
create or replace function openmor_calls_partition(day timestamptz) returns text language plpgsql as $$
declare
  first date := date_trunc('month', day at time zone 'UTC')::date;
  name text := format('calls_y%sm%s', to_char(first, 'YYYY'), to_char(first, 'MM'));
begin
  if to_regclass(name) is not null then
    return name;
  end if;
  perform pg_advisory_xact_lock(hashtext('openmor_calls_partitions'));
  if to_regclass(name) is null then
    begin
      execute format('create table %I partition of calls for values from (%L) to (%L)', name,
        (first::timestamp at time zone 'UTC'), ((first + interval '1 month')::timestamp at time zone 'UTC'));
    exception when duplicate_table then
      null;
    end;
  end if;
  return name;
end $$;
