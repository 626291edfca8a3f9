import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { seesMoney } from '../auth/rights.ts';
import type { Ctx } from '../ctx.ts';
import { ownerScope, realmOf } from './access.ts';
import { taxFactor } from './money.ts';

/** A card group as the API shows it. Money: decimal text in the system currency. */
export interface CardGroupView {
  id: number;
  ownerId: number;
  name: string;
  description: string;
  image: string;
  /** Starting balance of new cards, tax excluded. Money fields: null without "See financial data". */
  price: string | null;
  priceWithTax: string | null;
  setupFee: string | null;
  ghostMinPerc: string;
  ghostBalancePerc: string;
  dailyCharge: string | null;
  taxId: number | null;
  tariffId: number | null;
  tariffName: string;
  lcrId: number | null;
  /** Empty unless the LCR belongs to the caller's realm (admin routing is never shown to resellers). */
  lcrName: string;
  locationId: number | null;
  dialplanId: number | null;
  validFrom: string;
  validTill: string | null;
  validAfterFirstUse: number;
  numberLength: number;
  pinLength: number;
  tellBalanceInCurrency: string;
  tellCents: boolean;
  useExternalFunction: boolean;
  allowLossCalls: boolean;
  soloPinless: boolean;
  disableVoucher: boolean;
  calleridLeave: boolean;
  hidden: boolean;
  /** Cards of the group that are not hidden. */
  cardsCount: number;
  /** Unsold, not hidden cards. */
  freeCardsCount: number;
  /** Code of the system currency the prices are in. */
  systemCurrency: string;
}

export interface GroupFilter {
  cardGroupId?: number;
  /** The admin reaches every realm's groups (default) or only its own. */
  adminAll?: boolean;
  includeHidden?: boolean;
}

/** Card groups of the actor's reach, ordered by id. */
export async function viewGroups(ctx: Pick<Ctx, 'db' | 'actor'>, filter: GroupFilter = {}): Promise<CardGroupView[]> {
  const { actor } = ctx;
  const id = filter.cardGroupId;
  if (id !== undefined && !(Number.isSafeInteger(id) && id >= 0 && id <= 2_147_483_647)) return [];
  const rows = await queryRows<CardGroupView>(
    ctx.db,
    sql`select g.id, g.owner_id as "ownerId", g.name, g.description, g.image, g.price::text as price,
      round(g.price * ${taxFactor('tx')}, 6)::text as "priceWithTax", g.setup_fee::text as "setupFee",
      g.ghost_min_perc::text as "ghostMinPerc", g.ghost_balance_perc::text as "ghostBalancePerc",
      g.daily_charge::text as "dailyCharge", g.tax_id as "taxId", g.tariff_id as "tariffId",
      coalesce(t.name, '') as "tariffName", g.lcr_id as "lcrId",
      coalesce(case when l.owner_id = ${realmOf(actor)}::int then l.name end, '') as "lcrName",
      g.location_id as "locationId", g.dialplan_id as "dialplanId",
      to_char(g.valid_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "validFrom",
      to_char(g.valid_till at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "validTill",
      g.valid_after_first_use as "validAfterFirstUse", g.number_length as "numberLength",
      g.pin_length as "pinLength", g.tell_balance_in_currency as "tellBalanceInCurrency",
      g.tell_cents as "tellCents", g.use_external_function as "useExternalFunction",
      g.allow_loss_calls as "allowLossCalls", g.solo_pinless as "soloPinless",
      g.disable_voucher as "disableVoucher", g.callerid_leave as "calleridLeave", g.hidden,
      (select count(*) from cards c where c.cardgroup_id = g.id and not c.hidden)::int as "cardsCount",
      (select count(*) from cards c where c.cardgroup_id = g.id and not c.hidden and not c.sold)::int
        as "freeCardsCount",
      coalesce((select name from currencies where is_default order by id limit 1), '') as "systemCurrency"
    from cardgroups g
    left join taxes tx on tx.id = g.tax_id
    left join tariffs t on t.id = g.tariff_id
    left join lcrs l on l.id = g.lcr_id
    where ${ownerScope(actor, sql`g.owner_id`, filter.adminAll ?? true)}
      ${filter.includeHidden ? sql`` : sql`and not g.hidden`}
      ${id === undefined ? sql`` : sql`and g.id = ${id}::int`}
    order by g.id`,
  );
  if (seesMoney(ctx.actor)) return rows;
  return rows.map((g) => ({ ...g, price: null, priceWithTax: null, setupFee: null, dailyCharge: null }));
}
