import { addCardPayment, apiPaymentsAllowed, requireCardPayments } from '../../domain/cards/addCardPayment.ts';
import { cardByCli } from '../../domain/cards/cardByCli.ts';
import { getCardBalance } from '../../domain/cards/getCardBalance.ts';
import { fixed, rawDecimal } from '../../domain/cards/money.ts';
import { sellCards } from '../../domain/cards/sellCards.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, pageStatusError, statusError } from '../xml.ts';
import { ALL, cardGuard, ctxOf, idParam, NOT_FOUND_CARD } from './cardSupport.ts';

export const cardBalanceGet = defineMethod({
  name: 'card_balance_get',
  family: 'calling-cards',
  summary: "A calling card's balance (tax excluded, system currency).",
  identity: 'caller',
  hash: ['number'],
  callers: ALL,
  access: 'read',
  unknownCaller: pageError('User was not found'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'number', required: true, description: 'card number' },
    { name: 'hash', required: true, description: 'sha1(number + secret key)' },
  ],
  run: cardGuard(
    pageError,
    async (call) => {
      const result = await getCardBalance(ctxOf(call), { number: call.params.value('number') ?? '' });
      return page({ calling_card: { balance: rawDecimal(result.balance), currency: result.currency } });
    },
    { FORBIDDEN: 'You are not authorized to use this functionality' },
  ),
});

export const cardPaymentAdd = defineMethod({
  name: 'card_payment_add',
  family: 'calling-cards',
  summary: 'Tops a sold calling card up with a payment (tax included, any active currency).',
  identity: 'caller',
  hash: ['description', 'number', 'amount', 'currency'],
  callers: ALL,
  access: 'write',
  movesMoney: true,
  unknownCaller: pageStatusError('Access Denied'),
  params: [
    { name: 'u', required: true, description: 'caller username (admin or reseller)' },
    { name: 'description', description: 'shown in the Payments list' },
    { name: 'number', required: true, description: 'card number' },
    { name: 'amount', required: true, description: 'money paid, tax included, > 0' },
    { name: 'currency', description: 'currency of amount (default: system currency)' },
    { name: 'hash', required: true, description: 'sha1(description + number + amount + currency + secret key)' },
  ],
  run: cardGuard(
    pageStatusError,
    async (call) => {
      const ctx = ctxOf(call);
      const p = call.params;
      requireCardPayments(ctx.actor);
      if (!(await apiPaymentsAllowed(ctx))) return pageStatusError('Feature Disabled');
      const r = await addCardPayment(ctx, {
        number: p.value('number') ?? '',
        amount: p.value('amount') ?? '',
        currency: p.value('currency'),
        description: p.get('description'),
      });
      return page({
        status: { success: 'Calling Card balance successfully updated' },
        calling_card_group: { name: r.groupName },
        calling_card: { number: r.number },
        add_payment: {
          currency: r.currency,
          amount_with_tax: r.amount,
          details: {
            current_balance: rawDecimal(r.before),
            converted_to: r.convertedTo,
            exchange_rate: rawDecimal(r.exchangeRate),
            amount_with_tax: rawDecimal(r.amountWithTax),
            amount_without_tax: rawDecimal(r.amountWithoutTax),
            new_balance: rawDecimal(r.after),
            description: r.description,
          },
        },
      });
    },
    { FORBIDDEN: NOT_FOUND_CARD },
  ),
});

export const cardFromGroupSell = defineMethod({
  name: 'card_from_group_sell',
  aliases: ['buy_card_from_callingroup'],
  family: 'calling-cards',
  summary: 'Sells free cards of a card group (or one card by number).',
  identity: 'caller',
  hash: ['email', 'id', 'quantity'],
  callers: ALL,
  access: 'write',
  movesMoney: true,
  unknownCaller: statusError('Bad login'),
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'email', description: 'where to send the sold numbers and PINs' },
    { name: 'id', required: true, description: 'card group id' },
    { name: 'quantity', description: 'cards to sell (default 1)' },
    { name: 'number', description: 'sell this card (quantity ignored; not hashed)' },
    { name: 'curr', description: 'currency of the sale payments (not hashed)' },
    { name: 'hash', required: true, description: 'sha1(email + id + quantity + secret key)' },
  ],
  run: cardGuard(
    pageStatusError,
    async (call) => {
      const p = call.params;
      const quantity = p.value('quantity');
      const sale = await sellCards(
        ctxOf(call),
        {
          cardGroupId: idParam(p, 'id') ?? Number.NaN,
          quantity: quantity !== undefined && /^\d{1,6}$/.test(quantity) ? Number(quantity) : undefined,
          number: p.value('number'),
          currency: p.value('curr'),
          email: p.value('email'),
        },
        false,
      );
      return page({
        cards: {
          card: sale.cards.map((c) => ({
            pin: c.pin,
            number: c.number,
            balance_without_vat: fixed(c.balance),
            currency: sale.currency,
          })),
        },
      });
    },
    { 'NOT_FOUND:card_group': 'Cardgroup was not found', FORBIDDEN: 'Access Denied' },
    ['Access Denied'],
  ),
});

export const cardByCliUpdate = defineMethod({
  name: 'card_by_cli_update',
  aliases: ['cc_by_cli'],
  family: 'calling-cards',
  summary: 'Creates, tops up or merges calling cards identified by a caller ID.',
  identity: 'caller',
  hash: ['pin', 'amount', 'callerid', 'cardgroup_id'],
  callers: ALL,
  access: 'write',
  movesMoney: true,
  unknownCaller: statusError('Bad login'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'pin', description: 'card whose balance moves to the CLI card (amount ignored)' },
    { name: 'amount', description: 'money paid, system currency, group tax included (default 0)' },
    { name: 'callerid', required: true, description: 'the caller ID identifying the card' },
    { name: 'cardgroup_id', description: 'group of a new card' },
    { name: 'hash', required: true, description: 'sha1(pin + amount + callerid + cardgroup_id + secret key)' },
  ],
  run: cardGuard(
    pageError,
    async (call) => {
      const p = call.params;
      const result = await cardByCli(ctxOf(call), {
        callerid: p.value('callerid') ?? '',
        pin: p.value('pin'),
        amount: p.value('amount'),
        cardGroupId: idParam(p, 'cardgroup_id'),
      });
      if (result.kind === 'user') return page({ response: { status: 'ok', user: result.user } });
      const c = result.card;
      return page({
        response: {
          status: 'ok',
          card: {
            id: c.id,
            cardgroup_id: c.cardgroupId,
            balance: c.balance,
            callerid: c.callerid,
            pin: c.pin,
            number: c.number,
          },
        },
      });
    },
    { FORBIDDEN: 'Access Denied' },
    ['Access Denied'],
  ),
});
