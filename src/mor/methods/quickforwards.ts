import type { Ctx } from '../../domain/ctx.ts';
import { deleteQuickforward } from '../../domain/quickforwards/deleteQuickforward.ts';
import { listQuickforwards } from '../../domain/quickforwards/listQuickforwards.ts';
import { updateQuickforward } from '../../domain/quickforwards/updateQuickforward.ts';
import { defineMethod, type MethodDef, type MorCall } from '../method.ts';
import { type MorReply, page, pageError } from '../xml.ts';
import { guarded } from './devices/support.ts';

/**
 * Quickforwards methods tell a missing `u` (`You are not authorized to use Quickforwards`) from an
 * unknown one (`User was not found`), so they take the `account` identity and answer both here.
 */
const asCaller = (run: (ctx: Ctx, call: MorCall) => Promise<MorReply>) =>
  guarded('page', async (call) => {
    if (call.params.value('u') === undefined) return pageError('You are not authorized to use Quickforwards');
    if (!call.ctx || call.ctx.actor.blocked) return pageError('User was not found');
    return run(call.ctx, call);
  });

const common = {
  family: 'quickforwards',
  identity: 'account',
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  errorWrapper: pageError,
} satisfies Partial<MethodDef>;

export const quickforwardsDidsGet = defineMethod({
  ...common,
  name: 'quickforwards_dids_get',
  summary: "The caller's Quickforwards DIDs with its forward numbers.",
  hash: [],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller whose list is returned' },
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  run: asCaller(async (ctx) => {
    const rows = await listQuickforwards(ctx);
    return page({
      quick_forward_did: rows.map((r) => ({ did: r.did, forward_to: r.forwardTo, description: r.description })),
    });
  }),
});

export const quickforwardsDidUpdate = defineMethod({
  ...common,
  name: 'quickforwards_did_update',
  summary: "Sets the caller's forward number for one Quickforwards DID.",
  hash: ['did', 'forward_to', 'description'],
  // Both documented examples verify as description + did + forward_to.
  altHashes: [{ order: ['description', 'did', 'forward_to'] }],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller' },
    { name: 'did', required: true, description: 'Quickforwards DID number' },
    { name: 'forward_to', required: true, description: 'number to forward to (digits)' },
    { name: 'description', description: 'note' },
    { name: 'hash', required: true, description: 'sha1(did + forward_to + description + key)' },
  ],
  run: asCaller(async (ctx, { params }) => {
    const saved = await updateQuickforward(ctx, {
      did: params.get('did') ?? '',
      forwardTo: params.get('forward_to'),
      description: params.get('description'),
    });
    return page({
      new_quickforward_did: { did: saved.did, forward_to: saved.forwardTo, description: saved.description },
    });
  }),
});

export const quickforwardsDidDelete = defineMethod({
  ...common,
  name: 'quickforwards_did_delete',
  aliases: ['quickforward_did_delete'],
  summary: "Removes the caller's forward number of one Quickforwards DID.",
  hash: ['did'],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller' },
    { name: 'did', required: true, description: 'Quickforwards DID number' },
    { name: 'hash', required: true, description: 'sha1(did + key)' },
  ],
  run: asCaller(async (ctx, { params }) => {
    await deleteQuickforward(ctx, { did: params.get('did') ?? '' });
    return page({ status: 'Quickforward successfully deleted' });
  }),
});
