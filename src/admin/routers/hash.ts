import * as v from 'valibot';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

export const hashRouter = router({
  /**
   * MOR's "Generate hash" tool: the string to hash and its SHA-1 for a method and parameters, with the
   * caller's own key (admin or reseller; accountants may not read the admin's key, so they are refused).
   */
  generate: authed
    .input(
      strict(
        v.object({
          method: v.pipe(v.string(), v.minLength(1)),
          params: v.optional(v.record(v.string(), v.string()), {}),
        }),
      ),
    )
    .mutation(({ ctx, input }) => ctx.xmlApi.generateHash(ctx.ctx, input.method, input.params)),
});
