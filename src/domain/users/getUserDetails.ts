import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { hasRight, seesMoney, visibleUsers } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden, notFound } from '../errors.ts';
import type { UserRef } from './findUser.ts';

/** user_details_get's data, as MOR prints it (money with 4 decimals, system currency). */
export interface UserDetails {
  id: number;
  username: string;
  language: string;
  postpaid: boolean;
  /** Balance (4 decimals), currency and credit; null for a caller without "See financial data". */
  money: UserMoney | null;
  firstName: string;
  lastName: string;
  clientid: string;
  agreementNumber: string;
  agreementDate: string;
  vatNumber: string;
  /** Total tax percent, e.g. "18.0". */
  vatPercent: string;
  address: string;
  postcode: string;
  city: string;
  state: string;
  phone: string;
  mobPhone: string;
  fax: string;
  email: string;
  /** Direction (country) names; `countryCode` is the registration country's direction code. */
  taxationCountry: string;
  country: string;
  countryCode: string;
}

export interface UserMoney {
  balance: string;
  currency: string;
  /** null = unlimited (credit -1). */
  credit: string | null;
}

/** "18.0000" → "18.0", "2.5000" → "2.5" (Ruby's Float#to_s, without float arithmetic). */
export const percentText = (s: string) => s.replace(/(\.\d*?[1-9])0+$|\.0+$/, (_, kept) => kept ?? '.0');

/**
 * A user's details as the caller may see them: itself; a reseller its own users; the admin anyone;
 * an accountant the admin's users with "Manage users" read. Both `userId` and `username` may be
 * given; then they must name the same user. Anything else is NOT_FOUND. Money only with "See
 * financial data".
 */
export async function getUserDetails(ctx: Pick<Ctx, 'db' | 'actor'>, ref: UserRef): Promise<UserDetails> {
  const { actor } = ctx;
  if (ref.userId === undefined && ref.username === undefined) throw notFound('user');
  const [row] = await queryRows<Omit<UserDetails, 'money'> & UserMoney & { total: string }>(
    ctx.db,
    sql`select users.id, users.username, users.language, users.postpaid,
      round(users.balance, 4)::text as balance,
      coalesce((select name from currencies where is_default limit 1), '') as currency,
      case when users.credit = -1 then null else round(users.credit, 4)::text end as credit,
      coalesce(a.first_name, '') as "firstName", coalesce(a.last_name, '') as "lastName",
      users.clientid, users.agreement_number as "agreementNumber",
      coalesce(to_char(users.agreement_date, 'YYYY-MM-DD'), '') as "agreementDate",
      users.vat_number as "vatNumber",
      (case when t.id is null then 0
        when t.compound_tax then ((1 + t.tax1_value / 100)
          * (1 + case when t.tax2_enabled then t.tax2_value else 0 end / 100)
          * (1 + case when t.tax3_enabled then t.tax3_value else 0 end / 100)
          * (1 + case when t.tax4_enabled then t.tax4_value else 0 end / 100) - 1) * 100
        else t.tax1_value + case when t.tax2_enabled then t.tax2_value else 0 end
          + case when t.tax3_enabled then t.tax3_value else 0 end
          + case when t.tax4_enabled then t.tax4_value else 0 end end)::numeric(20, 4)::text as total,
      coalesce(a.address, '') as address, coalesce(a.postcode, '') as postcode, coalesce(a.city, '') as city,
      coalesce(a.state, '') as state, coalesce(a.phone, '') as phone, coalesce(a.mob_phone, '') as "mobPhone",
      coalesce(a.fax, '') as fax, coalesce(a.email, '') as email,
      coalesce(tc.name, '') as "taxationCountry", coalesce(rc.name, '') as country,
      coalesce(rc.code, '') as "countryCode"
    from users
    left join addresses a on a.id = users.address_id
    left join taxes t on t.id = users.tax_id
    left join directions tc on tc.id = users.taxation_country
    left join directions rc on rc.id = a.direction_id
    where ${visibleUsers(actor)}
      ${ref.userId === undefined ? sql`` : sql`and users.id = ${ref.userId}`}
      ${ref.username === undefined ? sql`` : sql`and users.username = ${ref.username}`}`,
  );
  if (!row) throw notFound('user');
  if (row.id !== actor.id && !hasRight(actor, 'users_manage', 1)) throw forbidden('users_manage');
  const { total, balance, currency, credit, ...details } = row;
  const money = seesMoney(actor) ? { balance, currency, credit } : null;
  return { ...details, money, vatPercent: percentText(total) };
}
