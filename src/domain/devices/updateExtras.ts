import type { devices } from '../../db/schema/devices.ts';
import { isEmail } from './deviceFields.ts';
import { DIGITS } from './deviceRules.ts';
import type { Device } from './findDevice.ts';

export interface ExtrasInput {
  emergencyCalleridPoolId?: string | number;
  faxEmailAdd?: string | number;
  faxEmailDelete?: string | number;
}

/** device_update's emergency CallerID pool and FAX e-mail list changes. */
export function applyExtras(
  device: Device,
  input: ExtrasInput,
  set: Partial<typeof devices.$inferInsert>,
  problems: string[],
) {
  if (input.emergencyCalleridPoolId !== undefined) {
    const pool = String(input.emergencyCalleridPoolId);
    if (!DIGITS.test(pool) || pool.length > 9) problems.push('emergency_callerid_pool_id is invalid');
    else set.emergencyCalleridPoolId = +pool === 0 ? null : +pool;
  }
  let emails = [...device.faxEmails];
  for (const [param, raw, add] of [
    ['fax_email_add', input.faxEmailAdd, true],
    ['fax_email_delete', input.faxEmailDelete, false],
  ] as const) {
    if (raw === undefined) continue;
    const email = String(raw);
    if (device.deviceType !== 'FAX' || !isEmail(email)) {
      problems.push(`${param} is invalid`);
      continue;
    }
    emails = add ? [...new Set([...emails, email])] : emails.filter((e) => e !== email);
  }
  if (emails.join('\n') !== device.faxEmails.join('\n')) set.faxEmails = emails;
}
