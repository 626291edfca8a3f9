import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { cardgroups } from '../../db/schema/cards.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { heldOrNull } from '../heldOrNull.ts';
import { readConflines } from '../settings/writeConflines.ts';
import { realmOf, requireCards } from './access.ts';
import { checkGroup } from './checkGroup.ts';
import { CardGroupFields } from './groupFields.ts';
import { copyTax } from './refs.ts';
import { type CardGroupView, viewGroups } from './viewGroups.ts';

export const CreateCardGroup = v.object({
  ...CardGroupFields,
  name: v.pipe(v.string(), v.maxLength(255)),
  /** Digits of card numbers, 1–30 (default 10). Fixed once the group exists. */
  numberLength: v.optional(v.number()),
  /** Digits of PINs, 1–30 (default 6). Fixed once the group exists. */
  pinLength: v.optional(v.number()),
});
export type CreateCardGroup = v.InferOutput<typeof CreateCardGroup>;

const id = (s: string | undefined) => (s && /^\d{1,9}$/.test(s) ? Number(s) : null);

/**
 * Creates a card group in the actor's realm (cc_group_create, cardGroups.create). Absent fields take
 * defaults: the owner's Default User tariff, LCR and location, the system currency, no tax, valid from
 * now with no end. A Default User tariff, LCR or location that no longer exists leaves the field null
 * rather than naming a deleted row; one that exists is read `for key share`, like a sent one, so its
 * delete waits for the group and sees it. With `taxId` the group gets its own copy of that tax record.
 * No cards are made.
 */
export async function createCardGroup(ctx: Ctx, input: CreateCardGroup): Promise<CardGroupView> {
  requireCards(ctx.actor, 2, { financial: true });
  const ownerId = realmOf(ctx.actor);
  const now = ctx.clock();
  const groupId = await withTransaction(ctx, async (tx) => {
    // In the transaction: the tariff, LCR and location checks hold those rows until the group is written.
    await checkGroup('create', { ctx: tx, input: { ...input, name: input.name ?? '' }, ownerId, now });
    const defaults = await readConflines(tx, ownerId, [
      'default_user_tariff_id',
      'default_user_lcr_id',
      'default_user_location_id',
    ]);
    const tariffId =
      input.tariffId === undefined
        ? await heldOrNull(tx, 'tariffs', id(defaults.default_user_tariff_id))
        : input.tariffId;
    const lcrId =
      input.lcrId === undefined ? await heldOrNull(tx, 'lcrs', id(defaults.default_user_lcr_id)) : input.lcrId;
    const locationId =
      input.locationId === undefined
        ? await heldOrNull(tx, 'locations', id(defaults.default_user_location_id))
        : input.locationId;
    const [system] = await queryRows<{ name: string }>(
      tx.db,
      sql`select name from currencies where is_default order by id limit 1`,
    );
    const [row] = await tx.db
      .insert(cardgroups)
      .values({
        name: input.name.trim(),
        description: input.description ?? '',
        image: input.image ?? '',
        price: input.price ?? '0',
        setupFee: input.setupFee ?? '0',
        ghostMinPerc: input.ghostMinPerc ?? '100',
        ghostBalancePerc: input.ghostBalancePerc ?? '100',
        dailyCharge: input.dailyCharge ?? '0',
        taxId: input.taxId == null ? null : await copyTax(tx, input.taxId),
        tariffId,
        lcrId,
        locationId,
        validFrom: input.validFrom === undefined ? now : new Date(input.validFrom),
        validTill: input.validTill == null ? null : new Date(input.validTill),
        validAfterFirstUse: input.validAfterFirstUse ?? 0,
        numberLength: input.numberLength ?? 10,
        pinLength: input.pinLength ?? 6,
        ownerId,
        tellBalanceInCurrency: input.tellBalanceInCurrency ?? system?.name ?? 'USD',
        tellCents: input.tellCents ?? false,
        useExternalFunction: input.useExternalFunction ?? false,
        allowLossCalls: input.allowLossCalls ?? false,
        soloPinless: input.soloPinless ?? false,
        disableVoucher: input.disableVoucher ?? false,
        calleridLeave: input.calleridLeave ?? false,
      })
      .returning({ id: cardgroups.id });
    await logAction(tx, { action: 'cardgroup_created', targetType: 'cardgroup', targetId: row!.id, data: input.name });
    return row!.id;
  });
  const [view] = await viewGroups(ctx, { cardGroupId: groupId });
  return view!;
}
