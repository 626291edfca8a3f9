import * as v from 'valibot';
import {
  CreateMonitoring,
  createMonitoring,
  deleteMonitoring,
  listMonitorings,
  MonitoringKey,
  UpdateMonitoring,
  updateMonitoring,
} from '../../domain/callControl/monitorings.ts';
import { authed, router } from '../trpc.ts';

/** Monitorings (Monitorings addon): the rules ma_activate fires (block the users, e-mail the admin). */
export const monitoringsRouter = router({
  list: authed.input(v.optional(v.strictObject({}))).query(({ ctx }) => listMonitorings(ctx.ctx)),
  create: authed.input(CreateMonitoring).mutation(({ ctx, input }) => createMonitoring(ctx.ctx, input)),
  update: authed.input(UpdateMonitoring).mutation(({ ctx, input }) => updateMonitoring(ctx.ctx, input)),
  delete: authed.input(MonitoringKey).mutation(({ ctx, input }) => deleteMonitoring(ctx.ctx, input)),
});
