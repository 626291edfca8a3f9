import { asc } from 'drizzle-orm';
import { whitelistedIps } from '../../db/schema/settings.ts';
import type { Ctx } from '../ctx.ts';
import { requireMonitorings } from './monitoringsAccess.ts';

export interface WhitelistedIpView {
  id: number;
  /** A single IPv4 address or a canonical CIDR network. */
  ip: string;
  /** "Allow API access": the row counts for "Restrict API access by IP". */
  allowApi: boolean;
  comment: string;
  createdAt: string;
}

export const whitelistedIpView = (row: typeof whitelistedIps.$inferSelect): WhitelistedIpView => ({
  id: row.id,
  ip: row.ip,
  allowApi: row.allowApi,
  comment: row.comment,
  createdAt: row.createdAt.toISOString(),
});

/** Security → Whitelisted IPs, oldest first. */
export async function listWhitelistedIps(ctx: Ctx): Promise<WhitelistedIpView[]> {
  requireMonitorings(ctx.actor, 1);
  const rows = await ctx.db.select().from(whitelistedIps).orderBy(asc(whitelistedIps.id));
  return rows.map(whitelistedIpView);
}
