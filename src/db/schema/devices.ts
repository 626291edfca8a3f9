import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * SIP/IAX2 devices. Minimal for now (the balance-by-device methods need owner, username and secret);
 * the devices family completes the columns of _devices-model.md.
 */
export const devices = pgTable(
  'devices',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    userId: integer().notNull(),
    /** SIP/IAX account name. */
    username: text().notNull(),
    /** SIP/IAX password. */
    secret: text().notNull().default(''),
    deviceType: text().notNull().default('SIP'),
    description: text().notNull().default(''),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('devices_username_idx').on(t.username),
    index('devices_secret_idx').on(t.secret),
    index('devices_user_id_idx').on(t.userId),
  ],
);
