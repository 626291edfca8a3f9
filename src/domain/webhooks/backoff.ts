/** First retry after this long; each further retry waits twice as long … */
export const FIRST_RETRY_MS = 30_000;
/** … up to this. */
export const MAX_RETRY_MS = 2 * 3_600_000;
/** Deliveries (and messages) are retried at least this long after their first attempt before they fail. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/**
 * Exponential backoff with jitter: after the `attempts`-th failed attempt, wait
 * min(FIRST_RETRY_MS · 2^(attempts−1), MAX_RETRY_MS), scaled by a random factor in [0.5, 1) so that
 * many receivers failing at once do not all retry at once.
 */
export function retryDelayMs(attempts: number, random = Math.random()): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return Math.round(base * (0.5 + random / 2));
}

/** Gives up only once GIVE_UP_AFTER_MS have passed since the first attempt. */
export const givesUp = (firstAttempt: Date, now: Date) => now.getTime() - firstAttempt.getTime() >= GIVE_UP_AFTER_MS;
