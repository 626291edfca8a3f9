import { integer, pgTable, text } from 'drizzle-orm/pg-core';

/*
 * Tables other families own, created here with the columns the foundation's validations need
 * (conflines_update checks that referenced ids exist). Their issues complete them.
 */

/** Tariffs moved to rating.ts; re-exported for the modules that import them from here. */
export { tariffs } from './rating.ts';

/** Localization locations; completed by the devices family. */
export const locations = pgTable('locations', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  name: text().notNull(),
  ownerId: integer().notNull().default(0),
});

/** Quickforwards rules moved to quickforwards.ts; re-exported for the modules that import them from here. */
export { quickforwardsRules } from './quickforwards.ts';
