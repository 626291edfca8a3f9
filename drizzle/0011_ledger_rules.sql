-- The ledger (src/db/schema/ledger.ts) is append-only: a movement, once written, is never changed or
-- removed; a correction is a new movement.
create or replace function openmor_ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the ledger is append-only (% refused)', tg_op;
end $$;
--> statement-breakpoint
create trigger ledger_append_only before update or delete or truncate on ledger
  for each statement execute function openmor_ledger_append_only();
--> statement-breakpoint
-- An account created with a balance (a Default User's opening balance, a card issued with its
-- group's price) gets an 'opening' movement in the same statement, whichever code inserted it; every
-- later change goes through the domain's moveUserBalance / moveCardBalance.
create or replace function openmor_ledger_user_openings() returns trigger language plpgsql as $$
begin
  insert into ledger (user_id, realm_id, amount, balance_after, source, source_id)
  select id, owner_id, balance, balance, 'opening', id from new_users where balance <> 0;
  return null;
end $$;
--> statement-breakpoint
create trigger users_ledger_openings after insert on users referencing new table as new_users
  for each statement execute function openmor_ledger_user_openings();
--> statement-breakpoint
create or replace function openmor_ledger_card_openings() returns trigger language plpgsql as $$
begin
  insert into ledger (card_id, realm_id, amount, balance_after, source, source_id)
  select id, owner_id, balance, balance, 'opening', id from new_cards where balance <> 0;
  return null;
end $$;
--> statement-breakpoint
create trigger cards_ledger_openings after insert on cards referencing new table as new_cards
  for each statement execute function openmor_ledger_card_openings();
--> statement-breakpoint
-- Balances that existed before the ledger are its openings.
insert into ledger (user_id, realm_id, amount, balance_after, source, source_id)
select id, owner_id, balance, balance, 'opening', id from users where balance <> 0;
--> statement-breakpoint
insert into ledger (card_id, realm_id, amount, balance_after, source, source_id)
select id, owner_id, balance, balance, 'opening', id from cards where balance <> 0;
