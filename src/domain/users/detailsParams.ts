import * as v from 'valibot';
import { invalid } from '../errors.ts';
import { NOT_UPDATED } from './checkReferences.ts';
import { UserFields } from './fields.ts';

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** user_details_update hash order: user_id, then every sent parameter in this order (spec). */
export const USER_DETAILS_UPDATE_HASH = [
  'user_id',
  ...range('u', 34),
  ...['ay', 'am', 'ad', 'by', 'bm', 'bd', 'pswd', 'user_warning_email_hour', 'pgui', 'pcsv', 'ppdf'],
  ...['recording_forced_enabled', 'i4', 'tax4_enabled', 'tax2_enabled', 'accountant_type_invalid'],
  ...['block_at_conditional', 'tax3_enabled', 'accountant_type', 'tax1_value', 'show_zero_calls'],
  ...['warning_email_active', 'compound_tax', 'tax4_name', 'allow_loss_calls', 'tax3_name', 'tax2_name', 'credit'],
  ...['tax1_name', 'total_tax_name', 'tax2_value', 'tax4_value', 'ignore_global_monitorings', 'i1', 'tax3_value'],
  ...['cyberplat_active', 'i2', 'i3', 'recording_enabled', 'email_warning_sent_test', 'own_providers'],
  ...range('a', 10),
] as const;

type Kind = 'text' | 'int' | 'ref' | 'bit' | 'dec' | 'usertype' | 'accountant';
/** parameter → [field path, kind]; `ref`: an id where 0 means none. */
const MAP: Record<string, [string, Kind]> = {
  u0: ['vatNumber', 'text'],
  u1: ['lcrId', 'ref'],
  u2: ['warningEmailHour', 'int'],
  u3: ['hideDestinationEnd', 'int'],
  u4: ['currencyId', 'int'],
  u5: ['tariffId', 'ref'],
  u6: ['warningEmailBalance', 'dec'],
  u7: ['spyDeviceId', 'ref'],
  u8: ['language', 'text'],
  u9: ['username', 'text'],
  u10: ['warningBalanceCall', 'bit'],
  u11: ['accGroupId', 'ref'],
  u12: ['generateInvoice', 'bit'],
  u13: ['usertype', 'usertype'],
  u14: ['taxationCountry', 'ref'],
  u15: ['blocked', 'bit'],
  u16: ['quickforwardsRuleId', 'ref'],
  u17: ['address.lastName', 'text'],
  u18: ['callLimit', 'int'],
  u19: ['clientid', 'text'],
  u20: ['recordingHddQuota', 'int'],
  u21: ['cyberplatActive', 'bit'],
  u22: ['recordingsEmail', 'text'],
  u23: ['address.firstName', 'text'],
  u24: ['warningBalanceSoundFileId', 'ref'],
  u25: ['postpaid', 'bit'],
  u26: ['accountingNumber', 'text'],
  u27: ['agreementNumber', 'text'],
  u28: ['hidden', 'bit'],
  u29: ['pbxPoolId', 'ref'],
  u30: ['hideNonAnsweredCalls', 'bit'],
  u31: ['responsibleAccountantId', 'accountant'],
  u32: ['dailyCreditLimit', 'dec'],
  u33: ['comment', 'text'],
  pswd: ['password', 'text'],
  user_warning_email_hour: ['warningEmailHour', 'int'],
  pgui: ['hideGui', 'bit'],
  pcsv: ['hideCsv', 'bit'],
  ppdf: ['hidePdf', 'bit'],
  recording_forced_enabled: ['recordingForcedEnabled', 'bit'],
  recording_enabled: ['recordingEnabled', 'bit'],
  block_at_conditional: ['blockAtConditional', 'int'],
  show_zero_calls: ['invoiceZeroCalls', 'bit'],
  warning_email_active: ['warningEmailActive', 'bit'],
  allow_loss_calls: ['allowLossCalls', 'bit'],
  credit: ['credit', 'dec'],
  ignore_global_monitorings: ['ignoreGlobalMonitorings', 'bit'],
  cyberplat_active: ['cyberplatActive', 'bit'],
  own_providers: ['ownProviders', 'bit'],
  tax1_name: ['taxes.tax1Name', 'text'],
  tax1_value: ['taxes.tax1Value', 'dec'],
  tax2_enabled: ['taxes.tax2Enabled', 'bit'],
  tax2_name: ['taxes.tax2Name', 'text'],
  tax2_value: ['taxes.tax2Value', 'dec'],
  tax3_enabled: ['taxes.tax3Enabled', 'bit'],
  tax3_name: ['taxes.tax3Name', 'text'],
  tax3_value: ['taxes.tax3Value', 'dec'],
  tax4_enabled: ['taxes.tax4Enabled', 'bit'],
  tax4_name: ['taxes.tax4Name', 'text'],
  tax4_value: ['taxes.tax4Value', 'dec'],
  total_tax_name: ['taxes.totalTaxName', 'text'],
  compound_tax: ['taxes.compoundTax', 'bit'],
  a0: ['address.address', 'text'],
  a1: ['address.city', 'text'],
  a2: ['address.postcode', 'text'],
  a3: ['address.state', 'text'],
  a4: ['address.county', 'text'],
  a5: ['address.directionId', 'ref'],
  a6: ['address.phone', 'text'],
  a7: ['address.mobPhone', 'text'],
  a8: ['address.fax', 'text'],
  a9: ['address.email', 'text'],
};
/** i1…i4: invoice types; each is 0 (off) or its bit value (on). */
const INVOICE: Record<string, [keyof NonNullable<UserFields['invoiceTypes']>, string]> = {
  i1: ['pdf', '2'],
  i2: ['csv', '4'],
  i3: ['i3', '8'],
  i4: ['detailedCsv', '16'],
};

