/**
 * The closed vocabulary of domain failures. Adapters map a code (plus the `detail` key when a method
 * distinguishes several cases of one code) to their own wire form: mor/errors.ts to MOR strings,
 * admin/trpc.ts to TRPCError codes.
 */
export type DomainErrorCode =
  | 'NOT_FOUND' // target missing or not visible to the caller (never reveals existence)
  | 'FORBIDDEN' // caller may not do this at all
  | 'INVALID' // bad input; `detail` names the rule, `message` is human readable
  | 'CONFLICT' // unique value taken, state transition refused
  | 'DISABLED' // a feature flag is off
  | 'UNAUTHENTICATED'; // credentials wrong

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    /** Stable machine key for the case, e.g. 'default_user_credit'; adapters look their strings up by it. */
    readonly detail: string,
    message?: string,
  ) {
    super(message ?? detail);
  }
}

export const notFound = (detail: string, message?: string) => new DomainError('NOT_FOUND', detail, message);
export const forbidden = (detail: string, message?: string) => new DomainError('FORBIDDEN', detail, message);
export const invalid = (detail: string, message?: string) => new DomainError('INVALID', detail, message);
export const conflict = (detail: string, message?: string) => new DomainError('CONFLICT', detail, message);
export const disabled = (detail: string, message?: string) => new DomainError('DISABLED', detail, message);
