import { DomainError } from '../../domain/errors.ts';
import type { ErrorStrings } from '../errors.ts';
import { MorRefusal } from '../errors.ts';
import type { MorCall } from '../method.ts';
import type { Params } from '../params.ts';
import { type ErrorWrapper, type MorReply, statusError } from '../xml.ts';

export const MANAGERS = ['admin', 'accountant', 'reseller'] as const;
export const ALL = ['admin', 'accountant', 'reseller', 'partner', 'user'] as const;

/** A method-level answer that is not the method's own wrapper (caller-level strings: `<status><error>`). */
export class Reply extends Error {
  constructor(readonly reply: MorReply) {
    super('reply');
  }
}

/**
 * Runs a calling-card handler: a DomainError answers `table[CODE:detail] ?? table[CODE] ?? message` in
 * `wrap`, except the strings listed in `status`, which answer in `<status><error>` (caller-level).
 */
export function cardGuard(
  wrap: ErrorWrapper,
  run: (call: MorCall) => Promise<MorReply>,
  table: ErrorStrings = {},
  status: readonly string[] = [],
) {
  return async (call: MorCall): Promise<MorReply> => {
    try {
      return await run(call);
    } catch (error) {
      // Thrown as a refusal, so a money method's transaction rolls back and its idempotency key stores
      // nothing: a retry with the same key runs again.
      if (error instanceof Reply) throw new MorRefusal(error.reply);
      if (!(error instanceof DomainError)) throw error;
      const message = table[`${error.code}:${error.detail}`] ?? table[error.code] ?? error.message;
      throw new MorRefusal(status.includes(message) ? statusError(message) : wrap(message));
    }
  };
}

export { idParam } from '../params.ts';

/** A Unix timestamp parameter as ISO 8601; null when it is not an integer ≥ 0 (up to year 9999). */
export function unixParam(value: string): string | null {
  if (!/^\d{1,12}$/.test(value) || Number(value) > 253_402_300_799) return null;
  return new Date(Number(value) * 1000).toISOString();
}

/** A flag parameter: true/false for `1`/`0`, undefined when absent, null when anything else. */
export function flagParam(params: Params, name: string): boolean | undefined | null {
  const value = params.value(name);
  if (value === undefined) return undefined;
  return value === '1' ? true : value === '0' ? false : null;
}

export const ctxOf = (call: MorCall) => call.ctx!;

/** card_balance_get / card_payment_add's answer for a card that is missing or not the caller's. */
export const NOT_FOUND_CARD = 'Calling Card was not found';
