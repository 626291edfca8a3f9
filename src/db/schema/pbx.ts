import { boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * IVR time periods: when an IVR dial plan's slot applies. Hours and minutes always set; weekday ('' =
 * any, else mon…sun), month and day (null = any) optional.
 */
export const ivrTimePeriods = pgTable(
  'ivr_time_periods',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    /** 0 = the admin's, else the reseller that owns it. */
    ownerId: integer().notNull().default(0),
    startHour: integer().notNull().default(0),
    endHour: integer().notNull().default(23),
    startMinute: integer().notNull().default(0),
    endMinute: integer().notNull().default(59),
    startWeekday: text().notNull().default(''),
    endWeekday: text().notNull().default(''),
    startMonth: integer(),
    endMonth: integer(),
    startDay: integer(),
    endDay: integer(),
  },
  (t) => [index('ivr_time_periods_owner_id_idx').on(t.ownerId)],
);

/**
 * PBX pools: extension namespaces. Each realm's names are unique; the admin's Global PBX Pool (`global`)
 * is created by a migration and cannot be deleted.
 */
export const pbxPools = pgTable(
  'pbx_pools',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    comment: text().notNull().default(''),
    ownerId: integer().notNull().default(0),
    global: boolean().notNull().default(false),
  },
  (t) => [uniqueIndex('pbx_pools_owner_name_idx').on(t.ownerId, t.name)],
);
