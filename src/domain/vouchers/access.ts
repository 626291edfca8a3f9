import type { Account } from '../auth/types.ts';
import { forbidden } from '../errors.ts';

export const ACCESS_DENIED = 'Access Denied';

/** Vouchers are generated, listed and disabled by the admin only (SETTINGS → Accounting → Vouchers). */
export function requireVoucherAdmin(actor: Account): void {
  if (actor.usertype !== 'admin') throw forbidden('role', ACCESS_DENIED);
}

/** A decimal text in its shortest form with at least one decimal, as voucher_use prints money: `20.0`, `1.25`. */
export function shortDecimal(value: string): string {
  const [int = '0', frac = ''] = value.split('.');
  const trimmed = frac.replace(/0+$/, '');
  return `${int}.${trimmed === '' ? '0' : trimmed}`;
}
