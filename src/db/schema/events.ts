import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The outbox: one row per domain event, written in the same transaction as its cause (statement
 * triggers on `ledger`, `payments` and `cards` — migration `outbox_triggers` — and domain/events/emit.ts
 * for the rest). `eventId` is the stable id webhooks carry, a UUID of version 7 (migration `uuid_v7`:
 * time-ordered, so its unique index grows at the right edge); `id` orders a user's events.
 * `realmId` is the realm of the user concerned (0 = the admin's, else the owning reseller).
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    eventId: uuid().notNull().default(sql`openmor_uuid_v7()`),
    type: text().notNull(),
    realmId: integer().notNull().default(0),
    userId: integer(),
    payload: jsonb().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('outbox_events_event_id_idx').on(t.eventId),
    // Replay reads a period (webhooks.replay); deliveries reach events by id. No query reads a user's or a
    // realm's events by index, and each index costs every call batch ~3,500 entries (the outbox trigger).
    index('outbox_events_created_at_idx').on(t.createdAt),
  ],
);

/**
 * A webhook endpoint of a realm (owner 0 = the admin, who receives every realm's events; a reseller
 * receives its own realm's). `secret` is `whsec_<base64>` (Standard Webhooks); `eventTypes` empty = all.
 */
export const webhooks = pgTable(
  'webhooks',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    ownerId: integer().notNull().default(0),
    url: text().notNull(),
    secret: text().notNull(),
    eventTypes: text().array().notNull().default(sql`'{}'::text[]`),
    active: boolean().notNull().default(true),
    description: text().notNull().default(''),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhooks_owner_id_idx').on(t.ownerId)],
);

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/**
 * One event to one webhook: created with the event (fan-out trigger on `outbox_events`), sent by the
 * `deliverWebhooks` job, retried with backoff until delivered or given up (status `failed`).
 * `lockedUntil` is the lease of the worker that is sending it.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    webhookId: integer().notNull(),
    eventId: bigint({ mode: 'number' }).notNull(),
    userId: integer(),
    status: text({ enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp({ withTimezone: true }),
    lastStatus: smallint(),
    lastError: text().notNull().default(''),
    firstAttemptAt: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_webhook_id_event_id_idx').on(t.webhookId, t.eventId),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_webhook_id_user_id_event_id_idx').on(t.webhookId, t.userId, t.eventId),
  ],
);

export const MESSAGE_KINDS = ['email', 'sms'] as const;
export const MESSAGE_STATUSES = ['queued', 'sent', 'failed'] as const;

/**
 * An e-mail or SMS to send: queued by its cause's transaction (email_send, a low-balance warning …),
 * sent by the `sendMessages` job through the configured transport, retried with backoff; the final
 * state stays here (`sent` with the provider's reference, or `failed` with the last error).
 */
export const messages = pgTable(
  'messages',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    kind: text({ enum: MESSAGE_KINDS }).notNull(),
    /** The realm whose transport settings send it (0 = the admin's). */
    ownerId: integer().notNull().default(0),
    /** The account that asked for it (null: the system). */
    senderId: integer(),
    /** The user it is for, when it is for a user. */
    userId: integer(),
    recipient: text().notNull(),
    sender: text().notNull().default(''),
    subject: text().notNull().default(''),
    body: text().notNull().default(''),
    /** Why it was sent: a template name, `warning_balance` … */
    reason: text().notNull().default(''),
    price: numeric({ precision: 20, scale: 6 }),
    status: text({ enum: MESSAGE_STATUSES }).notNull().default('queued'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text().notNull().default(''),
    providerRef: text().notNull().default(''),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('messages_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
    index('messages_owner_id_id_idx').on(t.ownerId, t.id),
  ],
);

/**
 * MOR's e-mail templates ("Emails"), per realm (owner 0 = the admin's, else a reseller's): email_send
 * renders `subject` and `body` with the sent variables (`<%= name %>`).
 */
export const emails = pgTable(
  'emails',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    ownerId: integer().notNull().default(0),
    name: text().notNull(),
    subject: text().notNull().default(''),
    body: text().notNull().default(''),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('emails_owner_id_name_idx').on(t.ownerId, t.name)],
);

/**
 * Monitorings (Monitorings addon): a rule the monitoring engine evaluates; when it fires it calls
 * ma_activate, which performs the rule's actions (block the users, e-mail the owner). `mtype` 1 =
 * "Increases more than", 2 = "Drops below than".
 */
export const monitorings = pgTable('monitorings', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  ownerId: integer().notNull().default(0),
  name: text().notNull().default(''),
  block: boolean().notNull().default(false),
  email: boolean().notNull().default(false),
  mtype: smallint().notNull().default(1),
  amount: numeric({ precision: 20, scale: 6 }).notNull().default('0'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
