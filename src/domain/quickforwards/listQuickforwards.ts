import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { eligibleDids } from './eligibleDids.ts';

/** quickforwards_dids_get: the caller's Quickforwards DIDs with its forward number and note. */
export async function listQuickforwards(ctx: Ctx) {
  const rows = await eligibleDids(ctx);
  if (rows.length === 0) throw notFound('quickforwards', 'Quickforwards list is empty');
  return rows.map((r) => ({ did: r.did, forwardTo: r.number ?? '', description: r.description ?? '' }));
}
