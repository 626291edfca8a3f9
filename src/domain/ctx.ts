import type { Db } from '../db/types.ts';
import type { Account } from './auth/types.ts';
import type { Ports } from './ports.ts';
import type { RateIndex } from './rating/cache/rateIndex.ts';
import type { ObjectStore } from './recordings/objectStore.ts';

export interface Log {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

/** What every domain operation runs with. Built per request by the adapters. */
export interface Ctx {
  db: Db;
  /** Who acts. Domain functions enforce the ownership tree from it. */
  actor: Account;
  clock: () => Date;
  log: Log;
  /** Client address, recorded in the action log. */
  ip: string;
  /** Drops cached auth data in this process (other instances hear the database NOTIFY). */
  invalidateAuth: () => void;
  /** The in-process rate index, where this runtime keeps one (rate_get answers from it when warm). */
  rateIndex?: RateIndex;
  /** The outside world (mail, SMS, call control), as configured at the entry. */
  ports?: Ports;
  /** Where recording audio lives (injected by the entry; absent where none is configured). */
  objects?: ObjectStore;
}

/** Runs `fn` in one transaction with a Ctx whose `db` is that transaction. */
export function withTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  return ctx.db.transaction((db) => fn({ ...ctx, db: db as unknown as Db }));
}

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };
