import { bigint, integer, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/*
 * Call detail records (CDRs), range-partitioned by month on `calldate`. Declared here for typed
 * queries only: drizzle-kit cannot express PARTITION BY, so this file is outside the schema it diffs
 * (src/db/schema/index.ts) and the table, its partitions and indexes come from the hand-written
 * migration drizzle/0014_calls.sql (the provider_id index: drizzle/0021_calls_provider_id_idx.sql). Keep the
 * two in step.
 *
 * Keys: every unique key leads with `user_id` (the column a distributed Postgres such as Citus would
 * shard on: calls of one user stay together, and a user's history is one shard's range scan) and holds
 * `calldate` (the partition key). Exactly-once ingestion is the unique row of `call_keys` per switch
 * call id (src/db/schema/calls.ts), not a key of this table.
 */

const money = () => numeric({ precision: 20, scale: 6 });

export const CALL_DISPOSITIONS = ['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED'] as const;
export type CallDisposition = (typeof CALL_DISPOSITIONS)[number];

/** How a stored call was priced: `rated`, or why it costs 0. */
export const RATING_STATUSES = ['rated', 'unanswered', 'local', 'no_rate', 'no_tariff'] as const;
export type RatingStatus = (typeof RATING_STATUSES)[number];

export const calls = pgTable('calls', {
  id: bigint({ mode: 'number' }).notNull().generatedByDefaultAsIdentity(),
  userId: integer().notNull(),
  calldate: timestamp({ withTimezone: true }).notNull(),
  answerTime: timestamp({ withTimezone: true }),
  endTime: timestamp({ withTimezone: true }),
  uniqueid: text().notNull(),
  callbackUniqueid: text(),
  src: text().notNull().default(''),
  clid: text().notNull().default(''),
  dst: text().notNull().default(''),
  localizedDst: text().notNull().default(''),
  prefix: text().notNull().default(''),
  destinationId: integer(),
  duration: integer().notNull().default(0),
  billsec: integer().notNull().default(0),
  realBillsec: numeric({ precision: 12, scale: 3 }),
  disposition: text({ enum: CALL_DISPOSITIONS }).notNull(),
  hangupcause: integer(),
  callType: text({ enum: ['outside', 'local'] })
    .notNull()
    .default('outside'),
  srcDeviceId: integer(),
  dstUserId: integer(),
  dstDeviceId: integer(),
  /** The reseller owning `userId` (null in the admin's realm). */
  resellerId: integer(),
  cardId: integer(),
  providerId: integer(),
  didId: integer(),
  serverId: integer().notNull().default(1),
  originatorChannel: text().notNull().default(''),
  terminatorChannel: text().notNull().default(''),
  originatorIp: text(),
  terminatorIp: text(),
  originatorCodec: text(),
  terminatorCodec: text(),
  ratingStatus: text({ enum: RATING_STATUSES }).notNull(),
  userRate: money().notNull().default('0'),
  userBillsec: integer().notNull().default(0),
  userPrice: money().notNull().default('0'),
  resellerRate: money().notNull().default('0'),
  resellerBillsec: integer().notNull().default(0),
  resellerPrice: money().notNull().default('0'),
  providerRate: money().notNull().default('0'),
  providerBillsec: integer().notNull().default(0),
  providerPrice: money().notNull().default('0'),
  didPrice: money().notNull().default('0'),
  didIncPrice: money().notNull().default('0'),
  didProvPrice: money().notNull().default('0'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
