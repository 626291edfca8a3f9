import { getQueueLog } from '../../domain/queues/getQueueLog.ts';
import { defineMethod } from '../method.ts';
import { page, pageError } from '../xml.ts';
import { answer } from './users.ts';

const unix = (raw: string | undefined) => (raw !== undefined && /^\d{1,11}$/.test(raw) ? Number(raw) : undefined);

export const queueLogGet = defineMethod({
  name: 'queue_log_get',
  family: 'queue',
  summary: "Asterisk queue-log rows of a period (default today) of the caller's queues, filtered exactly.",
  identity: 'caller',
  hash: [],
  callers: ['admin', 'accountant', 'reseller', 'partner', 'user'],
  access: 'read',
  unknownCaller: pageError('Access Denied'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username (not hashed)' },
    { name: 'from', description: 'Unix timestamp, start of period (default today 00:00:00)' },
    { name: 'till', description: 'Unix timestamp, end of period (default today 23:59:59)' },
    { name: 'queuename', description: 'only rows of this queue' },
    { name: 'callid', description: 'only rows of this call' },
    { name: 'agent', description: 'only rows of this agent' },
    { name: 'event', description: 'only rows with this event' },
    ...[1, 2, 3, 4, 5].map((i) => ({ name: `data${i}`, description: `only rows whose data${i} equals it` })),
    { name: 'hash', required: true, description: 'sha1(secret key)' },
  ],
  run: ({ ctx, params }) =>
    answer(
      pageError,
      async () => {
        const p = (name: string) => params.value(name);
        const rows = await getQueueLog(ctx!, {
          from: unix(p('from')),
          till: unix(p('till')),
          queuename: p('queuename'),
          callid: p('callid'),
          agent: p('agent'),
          event: p('event'),
          data: [1, 2, 3, 4, 5].map((i) => p(`data${i}`)),
        });
        return page({
          queues: {
            queue: rows.map((r) => ({
              id: r.id,
              call_id: r.callid,
              queue_name: r.queuename,
              agent: r.agent,
              event: r.event,
              data1: r.data1,
              data2: r.data2,
              data3: r.data3,
              data4: r.data4,
              data5: r.data5,
            })),
          },
        });
      },
      { NOT_FOUND: 'No data found', FORBIDDEN: 'Access Denied' },
    ),
});
