import { webPorts } from '../adapters/webPorts.ts';
import type { Config } from '../config.ts';
import type { Ports } from '../domain/ports.ts';
import { amiCallControl, parseAmiUrl } from './adapters/ami.ts';
import { smtpTransport } from './adapters/smtp.ts';

/**
 * The ports of a Node (or Deno) process: web ones, plus SMTP when SMTP_URL is set (it wins over
 * MAIL_API_URL) and AMI call control when AMI_URL is set.
 */
export function serverPorts(config: Config): Ports {
  return {
    ...webPorts(config),
    ...(config.smtpUrl ? { mail: smtpTransport(config.smtpUrl) } : {}),
    ...(config.amiUrl ? { callControl: amiCallControl(parseAmiUrl(config.amiUrl)) } : {}),
  };
}
