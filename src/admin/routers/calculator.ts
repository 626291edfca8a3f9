import { CalculateCost, calculateCost } from '../../domain/rating/calculateCost.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** "What would this call cost": number, user, duration → rate, connection fee, increments, price. */
export const calculatorRouter = router({
  cost: authed.input(strict(CalculateCost)).query(({ ctx, input }) => calculateCost(ctx.ctx, input)),
});
