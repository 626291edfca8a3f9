import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * MOR "conflines": one named setting value per owner. Owner 0 = the admin (global settings and the
 * admin's Default User / Default Device); a reseller id = that reseller's own settings.
 */
export const conflines = pgTable(
  'conflines',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    value: text().notNull().default(''),
    ownerId: integer().notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('conflines_owner_id_name_idx').on(t.ownerId, t.name)],
);

/** Security → Whitelisted IPs. `ip` is a single IPv4 address or a canonical CIDR network. */
export const whitelistedIps = pgTable(
  'whitelisted_ips',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    ip: text().notNull(),
    allowApi: boolean().notNull().default(false),
    comment: text().notNull().default('MOR-WHITELIST-GUI'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('whitelisted_ips_ip_idx').on(t.ip)],
);

/** MOR API Permission Groups: per method level 0 disabled, 1 read, 2 write. */
export const apiPermissionGroups = pgTable(
  'api_permission_groups',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    ownerId: integer().notNull().default(0),
    /** method name -> level (0 | 1 | 2); a method absent from the map is disabled. */
    levels: jsonb().$type<Record<string, number>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('api_permission_groups_owner_id_name_idx').on(t.ownerId, t.name)],
);

/** Accountant permission groups and Reseller permission groups (`groupType`). */
export const accGroups = pgTable(
  'acc_groups',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    groupType: text({ enum: ['accountant', 'reseller'] }).notNull(),
    ownerId: integer().notNull().default(0),
    description: text().notNull().default(''),
    /** right name -> level (0 none, 1 read, 2 write). */
    rights: jsonb().$type<Record<string, number>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('acc_groups_group_type_name_idx').on(t.groupType, t.name)],
);

/** Bearer tokens of the tRPC admin API. Only a SHA-256 of each token is stored. */
export const adminTokens = pgTable(
  'admin_tokens',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    userId: integer().notNull(),
    name: text().notNull().default(''),
    tokenHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('admin_tokens_token_hash_idx').on(t.tokenHash), index('admin_tokens_user_id_idx').on(t.userId)],
);

/**
 * Nonces of signed API requests ("Require signed requests"), one row per key owner (0 = the admin, else
 * the reseller whose key signed) and nonce. The primary key makes "each nonce once" a database fact
 * shared by every instance; a row is kept until the request's own timestamp has left the accepted
 * window (`expires_at`), after which the request would be refused as stale anyway.
 */
export const apiNonces = pgTable(
  'api_nonces',
  {
    ownerId: integer().notNull(),
    nonce: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.nonce] }), index('api_nonces_expires_at_idx').on(t.expiresAt)],
);
