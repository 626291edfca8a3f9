-- Low-balance warning e-mails follow the user's warning_email_hour (_users-model.md, "Warnings"):
-- -1 = "only once when the balance drops lower": queued by the ledger trigger at the crossing, as
-- before; 0-23 = "every day at that hour": the balanceWarnings job queues one e-mail per local day
-- at or after that hour in the user's time zone while the balance stays below the warning level
-- (users.warning_email_sent_on). The crossing still raises `balance.low` for every active user.
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
      a.email, u.owner_id, u.warning_email_hour AS hour
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
  WHERE low.email <> '' AND low.hour < 0;
  RETURN NULL;
END
$$;
