import { listLocalCalls } from '../../domain/calls/localCalls.ts';
import { defineMethod } from '../method.ts';
import { page, pageStatusError } from '../xml.ts';
import { guarded, idOf, unixTime } from './moneySupport.ts';

export const localCallsGet = defineMethod({
  name: 'local_calls_get',
  family: 'calls',
  summary: 'Local (device-to-device) calls of a user in a period (default today), oldest first.',
  identity: 'caller',
  hash: ['from', 'till', 's_user'],
  // The page's example digest is sha1(key): accepted only when it leaves nothing unsigned (no parameter sent).
  altHashes: [{ order: [] }],
  callers: ['admin', 'accountant', 'reseller', 'user'],
  access: 'read',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller: admin, reseller, user, accountant with Calls and statistics' },
    { name: 'from', description: 'Unix time: period start (default today 00:00:00, system time)' },
    { name: 'till', description: 'Unix time: period end (default today 23:59:59)' },
    { name: 's_user', required: true, description: 'user whose local calls (either side); a simple user: itself' },
    { name: 'hash', required: true, description: 'sha1(from + till + s_user + key)' },
  ],
  run: guarded(pageStatusError, async ({ ctx, params }) => {
    const userId = idOf(params, 's_user');
    const calls = await listLocalCalls(ctx, {
      userId: userId === undefined ? undefined : Number.isNaN(userId) ? -1 : userId,
      from: unixTime(params.value('from'), 0) ?? undefined,
      till: unixTime(params.value('till'), 0) ?? undefined,
    });
    return page({
      local_calls: {
        call: calls.map((c) => ({
          calldate: { date: c.calldate, timezone: c.timezone },
          originator_device: c.originatorDevice,
          originator_caller_id: c.originatorCallerId,
          orignator_ip: c.originatorIp,
          orignator_channel: c.originatorChannel,
          terminator_user: c.terminatorUser,
          terminator_device: c.terminatorDevice,
          terminator_ip: c.terminatorIp,
        })),
      },
    });
  }),
});
