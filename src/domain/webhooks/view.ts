import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { notFound } from '../errors.ts';
import { webhookRealm } from './realm.ts';

export interface WebhookView {
  id: number;
  url: string;
  eventTypes: string[];
  active: boolean;
  description: string;
  createdAt: string;
}

export interface WebhookRow extends WebhookView {
  secret: string;
}

/** The caller's webhook `id` with its secret; another realm's answers NOT_FOUND like a missing one. */
export async function loadWebhook(ctx: Pick<Ctx, 'db' | 'actor'>, id: number): Promise<WebhookRow> {
  const [row] = await queryRows<WebhookRow>(
    ctx.db,
    sql`select id, url, secret, event_types as "eventTypes", active, description,
        to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "createdAt"
      from webhooks where id = ${id}::int and owner_id = ${webhookRealm(ctx.actor)}::int`,
  );
  if (!row) throw notFound('webhook', 'Webhook was not found');
  return row;
}

export const withoutSecret = ({ secret: _secret, ...view }: WebhookRow): WebhookView => view;
