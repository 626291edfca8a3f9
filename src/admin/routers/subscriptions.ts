import { CreateSubscription, createSubscription } from '../../domain/subscriptions/createSubscription.ts';
import { DeleteSubscription, deleteSubscription } from '../../domain/subscriptions/deleteSubscription.ts';
import {
  GetSubscription,
  getSubscription,
  ListSubscriptions,
  listSubscriptions,
} from '../../domain/subscriptions/listSubscriptions.ts';
import { UpdateSubscription, updateSubscription } from '../../domain/subscriptions/updateSubscription.ts';
import { idempotent, withKey } from '../idempotent.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/**
 * Subscriptions, scoped like the subscription XML methods: the admin any, a reseller its users', an
 * accountant with Manage Subscriptions the admin's realm; a simple user reads its own. Dates are ISO
 * 8601, money decimal text; create (a prepaid subscriber pays at once) and delete (action 3 returns
 * the money) are idempotent with `idempotencyKey`.
 */
export const subscriptionsRouter = router({
  /** Filters AND-ed, by id. */
  list: authed.input(strict(ListSubscriptions)).query(({ ctx, input }) => listSubscriptions(ctx.ctx, input)),
  get: authed.input(idAs(GetSubscription, 'subscriptionId')).query(({ ctx, input }) => getSubscription(ctx.ctx, input)),
  create: authed
    .input(strict(withKey(CreateSubscription)))
    .mutation(idempotent('subscriptions.create', createSubscription)),
  /** The given fields change; no money moves. */
  update: authed
    .input(idAs(UpdateSubscription, 'subscriptionId'))
    .mutation(({ ctx, input }) => updateSubscription(ctx.ctx, input)),
  /** `action`: 1 delete, 2 disable (end = now), 3 delete and return the money charged. */
  delete: authed
    .input(idAs(withKey(DeleteSubscription), 'subscriptionId'))
    .mutation(idempotent('subscriptions.delete', deleteSubscription)),
});
