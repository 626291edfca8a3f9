import type { Db } from '../../db/types.ts';
import type { SmsRoute } from '../ports.ts';
import { readConflines } from '../settings/writeConflines.ts';

/** The conflines of a realm's SMS gateway (Kannel `sendsms` style URL template and credentials). */
export const SMS_GATEWAY_SETTINGS = ['sms_gateway_url', 'sms_gateway_username', 'sms_gateway_password'] as const;

/** The realm's SMS gateway, else the admin's; null when neither is configured. */
export async function smsRoute(db: Db, ownerId: number): Promise<SmsRoute | null> {
  for (const owner of ownerId === 0 ? [0] : [ownerId, 0]) {
    const lines = await readConflines({ db }, owner, SMS_GATEWAY_SETTINGS);
    if (lines.sms_gateway_url) {
      return {
        urlTemplate: lines.sms_gateway_url,
        username: lines.sms_gateway_username ?? '',
        password: lines.sms_gateway_password ?? '',
      };
    }
  }
  return null;
}
