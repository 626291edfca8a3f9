import type { Log } from '../domain/ctx.ts';

/** How long requests in flight may take to finish after SIGTERM/SIGINT before their connections are cut. */
export const DRAIN_MS = 10_000;

export interface Stoppable {
  /** Stops accepting connections; resolves when every request in flight has finished. */
  stopServer(): Promise<void>;
  /** Cuts the connections still open (the drain deadline passed). */
  forceClose(): void;
  /** Stops the scheduler and the LISTEN subscriptions (App.close). */
  closeApp(): Promise<void>;
  /** Closes the database (pool or embedded PGlite). */
  closeDb(): Promise<void>;
}

/**
 * Graceful stop, in order: stop accepting, let requests in flight finish (at most `drainMs`, then cut
 * them), stop the scheduler and the listeners, close the database. Logs the start and the end.
 * Resolves to the exit code: 0, or 1 when closing failed.
 */
export async function shutDown(signal: string, log: Log, target: Stoppable, drainMs = DRAIN_MS): Promise<number> {
  const started = Date.now();
  log.info('shutting down', { signal, drainMs });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const drained = await Promise.race([
    target.stopServer().then(
      () => true,
      () => true,
    ),
    new Promise<false>((ok) => {
      timer = setTimeout(() => ok(false), drainMs);
    }),
  ]);
  clearTimeout(timer);
  if (!drained) {
    log.warn('requests still in flight after the drain deadline: connections closed', { drainMs });
    target.forceClose();
  }
  try {
    await target.closeApp();
    await target.closeDb();
  } catch (error) {
    log.error('shutdown failed', { error: String((error as Error)?.message ?? error) });
    return 1;
  }
  log.info('stopped', { signal, drained, ms: Date.now() - started });
  return 0;
}

/** Runs `shutDown` once, on the first of the signals; a second signal during the drain exits at once. */
export function onceOnSignal(
  listen: (signal: 'SIGINT' | 'SIGTERM', handler: () => void) => void,
  run: (signal: string) => Promise<number>,
  exit: (code: number) => void,
) {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    listen(signal, () => {
      if (stopping) return exit(1);
      stopping = true;
      void run(signal).then(exit, () => exit(1));
    });
  }
}
