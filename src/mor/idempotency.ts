import { canonicalRequest, type OnceClaim } from '../domain/idempotency/once.ts';
import type { MethodDef } from './method.ts';
import type { Params } from './params.ts';

/** Parameters that authenticate a request rather than say what it asks: a retry may change them. */
const NOT_PART_OF_THE_REQUEST = new Set(['hash', 'idempotency_key']);

/**
 * The idempotency claim of a money-moving request: the `Idempotency-Key` header, or for clients that
 * cannot set headers the `idempotency_key` parameter (never hashed: MOR's hash lists are fixed per
 * method). The request is the canonical method name (an alias retries as the same request) and every
 * other parameter.
 */
export function idempotencyClaim(request: Request, method: MethodDef, params: Params): OnceClaim | undefined {
  const key = request.headers.get('idempotency-key') ?? params.get('idempotency_key');
  if (key === undefined || key === null) return undefined;
  const fields: Record<string, string> = {};
  for (const [name, value] of params.entries()) if (!NOT_PART_OF_THE_REQUEST.has(name)) fields[name] = value;
  return { key, request: canonicalRequest(method.name, fields) };
}
