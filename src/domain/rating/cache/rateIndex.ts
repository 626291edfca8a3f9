import type { Db } from '../../../db/types.ts';
import type { LcrProviderRow, RouteAccount } from '../../routing/routeCall.ts';
import { RoutingCache } from '../../routing/routingCache.ts';
import type { LookupScope } from '../lookupQuery.ts';
import type { RateOutcome } from '../rateOutcome.ts';
import { loadDestinationIndex, loadWholesaleIndex } from './indexLoads.ts';
import {
  EXPECTED_DESTINATION_BYTES,
  EXPECTED_RATE_BYTES,
  EXPECTED_RETAIL_RATE_BYTES,
  type IndexTarget,
  type Loading,
  MAX_KEYS,
  RATED,
  RATING_CHANNEL,
  type RateIndexOptions,
  type RateIndexStats,
  RETRY_MS,
  readyValue,
  retailLine,
  type Slot,
  type Tariff,
  tariffBytes,
  tariffRows,
  visible,
} from './indexShape.ts';
import {
  countDestinations,
  loadCustomBands,
  loadRetailBands,
  loadTargetUser,
  loadTariffMeta,
  type TargetUser,
} from './loaders.ts';
import { NotifyBarrier } from './notifyBarrier.ts';
import { type BandsByGroup, bandsByGroup, DestinationIndex } from './retailIndex.ts';
import { TooLarge } from './tooLarge.ts';
import type { TermsBand } from './wholesaleIndex.ts';

export {
  EXPECTED_RATE_BYTES,
  type IndexTarget,
  RATING_CHANNEL,
  type RateIndexOptions,
  type RateIndexStats,
} from './indexShape.ts';

/**
 * The in-process rate index: target users, tariffs (a wholesale tariff as a prefix map, a retail one as
 * bands per destination group), destinations and custom rates, so that a warm rate_get costs no
 * database round trip. `lookup` never waits: on a miss it starts loading in the background (keyset
 * pages, so a million-rate tariff loads while requests go on) and answers null, and the caller runs
 * the SQL lookup instead. Both answer the same (test/domain/rating-index.test.ts checks it).
 *
 * Invalidation: drizzle/0007's triggers NOTIFY `openmor_rating` after every commit that changes what
 * is cached, naming the tariffs touched; every instance drops just those. A load that raced an
 * invalidation is discarded (marker check). A reconnect of the LISTEN connection drops everything.
 * Local writes: PGlite delivers its own notifications at commit; on Postgres the XML methods marked
 * `changesRates` and every tRPC mutation call `settle()` after they run, which waits until this instance
 * has heard everything committed so far. Where no LISTEN is possible (Workers) the index is disabled.
 */
export class RateIndex {
  private readonly users = new Map<string, Slot<TargetUser>>();
  private readonly tariffs = new Map<number, Slot<Tariff>>();
  private readonly custom = new Map<number, Slot<BandsByGroup>>();
  private destinations: Slot<DestinationIndex> | null = null;
  private readonly failedAt = new Map<string, number>();
  private rows = 0;
  private bytes = 0;
  /** What did not fit (tariff id, or 0 for the destination list), logged once each. */
  private readonly tooLarge: TooLarge;
  private hits = 0;
  private misses = 0;
  private readonly barrier: NotifyBarrier;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** While true, lookups answer null without loading anything (tests compare with the SQL lookup). */
  paused = false;
  /** Routing configuration (routeCall), invalidated on this index's channel ('routing'). */
  private readonly routing = new RoutingCache<RouteAccount, LcrProviderRow>();

  constructor(
    private readonly db: Db,
    readonly enabled: boolean,
    private readonly options: RateIndexOptions,
  ) {
    this.barrier = new NotifyBarrier(db, RATING_CHANNEL);
    this.tooLarge = new TooLarge(options.log);
  }

