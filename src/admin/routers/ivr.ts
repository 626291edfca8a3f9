import * as v from 'valibot';
import { CreateIvrDialPlan, createIvrDialPlan, listIvrDialPlans } from '../../domain/ivr/dialPlans.ts';
import { createTimePeriod, listTimePeriods, TimePeriodFields } from '../../domain/ivr/timePeriods.ts';
import { CreatePbxPool, createPbxPool, listPbxPools } from '../../domain/pbxPools/createPbxPool.ts';
import { authed, router } from '../trpc.ts';

const None = v.optional(v.strictObject({}));

/**
 * IVR time periods and IVR dial plans of the caller's realm (admin or reseller), as the XML
 * ivr_time_period_update / ivr_dial_plan_update change them. Field values are text, as on the XML side.
 */
export const ivrRouter = router({
  listTimePeriods: authed.input(None).query(({ ctx }) => listTimePeriods(ctx.ctx)),
  createTimePeriod: authed.input(TimePeriodFields).mutation(({ ctx, input }) => createTimePeriod(ctx.ctx, input)),
  listDialPlans: authed.input(None).query(({ ctx }) => listIvrDialPlans(ctx.ctx)),
  createDialPlan: authed.input(CreateIvrDialPlan).mutation(({ ctx, input }) => createIvrDialPlan(ctx.ctx, input)),
});

/** PBX pools (extension namespaces): the realm's own plus the admin's undeletable Global pool. */
export const pbxPoolsRouter = router({
  list: authed.input(None).query(({ ctx }) => listPbxPools(ctx.ctx)),
  create: authed.input(CreatePbxPool).mutation(({ ctx, input }) => createPbxPool(ctx.ctx, input)),
});
