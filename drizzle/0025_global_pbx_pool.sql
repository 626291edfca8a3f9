-- The admin's Global PBX Pool: always present, searched when an extension is in no other pool, never deleted.
insert into pbx_pools (name, comment, owner_id, global)
  select 'Global', 'Global PBX Pool', 0, true
  where not exists (select 1 from pbx_pools where global);
