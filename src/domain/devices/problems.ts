import { DomainError } from '../errors.ts';

/**
 * A validation failure that lists every problem: MOR answers the headline (`Device was not created`,
 * `Phonebook was not saved`, …) followed by one `<message>` per problem. The message carries both,
 * for adapters that only show text.
 */
export class Problems extends DomainError {
  constructor(
    readonly headline: string,
    readonly messages: readonly string[],
  ) {
    super('INVALID', 'problems', `${headline}: ${messages.join('; ')}`);
  }
}

/** True for a unique-index violation, whichever driver raised it (drizzle may wrap it in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (e.code === '23505') return true;
    e = e.cause as typeof e;
  }
  return false;
}
