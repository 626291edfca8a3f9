import { TRPCError } from '@trpc/server';
import * as v from 'valibot';
import { generateHash } from '../../mor/generateHash.ts';
import { authed, router } from '../trpc.ts';

export const hashRouter = router({
  /** MOR's "Generate hash" tool: the string to hash and its SHA-1 for a method and parameters. */
  generate: authed
    .input(
      v.object({
        method: v.pipe(v.string(), v.minLength(1)),
        params: v.optional(v.record(v.string(), v.string()), {}),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await generateHash(ctx.ctx, input.method, input.params);
      if (!result) throw new TRPCError({ code: 'NOT_FOUND', message: `Unknown method ${input.method}` });
      return result;
    }),
});
