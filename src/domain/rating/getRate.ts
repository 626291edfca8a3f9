import { queryRows } from '../../db/rows.ts';
import { hasRight } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden, notFound } from '../errors.ts';
import { bandIsNow, type LocalClock, localClock } from './localClock.ts';
import { type LookupRow, type LookupScope, lookupQuery } from './lookupQuery.ts';
import { outcomeOfRows, type RateBand } from './rateOutcome.ts';
import { digitsOf, MAX_DIGITS } from './values.ts';

export interface GetRate {
  /** Target user. */
  username: string;
  /** Prefix (legacy mode) or full number (`byFullDst`); non-digits are ignored. */
  prefix: string;
  byFullDst: boolean;
}

/** The API settings rate_get depends on; the XML adapter has them from the auth cache (no query). */
export interface RateSettings {
  showRatesForUsers: boolean;
  allowResellersAdminTariffs: boolean;
}

/** One `<rate>` line: price as stored, destination name and prefix. */
export interface RateLine {
  price: string;
  name: string;
  prefix: string;
}

/**
 * The rate a user pays (rate_get, spec rate_get.md): custom rate first, else the user's tariff; legacy
 * mode prints the band in effect now (retail: its first minute interval), full-number mode every band.
 * Costs one statement, or none when the in-process rate index (ctx.rateIndex) holds the answer. Errors: NOT_FOUND `rate`, `user` (unknown), `user_hidden` (not the caller's);
 * FORBIDDEN for an accountant without See Financial Data + Manage Tariffs or a user while
 * "Show rates for users" is off.
 */
export async function getRate(ctx: Ctx, input: GetRate, settings: RateSettings): Promise<RateLine[]> {
  const digits = digitsOf(input.prefix);
  if (digits === '' || digits.length > MAX_DIGITS) throw notFound('rate');
  const { actor } = ctx;
  const scope: LookupScope = {
    role: actor.usertype,
    actorId: actor.id,
    adminTariffsAllowed: settings.allowResellersAdminTariffs,
    adminSeesAll: false,
  };
  const target = { username: input.username, digits, full: input.byFullDst, at: ctx.clock() };
  const outcome =
    ctx.rateIndex?.lookup(scope, target) ??
    outcomeOfRows(await queryRows<LookupRow>(ctx.db, lookupQuery(scope, target)));
  if (outcome.state === 'no_user') throw notFound('user');
  if (
    actor.usertype === 'accountant' &&
    !(hasRight(actor, 'see_financial_data') && hasRight(actor, 'tariffs_manage'))
  ) {
    throw forbidden('rates');
  }
  if (actor.usertype === 'user' && !settings.showRatesForUsers) throw forbidden('show_rates_for_users');
  if (outcome.state === 'hidden') throw notFound('user_hidden');
  const chosen = input.byFullDst ? outcome.bands : currentBand(outcome.bands, localClock(target.at, outcome.timeZone));
  if (chosen.length === 0) throw notFound('rate');
  return chosen.map((b) => ({ price: b.price, name: b.name, prefix: b.prefix }));
}

/** Legacy mode: the band in effect now; a specific day type beats "all days"; retail: lowest minute interval. */
function currentBand(bands: RateBand[], clock: LocalClock): RateBand[] {
  const now = bands.filter((b) => b.artype === 'minute' && bandIsNow(b, clock));
  now.sort((a, b) => Number(b.daytype !== '') - Number(a.daytype !== '') || a.from - b.from);
  return now.slice(0, 1);
}
