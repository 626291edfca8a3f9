import { changeCampaignStatus } from '../../domain/autodialer/changeCampaignStatus.ts';
import { pollResults } from '../../domain/autodialer/pollResults.ts';
import { linesOf, uploadNumbers } from '../../domain/autodialer/uploadNumbers.ts';
import { Problems } from '../../domain/devices/problems.ts';
import { defineMethod, type MorCall } from '../method.ts';
import { type MorReply, page, pageError, xml } from '../xml.ts';
import { ctxOf, guarded, idParam } from './devices/support.ts';

const common = {
  family: 'autodialer',
  identity: 'caller',
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  unknownCaller: pageError('Access Denied'),
  errorWrapper: pageError,
} as const;

/** Errors in `<page><error>`; a campaign that cannot start answers `<page><status><error>` + `<message>`. */
const run = (handler: (call: MorCall) => Promise<MorReply>) =>
  guarded('page', async (call) => {
    try {
      return await handler(call);
    } catch (error) {
      if (!(error instanceof Problems)) throw error;
      return xml({ page: { status: { error: error.headline, message: [...error.messages] } } });
    }
  });

export const autodialerChangeCampaignStatus = defineMethod({
  ...common,
  name: 'autodialer_change_campaign_status',
  summary: 'Starts a stopped campaign (needs free numbers and an action) or stops a running one.',
  hash: ['u', 'id'],
  access: 'write',
  params: [
    { name: 'u', required: true, description: "caller: the campaign's user, or its admin/reseller" },
    { name: 'id', required: true, description: 'campaign id' },
    { name: 'hash', required: true, description: 'sha1(u + id + key)' },
  ],
  run: run(async (call) => {
    const state = await changeCampaignStatus(ctxOf(call), { id: idParam(call.params, 'id') });
    return page({ status: { success: state === 'started' ? 'Campaign started' : 'Campaign stopped' } });
  }),
});

export const autodialerUploadNumbers = defineMethod({
  ...common,
  name: 'autodialer_upload_numbers',
  summary: 'Adds the numbers of an uploaded CSV (one per line) to a campaign; duplicates and non-numbers skipped.',
  hash: ['id'],
  access: 'write',
  params: [
    { name: 'u', required: true, description: "caller: the campaign's user, or its admin/reseller" },
    { name: 'id', required: true, description: 'campaign id' },
    { name: 'file', required: true, description: 'multipart file part, a .csv, one number per line' },
    { name: 'hash', required: true, description: 'sha1(id + key)' },
  ],
  run: run(async (call) => {
    const file = call.params.files.get('file');
    if (!file) return pageError('Please provide a file');
    if (!file.name.toLowerCase().endsWith('.csv')) return pageError('Please provide CSV file');
    if (file.size === 0) return pageError('File is empty');
    const { imported, total } = await uploadNumbers(ctxOf(call), {
      id: idParam(call.params, 'id'),
      lines: linesOf(file.stream()),
    });
    return page({ status: { success: `${imported} out of ${total} numbers were imported` } });
  }),
});

export const autodialerGetCampaignIvrPollResults = defineMethod({
  ...common,
  name: 'autodialer_get_campaign_ivr_poll_results',
  summary: "A campaign's IVR poll answers, one line each (digits[,answer time,end time]).",
  hash: ['u', 'id'],
  access: 'read',
  params: [
    { name: 'u', required: true, description: "caller: the campaign's user, or its admin/reseller" },
    { name: 'id', required: true, description: 'campaign id' },
    { name: 'hash', required: true, description: 'sha1(u + id + key)' },
  ],
  run: run(async (call) => {
    const text = await pollResults(ctxOf(call), { id: idParam(call.params, 'id') });
    return page({ status: { ivr_poll_results_string: text } });
  }),
});
