import type { Hono } from 'hono';
import type { CallDisposition } from '../db/partitioned/calls.ts';
import { CALL_DISPOSITIONS } from '../db/partitioned/calls.ts';
import { encodedPages } from '../domain/calls/encodedPages.ts';
import type { CallHistory, CallHistoryQuery, CallRow, OrderKey } from '../domain/calls/history.ts';
import { ORDER_KEYS, openCallHistory } from '../domain/calls/history.ts';
import type { Ctx } from '../domain/ctx.ts';
import { DomainError } from '../domain/errors.ts';
import type { AdminDeps } from './trpc.ts';

/** A CSV field: quoted when it holds a separator, a quote or a line break. */
const field = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The columns of the export, as the reader may see them (the same money rule as user_calls_get). */
function columns(h: Pick<CallHistory, 'view' | 'providerData'>): [string, (c: CallRow) => string | number | null][] {
  const cols: [string, (c: CallRow) => string | number | null][] = [
    ['calldate', (c) => c.calldate],
    ['timezone', (c) => c.timezone],
    ['src', (c) => c.src],
    ['clid', (c) => c.clid],
    ['dst', (c) => c.dst],
    ['prefix', (c) => c.prefix],
    ['destination', (c) => c.destination],
    ['duration', (c) => c.duration],
    ['billsec', (c) => c.billsec],
    ['disposition', (c) => c.disposition],
    ['hangupcause', (c) => c.hangupcause],
    ['user_id', (c) => c.userId],
    ['user', (c) => c.user],
    ['device', (c) => c.device],
  ];
  const full = h.view === 'full';
  const priced = full || h.view === 'reseller';
  if (h.view !== 'none') cols.push(['user_rate', (c) => c.userRate], ['user_price', (c) => c.userPrice]);
  cols.push(['reseller', (c) => c.reseller]);
  if (priced) cols.push(['reseller_rate', (c) => c.resellerRate], ['reseller_price', (c) => c.resellerPrice]);
  if (h.view === 'none' || h.providerData) cols.push(['provider', (c) => c.provider]);
  if (h.providerData) cols.push(['provider_rate', (c) => c.providerRate], ['provider_price', (c) => c.providerPrice]);
  cols.push(['did', (c) => c.did]);
  if (full) {
    cols.push(
      ['did_price', (c) => c.didPrice],
      ['did_inc_price', (c) => c.didIncPrice],
      ['did_prov_price', (c) => c.didProvPrice],
    );
  }
  if (priced) cols.push(['profit', (c) => c.profit]);
  cols.push(['server_id', (c) => c.serverId], ['uniqueid', (c) => c.uniqueid]);
  return cols;
}

async function* csv(h: CallHistory): AsyncIterable<string | Uint8Array> {
  const cols = columns(h);
  yield `${cols.map(([name]) => name).join(',')}\r\n`;
  // As user_calls_get: each page encoded as soon as it is read (a flat heap while streaming).
  yield* encodedPages(h.pages, (calls) => {
    let out = '';
    for (const c of calls) out += `${cols.map(([, get]) => field(get(c))).join(',')}\r\n`;
    return out;
  });
}

/** Query parameters of the export → a history query; a malformed value names the parameter. */
function queryOf(url: URL): CallHistoryQuery | string {
  const q: CallHistoryQuery = {};
  const p = (name: string) => url.searchParams.get(name) ?? undefined;
  for (const [name, key] of [
    ['from', 'from'],
    ['till', 'till'],
  ] as const) {
    const value = p(name);
    if (value === undefined) continue;
    const time = /^\d{1,12}$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    if (Number.isNaN(time)) return name;
    q[key] = new Date(time).toISOString();
  }
  for (const [name, key] of [
    ['userId', 'userId'],
    ['deviceId', 'deviceId'],
    ['providerId', 'providerId'],
    ['didId', 'didId'],
    ['resellerId', 'resellerId'],
  ] as const) {
    const value = p(name);
    if (value === undefined) continue;
    if (!/^\d{1,9}$/.test(value)) return name;
    q[key] = Number(value);
  }
  const disposition = p('disposition');
  if (disposition !== undefined) {
    if (!(CALL_DISPOSITIONS as readonly string[]).includes(disposition)) return 'disposition';
    q.disposition = disposition as CallDisposition;
  }
  const orderBy = p('orderBy');
  if (orderBy !== undefined) {
    if (!(ORDER_KEYS as readonly string[]).includes(orderBy)) return 'orderBy';
    q.orderBy = orderBy as OrderKey;
  }
  q.desc = p('desc') === '1' || p('desc') === 'true';
  q.destination = p('destination');
  q.uniqueid = p('uniqueid');
  return q;
}

/**
 * GET /admin/calls.csv — the call history as CSV, streamed a page at a time (a tRPC answer is one
 * JSON document held in memory; a period of millions of calls is not). Bearer token of the admin
 * API; the same reach, filters and money columns as user_calls_get. Parameters: from, till (Unix
 * seconds or ISO 8601; default today in the system time zone), userId, deviceId, providerId, didId,
 * resellerId, disposition, destination, uniqueid, orderBy (user_calls_get's order_by values), desc.
 */
export function mountCallsCsv(app: Hono, deps: Pick<AdminDeps, 'handle' | 'authCache' | 'log' | 'clock' | 'clientIp'>) {
  app.get('/admin/calls.csv', async (c) => {
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? '';
    const actor = token ? await deps.authCache.token(token) : null;
    if (!actor) return c.json({ error: 'Missing or invalid bearer token' }, 401);
    const query = queryOf(new URL(c.req.url));
    if (typeof query === 'string') return c.json({ error: `Invalid ${query}` }, 400);
    const ctx: Ctx = {
      db: deps.handle.db,
      actor,
      clock: deps.clock,
      log: deps.log,
      ip: deps.clientIp(c.req.raw, c.env),
      invalidateAuth: () => deps.authCache.invalidate(),
    };
    let history: CallHistory;
    try {
      history = await openCallHistory(ctx, query);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return c.json({ error: error.message }, error.code === 'NOT_FOUND' ? 404 : 403);
    }
    const encoder = new TextEncoder();
    const pieces = csv(history)[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await pieces.next();
          if (done) controller.close();
          else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value);
        } catch (error) {
          deps.log.error('calls.csv stream failed', { error: String((error as Error).stack ?? error) });
          controller.error(error);
        }
      },
      async cancel() {
        await pieces.return?.();
      },
    });
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="calls.csv"',
    });
  });
}