  /**
   * Lookups answered from memory / not; rows (rates + destinations) and MB held now, the cap, tariffs
   * and users held, and what did not fit (each answered by SQL until the cap is raised).
   */
  stats(): RateIndexStats {
    return {
      hits: this.hits,
      misses: this.misses,
      heldRows: this.rows,
      heldMb: Math.round(this.bytes / 1e5) / 10,
      maxMb: Math.round(this.options.maxBytes / 1e5) / 10,
      tariffs: this.tariffs.size,
      users: this.users.size,
      tooLarge: this.tooLarge.list(),
    };
  }

  /** The lookup's outcome from memory, or null when something it needs is not (yet) cached. */
  lookup(scope: LookupScope, target: IndexTarget): RateOutcome | null {
    if (!this.enabled || this.paused) return null;
    const outcome = this.find(scope, target);
    if (outcome) this.hits++;
    else this.misses++;
    return outcome;
  }

  private find(scope: LookupScope, target: IndexTarget): RateOutcome | null {
    const user = this.readyUser(target.username);
    if (!user) return null;
    if (!visible(scope, user)) return { state: 'hidden', timeZone: user.timeZone, bands: [] };
    const none: RateOutcome = { state: 'ok', timeZone: user.timeZone, bands: [] };
    if (!RATED.has(user.usertype) || user.tariffId === null) return none;
    const tariffId = user.tariffId;
    const tariff = this.readyTariff(tariffId, user.id);
    if (!tariff) return null;
    // A provider tariff is held for routing only; rate_get's lookup never prices a user by one.
    if (tariff.kind === 'other' || tariff.meta.purpose === 'provider') return none;
    const meta = tariff.meta;
    const resellerBlocked =
      scope.role === 'reseller' && meta.ownerId === 0 && user.id !== scope.actorId && !scope.adminTariffsAllowed;
    if (resellerBlocked) return none;
    const atMs = target.at.getTime();
    if (tariff.kind === 'wholesale') {
      return { ...none, bands: tariff.index.find(target.digits, target.full, atMs) ?? [] };
    }
    const destinations = this.readyDestinations();
    const custom = this.readyCustom(user.id);
    if (!destinations || !custom) return null;
    const destination = destinations.find(target.digits, target.full);
    if (!destination || destination.group_id === 0) return none;
    const bands = custom.get(destination.group_id) ?? tariff.bands.get(destination.group_id) ?? [];
    return { ...none, bands: bands.map((b) => retailLine(b, destination.name, destination.prefix)) };
  }

  /**
   * A provider (or any wholesale) tariff's band in effect for `digits` at `at` on the wall clock
   * (`dayType`, `time`), with its billing terms, for routing: `'none'` when the tariff has no rate or
   * band for it, null when the tariff is not held (its load starts; the caller asks SQL meanwhile).
   */
  tariffBand(
    tariffId: number,
    digits: string,
    at: Date,
    dayType: 'WD' | 'FD',
    time: string,
  ): TermsBand | 'none' | null {
    if (!this.enabled || this.paused) return null;
    const tariff = this.readyTariff(tariffId, 0);
    if (!tariff || tariff.kind === 'retail') {
      this.misses++;
      return null;
    }
    this.hits++;
    if (tariff.kind === 'other') return 'none';
    return tariff.index.bandAt(digits, at.getTime(), dayType, time) ?? 'none';
  }

  /** Resolves when no load is in flight (tests and benchmarks warm the index with it). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Handles one `openmor_rating` notification. */
  onNotify(payload: string): void {
    if (this.barrier.heard(payload)) return;
    if (payload.startsWith('user:')) this.users.delete(payload.slice(5));
    else if (payload === 'users') this.users.clear();
    else if (payload === 'custom') this.custom.clear();
    else if (payload === 'destinations:insert') this.dropDestinations();
    else if (payload === 'destinations:change') {
      this.dropDestinations();
      this.dropTariffs(null);
    } else if (payload === 'tariffs:*') this.dropTariffs(null);
    else if (payload.startsWith('tariffs:')) this.dropTariffs(payload.slice(8).split(',').map(Number));
    else if (payload === 'routing') this.routing.clear();
    else this.clear();
  }

