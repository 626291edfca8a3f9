import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { requireVoucherAdmin } from './access.ts';

export const ListVouchers = v.strictObject({
  tag: v.optional(v.pipe(v.string(), v.maxLength(255))),
  /** usable: active, unused, not expired. */
  state: v.optional(v.picklist(['usable', 'used', 'disabled', 'expired'])),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), 1000),
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_147_483_647)), 0),
});
export type ListVouchers = v.InferInput<typeof ListVouchers>;

export interface VoucherView {
  id: number;
  number: string;
  tag: string;
  currency: string;
  creditWithoutTax: string;
  taxPercent: string;
  creditWithTax: string;
  active: boolean;
  expiresAt: string | null;
  usedAt: string | null;
  userId: number | null;
  paymentId: number | null;
}

/** vouchers.list (admin): vouchers by id, filtered by batch tag and state. */
export async function listVouchers(ctx: Ctx, input: ListVouchers = {}): Promise<VoucherView[]> {
  requireVoucherAdmin(ctx.actor);
  const { tag, state, limit = 1000, offset = 0 } = input;
  const stateSql = {
    usable: sql`active and used_at is null and (expires_at is null or expires_at > now())`,
    used: sql`used_at is not null`,
    disabled: sql`not active`,
    expired: sql`used_at is null and expires_at <= now()`,
  };
  return queryRows<VoucherView>(
    ctx.db,
    sql`select id, number, tag, currency, credit_without_tax::text as "creditWithoutTax",
          tax_percent::text as "taxPercent", credit_with_tax::text as "creditWithTax", active,
          to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "expiresAt",
          to_char(used_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "usedAt",
          user_id as "userId", payment_id as "paymentId"
        from vouchers
        where (${tag ?? null}::text is null or tag = ${tag ?? null}::text)
          and ${state ? stateSql[state] : sql`true`}
        order by id limit ${limit}::int offset ${offset}::int`,
  );
}
