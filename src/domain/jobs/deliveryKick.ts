import { sendDue } from '../messages/sendMessages.ts';
import { deliverDue } from '../webhooks/deliverWebhooks.ts';
import type { JobCtx } from './job.ts';

/** The NOTIFY channel a statement queueing messages or webhook deliveries signals (payload: the table). */
export const DELIVERY_CHANNEL = 'openmor_delivery';

const SENDERS: Record<string, (ctx: JobCtx) => Promise<unknown>> = {
  messages: sendDue,
  webhook_deliveries: deliverDue,
};

/**
 * Runs a queue's sender as soon as something is queued, instead of at the next scheduler tick. Kicks
 * coalesce: while a sender runs, further kicks of its queue make it run once more afterwards (what was
 * queued meanwhile is claimed then), never twice at once in this process. Other instances and the
 * scheduler may run the same sender concurrently: its lease claims keep one sender per row.
 */
export function deliveryKicker(ctx: JobCtx) {
  let stopped = false;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const run = async (queue: string, send: (ctx: JobCtx) => Promise<unknown>) => {
    do {
      again.delete(queue);
      try {
        await send(ctx);
      } catch (error) {
        ctx.log.error('delivery kick failed', { queue, error: String((error as Error)?.message ?? error) });
      }
    } while (again.has(queue) && !stopped);
    running.delete(queue);
  };
  const kick = (queue: string) => {
    const send = SENDERS[queue];
    if (stopped || !send) return;
    if (running.has(queue)) again.add(queue);
    else running.set(queue, run(queue, send));
  };
  return {
    /** `queue`: `messages` or `webhook_deliveries` (the NOTIFY payload); anything else is ignored. */
    kick,
    /** Kicks every queue (after a lost LISTEN connection: notifications may have been missed). */
    kickAll: () => {
      for (const queue of Object.keys(SENDERS)) kick(queue);
    },
    /** No new runs; waits for the ones in progress. */
    stop: async () => {
      stopped = true;
      await Promise.allSettled([...running.values()]);
    },
  };
}
