import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { EVENT_TYPES } from '../events/emit.ts';
import { webhookRealm } from './realm.ts';
import { newSecret } from './signing.ts';
import { loadWebhook, type WebhookRow } from './view.ts';

/** An http(s) URL, at most 2000 characters. */
export const WebhookUrl = v.pipe(
  v.string(),
  v.maxLength(2000),
  v.check((s) => {
    try {
      const url = new URL(s);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Must be an http or https URL'),
);

/** Event types to receive; empty or absent = every type. */
export const EventTypes = v.pipe(v.array(v.picklist(EVENT_TYPES)), v.maxLength(EVENT_TYPES.length));

export const CreateWebhook = v.strictObject({
  url: WebhookUrl,
  eventTypes: v.optional(EventTypes),
  description: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  active: v.optional(v.boolean()),
});
export type CreateWebhook = v.InferOutput<typeof CreateWebhook>;

/** tRPC webhooks.create: a webhook of the caller's realm with its own new secret (answered once, here). */
export async function createWebhook(ctx: Ctx, input: CreateWebhook): Promise<WebhookRow> {
  const ownerId = webhookRealm(ctx.actor);
  const [row] = await queryRows<{ id: number }>(
    ctx.db,
    sql`insert into webhooks (owner_id, url, secret, event_types, active, description)
      values (${ownerId}::int, ${input.url}::text, ${newSecret()}::text, ${`{${(input.eventTypes ?? []).join(',')}}`}::text[],
        ${input.active ?? true}::boolean, ${input.description ?? ''}::text)
      returning id`,
  );
  await logAction(ctx, { action: 'webhook_created', targetType: 'webhook', targetId: row!.id, data: input.url });
  return loadWebhook(ctx, row!.id);
}