  /** The routing cache, or null where none is kept (no LISTEN, index off or paused). */
  routingCache(): RoutingCache<RouteAccount, LcrProviderRow> | null {
    return this.enabled && !this.paused ? this.routing : null;
  }

  /** Drops everything (a LISTEN reconnect may have missed notifications). */
  clear(): void {
    this.routing.clear();
    this.users.clear();
    this.custom.clear();
    this.dropDestinations();
    this.dropTariffs(null);
  }

  /**
   * Resolves once this instance has heard every notification committed before the call: it sends a
   * barrier NOTIFY and waits for it (notifications arrive in commit order). Called after local writes
   * on Postgres so the writer's next request never sees the old rates. On a timeout it drops everything.
   */
  async settle(): Promise<void> {
    if (!this.enabled || !this.options.barrier) return;
    if (!(await this.barrier.pass())) this.clear();
  }

  private dropTariffs(ids: number[] | null): void {
    for (const id of ids ?? [...this.tariffs.keys()]) {
      const slot = this.tariffs.get(id);
      if (slot && typeof slot === 'object' && 'kind' in slot) {
        this.rows -= tariffRows(slot);
        this.bytes -= tariffBytes(slot);
      }
      this.tariffs.delete(id);
      this.tooLarge.drop(id);
      this.failedAt.delete(`tariff:${id}`);
    }
  }

  private dropDestinations(): void {
    if (this.destinations instanceof DestinationIndex) {
      this.rows -= this.destinations.size;
      this.bytes -= this.destinations.bytes;
    }
    this.destinations = null;
    this.tooLarge.drop(0);
    this.failedAt.delete('destinations');
  }

  // A miss loads the whole chain a lookup needs (user → tariff → destinations and custom rates), so
  // one miss is enough to warm the index for the next lookup.
  private readyUser(username: string): TargetUser | null {
    const slot = this.users.get(username); // the hot path: no closure is allocated on a hit
    if (slot !== undefined) return readyValue(slot);
    return this.ready(
      this.users,
      username,
      'user',
      () => loadTargetUser(this.db, username),
      undefined,
      undefined,
      (user) => {
        if (user.tariffId !== null) this.readyTariff(user.tariffId, user.id);
      },
    );
  }

  private readyTariff(tariffId: number, userId: number): Tariff | null {
    const slot = this.tariffs.get(tariffId);
    if (slot !== undefined) return readyValue(slot);
    return this.ready(
      this.tariffs,
      tariffId,
      'tariff',
      () => this.loadTariff(tariffId),
      (tariff) => ({ rows: tariffRows(tariff), bytes: tariffBytes(tariff) }),
      () => ({ id: tariffId, what: `tariff ${tariffId}` }),
      (tariff) => {
        if (tariff.kind !== 'retail') return;
        this.readyDestinations();
        this.readyCustom(userId);
      },
    );
  }

  private readyCustom(userId: number): BandsByGroup | null {
    const slot = this.custom.get(userId);
    if (slot !== undefined) return readyValue(slot);
    return this.ready(this.custom, userId, 'custom', () => this.loadCustom(userId));
  }

