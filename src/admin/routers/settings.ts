import { getSettings } from '../../domain/settings/getSettings.ts';
import { UpdateSettings, updateSettings } from '../../domain/settings/updateSettings.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

export const settingsRouter = router({
  /** API settings (camelCase), the caller's uniquehash; never a password. */
  get: authed.query(({ ctx }) => getSettings(ctx.ctx)),
  update: authed.input(strict(UpdateSettings)).mutation(({ ctx, input }) => updateSettings(ctx.ctx, input)),
});
