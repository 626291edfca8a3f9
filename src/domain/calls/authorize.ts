import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { IdOrZero } from '../ids.ts';
import { type DevicePools, presentedCallerId, providerCallerIds } from '../numberPools/callerIdSources.ts';
import { bandIsNow, localClock } from '../rating/localClock.ts';
import { type LookupRow, lookupQuery } from '../rating/lookupQuery.ts';
import { digitsOf } from '../rating/values.ts';
import { locationRulesOf, type RouteAccount, type RouteStep, routeCall } from '../routing/routeCall.ts';
import { aboveMaxCallRate, affordable, money, type Priced, systemRate } from './callBudget.ts';
import { requireIngestRight } from './ingestCalls.ts';

export const Authorize = v.object({
  deviceId: v.optional(IdOrZero),
  /** The device username (or MOR's numeric accountcode = device id). */
  accountcode: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
  dst: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  /** The CallerID the device sends (checked against its valid-CallerID pool, when it has one). */
  src: v.optional(v.pipe(v.string(), v.maxLength(100))),
  /** When the call starts (ISO 8601); default now. */
  at: v.optional(v.pipe(v.string(), v.isoTimestamp())),
});
export type Authorize = v.InferInput<typeof Authorize>;

export type RefusalReason =
  | 'unknown_device'
  | 'user_blocked'
  | 'reseller_blocked'
  | 'no_tariff'
  | 'no_rate'
  | 'max_call_rate'
  | 'call_limit'
  | 'insufficient_balance'
  | 'reseller_insufficient_balance';

export interface Authorization {
  allowed: boolean;
  reason?: RefusalReason;
  /** Seconds the call may last (0 when refused). */
  maxSeconds: number;
  /** The user's rate per minute (first minute band) and connection fee, in `currency`. */
  rate: string;
  connectionFee: string;
  currency: string;
  userId?: number;
  deviceId?: number;
  /** The providers to try, in order (routeCall), when the call is allowed; empty otherwise. */
  route: RouteStep[];
  /** The CallerID to present when the device's number pools decide it (pools model); absent otherwise. */
  callerId?: string;
}

interface Account extends RouteAccount, DevicePools {
  device_id: number;
  user_id: number;
  owner_id: number;
  blocked: boolean;
  postpaid: boolean;
  balance: string;
  credit: string;
  call_limit: number;
  max_call_rate: string;
  active: number;
  r_blocked: boolean | null;
  r_postpaid: boolean | null;
  r_balance: string | null;
  r_credit: string | null;
  /** Each payer's tariff as the rate index prices it: id, purpose, currency, exchange, usertype, zone. */
  u_tariff: number | null;
  u_purpose: string | null;
  u_currency: string | null;
  u_exchange: string | null;
  u_type: string;
  r_tariff: number | null;
  r_purpose: string | null;
  r_currency: string | null;
  r_exchange: string | null;
  r_type: string | null;
  r_zone: string | null;
}

/**
 * calls.authorize — what a switch asks before it connects a call: may this device call `dst`, and for
 * how long. Same rate as ingest will charge (rate_get's lookup at `at`, custom rates first, the band
 * in effect); the user's money is its balance, plus its credit when postpaid (credit −1 = unlimited),
 * and for a reseller's user the reseller's money must cover the reseller's price too. `maxSeconds` is
 * the longest call whose price (as ingest rounds it, in the system currency) both can pay, at most a
 * day. Refusals name their reason; the user's blocked flag, Max Call Rate and call limit (active
 * calls) are checked too. Admin only (the switch's token).
 */
