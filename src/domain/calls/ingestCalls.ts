import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import { providerRuleTariffs } from '../routing/ruleTariffs.ts';
import { type CheckedCall, checkCall } from './ingest/callRow.ts';
import { IsoClock } from './ingest/isoClock.ts';
import { loadOrigins, type Origin } from './ingest/originators.ts';
import { type RatedInput, storeCalls } from './ingest/storeCalls.ts';
import { ZoneClock } from './ingest/zoneClock.ts';

/** Most calls one request may carry. */
export const MAX_BATCH = 10_000;

/** calls.ingest: the batch shape only; each call is checked on its own so a bad one never blocks the rest. */
export const IngestCalls = v.object({
  calls: v.pipe(v.array(v.unknown()), v.maxLength(MAX_BATCH, `at most ${MAX_BATCH} calls per request`)),
});
export type IngestCalls = v.InferOutput<typeof IngestCalls>;

export interface IngestResult {
  /** Calls stored (rated and charged) by this request. */
  inserted: number;
  /** Calls whose uniqueid was stored before, or came earlier in this batch: ignored, never charged again. */
  duplicates: number;
  /** Calls refused, by position in `calls`, with the reason. */
  rejected: { index: number; reason: string }[];
}

/** Who may report calls: the admin (the switch acts for the system). */
export function requireIngestRight(ctx: Ctx): void {
  if (ctx.actor.usertype !== 'admin') throw forbidden('calls_ingest', 'Only the admin may report calls');
}

/**
 * Stores finished calls, rated and charged exactly once. Each call is checked alone (a bad one is
 * listed in `rejected` and changes nothing); the good ones are stored with a fixed number of
 * statements whatever the batch size: originators, the provider rules that switch a
 * tariff (only when a provider of the batch has one), month partitions (before the transaction),
 * claim + rate + insert + charge (one statement). A uniqueid seen before — earlier in this batch, or stored by any
 * earlier request — counts as a duplicate and is neither stored nor charged again.
 */
export async function ingestCalls(ctx: Ctx, input: IngestCalls): Promise<IngestResult> {
  requireIngestRight(ctx);
  const now = ctx.clock();
  return ingestChecked(ctx, input.calls, (raw, index) => checkCall(raw, index, now));
}

/** The shared path of ingest, importCsv and activeCalls.end: `check` turns each raw item into a call. */
export async function ingestChecked<T>(
  ctx: Ctx,
  items: readonly T[],
  check: (item: T, index: number) => CheckedCall | string,
): Promise<IngestResult> {
  const plan = await planBatch(ctx, items, check);
  const { rows, duplicates, rejected } = plan;
  if (rows.length === 0) return { inserted: 0, duplicates, rejected };
  await ensurePartitions(ctx, plan.months);
  // One statement stores and charges: atomic by itself, no transaction around it.
  const { stored } = await storeCalls(ctx.db, rows);
  return { inserted: stored, duplicates: duplicates + rows.length - stored, rejected };
}

/** A batch checked and resolved, ready for storeCalls (the rows), before anything is written. */
export interface BatchPlan {
  rows: RatedInput[];
  /** The months (YYYY-MM) the rows fall in: their partitions must exist. */
  months: string[];
  duplicates: number;
  rejected: IngestResult['rejected'];
}

