import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Autodialer campaigns: a simple user's list of numbers to dial and what to do when one answers. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    /** The simple user under which the campaign runs (and pays). */
    userId: integer().notNull(),
    name: text().notNull(),
    /** `enabled` (running) or `disabled` (stopped). */
    status: text().notNull().default('disabled'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('campaigns_user_id_idx').on(t.userId),
    check('campaigns_status_check', sql`${t.status} in ('enabled', 'disabled')`),
  ],
);

/** What a campaign does when a number answers, in `priority` order (play a file, run an IVR poll …). */
export const campaignActions = pgTable(
  'campaign_actions',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    actionType: text().notNull(),
    data: text().notNull().default(''),
    priority: integer().notNull().default(1),
  },
  (t) => [index('campaign_actions_campaign_id_idx').on(t.campaignId)],
);

/** Numbers of a campaign; `status` new → dialed → completed. One row per number. */
export const campaignNumbers = pgTable(
  'campaign_numbers',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    number: text().notNull(),
    status: text().notNull().default('new'),
  },
  (t) => [
    uniqueIndex('campaign_numbers_campaign_number_idx').on(t.campaignId, t.number),
    index('campaign_numbers_free_idx').on(t.campaignId).where(sql`${t.status} = 'new'`),
  ],
);

/** IVR poll answers of a campaign's calls: the digits pressed and when the call was answered and ended. */
export const campaignPollResults = pgTable(
  'campaign_poll_results',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    campaignId: integer()
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    number: text().notNull().default(''),
    digits: text().notNull(),
    answerTime: timestamp({ withTimezone: true }),
    endTime: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('campaign_poll_results_campaign_id_idx').on(t.campaignId)],
);