  /**
   * The cached value, or null after starting its load (once per key; a failed load is retried after
   * 30 s). `name` keys the failure record; `sizeOf` measures what a stored value holds, `subject`
   * names it when it does not fit.
   */
  private ready<K, T extends object>(
    map: Map<K, Slot<T>>,
    key: K,
    name: string,
    load: () => Promise<T | 'skip' | null>,
    sizeOf: (value: T) => { rows: number; bytes: number } = () => ({ rows: 0, bytes: 0 }),
    subject: (value: T) => { id: number; what: string } | null = () => null,
    then: (value: T) => void = () => {},
  ): T | null {
    const slot = map.get(key);
    if (slot !== undefined) return readyValue(slot);
    const failure = `${name}:${String(key)}`;
    if (Date.now() - (this.failedAt.get(failure) ?? Number.NEGATIVE_INFINITY) < RETRY_MS) return null;
    // Users and custom rates are cached per target user: bounded like the auth cache.
    if (map.size >= MAX_KEYS && map !== (this.tariffs as unknown)) map.clear();
    const marker: Loading = { loading: true };
    map.set(key, marker);
    this.track(load()).then(
      (value) => {
        if (map.get(key) !== marker) return; // invalidated meanwhile: a later lookup loads again
        if (value === null) {
          map.delete(key);
          return;
        }
        // Two large loads may have started under the cap together: the cap is checked again here.
        if (value === 'skip') {
          map.set(key, 'skip');
          return;
        }
        const size = sizeOf(value);
        if (this.bytes + size.bytes > this.options.maxBytes) {
          const named = subject(value);
          if (named) this.tooLarge.note(named.id, named.what, size.rows, size.bytes, this.bytes, this.options.maxBytes);
          map.set(key, 'skip');
          return;
        }
        map.set(key, value);
        this.rows += size.rows;
        this.bytes += size.bytes;
        then(value);
      },
      (error: unknown) => {
        if (map.get(key) === marker) map.delete(key);
        this.failedAt.set(failure, Date.now());
        this.options.log.warn('rate index: a load failed; the SQL lookup answers meanwhile', {
          what: failure,
          error: String(error),
        });
      },
    );
    return null;
  }

  private readyDestinations(): DestinationIndex | null {
    const slot = this.destinations;
    if (slot instanceof DestinationIndex) return slot;
    if (slot !== null) return null;
    if (Date.now() - (this.failedAt.get('destinations') ?? Number.NEGATIVE_INFINITY) < RETRY_MS) return null;
    const marker: Loading = { loading: true };
    this.destinations = marker;
    this.track(this.loadDestinations()).then(
      (value) => {
        if (this.destinations !== marker) return;
        const fits = !(value instanceof DestinationIndex) || this.bytes + value.bytes <= this.options.maxBytes;
        this.destinations = fits ? value : 'skip';
        if (!fits && value instanceof DestinationIndex)
          this.tooLarge.note(0, 'destinations', value.size, value.bytes, this.bytes, this.options.maxBytes);
        if (fits && value instanceof DestinationIndex) {
          this.rows += value.size;
          this.bytes += value.bytes;
        }
      },
      (error: unknown) => {
        if (this.destinations === marker) this.destinations = null;
        this.failedAt.set('destinations', Date.now());
        this.options.log.warn('rate index: destinations failed to load', { error: String(error) });
      },
    );
    return null;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const done = () => this.inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  private async loadCustom(userId: number): Promise<BandsByGroup> {
    return bandsByGroup(await loadCustomBands(this.db, userId));
  }

  private async loadTariff(tariffId: number): Promise<Tariff | 'skip'> {
    const meta = await loadTariffMeta(this.db, tariffId);
    if (!meta) return { kind: 'other', meta };
    const expected = meta.size * (meta.purpose === 'user' ? EXPECTED_RETAIL_RATE_BYTES : EXPECTED_RATE_BYTES);
    if (this.bytes + expected > this.options.maxBytes) {
      this.tooLarge.note(tariffId, `tariff ${tariffId}`, meta.size, expected, this.bytes, this.options.maxBytes);
      return 'skip';
    }
    if (meta.purpose === 'user') {
      const bands = bandsByGroup(await loadRetailBands(this.db, tariffId));
      return { kind: 'retail', meta, bands };
    }
    const index = await loadWholesaleIndex(this.options.copy, tariffId, meta);
    return { kind: 'wholesale', meta, index };
  }

  private async loadDestinations(): Promise<DestinationIndex | 'skip'> {
    const count = await countDestinations(this.db);
    const expected = count * EXPECTED_DESTINATION_BYTES;
    if (this.bytes + expected > this.options.maxBytes) {
      this.tooLarge.note(0, 'destinations', count, expected, this.bytes, this.options.maxBytes);
      return 'skip';
    }
    const index = await loadDestinationIndex(this.db);
    return index;
  }
}
