-- The outbox is written in the same transaction as its cause. Statement triggers (transition tables)
-- turn every ledger movement of a user, every payment and every card sale into outbox events, so no
-- path that moves money can forget them; a trigger on outbox_events fans each event out to the
-- webhooks that want it (webhook_deliveries), in the same transaction again.
--
-- Ledger: ONE event per user per statement: `call.charged` when every movement of the user in the
-- statement is a call (a batch of calls: count, sum, call ids), else `balance.changed` (source,
-- document, amount, balance before and after). `balance.low` when the statement takes the balance from
-- at or above the user's warning_email_balance to below it (warning_email_active users only), plus a
-- queued warning e-mail when the user has an e-mail address (the realm's `warning_balance_email`
-- template when it has one).
CREATE OR REPLACE FUNCTION openmor_outbox_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH m AS (
    SELECT n.id, n.user_id, n.realm_id, n.amount, n.balance_after, n.balance_after - n.amount AS before,
      n.source, n.source_id
    FROM new_rows n WHERE n.user_id IS NOT NULL),
  g AS (
    SELECT user_id, min(realm_id) AS realm_id, count(*)::int AS moves, sum(amount) AS amount,
      (array_agg(before ORDER BY id))[1] AS before, (array_agg(balance_after ORDER BY id DESC))[1] AS after,
      (array_agg(source ORDER BY id))[1] AS source, (array_agg(source_id ORDER BY id))[1] AS source_id,
      max(id) AS ledger_id, bool_and(source = 'call') AS calls,
      array_agg(source_id ORDER BY id) FILTER (WHERE source = 'call') AS call_ids
    FROM m GROUP BY user_id),
  moved AS (
    INSERT INTO outbox_events (type, realm_id, user_id, payload)
    SELECT CASE WHEN g.calls THEN 'call.charged' ELSE 'balance.changed' END, g.realm_id, g.user_id,
      CASE WHEN g.calls THEN jsonb_build_object('userId', g.user_id, 'calls', g.moves, 'callIds', to_jsonb(g.call_ids),
          'amount', g.amount::text, 'balanceBefore', g.before::text, 'balanceAfter', g.after::text)
        ELSE jsonb_build_object('userId', g.user_id, 'source', g.source, 'sourceId', g.source_id, 'movements', g.moves,
          'amount', g.amount::text, 'balanceBefore', g.before::text, 'balanceAfter', g.after::text,
          'ledgerId', g.ledger_id) END
    FROM g ORDER BY g.user_id),
  low AS (
    SELECT g.user_id, g.realm_id, g.before, g.after, u.warning_email_balance AS threshold, u.username,
      a.email, u.owner_id
    FROM g JOIN users u ON u.id = g.user_id LEFT JOIN addresses a ON a.id = u.address_id
    WHERE u.warning_email_active AND g.before >= u.warning_email_balance AND g.after < u.warning_email_balance),
  raised AS (
    INSERT INTO outbox_events (type, realm_id, user_id, payload)
    SELECT 'balance.low', low.realm_id, low.user_id, jsonb_build_object('userId', low.user_id,
      'threshold', low.threshold::text, 'balanceBefore', low.before::text, 'balanceAfter', low.after::text)
    FROM low ORDER BY low.user_id)
  INSERT INTO messages (kind, owner_id, user_id, recipient, subject, body, reason)
  SELECT 'email', low.owner_id, low.user_id, low.email,
    coalesce(replace(replace(replace(t.subject, '<%= username %>', low.username), '<%= balance %>', round(low.after, 2)::text),
      '<%= warning_balance %>', round(low.threshold, 2)::text), 'Low balance warning'),
    coalesce(replace(replace(replace(t.body, '<%= username %>', low.username), '<%= balance %>', round(low.after, 2)::text),
      '<%= warning_balance %>', round(low.threshold, 2)::text),
      format(E'Hello %s,\n\nyour balance is %s, below your warning level of %s.\n', low.username,
        round(low.after, 2)::text, round(low.threshold, 2)::text)),
    'warning_balance'
  FROM low LEFT JOIN emails t ON t.owner_id = low.owner_id AND t.name = 'warning_balance_email'
  WHERE low.email <> '';
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_outbox AFTER INSERT ON ledger REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_outbox_ledger();
--> statement-breakpoint
-- Payments: `payment.created` per new payment (user payments, card sales' payments, subscription charges …).
CREATE OR REPLACE FUNCTION openmor_outbox_payments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_events (type, realm_id, user_id, payload)
  SELECT 'payment.created', n.owner_id, n.user_id, jsonb_build_object('paymentId', n.id, 'userId', n.user_id,
    'cardId', n.card_id, 'paymenttype', n.paymenttype, 'currency', n.currency, 'amount', n.amount::text,
    'tax', n.tax::text, 'gross', n.gross::text, 'completed', n.completed, 'confirmation', n.confirmation)
  FROM new_rows n ORDER BY n.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER payments_outbox AFTER INSERT ON payments REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_outbox_payments();
--> statement-breakpoint
-- Calling cards: `card.sold` when a card turns sold.
CREATE OR REPLACE FUNCTION openmor_outbox_cards() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_events (type, realm_id, user_id, payload)
  SELECT 'card.sold', n.owner_id, NULL, jsonb_build_object('cardId', n.id, 'number', n.number,
    'cardGroupId', n.cardgroup_id, 'balance', n.balance::text)
  FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.sold AND NOT o.sold ORDER BY n.number;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cards_outbox AFTER UPDATE ON cards REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_outbox_cards();
--> statement-breakpoint
-- Fan-out: each new event gets one delivery per active webhook that wants it (the admin's webhooks
-- hear every realm, a reseller's its own realm; an empty event_types list means every type).
CREATE OR REPLACE FUNCTION openmor_outbox_fanout() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (webhook_id, event_id, user_id, next_attempt_at)
  SELECT w.id, e.id, e.user_id, e.created_at
  FROM new_rows e JOIN webhooks w ON w.active AND (w.owner_id = 0 OR w.owner_id = e.realm_id)
    AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types))
  ORDER BY e.id, w.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER outbox_events_fanout AFTER INSERT ON outbox_events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_outbox_fanout();
