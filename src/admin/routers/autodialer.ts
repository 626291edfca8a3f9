import * as v from 'valibot';
import {
  AddCampaignAction,
  addCampaignAction,
  CreateCampaign,
  createCampaign,
} from '../../domain/autodialer/createCampaign.ts';
import { listCampaigns } from '../../domain/autodialer/listCampaigns.ts';
import { RecordPollResult, recordPollResult } from '../../domain/autodialer/pollResults.ts';
import { authed, router } from '../trpc.ts';

/**
 * Autodialer campaigns: create (stopped) for a simple user in reach, add the actions run when a number
 * answers, list them; the switch side records IVR poll answers. Numbers arrive through the XML
 * autodialer_upload_numbers (a streamed CSV); starting and stopping through
 * autodialer_change_campaign_status.
 */
export const autodialerRouter = router({
  listCampaigns: authed.input(v.optional(v.strictObject({}))).query(({ ctx }) => listCampaigns(ctx.ctx)),
  createCampaign: authed.input(CreateCampaign).mutation(({ ctx, input }) => createCampaign(ctx.ctx, input)),
  addAction: authed.input(AddCampaignAction).mutation(({ ctx, input }) => addCampaignAction(ctx.ctx, input)),
  recordPollResult: authed.input(RecordPollResult).mutation(({ ctx, input }) => recordPollResult(ctx.ctx, input)),
});
