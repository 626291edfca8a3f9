import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { addonActive } from '../callControl/addons.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { DomainError } from '../errors.ts';

export const SUBSCRIBE_ERRORS = {
  denied: 'Access Denied',
  unauthorized: 'You are not authorized to use this functionality',
  user: 'User was not found',
  reseller: 'Reseller does not have SMS Subscription',
  tariff: 'SMS Tariff was not found',
  lcr: 'SMS LCR was not found',
  already: 'User is already subscribed to SMS service',
} as const;

const refuse = (detail: keyof typeof SUBSCRIBE_ERRORS) =>
  new DomainError(
    detail === 'denied' || detail === 'unauthorized' ? 'FORBIDDEN' : 'INVALID',
    detail,
    SUBSCRIBE_ERRORS[detail],
  );

const idOf = (value: string | undefined) => (value && /^\d{1,9}$/.test(value) ? Number(value) : -1);

/** The LCR of an active SMS subscription, or null. */
const subscriptionLcr = async (ctx: Pick<Ctx, 'db'>, userId: number) =>
  (
    await queryRows<{ lcr: number }>(
      ctx.db,
      sql`select sms_lcr_id as lcr from sms_subscriptions where user_id = ${userId}::int and active`,
    )
  )[0]?.lcr ?? null;

/**
 * user_sms_service_subscribe: the admin or a reseller subscribes one of its users (or the admin one of
 * its resellers) to the SMS service with an SMS tariff of the user's owner and an SMS LCR (the admin
 * names it; a reseller's users get the reseller's own LCR). No charge. Checks in the page's order.
 */
export async function subscribeSms(
  ctx: Ctx,
  input: { userId?: string; smsTariffId?: string; smsLcrId?: string },
): Promise<void> {
  const { actor } = ctx;
  if (actor.usertype !== 'admin' && actor.usertype !== 'reseller') throw refuse('denied');
  if (!(await addonActive(ctx, 'sms_addon'))) throw refuse('denied');
  const resellerLcr = actor.usertype === 'reseller' ? await subscriptionLcr(ctx, actor.id) : null;
  if (actor.usertype === 'reseller' && resellerLcr === null) throw refuse('unauthorized');
  return withTransaction(ctx, async (tx) => {
    const [target] = await queryRows<{ id: number; ownerId: number }>(
      tx.db,
      sql`select id, owner_id as "ownerId" from users
        where id = ${idOf(input.userId)}::int and id <> 0
          and ${actor.usertype === 'admin' ? sql`(usertype = 'reseller' or usertype = 'user')` : sql`usertype = 'user' and owner_id = ${actor.id}::int`}
        for update`,
    );
    if (!target) throw refuse('user');
    let lcr = resellerLcr;
    if (actor.usertype === 'admin' && target.ownerId !== 0) {
      lcr = await subscriptionLcr(tx, target.ownerId);
      if (lcr === null) throw refuse('reseller');
    }
    const [tariff] = await queryRows(
      tx.db,
      sql`select 1 from sms_tariffs where id = ${idOf(input.smsTariffId)}::int and tariff_type = 'user'
        and owner_id = ${target.ownerId}::int for key share`,
    );
    // The key-share locks hold until the subscription is written: a concurrent delete of the SMS tariff
    // or LCR waits, then sees the subscription.
    if (!tariff) throw refuse('tariff');
    if (actor.usertype === 'admin') {
      const [named] = await queryRows<{ id: number }>(
        tx.db,
        sql`select id from sms_lcrs where id = ${idOf(input.smsLcrId)}::int and owner_id = 0 for key share`,
      );
      if (!named) throw refuse('lcr');
      lcr ??= named.id;
    }
    const [done] = await queryRows(
      tx.db,
      sql`insert into sms_subscriptions as s (user_id, sms_tariff_id, sms_lcr_id, active)
        values (${target.id}::int, ${idOf(input.smsTariffId)}::int, ${lcr!}::int, true)
        on conflict (user_id) do update set sms_tariff_id = excluded.sms_tariff_id, sms_lcr_id = excluded.sms_lcr_id,
          active = true, created_at = now()
        where not s.active
        returning 1`,
    );
    if (!done) throw refuse('already');
    await logAction(tx, {
      action: 'sms_service_subscribed',
      targetType: 'user',
      targetId: target.id,
      data: `sms_tariff ${input.smsTariffId}`,
      data2: `sms_lcr ${lcr}`,
    });
  });
}
