import { emailSend } from '../../domain/messages/emailSend.ts';
import { sendSms } from '../../domain/sms/sendSms.ts';
import { subscribeSms } from '../../domain/sms/subscribe.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageError, pageStatusError, pageStatusSuccess } from '../xml.ts';
import { ctxOf, guarded } from './devices/support.ts';

/** Parameters of email_send that are not template variables. */
const NOT_VARIABLES = new Set(['u', 'hash', 'email_name', 'email_to_user_id', 'idempotency_key', 'p']);
/** The documented digest fixes these three variables first, in this order. */
const LEADING_VARIABLES = ['server_ip', 'login_url', 'login_username'];

/** The template variables a request sends: the three documented ones first, then the others by name. */
function templateVariables(params: Params): string[] {
  const sent = [...new Set([...params.entries()].map(([name]) => name))].filter((n) => !NOT_VARIABLES.has(n));
  const leading = LEADING_VARIABLES.filter((n) => sent.includes(n));
  return [...leading, ...sent.filter((n) => !LEADING_VARIABLES.includes(n)).sort()];
}

export const emailSendMethod = defineMethod({
  name: 'email_send',
  aliases: ['send_email'],
  family: 'email',
  summary: "Sends one of the caller realm's e-mail templates, rendered with the sent variables, to a user.",
  identity: 'caller',
  // The public client's form; the documented example's form (variables first) and the key alone are
  // accepted too (dynamicHashes).
  hash: ['email_name', 'email_to_user_id'],
  dynamicHashes: (params) => [[...templateVariables(params), 'email_name', 'email_to_user_id'], []],
  callers: ['admin', 'accountant', 'reseller'],
  access: 'write',
  unknownCaller: pageStatusError('Bad login'),
  params: [
    { name: 'u', required: true, description: 'caller username (the template owner)' },
    { name: 'email_name', required: true, description: 'template name, e.g. registration_confirmation_for_user' },
    { name: 'email_to_user_id', description: 'recipient user id (default: the caller)' },
    { name: '<variable>', description: 'values for the template variables (<%= name %>); unsent ones render empty' },
    {
      name: 'hash',
      required: true,
      description:
        'sha1(variables + email_name + email_to_user_id + key), sha1(email_name + email_to_user_id + key) or sha1(key)',
    },
  ],
  run: guarded('pageStatus', async (call) => {
    const variables = new Map<string, string>();
    for (const name of templateVariables(call.params)) variables.set(name, call.params.get(name) ?? '');
    const result = await emailSend(ctxOf(call), {
      emailName: call.params.get('email_name') ?? '',
      toUserId: call.params.get('email_to_user_id'),
      variables,
    });
    return page({ email_sending_status: result.status === 'disabled' ? 'E-mail has been disabled' : 'Email sent' });
  }),
});

export const smsSendMethod = defineMethod({
  name: 'sms_send',
  aliases: ['send_sms'],
  family: 'sms',
  summary: 'A subscribed simple user sends an SMS: priced by its SMS tariff, charged, queued for the gateway.',
  identity: 'caller',
  hash: ['lcr_id', 'dst', 'src', 'message'],
  callers: ['user'],
  access: 'write',
  movesMoney: true,
  unknownCaller: pageError('Bad login'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'sender (a simple user subscribed to the SMS service)' },
    { name: 'lcr_id', required: true, description: 'SMS LCR id' },
    { name: 'dst', required: true, description: 'destination number' },
    { name: 'src', required: true, description: 'source (sender id)' },
    { name: 'message', required: true, description: 'message text (URL-encoded on the wire)' },
    { name: 'hash', required: true, description: 'sha1(lcr_id + dst + src + message + key)' },
  ],
  run: guarded('page', async (call) => {
    const p = call.params;
    const sent = await sendSms(ctxOf(call), {
      lcrId: p.get('lcr_id'),
      dst: p.get('dst'),
      src: p.get('src'),
      message: p.get('message'),
    });
    return page({
      response: {
        status: 'ok',
        message: {
          message_id: sent.messageId,
          sms_status_code_tip: 'SMS is sent',
          price: sent.price,
          currency: sent.currency,
        },
      },
    });
  }),
});

export const userSmsServiceSubscribeMethod = defineMethod({
  name: 'user_sms_service_subscribe',
  family: 'sms',
  summary: 'The admin or a reseller subscribes a user to the SMS service with an SMS tariff and LCR.',
  identity: 'caller',
  hash: ['user_id', 'sms_tariff_id'],
  callers: ['admin', 'reseller'],
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'admin or reseller username' },
    { name: 'user_id', required: true, description: 'user to subscribe' },
    { name: 'sms_tariff_id', required: true, description: "an SMS tariff of the user's owner" },
    { name: 'sms_lcr_id', description: 'admin: the SMS LCR (required); reseller: ignored (its own LCR)' },
    { name: 'hash', required: true, description: 'sha1(user_id + sms_tariff_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const p = call.params;
    await subscribeSms(ctxOf(call), {
      userId: p.get('user_id'),
      smsTariffId: p.get('sms_tariff_id'),
      smsLcrId: p.get('sms_lcr_id'),
    });
    return pageStatusSuccess('User successfully subscribed to SMS service');
  }),
});