const fail = (name: string) => invalid(name, NOT_UPDATED);

function coerce(name: string, kind: Kind, raw: string): unknown {
  if (kind === 'text' || kind === 'usertype') return raw;
  if (kind === 'bit') {
    if (raw !== '0' && raw !== '1') throw fail(name);
    return raw === '1';
  }
  if (kind === 'dec') return raw;
  if (kind === 'accountant' && raw === '-1') return null;
  if (!/^-?\d{1,9}$/.test(raw)) throw fail(name);
  return kind !== 'int' && Number(raw) === 0 ? null : Number(raw);
}

function date(get: (name: string) => string | undefined, y: string, m: string, d: string) {
  const [year, month, day] = [get(y), get(m), get(d)];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const iso = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) {
    throw fail(y);
  }
  return iso;
}

/**
 * The UserFields patch a user_details_update request carries: only sent (non-empty) parameters; date
 * triples only when all three parts are sent. Anything that does not coerce or validate is
 * INVALID "User was not updated". accountant_type*, email_warning_sent_test are hashed and ignored.
 */
export function detailsPatchFromParams(get: (name: string) => string | undefined): UserFields {
  const patch: Record<string, unknown> = {};
  const set = (path: string, value: unknown) => {
    const [head, tail] = path.split('.') as [string, string?];
    if (tail === undefined) patch[head] = value;
    else patch[head] = { ...(patch[head] as object | undefined), [tail]: value };
  };
  for (const name of USER_DETAILS_UPDATE_HASH) {
    const raw = get(name);
    if (raw === undefined) continue;
    const mapped = MAP[name];
    if (mapped) set(mapped[0], coerce(name, mapped[1], raw));
    const invoice = INVOICE[name];
    if (invoice) {
      if (raw !== '0' && raw !== invoice[1]) throw fail(name);
      set(`invoiceTypes.${invoice[0]}`, raw !== '0');
    }
  }
  const agreementDate = date(get, 'ay', 'am', 'ad');
  if (agreementDate) patch.agreementDate = agreementDate;
  const blockAt = date(get, 'by', 'bm', 'bd');
  if (blockAt) patch.blockAt = blockAt;
  const parsed = v.safeParse(UserFields, patch);
  if (!parsed.success) throw fail(String(parsed.issues[0]?.path?.[0]?.key ?? 'value'));
  return parsed.output;
}
