import { sql } from 'drizzle-orm';
import { boolean, index, integer, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * SIP/IAX2/FAX/Virtual devices (_devices-model §2). Columns after `id` are in the order
 * device_details_get prints them (one tag per column, names as MOR exposes them). Every column has a
 * default: other families insert devices with only user_id, username, secret, device_type, description.
 */
export const devices = pgTable(
  'devices',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull().default(''),
    host: text().notNull().default('dynamic'),
    /** SIP/IAX password; empty for IP-authenticated devices. */
    secret: text().notNull().default(''),
    context: text().notNull().default('mor_local'),
    ipaddr: text().notNull().default('0.0.0.0'),
    port: integer().notNull().default(5060),
    regseconds: integer().notNull().default(0),
    accountcode: integer().notNull().default(0),
    /** `"name" <number>`. */
    callerid: text().notNull().default(''),
    extension: text().notNull().default(''),
    voicemailActive: integer().notNull().default(0),
    /** SIP/IAX account name; empty for IP-authenticated devices. */
    username: text().notNull(),
    deviceType: text().notNull().default('SIP'),
    userId: integer().notNull(),
    primaryDidId: integer().notNull().default(0),
    worksNotLogged: integer().notNull().default(1),
    forwardTo: integer().notNull().default(0),
    record: integer().notNull().default(0),
    transfer: text().notNull().default('no'),
    disallow: text().notNull().default('all'),
    /** Enabled codecs in priority order, `;`-separated (audio and video). */
    allow: text().notNull().default('alaw;ulaw;g729'),
    deny: text().notNull().default('0.0.0.0/0.0.0.0'),
    permit: text().notNull().default('0.0.0.0/0.0.0.0'),
    nat: text().notNull().default('yes'),
    qualify: text().notNull().default('2000'),
    fullcontact: text().notNull().default(''),
    canreinvite: text().notNull().default('no'),
    devicegroupId: integer(),
    dtmfmode: text().notNull().default('rfc2833'),
    callgroup: integer(),
    pickupgroup: integer(),
    fromuser: text().notNull().default(''),
    fromdomain: text().notNull().default(''),
    trustrpid: text().notNull().default('no'),
    sendrpid: text().notNull().default('no'),
    /** `no`, `port`, `invite`, `port,invite`. */
    insecure: text().notNull().default('no'),
    progressinband: text().notNull().default('no'),
    videosupport: text().notNull().default('no'),
    description: text().notNull().default(''),
    istrunk: integer().notNull().default(0),
    cidFromDids: integer().notNull().default(0),
    /** Digits; '' = PIN-less. */
    pin: text().notNull().default(''),
    tellBalance: integer().notNull().default(0),
    tellTime: integer().notNull().default(0),
    tellRtimeWhenLeft: integer().notNull().default(60),
    repeatRtimeEvery: integer().notNull().default(60),
    comment: text().notNull().default(''),
    hostname: text().notNull().default(''),
    locationId: integer(),
    callLimit: integer().notNull().default(0),
    inboundCallLimit: integer().notNull().default(0),
    totalCallLimit: integer().notNull().default(0),
    /** Ringing timeout, seconds. */
    timeout: integer().notNull().default(60),
    /** Maximum call duration, seconds (0 = no limit). */
    callTimeout: integer().notNull().default(0),
    language: text().notNull().default(''),
    /** Block and Hide flag. */
    hidden: integer().notNull().default(0),
    transport: text().notNull().default('udp'),
    encryption: integer().notNull().default(0),
    t38Support: text().notNull().default('no'),
    emergencyCallerid: text().notNull().default(''),
    emergencyCalleridPoolId: integer(),
    /** CallerID from Number Pool: every call presents a random number of this pool. */
    calleridNumberPoolId: integer(),
    /** "Number Pool with valid CallerIDs": a CallerID not matching it is replaced from cidRandomPoolId. */
    cidValidPoolId: integer(),
    cidRandomPoolId: integer(),
    calleridControlByDids: integer().notNull().default(0),
    copyLegaNameToLegbNumber: integer().notNull().default(0),
    voicemailEmail: text().notNull().default(''),
    ani: integer().notNull().default(0),
    allowtransfer: text().notNull().default('no'),
    balance: numeric({ precision: 20, scale: 6 }).notNull().default('0'),
    deviceBalanceEnabled: integer().notNull().default(0),
    /** FAX devices: fax-to-e-mail addresses (not printed by device_details_get). */
    faxEmails: text().array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('devices_username_idx').on(t.username).where(sql`${t.username} <> ''`),
    uniqueIndex('devices_extension_idx').on(t.extension).where(sql`${t.extension} <> ''`),
    index('devices_secret_idx').on(t.secret),
    index('devices_user_id_idx').on(t.userId),
    index('devices_pin_idx').on(t.pin),
  ],
);

