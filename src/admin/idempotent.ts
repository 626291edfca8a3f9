import * as v from 'valibot';
import type { Ctx } from '../domain/ctx.ts';
import { canonicalRequest, IdempotencyKey, once } from '../domain/idempotency/once.ts';
import type { AdminContext } from './trpc.ts';

const Key = { idempotencyKey: v.optional(IdempotencyKey) };

/**
 * A money mutation's input schema plus the optional `idempotencyKey`; a strict schema (unknown keys
 * refused) stays strict.
 */
export function withKey<E extends v.ObjectEntries>(
  schema: v.StrictObjectSchema<E, undefined>,
): v.StrictObjectSchema<E & typeof Key, undefined>;
export function withKey<E extends v.ObjectEntries>(
  schema: v.ObjectSchema<E, undefined>,
): v.ObjectSchema<E & typeof Key, undefined>;
export function withKey<E extends v.ObjectEntries>(
  schema: v.ObjectSchema<E, undefined> | v.StrictObjectSchema<E, undefined>,
) {
  const entries = { ...schema.entries, ...Key };
  return schema.type === 'strict_object' ? v.strictObject(entries) : v.object(entries);
}

/**
 * The resolver of a money-moving mutation: with `idempotencyKey` the operation runs at most once per
 * caller and key (domain/idempotency/once); a retry gets the first answer. `name` is the procedure's
 * path, part of what identifies the request.
 */
export function idempotent<I extends { idempotencyKey?: string }, T>(
  name: string,
  operation: (ctx: Ctx, input: Omit<I, 'idempotencyKey'>) => Promise<T>,
) {
  return ({ ctx, input }: { ctx: AdminContext & { ctx: Ctx }; input: I }): Promise<T> => {
    const { idempotencyKey, ...rest } = input;
    const claim =
      idempotencyKey === undefined ? undefined : { key: idempotencyKey, request: canonicalRequest(name, rest) };
    return once(ctx.ctx, claim, (tx) => operation(tx, rest));
  };
}
