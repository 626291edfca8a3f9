import { AddCli, addCli } from '../../domain/clis/addCli.ts';
import { DeleteCli, deleteCli } from '../../domain/clis/deleteCli.ts';
import { GetCliInfo, getCliInfo } from '../../domain/clis/getCliInfo.ts';
import { ListDeviceClis, listDeviceClis } from '../../domain/clis/listDeviceClis.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** CLIs (incoming CallerIDs): cli_add, cli_delete, cli_info_get, device_clis_get. */
export const clisRouter = router({
  /** CLIs of a device, of a user's devices, or of every device within reach. */
  list: authed.input(strict(ListDeviceClis)).query(({ ctx, input }) => listDeviceClis(ctx.ctx, input)),
  /** The user and device a CLI (number or domain) belongs to. */
  info: authed.input(strict(GetCliInfo)).query(({ ctx, input }) => getCliInfo(ctx.ctx, input)),
  add: authed.input(strict(AddCli)).mutation(({ ctx, input }) => addCli(ctx.ctx, input)),
  delete: authed.input(strict(DeleteCli)).mutation(({ ctx, input }) => deleteCli(ctx.ctx, input)),
});
