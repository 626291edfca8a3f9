import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** CLIs (incoming CallerIDs) that authenticate calls to a device (_devices-model §3). */
export const callerids = pgTable(
  'callerids',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    /** The number, unique system-wide; '' for a domain-only CLI. */
    cli: text().notNull().default(''),
    domain: text().notNull().default(''),
    deviceId: integer().notNull(),
    description: text().notNull().default(''),
    comment: text().notNull().default(''),
    banned: integer().notNull().default(0),
    emailCallback: integer().notNull().default(0),
    ivrId: integer(),
    addedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('callerids_cli_idx').on(t.cli).where(sql`${t.cli} <> ''`),
    index('callerids_domain_idx').on(t.domain),
    index('callerids_device_id_idx').on(t.deviceId),
  ],
);

/** IVRs a CLI may lead to; the PBX family completes them. */
export const ivrs = pgTable(
  'ivrs',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull().default(''),
    /** 0 = the admin's, else the reseller that owns it. */
    ownerId: integer().notNull().default(0),
  },
  (t) => [index('ivrs_owner_id_idx').on(t.ownerId)],
);
