import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { localClock } from '../rating/localClock.ts';
import { digitsOf } from '../rating/values.ts';
import { micro, percentOrder, withinFirstPercent } from './lcrOrder.ts';
import { providerRateLateral } from './providerRate.ts';
import type { RoutingCache } from './routingCache.ts';
import { applyProviderRules, type LocationRuleLike, localizeByLocation, type ProviderRuleLike } from './transform.ts';

export interface RouteInput {
  userId?: number;
  deviceId?: number;
  dst: string;
  src?: string;
  at?: Date;
  /** The user's rate per minute in the system currency; with it, an LCR that does not allow loss
   *  calls drops providers dearer than the user (less the minimal rate margin). */
  userSystemRate?: string;
  /** The draw of a percent-ordered LCR, in [0, 1) (default Math.random; tests give a seeded one). */
  random?: () => number;
}

/** One provider to try, in order, with the numbers it receives and what a minute through it costs. */
export interface RouteStep {
  providerId: number;
  providerName: string;
  /** From the LCR's failover list. */
  failover: boolean;
  /** The destination and CallerID sent to the provider (after localization and provider rules). */
  dst: string;
  src: string;
  tariffId: number;
  prefix: string;
  /** Per minute and per call, in the tariff's currency; increment and minimal time in seconds. */
  rate: string;
  connectionFee: string;
  increment: number;
  minTime: number;
  currency: string;
  /** The rate per minute in the system currency (6 decimals). */
  systemRate: string;
}

export interface Route {
  userId: number | null;
  deviceId: number | null;
  lcrId: number | null;
  /** The destination after localization (what rating reads). */
  localizedDst: string;
  localizedSrc: string;
  route: RouteStep[];
  /** The providers of `route` that present their CallerID from a number pool (pools model). */
  pooledProviders: number[];
}

/** What routing reads of the caller: its user, device, LCR, time zone and the location rules in force. */
export interface RouteAccount {
  user_id: number;
  device_id: number | null;
  lcr_id: number | null;
  time_zone: string;
  location_id: number;
  rules: (LocationRuleLike & { locationId: number })[] | string;
}

