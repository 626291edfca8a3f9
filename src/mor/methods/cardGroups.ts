import { createCardGroup } from '../../domain/cards/createCardGroup.ts';
import { getCardGroup, listCardGroups } from '../../domain/cards/listCardGroups.ts';
import { fixed } from '../../domain/cards/money.ts';
import { updateCardGroup } from '../../domain/cards/updateCardGroup.ts';
import { defineMethod } from '../method.ts';
import { page, pageStatusError, pageStatusSuccess, statusError } from '../xml.ts';
import { groupFields } from './cardGroupParams.ts';
import { ALL, cardGuard, ctxOf, idParam, MANAGERS, Reply } from './cardSupport.ts';

const OPTIONAL_FIELDS = [
  'description, price_with_vat (group price, tax excluded), setup_fee, ghost_min_perc, ghost_balance_perc, daily_charge',
  'tariff_id, lcr_id, location_id, tax_id (ids of the caller’s realm), tell_balance_in_currency (currency code)',
  'date_from, date_till (Unix seconds), valid_after_first_use (days)',
  'use_external_function, allow_loss_calls, tell_cents, solo_pinless, disable_voucher, callerid_leave (0/1)',
].map((description) => ({ name: 'optional', description }));

export const ccGroupCreate = defineMethod({
  name: 'cc_group_create',
  family: 'card-groups',
  summary: "Creates a calling-card group in the caller's realm.",
  identity: 'caller',
  hash: ['name'],
  callers: MANAGERS,
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username (admin, reseller, accountant)' },
    { name: 'name', required: true, description: 'group name' },
    ...OPTIONAL_FIELDS,
    {
      name: 'number_length, pin_length',
      description: 'digits of card numbers (default 10) and PINs (default 6), 1–30',
    },
    { name: 'hash', required: true, description: 'sha1(name + secret key)' },
  ],
  run: cardGuard(pageStatusError, async (call) => {
    const name = call.params.value('name');
    if (name === undefined || name.trim() === '') return pageStatusError('Card Group must have name');
    const { hidden: _h, dialplanId: _d, ...fields } = groupFields(call.params, 'create', pageStatusError);
    await createCardGroup(ctxOf(call), { ...fields, name });
    return pageStatusSuccess('Card Group was successfully created');
  }),
});

export const ccGroupUpdate = defineMethod({
  name: 'cc_group_update',
  family: 'card-groups',
  summary: 'Changes the sent fields of a calling-card group.',
  identity: 'caller',
  // Whichever spelling carries the id is hashed (cc_Group_id when both are sent; they must be equal).
  hash: ['cc_Group_id', 'cc_group_id'],
  hashUnless: { cc_group_id: 'cc_Group_id' },
  callers: MANAGERS,
  access: 'write',
  unknownCaller: pageStatusError('Bad login'),
  params: [
    { name: 'u', required: true, description: 'caller username (admin, reseller, accountant)' },
    { name: 'cc_Group_id', required: true, description: 'group id (cc_group_id accepted too)' },
    { name: 'name', description: 'new name' },
    ...OPTIONAL_FIELDS,
    { name: 'dialplan_id', description: 'calling-card dial plan of the group owner' },
    { name: 'hidden', description: '1 hides the group (soft delete), 0 restores it' },
    { name: 'hash', required: true, description: 'sha1(cc_Group_id + secret key) (or of cc_group_id when sent alone)' },
  ],
  run: cardGuard(
    pageStatusError,
    async (call) => {
      const { params } = call;
      const [a, b] = [params.value('cc_Group_id'), params.value('cc_group_id')];
      const raw = a ?? b;
      if (raw === undefined || (a !== undefined && b !== undefined && a !== b) || !/^\d+$/.test(raw)) {
        return pageStatusError('Wrong Card Group ID');
      }
      const { numberLength: _n, pinLength: _p, ...fields } = groupFields(params, 'update', pageStatusError);
      await updateCardGroup(ctxOf(call), { ...fields, name: params.get('name'), cardGroupId: Number(raw) });
      return pageStatusSuccess('Card Group was successfully updated');
    },
    {
      'NOT_FOUND:card_group': 'Card Group not found',
      'INVALID:tariff': 'Invalid Tariff id',
      'INVALID:lcr': 'Invalid Lcr id',
      'INVALID:location': 'Invalid Location id',
      'INVALID:currency': 'Invalid Currency',
    },
  ),
});

export const ccGroupsGet = defineMethod({
  name: 'cc_groups_get',
  family: 'card-groups',
  summary: "The caller's visible calling-card groups, or one of them.",
  identity: 'caller',
  hash: [],
  callers: MANAGERS,
  access: 'read',
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username (admin, reseller, accountant)' },
    { name: 'cc_group_id', description: 'only this group (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(secret key)' },
  ],
  run: cardGuard(pageStatusError, async (call) => {
    const id = idParam(call.params, 'cc_group_id');
    if (Number.isNaN(id)) return pageStatusError('Wrong calling cards group ID');
    const groups = await listCardGroups(ctxOf(call), { cardGroupId: id });
    if (groups.length === 0) return pageStatusError('Calling cards groups were not found');
    return page({
      cc_groups: {
        cc_group: groups.map((g) => ({
          group_id: g.id,
          group_image: g.image,
          group_name: g.name,
          group_description: g.description,
          group_number_pin_length: `${g.numberLength}/${g.pinLength}`,
          group_tarrif: g.tariffName,
          group_lcr: g.lcrName,
          // Prices are omitted for an accountant without See financial data.
          ...(g.price === null ? {} : { group_price: fixed(g.priceWithTax!), group_price_without_tax: fixed(g.price) }),
          group_cards_count: g.cardsCount,
          group_currency: g.tellBalanceInCurrency,
        })),
      },
    });
  }),
});

/** MOR's web directory: card_group_get links images under it. */
const WEB_DIR = '/billing';

export const cardGroupGet = defineMethod({
  name: 'card_group_get',
  aliases: ['show_calling_card_group'],
  family: 'card-groups',
  summary: "One of the caller's calling-card groups with its price and free stock.",
  identity: 'caller',
  hash: ['id'],
  callers: ALL,
  access: 'read',
  unknownCaller: statusError('Bad login'),
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'id', required: true, description: 'card group id' },
    { name: 'hash', required: true, description: 'sha1(id + secret key)' },
  ],
  run: cardGuard(
    pageStatusError,
    async (call) => {
      const id = idParam(call.params, 'id');
      if (id === undefined) throw new Reply(pageStatusError('Cardgroup was not found'));
      const g = await getCardGroup(ctxOf(call), { cardGroupId: id }, false);
      return page({
        cardgroup: {
          name: g.name,
          iamge_link: g.image ? `${WEB_DIR}/cards/${g.image}` : '',
          description: g.description,
          ...(g.price === null ? {} : { price: fixed(g.price), price_with_tax: fixed(g.priceWithTax!) }),
          currency: g.systemCurrency,
          free_cards_size: g.freeCardsCount,
          pin_length: g.pinLength,
          number_length: g.numberLength,
        },
      });
    },
    { 'NOT_FOUND:card_group': 'Cardgroup was not found', FORBIDDEN: 'Access Denied' },
    ['Access Denied'],
  ),
});
