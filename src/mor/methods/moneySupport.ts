import { DomainError } from '../../domain/errors.ts';
import { MorRefusal } from '../errors.ts';
import type { MorCall } from '../method.ts';
import type { Params } from '../params.ts';
import type { ErrorWrapper, MorReply } from '../xml.ts';

/** Every account type: these methods answer their own refusal strings instead of the pipeline's. */
export const EVERYONE = ['admin', 'accountant', 'reseller', 'partner', 'user'] as const;

/** Refuses the request with `message` in `wrap`: thrown, so nothing the request wrote is kept. */
export const refuse = (wrap: ErrorWrapper, message: string): never => {
  throw new MorRefusal(wrap(message));
};

/**
 * Runs a payments / credit-notes handler. The domain throws these families' exact MOR strings, so a
 * DomainError answers its message in `wrap` — thrown as a refusal, so the request's transaction rolls
 * back and an idempotency key stores nothing.
 */
export function guarded(
  wrap: ErrorWrapper,
  run: (call: MorCall & { ctx: NonNullable<MorCall['ctx']> }) => Promise<MorReply>,
) {
  return async (call: MorCall): Promise<MorReply> => {
    try {
      return await run(call as MorCall & { ctx: NonNullable<MorCall['ctx']> });
    } catch (error) {
      if (error instanceof DomainError) refuse(wrap, error.message);
      throw error;
    }
  };
}

/** An id parameter: undefined when absent or empty, NaN when not 1–9 digits (it then matches nothing). */
export function idOf(params: Params, name: string): number | undefined {
  const value = params.value(name);
  if (value === undefined) return undefined;
  return /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
}

/** A Unix timestamp parameter (seconds ≥ `min`, up to year 9999) as ISO 8601; null when it is not one. */
export function unixTime(value: string | undefined, min = 1): string | null {
  if (value === undefined || !/^\d{1,12}$/.test(value)) return null;
  const seconds = Number(value);
  if (seconds < min || seconds > 253_402_300_799) return null;
  return new Date(seconds * 1000).toISOString();
}
