import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Call recordings: metadata only. The audio lives in the object store (domain/recordings/objectStore.ts)
 * under `objectKey`; a recording belongs to a call by its switch `uniqueid` (and `callId` when the CDR is
 * known: the calls table is partitioned, so no foreign key).
 */
export const recordings = pgTable(
  'recordings',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    uniqueid: text().notNull(),
    callbackUniqueid: text(),
    callId: bigint({ mode: 'number' }),
    userId: integer().notNull(),
    dstUserId: integer().notNull().default(0),
    srcDeviceId: integer().notNull().default(0),
    dstDeviceId: integer().notNull().default(0),
    date: timestamp({ withTimezone: true }).notNull(),
    comment: text().notNull().default(''),
    duration: integer().notNull().default(0),
    source: text().notNull().default(''),
    destination: text().notNull().default(''),
    /** Bytes of the audio object. */
    size: bigint({ mode: 'number' }).notNull().default(0),
    /** Name of the audio in the object store: random, also the unguessable part of `mp3_url`. */
    objectKey: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('recordings_object_key_idx').on(t.objectKey),
    index('recordings_user_id_date_idx').on(t.userId, t.date),
    index('recordings_uniqueid_idx').on(t.uniqueid),
  ],
);