export async function authorize(
  ctx: Ctx,
  input: Authorize,
  /** The live call being started (activeCalls.start): not counted against the call limit. */
  liveUniqueid = '',
): Promise<Authorization> {
  requireIngestRight(ctx);
  if (input.deviceId === undefined && input.accountcode === undefined)
    throw invalid('originator', 'deviceId or accountcode is required');
  const at = input.at ? new Date(input.at) : ctx.clock();
  const code = input.accountcode !== undefined && /^\d{1,9}$/.test(input.accountcode) ? Number(input.accountcode) : -1;
  const [acc] = await queryRows<Account>(
    ctx.db,
    sql`select d.id as device_id, u.id as user_id, u.owner_id, u.blocked, u.postpaid, u.balance::text, u.credit::text,
        u.call_limit, u.max_call_rate::text,
        (select count(*)::int from active_calls a where a.user_id = u.id and a.uniqueid <> ${liveUniqueid}::text) as active,
        r.blocked as r_blocked, r.postpaid as r_postpaid, r.balance::text as r_balance, r.credit::text as r_credit,
        u.lcr_id, u.time_zone, coalesce(d.location_id, 1) as location_id, ${locationRulesOf('d')} as rules,
        d.callerid_number_pool_id as pool, d.cid_valid_pool_id as valid, d.cid_random_pool_id as random,
        u.usertype as u_type, ut.id as u_tariff, ut.purpose as u_purpose, ut.currency as u_currency,
        (select c.exchange_rate::text from currencies c where c.name = ut.currency) as u_exchange,
        r.usertype as r_type, r.time_zone as r_zone, rt.id as r_tariff, rt.purpose as r_purpose, rt.currency as r_currency,
        (select c.exchange_rate::text from currencies c where c.name = rt.currency) as r_exchange
      from devices d join users u on u.id = d.user_id left join users r on r.id = u.owner_id and u.owner_id <> 0
        left join tariffs ut on ut.id = u.tariff_id left join tariffs rt on rt.id = r.tariff_id
      where ${
        input.deviceId !== undefined
          ? sql`d.id = ${input.deviceId}::int`
          : sql`(d.username = ${input.accountcode}::text or d.accountcode = ${code}::int)`
      }
      order by (d.username = ${input.accountcode ?? ''}::text) desc limit 1`,
  );
  const none = { maxSeconds: 0, rate: '0', connectionFee: '0', currency: '', route: [] };
  if (!acc) return { allowed: false, reason: 'unknown_device', ...none };
  const ids = { userId: acc.user_id, deviceId: acc.device_id };
  if (acc.blocked) return { allowed: false, reason: 'user_blocked', ...none, ...ids };
  if (acc.r_blocked) return { allowed: false, reason: 'reseller_blocked', ...none, ...ids };

  const digits = digitsOf(input.dst).slice(0, 20);
  // Wholesale tariffs the rate index holds price in memory; the rest (retail, not held yet) in one statement.
  const payers: Payer[] = [
    {
      id: acc.user_id,
      type: acc.u_type,
      tariff: acc.u_tariff,
      purpose: acc.u_purpose,
      currency: acc.u_currency,
      exchange: acc.u_exchange,
      zone: acc.time_zone,
    },
  ];
  if (acc.owner_id !== 0)
    payers.push({
      id: acc.owner_id,
      type: acc.r_type ?? '',
      tariff: acc.r_tariff,
      purpose: acc.r_purpose,
      currency: acc.r_currency,
      exchange: acc.r_exchange,
      zone: acc.r_zone ?? '',
    });
  const prices = payers.map((p) => priceFromIndex(ctx, p, digits, at));
  const asked = payers.filter((_, i) => prices[i] === null);
  if (asked.length > 0) {
    const bySql = await pricesOf(
      ctx,
      asked.map((p) => p.id),
      digits,
      at,
    );
    for (let i = 0, j = 0; i < prices.length; i++) if (prices[i] === null) prices[i] = bySql[j++]!;
  }
  const user = prices[0]!;
  const reseller = prices[1] ?? null;
  if (user === 'no_tariff' || reseller === 'no_tariff') return { allowed: false, reason: 'no_tariff', ...none, ...ids };
  if (user === 'no_rate' || reseller === 'no_rate') return { allowed: false, reason: 'no_rate', ...none, ...ids };
  const first = user.bands.find((b) => b.artype === 'minute') ?? user.bands[0]!;
  const shown = {
    rate: first.price!,
    connectionFee: first.connection_fee ?? '0',
    currency: user.currency,
    ...ids,
    route: [] as RouteStep[],
  };
  // Max Call Rate (system currency per minute; 0 = no limit).
  if (aboveMaxCallRate(first.price!, user.exchange, acc.max_call_rate))
    return { allowed: false, reason: 'max_call_rate', maxSeconds: 0, ...shown };
  if (acc.call_limit > 0 && acc.active >= acc.call_limit)
    return { allowed: false, reason: 'call_limit', maxSeconds: 0, ...shown };

  const userSeconds = affordable(user, money(acc.postpaid, acc.balance, acc.credit));
  if (userSeconds === 0) return { allowed: false, reason: 'insufficient_balance', maxSeconds: 0, ...shown };
  let seconds = userSeconds;
  if (reseller) {
    const resellerSeconds = affordable(reseller, money(acc.r_postpaid!, acc.r_balance!, acc.r_credit!));
    if (resellerSeconds === 0)
      return { allowed: false, reason: 'reseller_insufficient_balance', maxSeconds: 0, ...shown };
    seconds = Math.min(seconds, resellerSeconds);
  }
  const routed = await routeCall(
    ctx,
    {
      deviceId: acc.device_id,
      dst: input.dst,
      at,
      userSystemRate: systemRate(first.price!, user.exchange),
    },
    acc,
  );
  // CallerIDs from number pools: the device's for the call, each provider's for its leg (no statement
  // when neither the device nor a provider of the route uses a pool).
  const callerId = await presentedCallerId(ctx.db, acc.device_id, input.src, acc);
  const byProvider = await providerCallerIds(ctx.db, [...new Set(routed.pooledProviders)]);
  const route = routed.route.map((s) =>
    byProvider.has(s.providerId) ? { ...s, src: byProvider.get(s.providerId)! } : s,
  );
  return { allowed: true, maxSeconds: seconds, ...shown, route, ...(callerId !== null ? { callerId } : {}) };
}

