import { callLines } from './calls.ts';
import type { LineSource } from './source.ts';
import { subscriptionChargeLines } from './subscriptionCharges.ts';
import { subscriptionLines } from './subscriptions.ts';

export type { LineQuery, LineSource } from './source.ts';

/** Every source of invoice lines, unioned by the generator: calls first, then subscriptions and charges. */
export const LINE_SOURCES: readonly LineSource[] = [callLines, subscriptionLines, subscriptionChargeLines];
