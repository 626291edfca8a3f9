import type { LineSource } from './source.ts';
import { subscriptionChargeLines } from './subscriptionCharges.ts';
import { subscriptionLines } from './subscriptions.ts';

export type { LineQuery, LineSource } from './source.ts';

/**
 * Every source of invoice lines, unioned by the generator. Calls join here once the `calls` table
 * exists: a source returning one `Calls` line per user (kind 'calls', quantity = calls, sum = Σ
 * user_price, total_time = Σ user_billsec; sort_group 0 so it comes first) — nothing else changes.
 */
export const LINE_SOURCES: readonly LineSource[] = [subscriptionLines, subscriptionChargeLines];
