import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { webhookRealm } from './realm.ts';
import type { WebhookView } from './view.ts';

/** tRPC webhooks.list: the caller's realm's webhooks (without their secrets). */
export function listWebhooks(ctx: Ctx): Promise<WebhookView[]> {
  return queryRows<WebhookView>(
    ctx.db,
    sql`select id, url, event_types as "eventTypes", active, description,
        to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "createdAt"
      from webhooks where owner_id = ${webhookRealm(ctx.actor)}::int order by id`,
  );
}
