import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/rows.ts';
import type { TestApi } from './app.ts';
import { XML_DECL } from './app.ts';
import { TEST } from './db.ts';
import { createAccountant, createUser } from './factories.ts';
import { type Caller, moneyWorld } from './money.ts';

/**
 * The money world (admin, resellers r1/r2, a simple user, a partner …) plus accountants for services
 * and subscriptions: Manage Services write with and without See financial data, read, none;
 * Manage Subscriptions write, read, none.
 */
export async function subsWorld(api: TestApi) {
  const w = await moneyWorld(api);
  const h = api.handle;
  const of = (row: { id: number; username: string }): Caller => ({
    id: row.id,
    username: row.username,
    key: TEST.apiSecretKey,
    call: (method, params = {}, hashOf = [], options = {}) =>
      api.call(method, { u: row.username, ...params }, { hashOf, key: TEST.apiSecretKey, ...options }),
  });
  return {
    ...w,
    accSvc: of(await createAccountant(h, { services_manage: 2, see_financial_data: 1 })),
    accSvcBlind: of(await createAccountant(h, { services_manage: 2 })),
    accSvcRead: of(await createAccountant(h, { services_manage: 1, see_financial_data: 1 })),
    accSub: of(await createAccountant(h, { subscriptions_manage: 2 })),
    accSubRead: of(await createAccountant(h, { subscriptions_manage: 1 })),
    /** A user of a reseller's realm. */
    userOf: (ownerId: number, input: { balance?: string } = {}) => createUser(h, { ownerId, ...input }),
  };
}
export type SubsWorld = Awaited<ReturnType<typeof subsWorld>>;

export const successXml = (message: string) =>
  `${XML_DECL}\n<page>\n  <status>\n    <success>${message}</success>\n  </status>\n</page>\n`;

/** Inserts a service directly (fixture) and answers its id. */
export async function insertService(
  api: TestApi,
  input: { ownerId?: number; name?: string; type?: string; period?: string; price?: string; quantity?: number } = {},
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    api.handle.db,
    sql`insert into services (owner_id, name, type, period, price, quantity)
      values (${input.ownerId ?? 0}, ${input.name ?? 'Line rent'}, ${input.type ?? 'periodic_fee'},
        ${input.period ?? 'month'}, ${input.price ?? '10'}, ${input.quantity ?? 1})
      returning id`,
  );
  return row!.id;
}

export const serviceRow = async (api: TestApi, id: number) =>
  (
    await queryRows<Record<string, unknown>>(
      api.handle.db,
      sql`select owner_id, name, memo, type, period, price::text, self_cost::text, quantity from services where id = ${id}`,
    )
  )[0];

/** Subscribes `userId` to `serviceId` as the admin (XML) and answers the subscription's id. */
export async function subscribe(
  as: Caller,
  userId: number,
  serviceId: number,
  extra: Record<string, string> = {},
): Promise<number> {
  const res = await as.call(
    'subscription_create',
    { user_id: String(userId), service_id: String(serviceId), ...extra },
    ['user_id', 'service_id'],
  );
  const m = /<id>(\d+)<\/id>/.exec(res.body);
  if (!m) throw new Error(res.body);
  return Number(m[1]);
}

export const subscriptionRow = async (api: TestApi, id: number) =>
  (
    await queryRows<Record<string, unknown>>(
      api.handle.db,
      sql`select to_char(activation_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as start,
          to_char(activation_end at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as end, memo, no_expiration,
          discount_percent::text, start_period_day, start_period_month, charge_balance_on
        from subscriptions where id = ${id}`,
    )
  )[0];
