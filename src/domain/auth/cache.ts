import type { Db } from '../../db/types.ts';
import { resolveToken } from '../tokens/resolveToken.ts';
import { type AccountLookup, loadAuth } from './loadAuth.ts';
import type { Account, AuthInfo } from './types.ts';

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
 *
 * Bearer tokens of the admin API (tRPC, /metrics, the CSV export, recordings) are held the same way:
 * the account a token acts as, dropped on the same signal (drizzle/0033 adds admin_tokens to it, so a
 * revoked token is refused from the next call everywhere). An unknown or refused token is never held:
 * random tokens cannot fill the memory, and a token issued a moment ago works at once.
 */
export class AuthCache {
  private entries = new Map<string, Promise<AuthInfo>>();
  private tokens = new Map<string, Promise<Account | null>>();
  private generation = 0;
  private hits = 0;
  private misses = 0;
  private invalidations = 0;

  constructor(
    private readonly db: Db,
    readonly enabled: boolean,
  ) {}

  get(lookup: AccountLookup): Promise<AuthInfo> {
    if (!this.enabled) return loadAuth(this.db, lookup);
    const key = lookup === null ? '' : `${lookup.by[0]}:${lookup.value}`;
    // Never keep an unknown account.
    return this.held(
      this.entries,
      key,
      () => loadAuth(this.db, lookup),
      (info) => lookup === null || info.account !== null,
    );
  }

  /** The account a bearer token acts as, or null (see resolveToken); the answer is shared, never change it. */
  token(token: string): Promise<Account | null> {
    if (!this.enabled) return resolveToken(this.db, token);
    return this.held(
      this.tokens,
      token,
      () => resolveToken(this.db, token),
      (account) => account !== null,
    );
  }

  /**
   * The entry for `key`, loading it once when absent (concurrent callers share the load). A result that
   * raced an invalidation, or that `keep` refuses, is answered but not kept; a failed load is not kept.
   */
  private async held<T>(
    entries: Map<string, Promise<T>>,
    key: string,
    load: () => Promise<T>,
    keep: (value: T) => boolean,
  ): Promise<T> {
    const hit = entries.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const generation = this.generation;
    const pending = load();
    entries.set(key, pending);
    try {
      const value = await pending;
      if (generation !== this.generation || !keep(value)) {
        if (entries.get(key) === pending) entries.delete(key);
      } else if (entries.size > MAX_ENTRIES) {
        entries.clear();
      }
      return value;
    } catch (error) {
      entries.delete(key);
      throw error;
    }
  }

  /** Lookups answered from memory, lookups that loaded, invalidations, entries held (for /metrics). */
  stats(): { hits: number; misses: number; invalidations: number; entries: number } {
    return {
      hits: this.hits,
      misses: this.misses,
      invalidations: this.invalidations,
      entries: this.entries.size + this.tokens.size,
    };
  }

  invalidate(): void {
    this.invalidations++;
    this.generation++;
    this.entries.clear();
    this.tokens.clear();
  }
}
