import type { Log } from '../../ctx.ts';
import type { LookupScope } from '../lookupQuery.ts';
import type { RateBand } from '../rateOutcome.ts';
import type { CopyPort } from './indexLoads.ts';
import type { TargetUser, TariffMeta } from './loaders.ts';
import type { BandsByGroup, RetailBand } from './retailIndex.ts';
import type { WholesaleIndex } from './wholesaleIndex.ts';

/** The rate index's vocabulary (options, stats, slots, size estimates) and its small pure helpers. */

/** NOTIFY channel of drizzle/0007's triggers (and of this class's barriers). */
export const RATING_CHANNEL = 'openmor_rating';

/** What a lookup asks: the target user by username, the digits, exact or longest-prefix. */
export interface IndexTarget {
  username: string;
  digits: string;
  full: boolean;
  at: Date;
}

export interface RateIndexOptions {
  /**
   * Bytes the index may retain (RATE_INDEX_MAX_MB); a tariff, or the destination list, that would pass
   * it is never cached: it stays on the SQL path, is logged once and listed by `stats().tooLarge`.
   */
  maxBytes: number;
  /** Postgres: local writes are seen through a NOTIFY round trip (see `settle`). PGlite hears its own at commit. */
  barrier: boolean;
  log: Log;
  /** Bulk reads for wholesale loads (the DbHandle's COPY). */
  copy: CopyPort;
}

export interface RateIndexStats {
  hits: number;
  misses: number;
  heldRows: number;
  heldMb: number;
  maxMb: number;
  tariffs: number;
  users: number;
  tooLarge: { what: string; rows: number; mb: number }[];
}

export type Tariff =
  | { kind: 'wholesale'; meta: TariffMeta; index: WholesaleIndex }
  | { kind: 'retail'; meta: TariffMeta; bands: BandsByGroup }
  | { kind: 'other'; meta: TariffMeta | null };

/** A slot being loaded; the loader stores its result only if the slot still holds the same marker. */
export interface Loading {
  loading: true;
}
export type Slot<T> = T | Loading | 'skip';

export const RETRY_MS = 30_000;
/**
 * What a wholesale rate is expected to retain before its tariff is loaded (the check that keeps a
 * tariff that cannot fit from being read at all); the exact size is checked again once loaded.
 * Measured: about 50 B per rate with its destination name and one band (bench:rating).
 */
export const EXPECTED_RATE_BYTES = 56;
/** The same for a destination (retail lookups) and for a retail rate's bands. */
export const EXPECTED_DESTINATION_BYTES = 40;
export const EXPECTED_RETAIL_RATE_BYTES = 400;
export const MAX_KEYS = 100_000;
/** Account types that have a user tariff (admins and accountants do not). */
export const RATED = new Set(['user', 'reseller', 'partner']);

/** A cached slot's value; null while it loads or when it is not cached ('skip'). */
export function readyValue<T extends object>(slot: Slot<T>): T | null {
  return slot === 'skip' || 'loading' in slot ? null : (slot as T);
}

/** Who sees whom (the `visible` column of lookupQuery). */
export function visible(scope: LookupScope, user: TargetUser): boolean {
  switch (scope.role) {
    case 'admin':
      return scope.adminSeesAll || user.ownerId === 0;
    case 'accountant':
      return user.ownerId === 0 && user.id !== 0;
    case 'reseller':
      return user.id === scope.actorId || user.ownerId === scope.actorId;
    default:
      return user.id === scope.actorId;
  }
}

export function tariffBytes(tariff: Tariff): number {
  return tariff.kind === 'wholesale'
    ? tariff.index.bytes
    : tariff.kind === 'retail'
      ? tariff.meta.size * EXPECTED_RETAIL_RATE_BYTES
      : 0;
}

export function tariffRows(tariff: Tariff): number {
  return tariff.kind === 'wholesale' ? tariff.index.size : tariff.kind === 'retail' ? tariff.meta.size : 0;
}

export const retailLine = (b: RetailBand, name: string, prefix: string): RateBand => ({
  price: b.price,
  name,
  prefix,
  daytype: b.daytype,
  startTime: b.start_time,
  endTime: b.end_time,
  from: b.from,
  artype: b.artype,
});
