// One process per embedded database. PGlite runs Postgres in single-user mode inside WASM: it takes no
// lock of its own, so two processes on one DATA_DIR each keep their own copy of the pages in memory
// and the last one to write back wins (a user created through the first was lost). This lock file
// makes the second process refuse to start instead. Node and Deno both run this file (Deno through its
// node: built-ins), so a Node server and a Deno server on the same folder exclude each other too.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

export const LOCK_FILE = 'openmor.lock';

/**
 * What the Node and Deno entries call before opening the database: on PGlite in a folder, take the
 * lock or print the one line saying who holds it and exit with status 1.
 */
export function claimEmbeddedDatabase(config: { databaseUrl?: string; dataDir: string }): void {
  if (config.databaseUrl || config.dataDir === 'memory://') return;
  try {
    lockDataDir(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirBusy)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** What the lock file records about its holder. */
interface Holder {
  pid: number;
  host: string;
  /** Linux process start time (clock ticks since boot), so a reused pid is not taken for the holder. */
  startTicks: string | null;
  startedAt: string;
  runtime: string;
}

/** Thrown when another live process holds the folder; its message is the one line to print. */
export class DataDirBusy extends Error {
  override name = 'DataDirBusy';
}

/**
 * Takes the lock on `dataDir` for this process, or throws DataDirBusy naming the holder. A lock left
 * by a process that is gone (killed, crashed, or this very pid in an earlier life, as a container's
 * pid 1 is) is taken over. The lock is released when the process exits.
 */
export function lockDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    startTicks: startTicksOf(process.pid),
    startedAt: new Date().toISOString(),
    runtime: 'Deno' in globalThis ? 'deno' : 'node',
  };
  const text = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(path, text)) {
      // Node fires process 'exit' on process.exit; Deno fires 'unload' on Deno.exit (not 'exit').
      const release = () => releaseIfOurs(path, text);
      process.once('exit', release);
      (globalThis as { addEventListener?: (type: string, fn: () => void) => void }).addEventListener?.(
        'unload',
        release,
      );
      return;
    }
    const holder = readHolder(path) ?? readHolderAfterPause(path);
    if (holder && isAlive(holder, me)) throw new DataDirBusy(busyMessage(dataDir, holder));
    // Stale: move it aside under a name of our own (atomic), so two starters cannot both remove it
    // and each create a lock; whoever renames first retries the exclusive create.
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      unlinkSync(`${path}.stale-${process.pid}`);
    } catch {
      // Someone else moved it first: retry the exclusive create.
    }
  }
  const holder = readHolder(path);
  throw new DataDirBusy(busyMessage(dataDir, holder));
}

/** Reads the lock again after 50 ms (start-up only: blocking the thread harms nothing yet). */
function readHolderAfterPause(path: string): Holder | null {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  return readHolder(path);
}

function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' ? (parsed as Holder) : null;
  } catch {
    // Missing (just released) or half-written: a writer finishes its few bytes at once, so the
    // caller reads again after a pause before taking an unreadable lock for stale.
    return null;
  }
}

function isAlive(holder: Holder, me: Holder): boolean {
  // Another machine sharing the folder (a network mount): its processes cannot be checked from here.
  if (holder.host !== me.host) return true;
  if (holder.pid === me.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the pid exists but belongs to another user, so it is alive.
    if ((error as { code?: string }).code !== 'EPERM') return false;
  }
  const ticks = startTicksOf(holder.pid);
  return !(holder.startTicks && ticks && ticks !== holder.startTicks);
}

/** Field 22 of /proc/<pid>/stat (Linux only; null elsewhere). */
function startTicksOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function releaseIfOurs(path: string, text: string) {
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function busyMessage(dataDir: string, holder: Holder | null): string {
  const who = holder
    ? `process ${holder.pid} (${holder.runtime}${holder.host ? ` on ${holder.host}` : ''}, since ${holder.startedAt})`
    : 'another process';
  return (
    `openmor: the embedded database in ${dataDir} is in use by ${who}; ` +
    'stop that server first, or give this one its own DATA_DIR (or a DATABASE_URL to share one Postgres).'
  );
}
