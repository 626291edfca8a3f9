import { fixed } from '../../domain/cards/money.ts';
import { DomainError } from '../../domain/errors.ts';
import { getFinancialStatement, type StatementStatus } from '../../domain/statements/getFinancialStatement.ts';
import { defineMethod } from '../method.ts';
import { page, pageError } from '../xml.ts';
import { ALL } from './cardSupport.ts';

const STATUSES = new Set<StatementStatus>(['paid', 'unpaid', 'all']);

/** A Unix-seconds date: absent/empty = undefined (today), digits only, else null (invalid). */
function unix(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  return /^\d{1,12}$/.test(value) ? Number(value) : null;
}

export const financialStatementsGet = defineMethod({
  name: 'financial_statements_get',
  aliases: ['financial_statements'],
  family: 'financial-statements',
  summary: 'Counts and sums of invoices, credit notes and payments of a period, by paid state.',
  identity: 'caller',
  hash: ['user_id'],
  // A public client library hashes the dates too.
  altHashes: [{ order: ['user_id', 'date_from', 'date_till'] }],
  callers: ALL,
  access: 'read',
  unknownCaller: pageError('Bad login'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'user_id', description: 'one user’s statement (default: every user in reach; ignored for simple users)' },
    { name: 'status', description: 'paid, unpaid or all (default); the documented spelling `stauts` works too' },
    { name: 'date_from', description: 'Unix time: the period starts at 00:00:00 of its date (default today)' },
    { name: 'date_till', description: 'Unix time: the period ends at 23:59:59 of its date (default today)' },
    {
      name: 'hash',
      required: true,
      description: 'sha1(user_id + secret key) or sha1(user_id + date_from + date_till + key)',
    },
  ],
  async run(call) {
    const p = call.params;
    const status = (p.value('status') ?? p.value('stauts') ?? 'all').toLowerCase() as StatementStatus;
    if (!STATUSES.has(status)) return pageError('Invalid status');
    const dateFrom = unix(p.value('date_from'));
    const dateTill = unix(p.value('date_till'));
    if (dateFrom === null || dateTill === null) return pageError('Invalid date');
    const rawUser = p.value('user_id');
    const userId = rawUser === undefined ? undefined : /^\d{1,9}$/.test(rawUser) ? Number(rawUser) : -1;
    try {
      const statement = await getFinancialStatement(call.ctx!, { userId, status, dateFrom, dateTill });
      return page({
        financial_statement: {
          '@currency': statement.currency,
          statement: statement.groups.map((g) => ({
            '@type': g.type,
            status: g.status,
            count: g.count,
            price: fixed(g.price, 4),
            price_with_vat: fixed(g.priceWithVat, 4),
          })),
        },
      });
    } catch (error) {
      // An accountant without the rights: the only caller error the page documents. A user out of reach.
      if (error instanceof DomainError && error.code === 'FORBIDDEN') return pageError('Bad login');
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return pageError('Access Denied');
      throw error;
    }
  },
});
