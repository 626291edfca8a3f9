import { CreateWhitelistedIps, createWhitelistedIps } from '../../domain/security/createWhitelistedIps.ts';
import { DeleteWhitelistedIp, deleteWhitelistedIp } from '../../domain/security/deleteWhitelistedIp.ts';
import { listWhitelistedIps } from '../../domain/security/listWhitelistedIps.ts';
import { UpdateWhitelistedIp, updateWhitelistedIp } from '../../domain/security/updateWhitelistedIp.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** Security → Whitelisted IPs: the admin, and accountants with Monitorings (read 1, write 2). */
export const whitelistedIpsRouter = router({
  list: authed.query(({ ctx }) => listWhitelistedIps(ctx.ctx)),
  /** One row, or one per address of a last-octet range (`2.2.2.1-125`); returns the rows made. */
  create: authed.input(strict(CreateWhitelistedIps)).mutation(({ ctx, input }) => createWhitelistedIps(ctx.ctx, input)),
  update: authed.input(strict(UpdateWhitelistedIp)).mutation(({ ctx, input }) => updateWhitelistedIp(ctx.ctx, input)),
  delete: authed.input(strict(DeleteWhitelistedIp)).mutation(({ ctx, input }) => deleteWhitelistedIp(ctx.ctx, input)),
});
