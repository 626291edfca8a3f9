import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { disabled, forbidden, notFound } from '../errors.ts';
import { completePayment } from '../payments/completePayment.ts';
import { readConflines } from '../settings/writeConflines.ts';
import { shortDecimal } from './access.ts';

export const VOUCHER_NOT_FOUND = 'Voucher was not found';
export const VOUCHERS_DISABLED = 'Vouchers Disabled';
export const USER_NOT_FOUND = 'User was not found';

export interface VoucherUsed {
  voucherNumber: string;
  voucherId: number;
  creditWithTax: string;
  creditWithoutTax: string;
  currency: string;
  creditInDefaultCurrency: string;
  userId: number;
  balanceAfter: string;
  paymentId: number;
}

/**
 * voucher_use: the admin, or one of the admin's own users (resellers included, their users not), turns
 * a voucher into a payment. Order: role (`Access Denied`), "Vouchers enabled" (`Vouchers Disabled`),
 * target (`user_id` or the caller; not an admin-owned user or reseller → `User was not found`; a
 * non-admin may only name itself), voucher (missing, disabled, used or expired → `Voucher was not
 * found`). One transaction: the voucher is claimed by a conditional update (concurrent uses of one
 * code: exactly one wins, the others find it used), a `voucher` payment is written in the voucher
 * currency (net = credit without tax, gross = with tax) and completed through the ledger (the net
 * converted to the system currency at the currency's rate). Money is printed in its shortest form.
 */
export async function useVoucher(ctx: Ctx, input: { voucherNumber?: string; userId?: number }): Promise<VoucherUsed> {
  const { actor } = ctx;
  const ownUser = (actor.usertype === 'user' || actor.usertype === 'reseller') && actor.ownerId === 0;
  if (actor.usertype !== 'admin' && !ownUser) throw forbidden('role', 'Access Denied');
  const enabled = (await readConflines(ctx, 0, ['vouchers_enabled'])).vouchers_enabled === '1';
  if (!enabled) throw disabled('vouchers', VOUCHERS_DISABLED);
  const targetId = input.userId ?? actor.id;
  if (!Number.isSafeInteger(targetId) || (actor.usertype !== 'admin' && targetId !== actor.id)) {
    throw notFound('user', USER_NOT_FOUND);
  }
  return withTransaction(ctx, async (tx) => {
    const [user] = await queryRows<{ id: number }>(
      tx.db,
      sql`select id from users where id = ${targetId}::int and owner_id = 0 and usertype in ('user', 'reseller')`,
    );
    if (!user) throw notFound('user', USER_NOT_FOUND);
    const [voucher] = await queryRows<{
      id: number;
      number: string;
      currency: string;
      net: string;
      gross: string;
    }>(
      tx.db,
      sql`update vouchers set used_at = now(), user_id = ${user.id}::int
          where number = ${input.voucherNumber ?? ''}::text and active and used_at is null
            and (expires_at is null or expires_at > now())
          returning id, number, currency, credit_without_tax::text as net, credit_with_tax::text as gross`,
    );
    if (!voucher) throw notFound('voucher', VOUCHER_NOT_FOUND);
    const [payment] = await queryRows<{ id: number; credit: string }>(
      tx.db,
      sql`insert into payments (user_id, owner_id, paymenttype, currency, amount, tax, gross, exchange_rate, completed,
            confirmation, transaction_id, comment)
          select u.id, u.owner_id, 'voucher', ${voucher.currency}::text, ${voucher.net}::numeric,
            ${voucher.gross}::numeric - ${voucher.net}::numeric, ${voucher.gross}::numeric,
            coalesce((select exchange_rate from currencies where name = ${voucher.currency}::text order by id limit 1), 1),
            false, 'not_needed', ${voucher.number}::text, ${`voucher ${voucher.id}`}::text
          from users u where u.id = ${user.id}::int
          returning id, round(amount / exchange_rate, 6)::text as credit`,
    );
    const { id: paymentId, credit } = payment!;
    await queryRows(tx.db, sql`update vouchers set payment_id = ${paymentId}::int where id = ${voucher.id}::int`);
    const moved = await completePayment(
      tx,
      { id: paymentId, userId: user.id, credit, paymenttype: 'voucher' },
      'not_needed',
    );
    await logAction(tx, {
      action: 'voucher_used',
      targetType: 'voucher',
      targetId: voucher.id,
      data: String(user.id),
      data2: String(paymentId),
    });
    return {
      voucherNumber: voucher.number,
      voucherId: voucher.id,
      creditWithTax: shortDecimal(voucher.gross),
      creditWithoutTax: shortDecimal(voucher.net),
      currency: voucher.currency,
      creditInDefaultCurrency: shortDecimal(credit),
      userId: user.id,
      balanceAfter: shortDecimal(moved.after),
      paymentId,
    };
  });
}
