import { DomainError } from '../../domain/errors.ts';
import { parseRatesCsv, RowProblems } from '../../domain/rating/rateRows.ts';
import { saveWholesaleTariff } from '../../domain/rating/saveWholesaleTariff.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageError, xml } from '../xml.ts';

/** How many validation messages one answer lists; the last one says how many more there were. */
const MAX_MESSAGES = 100;

/** `<response><error><message>…</message>…</error></response>`, the shape the page documents. */
function problemsXml(problems: string[]) {
  const shown = problems.slice(0, MAX_MESSAGES);
  if (problems.length > MAX_MESSAGES) shown.push(`… and ${problems.length - MAX_MESSAGES} more problems`);
  return xml({ response: { error: { message: shown } } });
}

/** The optional `rates` CSV: an uploaded file (multipart) or a plain form value. */
async function ratesCsv(params: Params): Promise<string | undefined> {
  const file = params.files.get('rates');
  return file ? file.text() : params.value('rates');
}

export const tariffWholesaleUpdate = defineMethod({
  name: 'tariff_wholesale_update',
  aliases: ['wholesale_tariff'],
  family: 'tariffs',
  summary: 'Creates (no id) or updates a user wholesale tariff; optionally upserts its rates from CSV.',
  identity: 'caller',
  hash: ['id', 'name', 'currency'],
  callers: ['admin', 'accountant', 'reseller'],
  access: 'write',
  changesRates: true,
  unknownCaller: pageError('Bad login'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'id', description: 'tariff to update; absent = create' },
    { name: 'name', description: 'tariff name (required on create), unique per owner' },
    { name: 'currency', description: 'currency code; create default: the system currency' },
    {
      name: 'rates',
      description:
        'openmor extension, not hashed: CSV prefix,price[,connection_fee,increment,min_time,effective_from,destination]',
    },
    { name: 'hash', required: true, description: 'sha1(id + name + currency + secret key), absent ones skipped' },
  ],
  run: async ({ ctx, params }) => {
    const csv = await ratesCsv(params);
    try {
      const result = await saveWholesaleTariff(ctx!, {
        id: params.get('id'),
        name: params.get('name'),
        currency: params.value('currency'),
        rates: csv === undefined ? undefined : parseRatesCsv(csv),
      });
      return page(result.created ? { status: 'ok', tariff_id: result.tariffId } : { status: 'ok' });
    } catch (error) {
      if (error instanceof RowProblems) return problemsXml(error.problems);
      if (!(error instanceof DomainError)) throw error;
      return pageError(error.code === 'NOT_FOUND' ? 'Tariff not found' : 'Access Denied');
    }
  },
});
