import { TRPCError } from '@trpc/server';
import * as v from 'valibot';
import { generateHash } from '../../mor/generateHash.ts';
import { findMethod } from '../../mor/registry.ts';
import { authed, router } from '../trpc.ts';

export const hashRouter = router({
  /**
   * MOR's "Generate hash" tool: the string to hash and its SHA-1 for a method and parameters, with the
   * caller's own key (admin or reseller; accountants may not read the admin's key, so they are refused).
   */
  generate: authed
    .input(
      v.object({
        method: v.pipe(v.string(), v.minLength(1)),
        params: v.optional(v.record(v.string(), v.string()), {}),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // A method signed with the admin's key (conflines_update, hash = sha1(key)) would hand a reseller a
      // hash valid for u=admin on every method with an empty hash list: only the admin may generate it.
      if (findMethod(input.method)?.keyScope === 'admin' && ctx.ctx.actor.usertype !== 'admin') {
        throw new TRPCError({ code: 'FORBIDDEN', message: `${input.method} is signed with the admin's key` });
      }
      const result = await generateHash(ctx.ctx, input.method, input.params);
      if (!result) throw new TRPCError({ code: 'NOT_FOUND', message: `Unknown method ${input.method}` });
      return result;
    }),
});
