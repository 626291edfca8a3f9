import { sql } from 'drizzle-orm';
import { queryRows } from '../../../db/rows.ts';
import type { Db } from '../../../db/types.ts';

/** What rating needs about one side (the user, or its reseller): zone, tariff, currencies. */
export interface Payer {
  id: number;
  timeZone: string;
  /** The tariff rating uses (null: none, a provider tariff, or an account type that is never rated). */
  tariffId: number | null;
  purpose: 'user' | 'user_wholesale' | null;
  /** Exchange rates (units per 1 system-currency unit) of the tariff's and of the account's currency. */
  tariffRate: string | null;
  ownRate: string | null;
}

/** A device, its user and the user's reseller, as the ingest needs them. */
export interface Origin {
  deviceId: number;
  username: string;
  accountcode: number;
  user: Payer;
  /** The reseller owning the user (null in the admin's realm). */
  reseller: Payer | null;
}

interface Row {
  device_id: number;
  username: string;
  accountcode: number;
  user_id: number;
  u_zone: string;
  u_tariff: number | null;
  u_purpose: 'user' | 'user_wholesale' | null;
  u_trate: string | null;
  u_orate: string | null;
  r_id: number | null;
  r_zone: string | null;
  r_tariff: number | null;
  r_purpose: 'user' | 'user_wholesale' | null;
  r_trate: string | null;
  r_orate: string | null;
}

/**
 * The devices a batch names (by id, by username, or by numeric accountcode — MOR sets a device's
 * accountcode to its id), with their users and resellers, in one statement. A tariff counts only as
 * rate_get's lookup counts it for the admin: a user, reseller or partner holding a non-provider tariff.
 * The lists are matched as sets (`in (select unnest(…))`, hashed): `= any(array)` is hashed only while
 * the array is a constant, and from its sixth run a prepared statement may get a generic plan, where
 * it compared every device with every id (160 ms for a batch naming 3,900 of 10,000 devices).
 */
export async function loadOrigins(db: Db, ids: number[], usernames: string[]): Promise<Origin[]> {
  if (ids.length === 0 && usernames.length === 0) return [];
  const codes = usernames.filter((u) => /^\d{1,9}$/.test(u)).map(Number);
  const rows = await queryRows<Row>(
    db,
    sql`select d.id as device_id, d.username, d.accountcode, u.id as user_id, u.time_zone as u_zone,
        ut.id as u_tariff, ut.purpose as u_purpose, utc.exchange_rate::text as u_trate, uoc.exchange_rate::text as u_orate,
        r.id as r_id, r.time_zone as r_zone, rt.id as r_tariff, rt.purpose as r_purpose,
        rtc.exchange_rate::text as r_trate, roc.exchange_rate::text as r_orate
      from devices d
      join users u on u.id = d.user_id
      left join tariffs ut on ut.id = u.tariff_id and ut.purpose <> 'provider' and u.usertype in ('user', 'reseller', 'partner')
      left join currencies utc on utc.name = ut.currency
      left join currencies uoc on uoc.id = u.currency_id
      left join users r on r.id = u.owner_id and u.owner_id <> 0
      left join tariffs rt on rt.id = r.tariff_id and rt.purpose <> 'provider' and r.usertype in ('user', 'reseller', 'partner')
      left join currencies rtc on rtc.name = rt.currency
      left join currencies roc on roc.id = r.currency_id
      where d.id in (select unnest(${`{${ids.join(',')}}`}::int[]))
        or d.username in (select json_array_elements_text(${JSON.stringify(usernames)}::json))
        or d.accountcode in (select unnest(${`{${codes.join(',')}}`}::int[]))`,
  );
  return rows.map((r) => ({
    deviceId: r.device_id,
    username: r.username,
    accountcode: r.accountcode,
    user: {
      id: r.user_id,
      timeZone: r.u_zone,
      tariffId: r.u_tariff,
      purpose: r.u_purpose,
      tariffRate: r.u_trate,
      ownRate: r.u_orate,
    },
    reseller:
      r.r_id === null
        ? null
        : {
            id: r.r_id,
            timeZone: r.r_zone ?? 'UTC',
            tariffId: r.r_tariff,
            purpose: r.r_purpose,
            tariffRate: r.r_trate,
            ownRate: r.r_orate,
          },
  }));
}
