import type { Config } from '../config.ts';
import type { Ports } from '../domain/ports.ts';
import { httpMailTransport } from './httpMail.ts';
import { kannelSms } from './kannelSms.ts';

/** Default From address when MAIL_FROM is unset. */
export const DEFAULT_MAIL_FROM = 'openmor@localhost';

/**
 * The ports every runtime can offer with Web standards alone: e-mail through the HTTP mail API
 * (MAIL_API_URL) and SMS through HTTP gateways. Node and Deno add SMTP and AMI (src/entry/ports.ts).
 */
export function webPorts(config: Config): Ports {
  return {
    ...(config.mailApiUrl ? { mail: httpMailTransport(config.mailApiUrl, config.mailApiToken ?? '') } : {}),
    mailFrom: config.mailFrom ?? DEFAULT_MAIL_FROM,
    sms: kannelSms(),
  };
}
