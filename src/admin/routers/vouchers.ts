import { DisableVouchers, disableVouchers } from '../../domain/vouchers/disableVouchers.ts';
import { GenerateVouchers, generateVouchers } from '../../domain/vouchers/generateVouchers.ts';
import { ListVouchers, listVouchers } from '../../domain/vouchers/listVouchers.ts';
import { authed, router } from '../trpc.ts';

/**
 * Vouchers (admin only): generate a batch of random codes with a tag, tax and expiry; list them by tag
 * and state; disable one or a batch. Users spend them with the XML voucher_use.
 */
export const vouchersRouter = router({
  generate: authed.input(GenerateVouchers).mutation(({ ctx, input }) => generateVouchers(ctx.ctx, input)),
  list: authed.input(ListVouchers).query(({ ctx, input }) => listVouchers(ctx.ctx, input)),
  disable: authed.input(DisableVouchers).mutation(({ ctx, input }) => disableVouchers(ctx.ctx, input)),
});
