/**
 * Routing configuration held in process, so that a warm routeCall costs no statement: each device's
 * routing account (its user's LCR and time zone, its location and the location rules in force) and
 * each LCR's providers (order settings, provider rules, tariff currency and exchange rate). Prices are
 * not here: they come from the rate index. drizzle/0032's triggers send 'routing' on the rate index's
 * channel after any commit that changes what is held; every instance then drops it all (RateIndex
 * owns this cache, so it shares its LISTEN, its reconnect handling and `settle()` after local writes).
 * A value read before an invalidation is never stored after it (generation check).
 */
export class RoutingCache<Account, Provider> {
  private readonly accounts = new Map<number, Account>();
  private readonly lcrs = new Map<number, readonly Provider[]>();
  private generation = 0;
  /** Entries of each map before it is emptied (bounded like the rate index's user cache). */
  static readonly MAX_KEYS = 100_000;

  /** The current generation: pass it back to `put*` so a value read before a clear is dropped. */
  get now(): number {
    return this.generation;
  }

  clear(): void {
    this.generation++;
    this.accounts.clear();
    this.lcrs.clear();
  }

  account(deviceId: number): Account | undefined {
    return this.accounts.get(deviceId);
  }

  putAccount(deviceId: number, account: Account, generation: number): void {
    if (generation !== this.generation) return;
    if (this.accounts.size >= RoutingCache.MAX_KEYS) this.accounts.clear();
    this.accounts.set(deviceId, account);
  }

  providers(lcrId: number): readonly Provider[] | undefined {
    return this.lcrs.get(lcrId);
  }

  putProviders(lcrId: number, providers: readonly Provider[], generation: number): void {
    if (generation !== this.generation) return;
    if (this.lcrs.size >= RoutingCache.MAX_KEYS) this.lcrs.clear();
    this.lcrs.set(lcrId, providers);
  }

  get size(): { accounts: number; lcrs: number } {
    return { accounts: this.accounts.size, lcrs: this.lcrs.size };
  }
}
