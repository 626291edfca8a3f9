import { createCards } from '../../domain/cards/createCards.ts';
import { isAmount } from '../../domain/cards/groupFields.ts';
import { rawDecimal } from '../../domain/cards/money.ts';
import { searchCards } from '../../domain/cards/searchCards.ts';
import { updateCard } from '../../domain/cards/updateCard.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageStatusError, pageStatusSuccess, xml } from '../xml.ts';
import { cardGuard, ctxOf, idParam, MANAGERS, unixParam } from './cardSupport.ts';

export const callingCardsCreate = defineMethod({
  name: 'calling_cards_create',
  family: 'calling-cards',
  summary: 'Creates the cards of a number range in a card group (existing numbers are skipped).',
  identity: 'caller',
  hash: ['card_group_id', 'cards_from', 'cards_till'],
  callers: MANAGERS,
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username (admin, reseller, accountant)' },
    { name: 'card_group_id', required: true, description: 'group that receives the cards' },
    { name: 'cards_from', required: true, description: "first number; digits, the group's number length" },
    { name: 'cards_till', required: true, description: 'last number (inclusive)' },
    { name: 'batch_number', description: 'batch number of every new card' },
    { name: 'min_balance', description: 'minimal balance (invalid: 0)' },
    { name: 'distributor_id', description: "a simple user of the group's owner (invalid: none)" },
    { name: 'language', description: 'IVR language (default en)' },
    { name: 'hash', required: true, description: 'sha1(card_group_id + cards_from + cards_till + secret key)' },
  ],
  run: cardGuard(
    pageStatusError,
    async (call) => {
      const p = call.params;
      const minBalance = p.value('min_balance');
      const distributor = idParam(p, 'distributor_id');
      // Invalid optional values fall back to their defaults silently (seed).
      const result = await createCards(ctxOf(call), {
        cardGroupId: idParam(p, 'card_group_id') ?? Number.NaN,
        cardsFrom: p.value('cards_from') ?? '',
        cardsTill: p.value('cards_till') ?? '',
        batchNumber: p.get('batch_number'),
        minBalance: minBalance !== undefined && isAmount(minBalance) ? minBalance : undefined,
        distributorId: Number.isNaN(distributor) ? undefined : distributor,
        language: p.value('language'),
      });
      return pageStatusSuccess(`Cards created: ${result.created}/${result.requested}`);
    },
    { 'NOT_FOUND:card_group': 'Card Group was not found' },
  ),
});

/** A timestamp parameter for calling_card_update: `-1` clears, Unix seconds set, anything else is invalid. */
const instantParam = (p: Params, name: string, clearable: boolean) => {
  const raw = p.value(name);
  if (raw === undefined) return undefined;
  if (clearable && raw === '-1') return null;
  return unixParam(raw) ?? 'invalid';
};

export const callingCardUpdate = defineMethod({
  name: 'calling_card_update',
  family: 'calling-cards',
  summary: 'Changes the sent fields of one calling card.',
  identity: 'caller',
  hash: ['card_id'],
  callers: MANAGERS,
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username (admin, reseller, accountant)' },
    { name: 'card_id', required: true, description: 'card to update' },
    { name: 'number, pin', description: "digits of the group's lengths, unique" },
    { name: 'name, batch_number, language', description: 'set as given' },
    { name: 'callerid', description: 'CLI for PIN-less use, unique among cards' },
    { name: 'min_balance', description: 'decimal ≥ 0' },
    { name: 'daily_charge_paid_till', description: 'Unix seconds' },
    { name: 'distributor', description: 'simple user id, -1 removes' },
    { name: 'first_use', description: 'Unix seconds, -1 clears' },
    { name: 'hash', required: true, description: 'sha1(card_id + secret key)' },
  ],
  run: cardGuard(pageStatusError, async (call) => {
    const p = call.params;
    const id = p.value('card_id');
    if (id === undefined || !/^\d+$/.test(id)) return pageStatusError('Wrong Calling Card ID');
    const distributor = p.value('distributor');
    await updateCard(ctxOf(call), {
      cardId: Number(id),
      number: p.value('number'),
      name: p.value('name'),
      pin: p.value('pin'),
      batchNumber: p.value('batch_number'),
      callerid: p.value('callerid'),
      minBalance: p.value('min_balance'),
      dailyChargePaidTill: instantParam(p, 'daily_charge_paid_till', false),
      language: p.value('language'),
      distributorId:
        distributor === undefined ? undefined : distributor === '-1' ? null : (idParam(p, 'distributor') ?? Number.NaN),
      firstUse: instantParam(p, 'first_use', true),
    });
    return xml({ page: { success: 'Calling Card successfully updated' } });
  }),
});

const SOLD = new Map([
  ['yes', true],
  ['1', true],
  ['no', false],
  ['0', false],
]);

export const callingCardsGet = defineMethod({
  name: 'calling_cards_get',
  family: 'calling-cards',
  summary: 'Calling cards of the caller’s groups matching the search parameters.',
  identity: 'caller',
  hash: [],
  callers: MANAGERS,
  access: 'read',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username (admin, reseller, accountant)' },
    { name: 'number, name, pin, batch_number, callerid', description: 'exact match; % makes a LIKE pattern' },
    { name: 'min_balance, max_balance', description: 'balance range, inclusive' },
    { name: 'language', description: 'card language' },
    { name: 'sold', description: 'yes/1, no/0 or all' },
    { name: 'distributor', description: 'distributor user id' },
    { name: 'hash', required: true, description: 'sha1(secret key)' },
  ],
  run: cardGuard(pageStatusError, async (call) => {
    const p = call.params;
    const balance = (name: string) => {
      const v = p.value(name);
      return v !== undefined && /^-?\d{1,14}(\.\d+)?$/.test(v) ? v : undefined;
    };
    const { cards } = await searchCards(ctxOf(call), {
      number: p.value('number'),
      name: p.value('name'),
      pin: p.value('pin'),
      batchNumber: p.value('batch_number'),
      callerid: p.value('callerid'),
      minBalance: balance('min_balance'),
      maxBalance: balance('max_balance'),
      language: p.value('language'),
      sold: SOLD.get((p.value('sold') ?? '').toLowerCase()),
      distributorId: idParam(p, 'distributor'),
    });
    if (cards.length === 0) return pageStatusError('Cards were not found');
    return page({
      cards: {
        card: cards.map((c) => ({
          card_id: c.id,
          card_number: c.number,
          card_name: c.name,
          card_pin: c.pin,
          card_batch_number: c.batchNumber,
          card_callerid: c.callerid,
          // Omitted for an accountant without See financial data.
          ...(c.balance === null ? {} : { card_balance: rawDecimal(c.balance) }),
          ...(c.minBalance === null ? {} : { card_minimal_balance: rawDecimal(c.minBalance) }),
          card_first_use: c.firstUseLocal,
          card_daily_charge_paid_till: c.dailyChargePaidTillLocal,
          card_sold: c.sold ? 1 : 0,
          card_language: c.language,
          card_distributor: c.distributor,
        })),
      },
    });
  }),
});
