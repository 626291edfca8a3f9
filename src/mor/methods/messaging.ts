import { emailSend } from '../../domain/messages/emailSend.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageStatusError } from '../xml.ts';
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
