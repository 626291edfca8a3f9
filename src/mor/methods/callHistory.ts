import type { CallDisposition } from '../../db/partitioned/calls.ts';
import { encodedPages } from '../../domain/calls/encodedPages.ts';
import type { CallHistory, CallHistoryQuery, CallRow, OrderKey } from '../../domain/calls/history.ts';
import { ORDER_KEYS, openCallHistory } from '../../domain/calls/history.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { escapeText, pageError, renderFragment } from '../xml.ts';
import { guarded, idOf, unixTime } from './moneySupport.ts';

/** user_calls_get's newest hash order, with the MOR 8 names hashed in place of their successors. */
const USER_CALLS_HASH = [
  'period_start',
  'period_end',
  's_user',
  'user_id',
  's_call_type',
  'calltype',
  's_device',
  'device',
  's_provider',
  's_hgc',
  's_did',
  's_destination',
  'order_by',
  'order_desc',
  'only_did',
  's_uniqueid',
  's_callback_uniqueid',
  'originator_codec_name',
  'terminator_codec_name',
  'direction',
] as const;

/** The MOR 8 form: user_id, period_start, period_end, direction, calltype, device, then the key. */
const MOR8_HASH = ['user_id', 'period_start', 'period_end', 'direction', 'calltype', 'device'] as const;

const CALL_TYPES: Record<string, { disposition?: CallDisposition; missed?: boolean }> = {
  all: {},
  answered: { disposition: 'ANSWERED' },
  'no answer': { disposition: 'NO ANSWER' },
  no_answer: { disposition: 'NO ANSWER' },
  failed: { disposition: 'FAILED' },
  busy: { disposition: 'BUSY' },
  missed: { missed: true },
  missed_inc: { missed: true },
  missed_inc_all: { missed: true },
  missed_not_processed_inc: { missed: true },
};

/** An id filter: absent, `all` (and `0` where the page allows it) = no filter; a bad value matches nothing. */
function idFilter(params: Params, name: string, zeroIsAll = false): number | undefined {
  const value = params.value(name);
  if (value === undefined || value === 'all' || (zeroIsAll && value === '0')) return undefined;
  const id = idOf(params, name);
  return id === undefined || Number.isNaN(id) ? -1 : id;
}

/** The request as a history query: newest names win over their MOR 8 synonyms. */
function queryOf(params: Params): CallHistoryQuery {
  const text = (name: string) => params.value(name);
  const from = unixTime(text('period_start'), 0) ?? undefined;
  const till = unixTime(text('period_end'), 0) ?? undefined;
  const user = text('s_user') ?? text('user_id');
  const type = CALL_TYPES[(text('s_call_type') ?? text('calltype') ?? 'all').toLowerCase()] ?? {};
  const orderBy = (text('order_by') ?? 'time') as OrderKey;
  const q: CallHistoryQuery = {
    from,
    till,
    userId: user === undefined || user === 'all' ? 'all' : /^\d{1,9}$/.test(user) ? Number(user) : -1,
    direction: type.missed || text('direction') === 'incoming' ? 'incoming' : 'outgoing',
    disposition: type.disposition,
    unanswered: type.missed,
    deviceId: params.value('s_device') !== undefined ? idFilter(params, 's_device') : idFilter(params, 'device'),
    providerId: idFilter(params, 's_provider'),
    hangupCauseId: idFilter(params, 's_hgc', true),
    didId: idFilter(params, 's_did'),
    destination: text('s_destination'),
    onlyDid: text('only_did') === '1',
    uniqueid: text('s_uniqueid'),
    callbackUniqueid: text('s_callback_uniqueid'),
    originatorCodec: text('originator_codec_name'),
    terminatorCodec: text('terminator_codec_name'),
    resellerId: idFilter(params, 's_reseller'),
    orderBy: (ORDER_KEYS as readonly string[]).includes(orderBy) ? orderBy : 'time',
    desc: text('order_desc') === '1',
  };
  return q;
}

/** The `<call>` tags that are not spelt like their CallRow field. */
const FIELD_OF = {
  user_id: 'userId',
  user_rate: 'userRate',
  user_price: 'userPrice',
  reseller_rate: 'resellerRate',
  reseller_price: 'resellerPrice',
  provider_rate: 'providerRate',
  provider_price: 'providerPrice',
  did_price: 'didPrice',
  did_inc_price: 'didIncPrice',
  did_prov_price: 'didProvPrice',
  server_id: 'serverId',
} as const satisfies Record<string, keyof CallRow>;

/** The tags of one `<call>` in the Call entity's order, money tags only where the reader may see them. */
export function callTags(h: Pick<CallHistory, 'view' | 'providerData'>): string[] {
  const full = h.view === 'full';
  const reseller = h.view === 'reseller';
  const tags = ['calldate', 'timezone', 'src', 'clid', 'dst', 'prefix', 'destination', 'duration', 'billsec'];
  tags.push('disposition', 'hangupcause', 'user_id', 'user', 'device');
  if (h.view !== 'none') tags.push('user_rate', 'user_price');
  if (h.view !== 'user') tags.push('reseller');
  if (full || reseller) tags.push('reseller_rate', 'reseller_price');
  if (h.view === 'none' || h.providerData) tags.push('provider');
  if (h.providerData) tags.push('provider_rate', 'provider_price');
  if (h.view !== 'user') tags.push('did');
  if (full) tags.push('did_price', 'did_inc_price', 'did_prov_price');
  if (full || reseller) tags.push('profit');
  tags.push('server_id', 'uniqueid');
  return tags;
}

