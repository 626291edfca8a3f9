import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { EventTypes, WebhookUrl } from './createWebhook.ts';
import { newSecret } from './signing.ts';
import { loadWebhook, type WebhookRow } from './view.ts';

export const UpdateWebhook = v.strictObject({
  id: RowId,
  url: v.optional(WebhookUrl),
  eventTypes: v.optional(EventTypes),
  description: v.optional(v.pipe(v.string(), v.maxLength(1000))),
  active: v.optional(v.boolean()),
  /** true: a new secret replaces the old one (answered in the result). */
  rotateSecret: v.optional(v.boolean()),
});
export type UpdateWebhook = v.InferOutput<typeof UpdateWebhook>;

/**
 * tRPC webhooks.update: the given fields change. A webhook made inactive keeps its pending deliveries
 * (they wait, in order, until it is active again) and receives no new events meanwhile.
 */
export async function updateWebhook(ctx: Ctx, input: UpdateWebhook): Promise<WebhookRow> {
  const hook = await loadWebhook(ctx, input.id);
  await queryRows(
    ctx.db,
    sql`update webhooks set url = ${input.url ?? hook.url}::text,
        event_types = ${`{${(input.eventTypes ?? hook.eventTypes).join(',')}}`}::text[],
        description = ${input.description ?? hook.description}::text, active = ${input.active ?? hook.active}::boolean,
        secret = ${input.rotateSecret ? newSecret() : hook.secret}::text, updated_at = now()
      where id = ${hook.id}::int`,
  );
  await logAction(ctx, { action: 'webhook_updated', targetType: 'webhook', targetId: hook.id, data: input.url ?? '' });
  return loadWebhook(ctx, hook.id);
}
