import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { RowId } from '../ids.ts';
import { loadWebhook } from './view.ts';

export const WebhookKey = v.strictObject({ id: RowId });

/** tRPC webhooks.delete: the webhook and its deliveries (sent or not) are gone. */
export async function deleteWebhook(ctx: Ctx, input: v.InferOutput<typeof WebhookKey>): Promise<{ id: number }> {
  return withTransaction(ctx, async (tx) => {
    const hook = await loadWebhook(tx, input.id);
    await queryRows(tx.db, sql`delete from webhook_deliveries where webhook_id = ${hook.id}::int`);
    await queryRows(tx.db, sql`delete from webhooks where id = ${hook.id}::int`);
    await logAction(tx, { action: 'webhook_deleted', targetType: 'webhook', targetId: hook.id, data: hook.url });
    return { id: hook.id };
  });
}
