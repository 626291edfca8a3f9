import type { Log } from '../../ctx.ts';

/** One thing the rate index could not hold: a tariff (its id) or the destination list (id 0). */
export interface NotFitting {
  what: string;
  rows: number;
  mb: number;
}

/**
 * What did not fit under RATE_INDEX_MAX_MB (answered from SQL until the cap is raised), for /health,
 * each logged once with its size and the setting to change (until the process restarts).
 */
export class TooLarge {
  private readonly entries = new Map<number, NotFitting>();
  private readonly logged = new Set<string>();

  constructor(private readonly log: Log) {}

  /** Records `what` (`bytes` needed while `heldBytes` of `maxBytes` are held) and logs it once. */
  note(id: number, what: string, rows: number, bytes: number, heldBytes: number, maxBytes: number): void {
    if (this.entries.has(id)) return;
    const mb = Math.ceil(bytes / 1e6);
    this.entries.set(id, { what, rows, mb });
    if (this.logged.has(what)) return;
    this.logged.add(what);
    this.log.warn(
      'rate index: does not fit, rate_get answers it from SQL; raise RATE_INDEX_MAX_MB to hold it in memory',
      {
        what,
        rows,
        needsMb: mb,
        heldMb: Math.round(heldBytes / 1e6),
        maxMb: Math.round(maxBytes / 1e6),
      },
    );
  }

  /** Forgets `id` (invalidated: the next load measures it again). */
  drop(id: number): void {
    this.entries.delete(id);
  }

  list(): NotFitting[] {
    return [...this.entries.values()];
  }
}
