import { AddCardPayment, addCardPayment } from '../../domain/cards/addCardPayment.ts';
import { CardByCli, cardByCli } from '../../domain/cards/cardByCli.ts';
import { CreateCards, createCards } from '../../domain/cards/createCards.ts';
import { DisableCard, disableCard } from '../../domain/cards/disableCard.ts';
import { ExportCards, exportCards } from '../../domain/cards/exportCards.ts';
import { GetCardBalance, getCardBalance } from '../../domain/cards/getCardBalance.ts';
import { SearchCards, searchCards } from '../../domain/cards/searchCards.ts';
import { SellCards, sellCards } from '../../domain/cards/sellCards.ts';
import { UpdateCard, updateCard } from '../../domain/cards/updateCard.ts';
import { idempotent, withKey } from '../idempotent.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** Calling cards: batch creation, search with paging, sale, top-up, disable, CSV export for printing. */
export const cardsRouter = router({
  /** Cards numbered cardsFrom…cardsTill; existing numbers are skipped → `{ created, requested }`. */
  createBatch: authed.input(strict(CreateCards)).mutation(({ ctx, input }) => createCards(ctx.ctx, input)),
  /** Filters AND-ed; `limit`/`offset` page through `total` matches. */
  search: authed.input(idAs(SearchCards, 'cardId')).query(({ ctx, input }) => searchCards(ctx.ctx, input)),
  balance: authed.input(strict(GetCardBalance)).query(({ ctx, input }) => getCardBalance(ctx.ctx, input)),
  update: authed.input(idAs(UpdateCard, 'cardId')).mutation(({ ctx, input }) => updateCard(ctx.ctx, input)),
  /** Marks free cards sold and records their payments. */
  sell: authed.input(strict(withKey(SellCards))).mutation(idempotent('cards.sell', sellCards)),
  /** A payment onto a sold card (amount tax included, in `currency`). */
  topUp: authed.input(strict(withKey(AddCardPayment))).mutation(idempotent('cards.topUp', addCardPayment)),
  /** card_by_cli_update: top-up, creation, move or merge of cards by caller ID. */
  byCli: authed.input(strict(withKey(CardByCli))).mutation(idempotent('cards.byCli', cardByCli)),
  disable: authed.input(idAs(DisableCard, 'cardId')).mutation(({ ctx, input }) => disableCard(ctx.ctx, input)),
  /** CSV (Number, PIN, Balance, Sold, First_use, Daily_charge_paid_till) of a group or one batch. */
  exportCsv: authed.input(strict(ExportCards)).query(({ ctx, input }) => exportCards(ctx.ctx, input)),
});
