import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { localClock } from '../rating/localClock.ts';
import { digitsOf } from '../rating/values.ts';
import { providerRateLateral } from './providerRate.ts';
import { applyProviderRules, type LocationRuleLike, localize, type ProviderRuleLike } from './transform.ts';

export interface RouteInput {
  userId?: number;
  deviceId?: number;
  dst: string;
  src?: string;
  at?: Date;
  /** The user's rate per minute in the system currency; with it, an LCR that does not allow loss
   *  calls drops providers dearer than the user (less the minimal rate margin). */
  userSystemRate?: string;
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
  rules: LocationRuleLike[] | string;
}

interface ProviderRow {
  order: string;
  no_failover: number;
  allow_loss_calls: number;
  margin: string;
  provider_id: number;
  name: string;
  failover: boolean;
  priority: number;
  percent: number;
  quality: number;
  tariff_id: number | null;
  cid_pool: number | null;
  rules: (ProviderRuleLike & { suffix: string })[] | string;
  prefix: string | null;
  rate: string | null;
  connection_fee: string | null;
  inc: number | null;
  min_time: number | null;
  currency: string | null;
  system_rate: string | null;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/** A non-negative-or-negative decimal as an integer of millionths (exact comparisons). */
function micro(value: string): bigint {
  const neg = value.startsWith('-');
  const [i = '0', f = ''] = (neg ? value.slice(1) : value).split('.');
  const n = BigInt(i || '0') * 1_000_000n + BigInt((f + '000000').slice(0, 6));
  return neg ? -n : n;
}

const LOCATION_RULE_JSON = `json_build_object('id', r.id, 'enabled', r.enabled, 'lrType', r.lr_type, 'cut', r.cut,
  'add', r.add, 'minlen', r.minlen, 'maxlen', r.maxlen, 'srcCut', r.src_cut, 'srcAdd', r.src_add,
  'srcMinlen', r.src_minlen, 'srcMaxlen', r.src_maxlen, 'lcrId', r.lcr_id)`;
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
 * the providers to try, in order. Steps: localization by the rules of the device's location and of
 * Global (location 1; a matching rule may switch the LCR) → the user's LCR → its active providers
 * (main list, then the failover list) → each provider's rules (the number sent; a rule may switch the
 * provider tariff) → each provider's price for the localized destination (its tariff's rate, band in
 * effect on the user's wall clock; a provider without a rate is left out). The main list is ordered by
 * the LCR's `order`: `price` (system-currency rate, cheapest first), `priority` (ascending), `percent`
 * (share, largest first) or `quality` (provider quality, highest first); ties by priority, then provider
 * id. `no_failover` keeps only the first main provider (and no failover list). Two statements (three when a rule switches a
 * tariff). Admin-side only (the switch's token): the domain function trusts its caller.
 */
export async function routeCall(ctx: Ctx, input: RouteInput, account?: RouteAccount): Promise<Route> {
  if (input.deviceId === undefined && input.userId === undefined)
    throw invalid('originator', 'deviceId or userId is required');
  const at = input.at ?? ctx.clock();
  const dialled = digitsOf(input.dst).slice(0, 40);
  const src = digitsOf(input.src ?? '');
  const [acc] = account
    ? [account]
    : await queryRows<RouteAccount>(
        ctx.db,
        sql`select u.id as user_id, d.id as device_id, u.lcr_id, u.time_zone, ${locationRulesOf('d')} as rules
          from users u left join devices d on d.id = ${input.deviceId ?? 0}::int
          where u.id = ${input.deviceId !== undefined ? sql`d.user_id` : sql`${input.userId ?? 0}::int`}`,
      );
  const none = { userId: acc?.user_id ?? null, deviceId: acc?.device_id ?? null, route: [], pooledProviders: [] };
  if (!acc) return { ...none, lcrId: null, localizedDst: dialled, localizedSrc: src };
  const local = localize(json(acc.rules), dialled, src);
  const lcrId = (local.dstRule as { lcrId?: number | null } | undefined)?.lcrId ?? acc.lcr_id;
  const base = { ...none, lcrId, localizedDst: local.dst, localizedSrc: local.src };
  if (lcrId === null || local.dst === '') return base;

  const clock = localClock(at, acc.time_zone);
  const q = sql`select ${local.dst}::text as digits, ${at.toISOString()}::timestamptz as at, ${clock.dayType}::text as dt,
    ${clock.time}::time as tm`;
  const rows = await queryRows<ProviderRow>(
    ctx.db,
    sql`with q as (${q})
      select l."order", l.no_failover, l.allow_loss_calls, l.minimal_rate_margin_percent::text as margin,
        p.id as provider_id, p.name, lp.failover, lp.priority, lp.percent, p.quality, p.tariff_id, p.callerid_number_pool_id as cid_pool,
        coalesce((select json_agg(${sql.raw(PROVIDER_RULE_JSON)}) from provider_rules pr
          where pr.provider_id = p.id and pr.enabled = 1), '[]') as rules,
        x.prefix, x.rate::text, x.connection_fee::text, x.inc, x.min_time, x.currency,
        round(x.rate / x.exchange, 6)::text as system_rate
      from q cross join lcrs l join lcrproviders lp on lp.lcr_id = l.id and lp.active
        join providers p on p.id = lp.provider_id and p.active = 1
        left join ${sql.raw(providerRateLateral({ tariff: 'p.tariff_id', digits: 'q.digits', at: 'q.at', dt: 'q.dt', time: 'q.tm' }))} x on true
      where l.id = ${lcrId}::int`,
  );
  if (rows.length === 0) return base;

  // Provider rules: the numbers sent, and a rule's tariff replacing the provider's own.
  const steps = rows.map((row) => ({ row, sent: applyProviderRules(json(row.rules), local.dst, local.src) }));
  const switched = steps.filter((s) => {
    const t = s.sent.dstRule?.tariffId ?? s.sent.srcRule?.tariffId;
    return t != null && t !== s.row.tariff_id;
  });
  if (switched.length > 0) await reprice(ctx, q, switched);

  const lcr = rows[0]!;
  const priced = steps.filter((s) => s.row.rate !== null && s.row.system_rate !== null && s.row.tariff_id !== null);
  const toStep = ({ row, sent }: (typeof steps)[number]): RouteStep => ({
    providerId: row.provider_id,
    providerName: row.name,
    failover: row.failover,
    dst: sent.dst,
    src: sent.src,
    tariffId: row.tariff_id!,
    prefix: row.prefix!,
    rate: row.rate!,
    connectionFee: row.connection_fee ?? '0',
    increment: row.inc ?? 1,
    minTime: row.min_time ?? 0,
    currency: row.currency ?? '',
    systemRate: row.system_rate!,
  });
  const tie = (a: ProviderRow, b: ProviderRow) => a.priority - b.priority || a.provider_id - b.provider_id;
  const byOrder: Record<string, (a: ProviderRow, b: ProviderRow) => number> = {
    price: (a, b) => {
      const d = micro(a.system_rate!) - micro(b.system_rate!);
      return d < 0n ? -1 : d > 0n ? 1 : tie(a, b);
    },
    priority: tie,
    percent: (a, b) => b.percent - a.percent || tie(a, b),
    quality: (a, b) => b.quality - a.quality || tie(a, b),
  };
  let main = priced.filter((s) => !s.row.failover).sort((a, b) => (byOrder[lcr.order] ?? tie)(a.row, b.row));
  if (lcr.allow_loss_calls === 0 && input.userSystemRate !== undefined) {
    const ceiling = micro(input.userSystemRate) * (1_000_000n - micro(lcr.margin) / 100n);
    main = main.filter((s) => micro(s.row.system_rate!) * 1_000_000n <= ceiling);
  }
  const done = (chosen: typeof steps): Route => ({
    ...base,
    route: chosen.map(toStep),
    pooledProviders: chosen.filter((s) => s.row.cid_pool !== null).map((s) => s.row.provider_id),
  });
  if (lcr.no_failover === 1) return done(main.slice(0, 1));
  const inMain = new Set(main.map((s) => s.row.provider_id));
  const failover = priced
    .filter((s) => s.row.failover && !inMain.has(s.row.provider_id))
    .sort((a, b) => tie(a.row, b.row));
  return done([...main, ...failover]);
}

/** Prices again the providers whose matching rule switches the tariff (one statement for all). */
async function reprice(
  ctx: Ctx,
  q: ReturnType<typeof sql>,
  steps: { row: ProviderRow; sent: ReturnType<typeof applyProviderRules<ProviderRuleLike>> }[],
): Promise<void> {
  const pairs = steps.map((s, i) => ({ i, tariff_id: s.sent.dstRule?.tariffId ?? s.sent.srcRule?.tariffId }));
  const prices = await queryRows<
    { i: number } & Pick<
      ProviderRow,
      'prefix' | 'rate' | 'connection_fee' | 'inc' | 'min_time' | 'currency' | 'system_rate'
    >
  >(
    ctx.db,
    sql`with q as (${q}), k as (select * from json_to_recordset(${JSON.stringify(pairs)}::json) as k(i int, tariff_id int))
      select k.i, x.prefix, x.rate::text, x.connection_fee::text, x.inc, x.min_time, x.currency,
        round(x.rate / x.exchange, 6)::text as system_rate
      from q cross join k left join ${sql.raw(providerRateLateral({ tariff: 'k.tariff_id', digits: 'q.digits', at: 'q.at', dt: 'q.dt', time: 'q.tm' }))} x on true`,
  );
  for (const { i, ...price } of prices) Object.assign(steps[i]!.row, price, { tariff_id: pairs[i]!.tariff_id });
}
