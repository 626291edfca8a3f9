import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/types.ts';

/**
 * A barrier on a LISTEN channel: `pass()` sends a unique `barrier:<id>` NOTIFY and resolves true once
 * this instance hears it back, which means it has heard every notification committed before the call
 * (notifications arrive in commit order); false after 2 s. `heard` routes the channel's barrier
 * payloads to the waiting `pass()`.
 */
export class NotifyBarrier {
  private readonly waiting = new Map<string, () => void>();
  private seq = 0;
  private readonly token = crypto.randomUUID();

  constructor(
    private readonly db: Db,
    private readonly channel: string,
  ) {}

  /** True when `payload` was a barrier (handled here), false for every other notification. */
  heard(payload: string): boolean {
    if (!payload.startsWith('barrier:')) return false;
    this.waiting.get(payload.slice(8))?.();
    return true;
  }

  async pass(): Promise<boolean> {
    const id = `${this.token}:${++this.seq}`;
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 2_000);
      this.waiting.set(id, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    try {
      await this.db.execute(sql`select pg_notify(${this.channel}, ${`barrier:${id}`}::text)`);
      return await heard;
    } finally {
      this.waiting.delete(id);
    }
  }
}
