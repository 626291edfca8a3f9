-- Delivery is kicked when there is something to deliver: a NOTIFY on `openmor_delivery` when a
-- statement queues messages or webhook deliveries (sent at commit, so a rolled-back cause never
-- kicks). Every instance listening runs its sender at once instead of waiting for the scheduler
-- tick; the rows' lease claims keep one sender per message or delivery. Statements that insert
-- nothing (an event no webhook wants) stay silent.
CREATE OR REPLACE FUNCTION openmor_notify_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows) THEN
    PERFORM pg_notify('openmor_delivery', TG_TABLE_NAME);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER messages_notify_delivery AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_delivery();
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_notify_delivery AFTER INSERT ON webhook_deliveries REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION openmor_notify_delivery();
