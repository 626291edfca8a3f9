import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../src/db/schema/actions.ts';
import { currencies } from '../../src/db/schema/currencies.ts';
import { pageStatusErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { createAccountant, createCurrency, createReseller, createUser } from '../helpers/factories.ts';

const api = useTestApp();
const H = { hashOf: ['currency', 'rate'] } as const;
const call = (params: Record<string, string>, options = {}) =>
  api.call('exchange_rate_update', params, { ...H, ...options });
const ok = `${XML_DECL}\n<page>\n  <status>\n    <success>Currency successfully updated</success>\n  </status>\n</page>\n`;
const rateOf = async (name: string) =>
  (await api.handle.db.select().from(currencies).where(eq(currencies.name, name)))[0]?.exchangeRate;

beforeAll(async () => {
  await createCurrency(api.handle, 'AMD', '400');
  await createCurrency(api.handle, 'EUR', '0.9');
  await api.handle.db.update(currencies).set({ currUpdate: true }).where(eq(currencies.name, 'EUR'));
});

describe('exchange_rate_update', () => {
  it('matches the page example (AMD, 45.5, key "secret") and stores the rate exactly, logged', async () => {
    const res = await call(
      { u: 'admin', currency: 'AMD', rate: '45.5' },
      { hash: 'cd4e5e92a0fe326d6f5c1d40a7952bb4442e1b5d' },
    );
    expect(res.body).toBe(ok);
    expect(await rateOf('AMD')).toBe('45.500000000000');
    const [log] = await api.handle.db
      .select()
      .from(actions)
      .where(eq(actions.action, 'currency_exchange_rate_changed'));
    expect([log?.data, log?.data2]).toEqual(['400.000000000000', '45.5']);
    expect((await call({ u: 'admin', currency: 'AMD', rate: '0.123456789012' })).body).toBe(ok);
    expect(await rateOf('AMD')).toBe('0.123456789012');
  });

  it('hashes currency then rate', async () => {
    const res = await call({ u: 'admin', currency: 'AMD', rate: '2' }, { hashOf: ['rate', 'currency'] });
    expect(res.body).toBe(statusErrorXml('Incorrect hash'));
  });

  it('answers Currency was not found for unknown codes (case sensitive), automatic update, the system currency', async () => {
    for (const currency of ['XYZ', 'amd', 'EUR', 'USD', '']) {
      expect((await call({ u: 'admin', currency, rate: '2' })).body).toBe(pageStatusErrorXml('Currency was not found'));
    }
  });

  it('answers Exchange rate is invalid for non-numbers, zero, negatives and commas, after the currency lookup', async () => {
    for (const rate of ['abc', '0', '0.000', '-1', '1,5', '', '1e3', '1.1234567890123']) {
      expect((await call({ u: 'admin', currency: 'AMD', rate })).body).toBe(
        pageStatusErrorXml('Exchange rate is invalid'),
      );
    }
    expect((await call({ u: 'admin', currency: 'XYZ', rate: 'abc' })).body).toBe(
      pageStatusErrorXml('Currency was not found'),
    );
  });

  it('refuses every caller but the admin with Access Denied', async () => {
    const reseller = await createReseller(api.handle, 'res-key-123');
    const accountant = await createAccountant(api.handle, { see_financial_data: 2, tariffs_manage: 2 });
    const user = await createUser(api.handle);
    const denied = pageStatusErrorXml('Access Denied');
    expect((await call({ u: reseller.username, currency: 'AMD', rate: '3' }, { key: 'res-key-123' })).body).toBe(
      denied,
    );
    expect((await call({ u: accountant.username, currency: 'AMD', rate: '3' })).body).toBe(denied);
    expect((await call({ u: user.username, currency: 'AMD', rate: '3' })).body).toBe(denied);
    expect((await call({ u: 'nobody', currency: 'AMD', rate: '3' })).body).toBe(denied);
    expect(await rateOf('AMD')).not.toBe('3.000000000000');
  });
});
