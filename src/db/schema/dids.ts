import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const DID_STATUSES = ['free', 'reserved', 'active', 'closed', 'terminated'] as const;
export type DidStatus = (typeof DID_STATUSES)[number];

/** Inbound numbers (_devices-model §4). 0 in reseller_id / user_id / device_id / dialplan_id = none. */
export const dids = pgTable(
  'dids',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    did: text().notNull(),
    status: text({ enum: DID_STATUSES }).notNull().default('free'),
    providerId: integer().notNull().default(0),
    resellerId: integer().notNull().default(0),
    userId: integer().notNull().default(0),
    deviceId: integer().notNull().default(0),
    dialplanId: integer().notNull().default(0),
    closedTill: timestamp({ withTimezone: true }),
    callLimit: integer().notNull().default(0),
    language: text().notNull().default(''),
    toneZone: text().notNull().default(''),
    comment: text().notNull().default(''),
    resellerComment: text().notNull().default(''),
    graceTime: integer().notNull().default(0),
    customSipHeader: text().notNull().default(''),
    activeFrom: timestamp({ withTimezone: true }),
    activeTill: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('dids_did_idx').on(t.did),
    index('dids_device_id_idx').on(t.deviceId),
    index('dids_user_id_idx').on(t.userId),
    index('dids_reseller_id_idx').on(t.resellerId),
  ],
);

/** Termination / DID providers; 0 = the admin's, else a reseller's own (Reseller PRO). */
export const providers = pgTable(
  'providers',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    ownerId: integer().notNull().default(0),
    isDefault: boolean().notNull().default(false),
  },
  (t) => [index('providers_owner_id_idx').on(t.ownerId)],
);

/** Dial plans (Quickforwards, callback, PBX…); `deviceId` is the device a dial plan routes to, if any. */
export const dialplans = pgTable(
  'dialplans',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    /** e.g. `quickforwarddids`, `callback`, `authbypin`, `ivr`. */
    dptype: text().notNull(),
    ownerId: integer().notNull().default(0),
    deviceId: integer(),
  },
  (t) => [index('dialplans_device_id_idx').on(t.deviceId)],
);
