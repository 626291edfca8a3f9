import { CreateWebhook, createWebhook } from '../../domain/webhooks/createWebhook.ts';
import { deleteWebhook, WebhookKey } from '../../domain/webhooks/deleteWebhook.ts';
import { ListDeliveries, listDeliveries } from '../../domain/webhooks/listDeliveries.ts';
import { listWebhooks } from '../../domain/webhooks/listWebhooks.ts';
import { ReplayWebhook, replayWebhook } from '../../domain/webhooks/replayWebhook.ts';
import { testWebhook } from '../../domain/webhooks/testWebhook.ts';
import { UpdateWebhook, updateWebhook } from '../../domain/webhooks/updateWebhook.ts';
import { loadWebhook, withoutSecret } from '../../domain/webhooks/view.ts';
import { authed, router } from '../trpc.ts';

/**
 * Webhooks of the caller's realm (the admin's hear every realm's events, a reseller's its own):
 * signed deliveries of the outbox's events (Standard Webhooks). The secret is answered by create and
 * by update with `rotateSecret`; list and get never show it.
 */
export const webhooksRouter = router({
  list: authed.query(({ ctx }) => listWebhooks(ctx.ctx)),
  get: authed.input(WebhookKey).query(async ({ ctx, input }) => withoutSecret(await loadWebhook(ctx.ctx, input.id))),
  create: authed.input(CreateWebhook).mutation(({ ctx, input }) => createWebhook(ctx.ctx, input)),
  update: authed.input(UpdateWebhook).mutation(async ({ ctx, input }) => {
    const row = await updateWebhook(ctx.ctx, input);
    return input.rotateSecret ? row : withoutSecret(row);
  }),
  delete: authed.input(WebhookKey).mutation(({ ctx, input }) => deleteWebhook(ctx.ctx, input)),
  test: authed.input(WebhookKey).mutation(({ ctx, input }) => testWebhook(ctx.ctx, input)),
  replay: authed.input(ReplayWebhook).mutation(({ ctx, input }) => replayWebhook(ctx.ctx, input)),
  deliveries: authed.input(ListDeliveries).query(({ ctx, input }) => listDeliveries(ctx.ctx, input)),
});