/** Checks each item, resolves originators (one statement) and computes the payers' wall clocks. */
export async function planBatch<T>(
  ctx: Pick<Ctx, 'db'>,
  items: readonly T[],
  check: (item: T, index: number) => CheckedCall | string,
): Promise<BatchPlan> {
  const rejected: IngestResult['rejected'] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const good: CheckedCall[] = [];
  items.forEach((item, index) => {
    const call = check(item, index);
    if (typeof call === 'string') rejected.push({ index, reason: call });
    else good.push(call);
  });

  const ids = new Set<number>();
  const names = new Set<string>();
  for (const c of good) {
    if (c.origin.by === 'id') ids.add(c.origin.id);
    else names.add(c.origin.username);
    if (c.dstDeviceId !== null) ids.add(c.dstDeviceId);
  }
  const origins = await loadOrigins(ctx.db, [...ids], [...names]);
  const byId = new Map<number, Origin>();
  const byName = new Map<string, Origin>();
  const byCode = new Map<number, Origin>();
  for (const o of origins) {
    byId.set(o.deviceId, o);
    byName.set(o.username, o);
    if (o.accountcode > 0) byCode.set(o.accountcode, o);
  }

  const clock = new ZoneClock();
  const iso = new IsoClock();
  const rows: RatedInput[] = [];
  const months = new Set<string>();
  for (const c of good) {
    const origin =
      c.origin.by === 'id'
        ? byId.get(c.origin.id)
        : (byName.get(c.origin.username) ??
          (c.origin.field === 'accountcode' && /^\d{1,9}$/.test(c.origin.username)
            ? byCode.get(Number(c.origin.username))
            : undefined));
    if (!origin) {
      rejected.push({ index: c.index, reason: originMissing(c) });
      continue;
    }
    const dst = c.dstDeviceId === null ? null : byId.get(c.dstDeviceId);
    if (dst === undefined) {
      rejected.push({ index: c.index, reason: `dstDeviceId ${c.dstDeviceId}: no such device` });
      continue;
    }
    if (seen.has(c.uniqueid)) {
      duplicates++;
      continue;
    }
    seen.add(c.uniqueid);
    const ms = c.calldate.getTime();
    const calldate = iso.text(ms);
    const skip = c.disposition !== 'ANSWERED' ? 'unanswered' : dst !== null ? 'local' : null;
    const u = origin.user;
    const r = origin.reseller;
    const uc = clock.at(ms, u.timeZone);
    const rc = r ? clock.at(ms, r.timeZone) : null;
    months.add(calldate.slice(0, 7));
    rows.push({
      i: c.index,
      uniqueid: c.uniqueid,
      calldate,
      answer_time: c.answerTime === null ? null : iso.text(c.answerTime.getTime()),
      end_time: iso.text(c.endTime.getTime()),
      duration: c.duration,
      billsec: c.billsec,
      disposition: c.disposition,
      src: c.src,
      clid: c.clid,
      dst: c.dst,
      digits: c.digits,
      user_id: u.id,
      device_id: origin.deviceId,
      reseller_id: r?.id ?? null,
      dst_user_id: dst?.user.id ?? null,
      dst_device_id: dst?.deviceId ?? null,
      did_id: c.didId,
      hangupcause: c.hangupcause,
      provider_id: c.providerId,
      p_tariff: null,
      channel: c.channel,
      call_type: dst ? 'local' : 'outside',
      skip,
      u_tariff: u.tariffId,
      u_purpose: skip ? null : u.purpose,
      u_dt: uc.dayType,
      u_time: uc.time,
      u_trate: u.tariffRate,
      u_orate: u.ownRate,
      r_tariff: r?.tariffId ?? null,
      r_purpose: skip || !r ? null : r.purpose,
      r_dt: rc?.dayType ?? null,
      r_time: rc?.time ?? null,
      r_trate: r?.tariffRate ?? null,
      r_orate: r?.ownRate ?? null,
    });
  }
  rejected.sort((a, b) => a.index - b.index);
  const ruleTariffs = await providerRuleTariffs(
    ctx.db,
    rows.map((r) => ({ providerId: r.skip === null ? r.provider_id : null, digits: r.digits, src: r.src })),
  );
  rows.forEach((r, k) => {
    r.p_tariff = ruleTariffs[k] ?? null;
  });
  return { rows, months: [...months], duplicates, rejected };
}

function originMissing(c: CheckedCall): string {
  if (c.origin.by === 'id') return `deviceId ${c.origin.id}: no such device`;
  return `${c.origin.field} ${c.origin.username}: no such device`;
}

/**
 * The month partitions of `months` (YYYY-MM), created when missing — before the batch's transaction,
 * so creating one never holds the calls table's lock for a whole batch.
 */
export async function ensurePartitions(ctx: Pick<Ctx, 'db'>, months: string[]): Promise<void> {
  if (months.length === 0) return;
  const days = months.map((m) => `${m}-01T00:00:00Z`);
  await queryRows(
    ctx.db,
    sql`select openmor_calls_partition(d) from unnest(${`{${days.join(',')}}`}::timestamptz[]) d`,
  );
}
