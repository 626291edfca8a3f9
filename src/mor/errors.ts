import { DomainError, type DomainErrorCode } from '../domain/errors.ts';
import type { MorReply } from './xml.ts';

/**
 * A method's refusal carrying its whole answer. Thrown rather than returned, so the pipeline rolls the
 * request's transaction back and an idempotency key stores nothing (a retry runs again).
 */
export class MorRefusal extends Error {
  override name = 'MorRefusal';
  constructor(readonly reply: MorReply) {
    super('refused');
  }
}

/** Per-method table: DomainError code (or `code:detail`) → exact MOR error string. */
export type ErrorStrings = Partial<Record<DomainErrorCode | `${DomainErrorCode}:${string}`, string>>;

/** Defaults shared by the methods; a method's own table wins. INVALID carries its MOR string as message. */
const DEFAULTS: ErrorStrings = {
  NOT_FOUND: 'User was not found',
  FORBIDDEN: 'You are not authorized to view this page',
  DISABLED: 'Feature disabled',
  UNAUTHENTICATED: 'Access Denied',
};

/** The exact MOR string for a domain failure, or null when `error` is not a DomainError. */
export function morMessage(error: unknown, table: ErrorStrings = {}): string | null {
  if (!(error instanceof DomainError)) return null;
  return (
    table[`${error.code}:${error.detail}`] ??
    table[error.code] ??
    (error.code === 'INVALID' || error.code === 'CONFLICT' ? error.message : DEFAULTS[error.code]) ??
    error.message
  );
}