/**
 * A page of `<call>` elements at depth 3, byte for byte what renderFragment({ call: [...] }, 3) writes
 * (one element per line, text escaped, an absent hangup cause as an empty element), concatenated
 * straight from the rows: no element tree and no array of pieces per call, so a 100,000-call answer
 * allocates about its own size in strings and little else (the streamed answer's memory, bench:calls-read).
 */
export function callsXml(rows: CallRow[], tags: string[]): string {
  const fields = tags.map((tag) => [
    `        <${tag}>`,
    `</${tag}>\n`,
    (FIELD_OF as Record<string, keyof CallRow>)[tag] ?? (tag as keyof CallRow),
  ]) as [string, string, keyof CallRow][];
  let out = '';
  for (const c of rows) {
    out += '      <call>\n';
    for (const [open, close, field] of fields) {
      const value = field === 'hangupcause' ? (c.hangupcause ?? '') : c[field];
      if (value === undefined || value === null) continue;
      out += open + (typeof value === 'number' ? String(value) : escapeText(value)) + close;
    }
    out += '      </call>\n';
  }
  return out;
}

/** The document, streamed: the head, then the calls a page at a time as the client reads. */
async function* historyXml(h: CallHistory): AsyncIterable<string | Uint8Array> {
  yield '<page>\n  <calls_stat>\n';
  yield renderFragment({ period_start: h.period.fromLocal, period_end: h.period.tillLocal }, 2);
  yield renderFragment({ total_calls: await h.total(), currency: h.currency }, 2);
  const tags = callTags(h);
  let open = false;
  for await (const piece of encodedPages(h.pages, (calls) => callsXml(calls, tags))) {
    if (!open) yield '    <calls>\n';
    open = true;
    yield piece;
  }
  yield open ? '    </calls>\n' : '    <calls></calls>\n';
  yield '  </calls_stat>\n</page>\n';
}

export const userCallsGet = defineMethod({
  name: 'user_calls_get',
  aliases: ['user_calls', 'calls'],
  family: 'calls',
  summary: "Calls (CDRs) of a period in the caller's reach, filtered and ordered; streamed.",
  identity: 'caller',
  hash: USER_CALLS_HASH,
  hashUnless: { user_id: 's_user', calltype: 's_call_type', device: 's_device' },
  altHashes: [{ order: MOR8_HASH, requires: ['user_id'] }],
  callers: ['admin', 'accountant', 'reseller', 'user'],
  access: 'read',
  unknownCaller: pageError('Access Denied'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller: admin, reseller, user, accountant with Calls and statistics' },
    { name: 'period_start', description: 'Unix time: calls with calldate ≥ (default today 00:00:00, system time)' },
    { name: 'period_end', description: 'Unix time: calls with calldate ≤ (default today 23:59:59)' },
    { name: 's_user', description: 'user id or `all` (a simple user: always itself); MOR 8: user_id' },
    { name: 's_call_type', description: 'all, answered, no answer, failed, busy; MOR 8: calltype (also missed…)' },
    { name: 's_device', description: 'source device id or all; MOR 8: device' },
    { name: 's_provider', description: 'provider id or all (admin, accountant; a reseller its own providers)' },
    { name: 's_hgc', description: 'hangup cause id, all or 0 (not for simple users)' },
    { name: 's_did', description: 'DID id or all (admin, accountant)' },
    { name: 's_destination', description: 'destination prefix; digits with % wildcards (other text: ignored)' },
    { name: 'order_by', description: `sort column: ${ORDER_KEYS.join(', ')} (default time)` },
    { name: 'order_desc', description: '1: descending' },
    { name: 'only_did', description: '1: only calls that came through a DID' },
    { name: 's_uniqueid', description: 'exact call uniqueid; every other filter is then ignored' },
    { name: 's_callback_uniqueid', description: 'calls of one callback' },
    { name: 'originator_codec_name', description: 'originator codec' },
    { name: 'terminator_codec_name', description: 'terminator codec' },
    { name: 'direction', description: 'MOR 8: outgoing (default) or incoming' },
    { name: 's_reseller', description: "admin: calls of one reseller's users (not hashed)" },
    {
      name: 'hash',
      required: true,
      description:
        'sha1(the sent values of period_start … terminator_codec_name in that order + key); MOR 8: sha1(user_id + period_start + period_end + direction + calltype + device + key)',
    },
  ],
  run: guarded(pageError, async ({ ctx, params }) => {
    const history = await openCallHistory(ctx, queryOf(params));
    return { kind: 'xmlStream', body: historyXml(history) };
  }),
});