/** One provider of an LCR as routeCall reads it (rules parsed once; prices filled per call). */
export interface LcrProviderRow {
  order: string;
  no_failover: number;
  allow_loss_calls: number;
  margin: string;
  first_limit: string;
  provider_id: number;
  name: string;
  failover: boolean;
  priority: number;
  percent: number;
  quality: number;
  tariff_id: number | null;
  cid_pool: number | null;
  /** The provider tariff's currency exchange rate (units per system unit); null when unknown. */
  exchange: string | null;
  rules: (ProviderRuleLike & { suffix: string })[] | string;
  /** The provider tariff's currency. */
  currency: string | null;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

const LOCATION_RULE_JSON = `json_build_object('id', r.id, 'enabled', r.enabled, 'lrType', r.lr_type, 'cut', r.cut,
  'add', r.add, 'minlen', r.minlen, 'maxlen', r.maxlen, 'srcCut', r.src_cut, 'srcAdd', r.src_add,
  'srcMinlen', r.src_minlen, 'srcMaxlen', r.src_maxlen, 'lcrId', r.lcr_id, 'locationId', r.location_id,
  'group', case when r.lr_type = 'combined' and r.locationgroup_id <> 0 then coalesce((select to_json(g.prefixes)
    from location_groups g where g.id = r.locationgroup_id), '[]'::json) end)`;
/**
 * The location rules in force for a device (SQL over the device row `d`, which may be absent): the
 * enabled rules of its location and of Global (location 1), as a JSON array. Callers that already read
 * the device (calls.authorize) select it in their own statement and hand the account to routeCall.
 */
export const locationRulesOf = (d: string) =>
  sql.raw(`coalesce((select json_agg(${LOCATION_RULE_JSON}) from location_rules r
    where r.location_id in (coalesce(${d}.location_id, 1), 1) and r.enabled = 1), '[]')`);

const PROVIDER_RULE_JSON = `json_build_object('id', pr.id, 'enabled', pr.enabled, 'prType', pr.pr_type, 'cut', pr.cut,
  'add', pr.add, 'minlen', pr.minlen, 'maxlen', pr.maxlen, 'suffix', pr.suffix, 'tariffId', pr.tariff_id)`;

/**
 * The route a switch asks for: the caller (a device, or a user without one) and the number dialled →
 * the providers to try, in order. Steps: localization by the rules of the device's location, then of
 * Global (location 1) where the device's location has no matching rule (a matching rule may switch the
 * LCR) → the user's LCR → its active providers (main list, then the failover list) → each provider's
 * rules (the number sent; a rule may switch the provider tariff) → each provider's price for the
 * localized destination (its tariff's rate, band in effect on the user's wall clock; a provider
 * without a rate is left out). The main list is ordered by the LCR's `order`: `price` (system-currency
 * rate, cheapest first; the first provider percent limit skips dearer ones, lcrOrder.ts), `priority`
 * (ascending), `percent` (weighted random draw by share, lcrOrder.ts) or `quality` (provider quality,
 * highest first); ties by priority, then provider id. `no_failover` keeps only the first main provider
 * (and no failover list). Warm, no statement: the routing cache (routingCache.ts) holds the account
 * and the LCR's providers, the rate index their prices; cold, one statement for each of the two, and
 * one more for the prices the index cannot answer. Admin-side only (the switch's token): the domain
 * function trusts its caller.
 */
export async function routeCall(ctx: Ctx, input: RouteInput, account?: RouteAccount): Promise<Route> {
  if (input.deviceId === undefined && input.userId === undefined)
    throw invalid('originator', 'deviceId or userId is required');
  const at = input.at ?? ctx.clock();
  const dialled = digitsOf(input.dst).slice(0, 40);
  const src = digitsOf(input.src ?? '');
  const cache = ctx.rateIndex?.routingCache() ?? null;
  const [acc] = account ? [account] : await routeAccount(ctx, input, cache);
  const none = { userId: acc?.user_id ?? null, deviceId: acc?.device_id ?? null, route: [], pooledProviders: [] };
  if (!acc) return { ...none, lcrId: null, localizedDst: dialled, localizedSrc: src };
  const local = localizeByLocation(json(acc.rules), acc.location_id, dialled, src);
  const lcrId = (local.dstRule as { lcrId?: number | null } | undefined)?.lcrId ?? acc.lcr_id;
  const base = { ...none, lcrId, localizedDst: local.dst, localizedSrc: local.src };
  if (lcrId === null || local.dst === '') return base;

  // The LCR's providers with their rules (held per LCR); prices come from the rate index (provider
  // tariffs held in memory) and, for tariffs it does not hold yet, from one more statement. Rows are
  // shared and never written: each priced provider becomes one new Step.
  const rows = await lcrProviders(ctx, lcrId, cache);
  if (rows.length === 0) return base;
  const clock = localClock(at, acc.time_zone);
  const steps: Step[] = [];
  const fromSql: Unpriced[] = [];
  for (const row of rows) {
    // Provider rules: the numbers sent, and a rule's tariff replacing the provider's own.
    const sent = applyProviderRules(row.rules as ProviderRuleRow[], local.dst, local.src);
    const ruled = sent.dstRule?.tariffId ?? sent.srcRule?.tariffId;
    if (ruled != null && ruled !== row.tariff_id) {
      fromSql.push({ row, sent, tariffId: ruled });
      continue;
    }
    if (row.tariff_id === null) continue;
    const band = ctx.rateIndex?.tariffBand(row.tariff_id, local.dst, at, clock.dayType, clock.time) ?? null;
    if (band === null) fromSql.push({ row, sent, tariffId: row.tariff_id });
    else if (band !== 'none' && row.exchange !== null) {
      const rate = systemRate(band.price, row.exchange);
      if (rate !== null) {
        steps.push(
          step(row, sent, row.tariff_id, {
            prefix: band.prefix,
            rate: band.price,
            connectionFee: band.connectionFee,
            increment: band.increment,
            minTime: band.minTime,
            currency: row.currency ?? '',
            systemRate: rate,
          }),
        );
      }
    }
  }
  if (fromSql.length > 0) {
    const q = sql`select ${local.dst}::text as digits, ${at.toISOString()}::timestamptz as at, ${clock.dayType}::text as dt,
      ${clock.time}::time as tm`;
    for (const priced of await priceBySql(ctx, q, fromSql)) steps.push(priced);
  }

  const lcr = rows[0]!;
  let main = steps.filter((s) => !s.row.failover).sort(ORDERS[lcr.order] ?? byTie);
  if (lcr.order === 'percent') main = percentOrder(main, (s) => s.row.percent, input.random ?? Math.random);
  if (lcr.allow_loss_calls === 0 && input.userSystemRate !== undefined) {
    const ceiling = micro(input.userSystemRate) * (1_000_000n - micro(lcr.margin) / 100n);
    main = main.filter((s) => s.micro * 1_000_000n <= ceiling);
  }
  if (lcr.order === 'price') main = withinFirstPercent(main, (s) => s.out.systemRate, lcr.first_limit);
  const done = (chosen: Step[]): Route => ({
    ...base,
    route: chosen.map((s) => s.out),
    pooledProviders: chosen.filter((s) => s.row.cid_pool !== null).map((s) => s.row.provider_id),
  });
  if (lcr.no_failover === 1) return done(main.slice(0, 1));
  const inMain = new Set(main.map((s) => s.row.provider_id));
  const failover = steps.filter((s) => s.row.failover && !inMain.has(s.row.provider_id)).sort(byTie);
  return done([...main, ...failover]);
}

type ProviderRuleRow = ProviderRuleLike & { suffix: string };
type Sent = ReturnType<typeof applyProviderRules<ProviderRuleRow>>;

/** A provider the rate index could not price (its tariff not held yet, or a rule's tariff instead). */
interface Unpriced {
  row: LcrProviderRow;
  sent: Sent;
  tariffId: number;
}

/** A priced provider: its LCR row (for ordering), the step the route answers, and its price in millionths. */
interface Step {
  row: LcrProviderRow;
  out: RouteStep;
  micro: bigint;
}

type Price = Pick<RouteStep, 'prefix' | 'rate' | 'connectionFee' | 'increment' | 'minTime' | 'currency' | 'systemRate'>;

function step(row: LcrProviderRow, sent: Sent, tariffId: number, price: Price): Step {
  return {
    row,
    micro: micro(price.systemRate),
    out: {
      providerId: row.provider_id,
      providerName: row.name,
      failover: row.failover,
      dst: sent.dst,
      src: sent.src,
      tariffId,
      ...price,
    },
  };
}

const byTie = (a: Step, b: Step) => a.row.priority - b.row.priority || a.row.provider_id - b.row.provider_id;
/** The main list's order per LCR `order` (percent: by priority here, then drawn by lcrOrder.ts). */
const ORDERS: Record<string, (a: Step, b: Step) => number> = {
  price: (a, b) => (a.micro < b.micro ? -1 : a.micro > b.micro ? 1 : byTie(a, b)),
  priority: byTie,
  percent: byTie,
  quality: (a, b) => b.row.quality - a.row.quality || byTie(a, b),
};

/** The caller's routing account: held in the routing cache per device, else one statement. */
async function routeAccount(
  ctx: Ctx,
  input: RouteInput,
  cache: RoutingCache<RouteAccount, LcrProviderRow> | null,
): Promise<RouteAccount[]> {
  const deviceId = input.deviceId;
  const held = cache && deviceId !== undefined ? cache.account(deviceId) : undefined;
  if (held) return [held];
  const generation = cache?.now ?? 0;
  const rows = await queryRows<RouteAccount>(
    ctx.db,
    sql`select u.id as user_id, d.id as device_id, u.lcr_id, u.time_zone,
      coalesce(d.location_id, 1) as location_id, ${locationRulesOf('d')} as rules
      from users u left join devices d on d.id = ${deviceId ?? 0}::int
      where u.id = ${deviceId !== undefined ? sql`d.user_id` : sql`${input.userId ?? 0}::int`}`,
  );
  const [row] = rows;
  if (row && cache && deviceId !== undefined)
    cache.putAccount(deviceId, { ...row, rules: json(row.rules) }, generation);
  return rows;
}

/** An LCR's active providers with their rules, tariff currency and exchange rate (held per LCR). */
async function lcrProviders(
  ctx: Ctx,
  lcrId: number,
  cache: RoutingCache<RouteAccount, LcrProviderRow> | null,
): Promise<readonly LcrProviderRow[]> {
  const held = cache?.providers(lcrId);
  if (held) return held;
  const generation = cache?.now ?? 0;
  const rows = await queryRows<LcrProviderRow>(
    ctx.db,
    sql`select l."order", l.no_failover, l.allow_loss_calls, l.minimal_rate_margin_percent::text as margin,
        l.first_provider_percent_limit::text as first_limit,
        p.id as provider_id, p.name, lp.failover, lp.priority, lp.percent, p.quality, p.tariff_id,
        p.callerid_number_pool_id as cid_pool,
        coalesce((select json_agg(${sql.raw(PROVIDER_RULE_JSON)}) from provider_rules pr
          where pr.provider_id = p.id and pr.enabled = 1), '[]') as rules,
        t.currency, (select cu.exchange_rate::text from currencies cu where cu.name = t.currency) as exchange
      from lcrs l join lcrproviders lp on lp.lcr_id = l.id and lp.active
        join providers p on p.id = lp.provider_id and p.active = 1
        left join tariffs t on t.id = p.tariff_id
      where l.id = ${lcrId}::int`,
  );
  const parsed = rows.map((row) => ({ ...row, rules: json(row.rules) }));
  cache?.putProviders(lcrId, parsed, generation);
  return parsed;
}

/**
 * Prices in one statement the providers the rate index cannot answer (a tariff it does not hold yet,
 * or a rule's tariff replacing the provider's own), with the provider-rate lateral.
 */
async function priceBySql(ctx: Ctx, q: ReturnType<typeof sql>, unpriced: Unpriced[]): Promise<Step[]> {
  const pairs = unpriced.map((u, i) => ({ i, tariff_id: u.tariffId }));
  const prices = await queryRows<{
    i: number;
    prefix: string | null;
    rate: string | null;
    connection_fee: string | null;
    inc: number | null;
    min_time: number | null;
    currency: string | null;
    system_rate: string | null;
  }>(
    ctx.db,
    sql`with q as (${q}), k as (select * from json_to_recordset(${JSON.stringify(pairs)}::json) as k(i int, tariff_id int))
      select k.i, x.prefix, x.rate::text, x.connection_fee::text, x.inc, x.min_time, x.currency,
        round(x.rate / x.exchange, 6)::text as system_rate
      from q cross join k left join ${sql.raw(providerRateLateral({ tariff: 'k.tariff_id', digits: 'q.digits', at: 'q.at', dt: 'q.dt', time: 'q.tm' }))} x on true`,
  );
  const steps: Step[] = [];
  for (const price of prices) {
    if (price.rate === null || price.system_rate === null) continue;
    const { row, sent, tariffId } = unpriced[price.i]!;
    steps.push(
      step(row, sent, tariffId, {
        prefix: price.prefix ?? '',
        rate: price.rate,
        connectionFee: price.connection_fee ?? '0',
        increment: price.inc ?? 1,
        minTime: price.min_time ?? 0,
        currency: price.currency ?? '',
        systemRate: price.system_rate,
      }),
    );
  }
  return steps;
}

/**
 * A rate per minute in the system currency: `rate / exchange` rounded half away from zero to 6
 * decimals, as Postgres' `round(numeric, 6)` gives it (exact: integers scaled by the decimals).
 */
export function systemRate(rate: string, exchange: string): string | null {
  // A tariff has a few thousand distinct prices and one currency: each division is done once (bounded).
  // Keyed by exchange, then rate: the rate strings come interned from the rate index, so a lookup
  // hashes nothing new (a joined key would build and hash a string per provider per route).
  let byRate = systemRates.get(exchange);
  if (byRate === undefined) {
    if (systemRates.size >= 1_000) systemRates.clear();
    byRate = new Map();
    systemRates.set(exchange, byRate);
  }
  let value = byRate.get(rate);
  if (value === undefined) {
    value = computeSystemRate(rate, exchange);
    if (byRate.size >= 50_000) byRate.clear();
    byRate.set(rate, value);
  }
  return value;
}
const systemRates = new Map<string, Map<string, string | null>>();

function computeSystemRate(rate: string, exchange: string): string | null {
  const [rn, rd] = scaled(rate);
  const [en, ed] = scaled(exchange);
  if (en === 0n) return null;
  // rate / exchange = (rn / rd) / (en / ed) = rn·ed / (rd·en); times 10^6, rounded half away from zero.
  let num = rn * ed * 1_000_000n;
  let den = rd * en;
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const micro = (abs * 2n + den) / (2n * den);
  const text = `${micro / 1_000_000n}.${String(micro % 1_000_000n).padStart(6, '0')}`;
  return neg && micro !== 0n ? `-${text}` : text;
}

/** A decimal string as an integer and its power-of-ten denominator. */
function scaled(value: string): [bigint, bigint] {
  const neg = value.startsWith('-');
  const [i = '0', f = ''] = (neg ? value.slice(1) : value).split('.');
  const n = BigInt((i || '0') + f);
  return [neg ? -n : n, 10n ** BigInt(f.length)];
}
