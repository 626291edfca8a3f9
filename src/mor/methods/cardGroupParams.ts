import type { CardGroupFields } from '../../domain/cards/groupFields.ts';
import { GROUP_DECIMALS, GROUP_FLAGS } from '../../domain/cards/groupFields.ts';
import type { Params } from '../params.ts';
import type { ErrorWrapper } from '../xml.ts';
import { flagParam, idParam, Reply, unixParam } from './cardSupport.ts';

type Mode = 'create' | 'update';

/** The flag strings differ between the two seeds: create `… is incorrect format`, update `Invalid …`. */
const flagError = (mode: Mode, param: string) => {
  const label = param.replaceAll('_', ' ');
  return mode === 'create'
    ? `${label[0]!.toUpperCase()}${label.slice(1)} is incorrect format`
    : `Invalid ${label} parameter, should be: 0 or 1`;
};

const int = (params: Params, name: string) => {
  const value = params.value(name);
  return value === undefined ? undefined : /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
};

/**
 * Reads cc_group_create / cc_group_update parameters into the domain's fields. The checks that only
 * XML text needs (flags are 0/1, dates are Unix seconds) answer here, in the seeds' order; everything
 * else is checked by the domain in the same order.
 */
export function groupFields(params: Params, mode: Mode, wrap: ErrorWrapper) {
  const fail = (message: string): never => {
    throw new Reply(wrap(message));
  };
  const flags: Partial<Record<(typeof GROUP_FLAGS)[number][1] | 'hidden', boolean>> = {};
  const flagNames: (readonly [string, keyof typeof flags])[] = [...GROUP_FLAGS];
  // cc_group_update lists `hidden` between disable_voucher and callerid_leave.
  if (mode === 'update') flagNames.splice(5, 0, ['hidden', 'hidden']);
  for (const [param, key] of flagNames) {
    const value = flagParam(params, param);
    if (value === null) fail(flagError(mode, param));
    if (value !== undefined && value !== null) flags[key] = value;
  }
  const date = (param: string, message: string) => {
    const raw = params.value(param);
    return raw === undefined ? undefined : (unixParam(raw) ?? fail(message));
  };
  const validFrom = date('date_from', 'Invalid date from');
  const validTill = date('date_till', 'Invalid date till');
  const fields: CardGroupFields = {
    description: params.get('description'),
    price: params.value('price_with_vat'),
    tariffId: idParam(params, 'tariff_id'),
    lcrId: idParam(params, 'lcr_id'),
    locationId: idParam(params, 'location_id'),
    taxId: idParam(params, 'tax_id'),
    validFrom,
    validTill,
    validAfterFirstUse: int(params, 'valid_after_first_use'),
    tellBalanceInCurrency: params.value('tell_balance_in_currency'),
    ...flags,
  };
  for (const [param, key] of GROUP_DECIMALS) fields[key] = params.value(param);
  return {
    ...fields,
    hidden: flags.hidden,
    numberLength: int(params, 'number_length'),
    pinLength: int(params, 'pin_length'),
    dialplanId: idParam(params, 'dialplan_id'),
  };
}
