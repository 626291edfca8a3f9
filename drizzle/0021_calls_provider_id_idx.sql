-- Calls through a provider (provider_delete's "in use" check, provider statistics): a partial index on the
-- partitioned parent, which Postgres creates on every month partition, present and future.
create index if not exists calls_provider_id_calldate_idx on calls (provider_id, calldate) where provider_id is not null;
