-- A UUID of version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the rest random
-- (version and variant bits set). Ids made one after another sort in time order, so a unique index on
-- them grows at its right edge instead of taking each insert on a random page.
create or replace function openmor_uuid_v7() returns uuid language sql volatile parallel safe as $$
  select encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid()) placing
        substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;