/** Device groups of a user. */
export const devicegroups = pgTable(
  'devicegroups',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    userId: integer().notNull(),
    name: text().notNull().default(''),
  },
  (t) => [index('devicegroups_user_id_idx').on(t.userId)],
);

/** Call flow: one row per (device, state); missing rows read as the state's default (_devices-model §2.1). */
export const callflows = pgTable(
  'callflows',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    deviceId: integer().notNull(),
    cfType: text().notNull(),
    priority: integer().notNull().default(1),
    action: text().notNull().default('empty'),
    data: text().notNull().default(''),
    data2: text().notNull().default(''),
    data3: integer().notNull().default(1),
    data4: text().notNull().default(''),
    data5: text().notNull().default(''),
  },
  (t) => [uniqueIndex('callflows_device_id_cf_type_idx').on(t.deviceId, t.cfType)],
);

/**
 * Localization rules (_lcr-model §4) of a location: a destination (`dst`), CallerID (`src`) or both
 * (`combined`) pattern — prefix `cut` replaced by `add` for numbers of minlen..maxlen digits — and what
 * a match switches: the LCR, the tariff, a DID to route to, the device that owns the call.
 */
export const locationRules = pgTable(
  'location_rules',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    locationId: integer().notNull(),
    name: text().notNull().default(''),
    deviceId: integer(),
    enabled: integer().notNull().default(1),
    cut: text().notNull().default(''),
    add: text().notNull().default(''),
    minlen: integer().notNull().default(1),
    maxlen: integer().notNull().default(99),
    lrType: text().notNull().default('dst'),
    lcrId: integer(),
    tariffId: integer(),
    didId: integer(),
    changeCalleridName: integer().notNull().default(0),
    srcCut: text().notNull().default(''),
    srcAdd: text().notNull().default(''),
    srcMinlen: integer().notNull().default(1),
    srcMaxlen: integer().notNull().default(99),
    locationgroupId: integer().notNull().default(0),
    dstLocationgroupId: integer(),
  },
  (t) => [
    index('location_rules_device_id_idx').on(t.deviceId),
    index('location_rules_location_id_idx').on(t.locationId),
    index('location_rules_lcr_id_idx').on(t.lcrId),
  ],
);

/**
 * Location groups ("Location Groups" wiki page): a named set of CallerID prefixes (e.g. every European
 * country code) that a combined location rule names instead of one rule per prefix. Owner 0 = the
 * admin's; else the reseller's.
 */
export const locationGroups = pgTable(
  'location_groups',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    ownerId: integer().notNull().default(0),
    /** CallerID prefixes (digits); a CallerID is in the group when it starts with one of them. */
    prefixes: text().array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [uniqueIndex('location_groups_owner_id_name_idx').on(t.ownerId, t.name)],
);

/** PBX queue members and agents; only the device reference matters here (device_delete blocker). */
export const queueMembers = pgTable(
  'queue_members',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    queueId: integer().notNull(),
    deviceId: integer().notNull(),
    role: text({ enum: ['member', 'agent'] })
      .notNull()
      .default('member'),
  },
  (t) => [index('queue_members_device_id_idx').on(t.deviceId)],
);

/**
 * Device rules (device_rules_get / device_rule_create / device_rule_delete): a number of `pr_type`
 * (`dst` destination, `src` caller id) between `minlen` and `maxlen` digits that starts with `cut`
 * loses that prefix and gets `add` in front. `devicerulegroup_id` 0 = not in a rule group.
 */
export const deviceRules = pgTable(
  'devicerules',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    deviceId: integer().notNull(),
    name: text().notNull(),
    enabled: boolean().notNull().default(true),
    cut: text().notNull().default(''),
    add: text().notNull().default(''),
    minlen: integer().notNull().default(1),
    maxlen: integer().notNull().default(100),
    prType: text({ enum: ['src', 'dst'] })
      .notNull()
      .default('dst'),
    changeCalleridName: boolean().notNull().default(false),
    devicerulegroupId: integer().notNull().default(0),
  },
  (t) => [index('devicerules_device_id_idx').on(t.deviceId)],
);
