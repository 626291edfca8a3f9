import * as v from 'valibot';
import { RowId } from '../../domain/ids.ts';
import { addNumbers } from '../../domain/numberPools/addNumbers.ts';
import { AssignList, assignList } from '../../domain/numberPools/assignList.ts';
import { CreateNumberPool, createNumberPool } from '../../domain/numberPools/createNumberPool.ts';
import { deleteNumberPool } from '../../domain/numberPools/deleteNumberPool.ts';
import { deleteNumbers } from '../../domain/numberPools/deleteNumbers.ts';
import { listNumberPools } from '../../domain/numberPools/listNumberPools.ts';
import { pickPoolNumber } from '../../domain/numberPools/pickNumber.ts';
import { UpdateNumberPool, updateNumberPool } from '../../domain/numberPools/updateNumberPool.ts';
import { authed, router } from '../trpc.ts';

const PoolKey = v.strictObject({ id: RowId });
const Numbers = v.pipe(v.array(v.pipe(v.string(), v.maxLength(100))), v.maxLength(100_000));

async function one(ctx: Parameters<typeof listNumberPools>[0], id: number) {
  const [pool] = await listNumberPools(ctx, { numberPoolId: id });
  return pool;
}

/**
 * Number pools, scoped like the number pool XML methods (the admin's realm for the admin and
 * accountants with Devices or Manage providers, a reseller its own). Numbers as on the XML side:
 * `#` is stored as `_`, `%` is a wildcard.
 */
export const numberPoolsRouter = router({
  list: authed.query(({ ctx }) => listNumberPools(ctx.ctx, {})),
  get: authed
    .input(
      v.strictObject({
        id: RowId,
        limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
        offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_147_483_647))),
      }),
    )
    .query(async ({ ctx, input }) => {
      const [pool] = await listNumberPools(ctx.ctx, {
        numberPoolId: input.id,
        showNumbers: true,
        limit: input.limit,
        offset: input.offset,
        userIds: 'all',
      });
      return pool;
    }),
  create: authed.input(CreateNumberPool).mutation(async ({ ctx, input }) => {
    const { numberPoolId } = await createNumberPool(ctx.ctx, input);
    return one(ctx.ctx, numberPoolId);
  }),
  update: authed.input(UpdateNumberPool).mutation(async ({ ctx, input }) => {
    await updateNumberPool(ctx.ctx, { numberPoolId: input.id, name: input.name, comment: input.comment });
    return one(ctx.ctx, input.id);
  }),
  /** Refused (CONFLICT) while a device uses the pool for its emergency CallerID. */
  delete: authed.input(PoolKey).mutation(async ({ ctx, input }) => {
    await deleteNumberPool(ctx.ctx, { numberPoolId: input.id });
    return { id: input.id };
  }),
  addNumbers: authed.input(v.strictObject({ id: RowId, numbers: Numbers })).mutation(async ({ ctx, input }) => ({
    added: await addNumbers(ctx.ctx, { numberPoolId: input.id, numbers: input.numbers.join(',') }),
  })),
  deleteNumbers: authed
    .input(
      v.strictObject({
        id: RowId,
        all: v.optional(v.boolean()),
        numberIds: v.optional(v.pipe(v.array(RowId), v.maxLength(100_000))),
        numbers: v.optional(Numbers),
      }),
    )
    .mutation(async ({ ctx, input }) => ({
      deleted: await deleteNumbers(ctx.ctx, {
        numberPoolId: input.id,
        deleteAll: input.all,
        numberIds: input.numberIds,
        numbers: input.numbers,
      }),
    })),
  /** Sets or removes the pool as a user's static Blacklist/Whitelist. */
  assignList: authed.input(AssignList).mutation(async ({ ctx, input }) => {
    await assignList(ctx.ctx, input);
    return one(ctx.ctx, input.id);
  }),
  /** A random concrete number of the pool, as a CallerID taken from it (null when it has none). */
  pickNumber: authed.input(PoolKey).query(async ({ ctx, input }) => ({
    number: await pickPoolNumber(ctx.ctx, { numberPoolId: input.id }),
  })),
});
