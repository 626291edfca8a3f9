import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** PBX queues: the Asterisk queue name and the realm that owns it (0 = admin, else a reseller). */
export const queues = pgTable(
  'queues',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    ownerId: integer().notNull().default(0),
  },
  (t) => [uniqueIndex('queues_name_idx').on(t.name), index('queues_owner_id_idx').on(t.ownerId)],
);

/**
 * Asterisk's queue_log, one row per queue event as the switch writes it (queue_log_get). `queuename`
 * names a queue of `queues`; the data fields are the event's raw values.
 */
export const queueLog = pgTable(
  'queue_log',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    time: timestamp({ withTimezone: true }).notNull(),
    callid: text().notNull().default(''),
    queuename: text().notNull().default(''),
    agent: text().notNull().default(''),
    event: text().notNull().default(''),
    data1: text().notNull().default(''),
    data2: text().notNull().default(''),
    data3: text().notNull().default(''),
    data4: text().notNull().default(''),
    data5: text().notNull().default(''),
  },
  (t) => [index('queue_log_time_idx').on(t.time), index('queue_log_queuename_time_idx').on(t.queuename, t.time)],
);
