import {
  AGGREGATE_GROUPS,
  type AggregateFigures,
  type AggregateGroup,
  aggregateCalls,
} from '../../domain/calls/aggregates.ts';
import { type PeriodStats, quickstats } from '../../domain/calls/quickstats.ts';
import { DomainError } from '../../domain/errors.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageError, pageStatusError, type XmlNode } from '../xml.ts';
import { guarded, idOf, refuse, unixTime } from './moneySupport.ts';

/** A decimal as quickstats prints money: up to 6 fraction digits, trailing zeros removed (`0.775`, `6.04`). */
export function plain(value: string): string {
  const [int = '0', frac = ''] = value.split('.');
  const digits = frac.slice(0, 6).replace(/0+$/, '');
  const out = digits ? `${int}.${digits}` : int;
  return out === '-0' ? '0' : out;
}

const ownerFigures = (s: PeriodStats): XmlNode => ({
  calls: s.calls,
  duration: s.duration,
  revenue: plain(s.revenue),
  self_cost: plain(s.selfCost),
  profit: plain(s.profit),
  margin: s.margin,
});
const userFigures = (s: PeriodStats): XmlNode => ({ calls: s.calls, duration: s.duration, price: plain(s.price) });

export const quickstatsGet = defineMethod({
  name: 'quickstats_get',
  family: 'statistics',
  summary: "Today's and this month's answered calls, duration, revenue, self cost, profit, margin; active calls.",
  identity: 'caller',
  hash: [],
  hashU: 'unlessAdmin',
  callers: ['admin', 'reseller', 'user'],
  access: 'read',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller: admin, reseller or simple user' },
    { name: 'hash', required: true, description: 'admin: sha1(key); anyone else: sha1(u + key)' },
  ],
  run: async ({ ctx, base }) => {
    try {
      const q = await quickstats(ctx!);
      const stats: XmlNode =
        q.view === 'owner'
          ? { today: ownerFigures(q.today), month: ownerFigures(q.month) }
          : { today: userFigures(q.today), month: userFigures(q.month), balance: plain(q.balance ?? '0') };
      if (q.active) stats.active_calls = { total: q.active.total, answered_calls: q.active.answered };
      return page({ quickstats: stats });
    } catch (error) {
      if (error instanceof DomainError) return pageStatusError(error.message);
      // The statistics store failed: MOR's string for it.
      base.log.error('quickstats_get failed', { error: String((error as Error)?.stack ?? error) });
      return pageStatusError('Cannot connect to Elasticsearch');
    }
  },
});

/** Grouping flags, with the M2/M4 names as synonyms. */
const GROUP_PARAMS: Record<string, AggregateGroup> = {
  ...Object.fromEntries(AGGREGATE_GROUPS.map((g) => [`group_by_${g}`, g])),
  group_by_originator: 'user',
  group_by_op: 'device',
  group_by_tp: 'provider',
};

const figuresXml = (f: AggregateFigures): XmlNode => ({
  total_calls: f.totalCalls,
  answered_calls: f.answeredCalls,
  asr: f.asr,
  billed_duration: f.billedDuration,
  acd: f.acd,
  price: f.price,
  self_cost: f.selfCost,
  profit: f.profit,
  margin: f.margin,
});

/** An id filter: absent/empty/`all` = none; anything but an id names nothing (-1: not found). */
function filterId(params: Params, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = params.value(name);
    if (value === undefined || value === 'all') continue;
    const id = idOf(params, name);
    return id === undefined || Number.isNaN(id) ? -1 : id;
  }
  return undefined;
}

export const aggregateGet = defineMethod({
  name: 'aggregate_get',
  aliases: ['aggregates_get'],
  family: 'statistics',
  summary: 'Call statistics of a period grouped by user, device, terminator, provider, destination, day, hour or rate.',
  identity: 'caller',
  hash: [],
  callers: ['admin', 'reseller', 'accountant'],
  access: 'read',
  unknownCaller: pageError('Access Denied'),
  errorWrapper: pageError,
  params: [
    {
      name: 'u',
      required: true,
      description: 'caller: admin, reseller with own providers, accountant with Calls and statistics',
    },
    { name: 'from', description: 'Unix time: period start (default today 00:00:00, system time)' },
    { name: 'till', description: 'Unix time: period end, its whole second included (default today 23:59:59)' },
    { name: 'a_currency', description: 'currency of money columns (default USD, else the system currency)' },
    ...AGGREGATE_GROUPS.map((g) => ({ name: `group_by_${g}`, description: `1: group by ${g.replace('_', ' ')}` })),
    { name: 'group_by_originator', description: 'M2 name of group_by_user (also group_by_op, group_by_tp)' },
    { name: 's_originator_id', description: 'originating user id' },
    { name: 's_terminator_id', description: 'terminator id (a provider)' },
    { name: 's_device', description: 'originating device id (M2: s_op_device)' },
    { name: 's_provider', description: 'provider id (M2: s_tp_device)' },
    { name: 'a_src', description: 'caller id, % wildcards' },
    { name: 'a_dst', description: 'destination number, % wildcards' },
    { name: 's_duration', description: 'calls lasting at least this many seconds' },
    { name: 'dst_group', description: 'destination group name' },
    { name: 'use_real_billsec', description: '1: real (unrounded) billsec' },
    { name: 'from_user_perspective', description: "accepted; prices are the users' prices already" },
    { name: 'answered_calls', description: 'only rows with at least this many answered calls' },
    { name: 'hash', required: true, description: 'sha1(secret key)' },
  ],
  run: guarded(pageError, async ({ ctx, params }) => {
    const groups = [
      ...new Set(
        Object.entries(GROUP_PARAMS)
          .filter(([name]) => params.value(name) === '1')
          .map(([, g]) => g),
      ),
    ];
    const count = (name: string) => {
      const value = params.value(name);
      return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
    };
    const result = await aggregateCalls(ctx, {
      from: unixTime(params.value('from'), 0) ?? undefined,
      till: unixTime(params.value('till'), 0) ?? undefined,
      groups,
      userId: filterId(params, 's_originator_id'),
      terminatorId: filterId(params, 's_terminator_id'),
      deviceId: filterId(params, 's_device', 's_op_device'),
      providerId: filterId(params, 's_provider', 's_tp_device'),
      src: params.value('a_src'),
      dst: params.value('a_dst'),
      minDuration: count('s_duration'),
      dstGroup: params.value('dst_group'),
      realBillsec: params.value('use_real_billsec') === '1',
      minAnswered: count('answered_calls'),
      currency: params.value('a_currency')?.toUpperCase(),
    }).catch((error) => {
      if (error instanceof DomainError) refuse(pageError, error.message);
      throw error;
    });
    return page({
      aggregates: { aggregate: result.rows.map((r) => ({ ...Object.fromEntries(r.keys), ...figuresXml(r) })) },
      totals: figuresXml(result.totals),
    });
  }),
});
