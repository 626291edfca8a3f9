import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { RowId } from '../ids.ts';
import { requireVoucherAdmin } from './access.ts';

export const DisableVouchers = v.strictObject({
  /** One voucher … */
  id: v.optional(RowId),
  /** … or every voucher of a batch. */
  tag: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(255))),
});
export type DisableVouchers = v.InferOutput<typeof DisableVouchers>;

/** vouchers.disable (admin): deactivates unused vouchers (one, or a batch); answers how many changed. */
export async function disableVouchers(ctx: Ctx, input: DisableVouchers): Promise<{ disabled: number }> {
  requireVoucherAdmin(ctx.actor);
  if ((input.id === undefined) === (input.tag === undefined)) throw invalid('selector', 'Give either id or tag');
  return withTransaction(ctx, async (tx) => {
    const rows = await queryRows<{ id: number }>(
      tx.db,
      sql`update vouchers set active = false
          where active and used_at is null
            and ${input.id !== undefined ? sql`id = ${input.id}::int` : sql`tag = ${input.tag ?? ''}::text`}
          returning id`,
    );
    await logAction(tx, {
      action: 'vouchers_disabled',
      targetType: 'voucher',
      targetId: input.id ?? null,
      data: String(rows.length),
      data2: input.tag ?? '',
    });
    return { disabled: rows.length };
  });
}
