import { ListMessages, listMessages } from '../../domain/messages/listMessages.ts';
import { authed, router } from '../trpc.ts';

/** E-mail and SMS openmor sent or is sending (email_send, sms_send, low-balance warnings …). */
export const messagesRouter = router({
  list: authed.input(ListMessages).query(({ ctx, input }) => listMessages(ctx.ctx, input)),
});
