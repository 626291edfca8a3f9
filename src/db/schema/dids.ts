import { boolean, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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

/**
 * Termination / DID providers (trunks, _lcr-model §1); owner 0 = the admin's, else a reseller's own
 * (Reseller PRO). `deviceId` is the internal device row (user -1) carrying the trunk's SIP/IAX settings;
 * `tariffId` the provider (self-cost) tariff. `options` keeps the newer provider options echoed by
 * providers_get that have no effect in openmor.
 */
export const providers = pgTable(
  'providers',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    ownerId: integer().notNull().default(0),
    isDefault: boolean().notNull().default(false),
    tech: text().notNull().default('SIP'),
    channel: text().notNull().default(''),
    login: text().notNull().default(''),
    password: text().notNull().default(''),
    serverIp: text().notNull().default(''),
    port: integer().notNull().default(5060),
    networkType: text().notNull().default('ip'),
    priority: integer().notNull().default(1),
    quality: integer().notNull().default(1),
    /** CallerID from Number Pool: each call through this provider presents a random number of it. */
    calleridNumberPoolId: integer(),
    tariffId: integer(),
    cutA: integer().notNull().default(0),
    cutB: integer().notNull().default(0),
    addA: text().notNull().default(''),
    addB: text().notNull().default(''),
    deviceId: integer().notNull().default(0),
    ani: integer().notNull().default(0),
    timeout: integer().notNull().default(60),
    maxTimeout: integer().notNull().default(0),
    callLimit: integer().notNull().default(0),
    interpretNoanswerAsFailed: integer().notNull().default(0),
    interpretBusyAsFailed: integer().notNull().default(0),
    register: integer().notNull().default(0),
    regExtension: text().notNull().default(''),
    terminatorId: integer().notNull().default(0),
    regLine: text().notNull().default(''),
    hidden: integer().notNull().default(0),
    usePAssertedIdentity: integer().notNull().default(0),
    userId: integer().notNull().default(-1),
    commonUse: integer().notNull().default(0),
    balance: numeric({ precision: 20, scale: 6 }).notNull().default('0'),
    balanceLimit: numeric({ precision: 20, scale: 6 }),
    cpsCallLimit: integer().notNull().default(0),
    cpsPeriod: integer().notNull().default(0),
    alive: integer().notNull().default(1),
    periodicCheck: integer().notNull().default(0),
    active: integer().notNull().default(1),
    dtmfmode: text().notNull().default('rfc2833'),
    locationId: integer().notNull().default(1),
    cidName: text().notNull().default(''),
    cidNumber: text().notNull().default(''),
    fromdomain: text().notNull().default(''),
    fromuser: text().notNull().default(''),
    /** Asterisk servers the trunk lives on, comma separated; empty = all. */
    serverIds: text().notNull().default(''),
    options: jsonb().$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [index('providers_owner_id_idx').on(t.ownerId), index('providers_owner_id_name_idx').on(t.ownerId, t.name)],
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
    /** IVR dial plans: the IVR time period of each of the three slots (null = empty). */
    ivrTimePeriod1Id: integer(),
    ivrTimePeriod2Id: integer(),
    ivrTimePeriod3Id: integer(),
  },
  (t) => [index('dialplans_device_id_idx').on(t.deviceId)],
);
