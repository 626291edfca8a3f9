import type { devices } from '../../db/schema/devices.ts';
import { DIGITS } from './deviceRules.ts';

type Column = keyof typeof devices.$inferInsert;
/** Returns the value to store, or null when `raw` is not allowed. */
type Check = (raw: string) => string | number | null;

const int =
  (min = 0) =>
  (s: string) =>
    DIGITS.test(s) && s.length <= 9 && +s >= min ? +s : null;
const bit = (s: string) => (s === '0' || s === '1' ? +s : null);
const oneOf =
  (allowed: string[], lower = false) =>
  (s: string) => {
    const hit = allowed.find((a) => (lower ? a.toLowerCase() === s.toLowerCase() : a === s));
    return hit === undefined ? null : lower ? hit.toLowerCase() : hit;
  };
const text = (s: string) => s;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * device_update's plain fields: MOR parameter name, input key, column and rule (_spec device_update
 * parameter table). A failed rule is reported as `<parameter> is invalid`.
 */
export const PLAIN_FIELDS: readonly { param: string; key: string; column: Column; check: Check }[] = [
  { param: 'call_limit', key: 'callLimit', column: 'callLimit', check: int() },
  { param: 'inbound_call_limit', key: 'inboundCallLimit', column: 'inboundCallLimit', check: int() },
  { param: 'total_call_limit', key: 'totalCallLimit', column: 'totalCallLimit', check: int() },
  { param: 'fromuser', key: 'fromuser', column: 'fromuser', check: text },
  { param: 'call_timeout', key: 'callTimeout', column: 'callTimeout', check: int() },
  { param: 'ringing_timeout', key: 'ringingTimeout', column: 'timeout', check: int(10) },
  { param: 'hidden', key: 'hidden', column: 'hidden', check: bit },
  {
    param: 'language',
    key: 'language',
    column: 'language',
    check: (s) => (/^([a-z]{2,3}([-_][A-Za-z]{2})?)?$/.test(s) ? s : null),
  },
  { param: 'comment', key: 'comment', column: 'comment', check: text },
  { param: 'description', key: 'description', column: 'description', check: text },
  { param: 'encryption', key: 'encryption', column: 'encryption', check: bit },
  {
    param: 'transport',
    key: 'transport',
    column: 'transport',
    check: oneOf(['udp', 'tcp', 'udp,tcp', 'tcp,udp', 'tls']),
  },
  { param: 'device_balance_enabled', key: 'deviceBalanceEnabled', column: 'deviceBalanceEnabled', check: bit },
  {
    param: 'balance',
    key: 'balance',
    column: 'balance',
    check: (s) => (/^-?\d{1,13}(\.\d{1,6})?$/.test(s) ? s : null),
  },
  {
    param: 'voicemail_email',
    key: 'voicemailEmail',
    column: 'voicemailEmail',
    check: (s) => (s === '' || EMAIL.test(s) ? s : null),
  },
  {
    param: 'progressinband',
    key: 'progressinband',
    column: 'progressinband',
    check: oneOf(['No', 'Yes', 'Never'], true),
  },
  {
    param: 'emergency_callerid',
    key: 'emergencyCallerid',
    column: 'emergencyCallerid',
    check: (s) => (s === '' || DIGITS.test(s) ? s : null),
  },
  { param: 'sendrpid', key: 'sendrpid', column: 'sendrpid', check: oneOf(['yes', 'no']) },
  {
    param: 't38_support',
    key: 't38Support',
    column: 't38Support',
    check: oneOf(['no', 'yes', 'fec', 'redundancy', 'none']),
  },
  {
    param: 'copy_legA_name_to_LegB_number',
    key: 'copyLegaNameToLegbNumber',
    column: 'copyLegaNameToLegbNumber',
    check: bit,
  },
];

/** device_update parameters that need more than a per-field rule, with their input keys. */
export const SPECIAL_FIELDS = [
  ['authentication', 'authentication'],
  ['username', 'username'],
  ['host', 'host'],
  ['port', 'port'],
  ['password', 'password'],
  ['hostname', 'hostname'],
  ['extension', 'extension'],
  ['pin', 'pin'],
  ['trunk', 'trunk'],
  ['callerid_number', 'calleridNumber'],
  ['callerid_name', 'calleridName'],
  ['allow_empty_callerid', 'allowEmptyCallerid'],
  ['callerid_control_by_dids', 'calleridControlByDids'],
  ['emergency_callerid_pool_id', 'emergencyCalleridPoolId'],
  ['fax_email_add', 'faxEmailAdd'],
  ['fax_email_delete', 'faxEmailDelete'],
] as const;

export const isEmail = (s: string) => EMAIL.test(s);
