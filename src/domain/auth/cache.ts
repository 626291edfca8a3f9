import type { Db } from '../../db/types.ts';
import { type AccountLookup, loadAuth } from './loadAuth.ts';
import type { AuthInfo } from './types.ts';

/** NOTIFY channel the database triggers of drizzle/0001 signal on every auth-relevant change. */
export const AUTH_CHANNEL = 'openmor_auth';

const MAX_ENTRIES = 50_000;

/**
 * Caches AuthInfo per account so the hot path costs no gatekeeping round trip.
 *
 * Why it is safe to share across requests: every entry is dropped (1) at once by the process that
 * changes settings, users' identity columns, whitelisted IPs or permission groups (domain calls
 * `invalidate()`), and (2) in every other instance when the database's statement triggers NOTIFY
 * `openmor_auth` after the commit. Unknown accounts are never cached, so a new user is seen at once.
 * Where no LISTEN connection can be held (Workers) the cache is disabled and every request loads.
 */
export class AuthCache {
  private entries = new Map<string, Promise<AuthInfo>>();
  private generation = 0;
  private hits = 0;
  private misses = 0;
  private invalidations = 0;

  constructor(
    private readonly db: Db,
    readonly enabled: boolean,
  ) {}

  async get(lookup: AccountLookup): Promise<AuthInfo> {
    if (!this.enabled) return loadAuth(this.db, lookup);
    const key = lookup === null ? '' : `${lookup.by[0]}:${lookup.value}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const generation = this.generation;
    const pending = loadAuth(this.db, lookup);
    this.entries.set(key, pending);
    try {
      const info = await pending;
      // Drop results that raced an invalidation, and never keep an unknown account.
      if (generation !== this.generation || (lookup !== null && info.account === null)) {
        if (this.entries.get(key) === pending) this.entries.delete(key);
      } else if (this.entries.size > MAX_ENTRIES) {
        this.entries.clear();
      }
      return info;
    } catch (error) {
      this.entries.delete(key);
      throw error;
    }
  }

  /** Lookups answered from memory, lookups that loaded, invalidations, entries held (for /metrics). */
  stats(): { hits: number; misses: number; invalidations: number; entries: number } {
    return { hits: this.hits, misses: this.misses, invalidations: this.invalidations, entries: this.entries.size };
  }

  invalidate(): void {
    this.invalidations++;
    this.generation++;
    this.entries.clear();
  }
}