type Price = Priced | 'no_tariff' | 'no_rate';

/** A payer (the user, or its reseller) and its tariff, as the account statement read them. */
interface Payer {
  id: number;
  type: string;
  tariff: number | null;
  purpose: string | null;
  currency: string | null;
  exchange: string | null;
  zone: string;
}

/** Who is priced by a tariff (lookupQuery's rule); anyone else is left to the SQL lookup. */
const PRICED_TYPES = new Set(['user', 'reseller', 'partner']);

/**
 * A payer's price from the rate index, as the SQL lookup would answer it, when its tariff is a
 * wholesale one the index holds: the band in effect on the payer's wall clock (a day-type band before an
 * all-days one) of the longest effective prefix. Null when the index cannot say (retail tariffs, a
 * tariff not held yet, no index): the caller asks SQL.
 */
function priceFromIndex(ctx: Ctx, payer: Payer, digits: string, at: Date): Price | null {
  if (!ctx.rateIndex || !PRICED_TYPES.has(payer.type)) return null;
  if (payer.tariff === null || payer.purpose === 'provider') return 'no_tariff';
  if (payer.purpose !== 'user_wholesale') return null;
  if (digits === '') return 'no_rate';
  const clock = localClock(at, payer.zone);
  const band = ctx.rateIndex.tariffBand(payer.tariff, digits, at, clock.dayType, clock.time);
  if (band === null) return null;
  if (band === 'none' || payer.exchange === null) return 'no_rate';
  const row: LookupRow = {
    state: 'ok',
    tariff_id: payer.tariff,
    source: 'wholesale',
    currency: payer.currency,
    price: band.price,
    name: null,
    prefix: band.prefix,
    daytype: null,
    start_time: null,
    end_time: null,
    from: 1,
    duration: null,
    artype: 'minute',
    round: null,
    connection_fee: band.connectionFee,
    increment: band.increment,
    min_time: band.minTime,
    band_id: null,
    time_zone: payer.zone,
  };
  return { bands: [row], wholesale: true, currency: payer.currency ?? '', exchange: payer.exchange };
}

/**
 * The bands in effect for each of `userIds` (the user, then its reseller) calling `digits` at `at`
 * (rate_get's lookup as the admin sees it), in one statement: each lookup's rows in their own order,
 * tagged with the payer's position.
 */
async function pricesOf(ctx: Ctx, userIds: number[], digits: string, at: Date): Promise<Price[]> {
  if (digits === '') return userIds.map(() => 'no_rate');
  const scope = { role: 'admin', actorId: 0, adminTariffsAllowed: true, adminSeesAll: true } as const;
  const lookups = userIds.map(
    (userId, i) =>
      sql`(select ${i}::int as payer, l.*, (select exchange_rate::text from currencies c where c.name = l.currency) as exchange
        from (${lookupQuery(scope, { userId, digits, full: true, at })}) l)`,
  );
  const rows = await queryRows<LookupRow & { payer: number; exchange: string | null }>(
    ctx.db,
    sql.join(lookups, sql` union all `),
  );
  return userIds.map((_, i) =>
    priceOf(
      rows.filter((r) => r.payer === i),
      at,
    ),
  );
}

/** A payer's lookup rows → its bands in effect at `at`. */
function priceOf(rows: (LookupRow & { exchange: string | null })[], at: Date): Price {
  if (rows[0]?.state !== 'ok' || rows[0].tariff_id === null) return 'no_tariff';
  const clock = localClock(at, rows[0].time_zone ?? '');
  const now = rows.filter(
    (r) =>
      r.price !== null && bandIsNow({ daytype: r.daytype!, startTime: r.start_time!, endTime: r.end_time! }, clock),
  );
  const specific = now.some((r) => r.daytype !== '');
  const bands = now.filter((r) => (r.daytype !== '') === specific);
  const first = bands[0];
  if (!first || first.exchange === null) return 'no_rate';
  const wholesale = first.source === 'wholesale';
  return { bands: wholesale ? [first] : bands, wholesale, currency: first.currency ?? '', exchange: first.exchange };
}
