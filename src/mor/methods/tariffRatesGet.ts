import type { GroupRates, TariffRates, WholesaleLine } from '../../domain/rating/getTariffRates.ts';
import { getTariffRates } from '../../domain/rating/getTariffRates.ts';
import { morMessage } from '../errors.ts';
import { defineMethod } from '../method.ts';
import { pageError, renderFragment, statusError, type XmlNode } from '../xml.ts';

const groupXml = (groups: GroupRates[]): XmlNode[] =>
  groups.map((g) => ({
    destination_group_name: g.groupName,
    destination_group_type: g.groupType,
    rate: g.bands.map((b) => ({
      duration: b.duration === -1 ? 'Infinity' : b.duration,
      type: b.artype,
      round_by: b.round,
      tariff_rate: b.price,
      start_time: b.startTime,
      end_time: b.endTime,
      daytype: b.daytype,
      from: b.from,
    })),
  }));

const lineXml = (l: WholesaleLine): XmlNode => ({
  direction: l.direction,
  destination: l.destination,
  prefix: l.prefix,
  subcode: l.subcode,
  code: l.code,
  tariff_rate: l.price,
  con_fee: l.connectionFee,
  increment: l.increment,
  min_time: l.minTime,
  start_time: l.startTime,
  end_time: l.endTime,
  daytype: l.daytype,
  effective_from: l.effectiveFrom,
});

/**
 * The document, streamed: the head, then the rates a page at a time as the client reads (a wholesale
 * tariff of a million rates is never held in memory), then custom rates. Byte for byte what renderXml
 * would print for the whole tree (test/mor/rating-tariff-rates-get.test.ts).
 */
async function* tariffXml(r: TariffRates): AsyncIterable<string> {
  const retail = r.tariff.purpose === 'user';
  yield '<page>\n';
  yield renderFragment(
    { pagename: 'Tariff', tariff_name: r.tariff.name, purpose: r.tariff.purpose, currency: r.tariff.currency },
    1,
  );
  let open = false;
  const items = async function* (): AsyncIterable<XmlNode[]> {
    if (retail) yield groupXml(r.groups);
    else for await (const lines of r.lines) yield lines.map(lineXml);
  };
  for await (const list of items()) {
    if (list.length === 0) continue;
    if (!open) yield '  <rates>\n';
    open = true;
    yield renderFragment({ [retail ? 'destination' : 'rate']: list }, 2);
  }
  yield open ? '  </rates>\n' : '  <rates></rates>\n';
  if (r.custom) {
    yield renderFragment({ custom_rates: { currency: r.custom.currency, destination: groupXml(r.custom.groups) } }, 1);
  }
  yield '</page>\n';
}

/** A non-negative integer parameter; anything else names no tariff (-1). */
const idParam = (value: string | undefined) =>
  value === undefined ? undefined : /^\d{1,9}$/.test(value) ? +value : -1;

export const tariffRatesGet = defineMethod({
  name: 'tariff_rates_get',
  aliases: ['get_tariff'],
  family: 'tariffs',
  gzip: true,
  summary: "A tariff's rates: by tariff_id, a user's tariff and custom rates by user_id, or the caller's own.",
  identity: 'caller',
  hash: ['user_id', 'tariff_id'],
  callers: ['admin', 'accountant', 'reseller', 'user'],
  access: 'read',
  unknownCaller: pageError('Bad login'),
  errorWrapper: pageError,
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'user_id', description: 'user whose tariff and custom rates are wanted (tariff_id is then ignored)' },
    { name: 'tariff_id', description: 'tariff to export (admin, reseller)' },
    { name: 'hash', required: true, description: 'sha1(user_id + tariff_id + secret key), absent ones skipped' },
  ],
  run: async ({ ctx, params, auth }) => {
    try {
      const input = { userId: idParam(params.value('user_id')), tariffId: idParam(params.value('tariff_id')) };
      const rates = await getTariffRates(ctx!, input, auth.settings.allowResellersAdminTariffs);
      return { kind: 'xmlStream', body: tariffXml(rates) };
    } catch (error) {
      const message = morMessage(error, { NOT_FOUND: 'No tariff found' });
      if (message === null) throw error;
      return message === 'No tariff found' ? pageError(message) : statusError(message);
    }
  },
});
