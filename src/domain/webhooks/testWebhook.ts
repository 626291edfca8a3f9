import type * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import type { WebhookKey } from './deleteWebhook.ts';
import { type Attempt, deliveryBody, postDelivery } from './send.ts';
import { loadWebhook } from './view.ts';

/**
 * tRPC webhooks.test: sends one signed `webhook.test` message to the webhook now (not through the
 * outbox, never retried) and answers what the receiver said.
 */
export async function testWebhook(
  ctx: Ctx,
  input: v.InferOutput<typeof WebhookKey>,
): Promise<Attempt & { id: string }> {
  const hook = await loadWebhook(ctx, input.id);
  const now = ctx.clock();
  const id = `test_${crypto.randomUUID()}`;
  const body = deliveryBody('webhook.test', now.toISOString(), { webhookId: hook.id });
  return { id, ...(await postDelivery(ctx.ports?.fetch ?? fetch, hook, { id, body, now })) };
}
