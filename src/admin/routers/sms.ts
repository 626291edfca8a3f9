import * as v from 'valibot';
import { getSmsGateway, SetSmsGateway, setSmsGateway } from '../../domain/sms/gateway.ts';
import {
  CreateSmsLcr,
  createSmsLcr,
  deleteSmsLcr,
  listSmsLcrs,
  SmsLcrKey,
  UpdateSmsLcr,
  updateSmsLcr,
} from '../../domain/sms/lcrs.ts';
import {
  CreateSmsTariff,
  createSmsTariff,
  deleteSmsRate,
  deleteSmsTariff,
  listSmsRates,
  listSmsTariffs,
  loadSmsTariff,
  SetSmsRate,
  SmsRateKey,
  SmsTariffKey,
  setSmsRate,
  UpdateSmsTariff,
  updateSmsTariff,
} from '../../domain/sms/tariffs.ts';
import { authed, router } from '../trpc.ts';

const NoInput = v.optional(v.strictObject({}));

/**
 * SMS tariffs of the caller's realm (the admin's, or a reseller's own) and their per-prefix rates:
 * what user_sms_service_subscribe subscribes to and sms_send prices with.
 */
export const smsTariffsRouter = router({
  list: authed.input(NoInput).query(({ ctx }) => listSmsTariffs(ctx.ctx)),
  get: authed.input(SmsTariffKey).query(({ ctx, input }) => loadSmsTariff(ctx.ctx, input.id)),
  create: authed.input(CreateSmsTariff).mutation(({ ctx, input }) => createSmsTariff(ctx.ctx, input)),
  update: authed.input(UpdateSmsTariff).mutation(({ ctx, input }) => updateSmsTariff(ctx.ctx, input)),
  delete: authed.input(SmsTariffKey).mutation(({ ctx, input }) => deleteSmsTariff(ctx.ctx, input)),
  rates: authed.input(SmsTariffKey).query(({ ctx, input }) => listSmsRates(ctx.ctx, input)),
  setRate: authed.input(SetSmsRate).mutation(({ ctx, input }) => setSmsRate(ctx.ctx, input)),
  deleteRate: authed.input(SmsRateKey).mutation(({ ctx, input }) => deleteSmsRate(ctx.ctx, input)),
});

/** SMS LCRs (the admin's): the `lcr_id` of sms_send and the LCR of user_sms_service_subscribe. */
export const smsLcrsRouter = router({
  list: authed.input(NoInput).query(({ ctx }) => listSmsLcrs(ctx.ctx)),
  create: authed.input(CreateSmsLcr).mutation(({ ctx, input }) => createSmsLcr(ctx.ctx, input)),
  update: authed.input(UpdateSmsLcr).mutation(({ ctx, input }) => updateSmsLcr(ctx.ctx, input)),
  delete: authed.input(SmsLcrKey).mutation(({ ctx, input }) => deleteSmsLcr(ctx.ctx, input)),
});

/** The SMS provider (Kannel-style HTTP gateway) of the caller's realm; the password is never answered. */
export const smsGatewayRouter = router({
  get: authed.input(NoInput).query(({ ctx }) => getSmsGateway(ctx.ctx)),
  set: authed.input(SetSmsGateway).mutation(({ ctx, input }) => setSmsGateway(ctx.ctx, input)),
});
