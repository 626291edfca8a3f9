import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallHistory, CallRow } from '../../src/domain/calls/history.ts';
import { callsXml, callTags } from '../../src/mor/methods/callHistory.ts';
import { renderFragment, type XmlNode } from '../../src/mor/xml.ts';

/*
 * user_calls_get writes its `<call>` elements straight from the rows (no element tree per call). The
 * bytes must stay those of the element tree through renderFragment, as the method first rendered them:
 * `tree` below is that first rendering, compared on random rows for every money view.
 */
function tree(c: CallRow, h: Pick<CallHistory, 'view' | 'providerData'>): XmlNode {
  const full = h.view === 'full';
  const reseller = h.view === 'reseller';
  const node: XmlNode = {
    calldate: c.calldate,
    timezone: c.timezone,
    src: c.src,
    clid: c.clid,
    dst: c.dst,
    prefix: c.prefix,
    destination: c.destination,
    duration: c.duration,
    billsec: c.billsec,
    disposition: c.disposition,
    hangupcause: c.hangupcause ?? '',
    user_id: c.userId,
    user: c.user,
    device: c.device,
  };
  if (h.view !== 'none') Object.assign(node, { user_rate: c.userRate, user_price: c.userPrice });
  if (h.view !== 'user') node.reseller = c.reseller;
  if (full || reseller) Object.assign(node, { reseller_rate: c.resellerRate, reseller_price: c.resellerPrice });
  if (h.view === 'none' || h.providerData) node.provider = c.provider;
  if (h.providerData) Object.assign(node, { provider_rate: c.providerRate, provider_price: c.providerPrice });
  if (h.view !== 'user') node.did = c.did;
  if (full)
    Object.assign(node, { did_price: c.didPrice, did_inc_price: c.didIncPrice, did_prov_price: c.didProvPrice });
  if (full || reseller) node.profit = c.profit;
  node.server_id = c.serverId;
  node.uniqueid = c.uniqueid;
  return node;
}

const text = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('', '0.1000', 'R&D <strict>', '"John" <37060000001>', 'a\u0001b\u0000', '😀', 'SIP/101'),
);
const int = fc.integer({ min: 0, max: 100_000 });
const row: fc.Arbitrary<CallRow> = fc.record({
  id: int,
  calldate: text,
  timezone: text,
  src: text,
  clid: text,
  dst: text,
  prefix: text,
  destination: text,
  duration: int,
  billsec: int,
  disposition: text,
  hangupcause: fc.option(int, { nil: null }),
  userId: int,
  user: text,
  device: text,
  userRate: text,
  userPrice: text,
  reseller: text,
  resellerRate: text,
  resellerPrice: text,
  provider: text,
  providerRate: text,
  providerPrice: text,
  did: text,
  didPrice: text,
  didIncPrice: text,
  didProvPrice: text,
  profit: text,
  serverId: int,
  uniqueid: text,
});
const view = fc.record({
  view: fc.constantFrom('full', 'reseller', 'user', 'none') as fc.Arbitrary<CallHistory['view']>,
  providerData: fc.boolean(),
});

describe('user_calls_get <call> elements', () => {
  it('are byte for byte the element tree rendered by renderFragment, for every view', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 6 }), view, (rows, h) => {
        expect(callsXml(rows, callTags(h))).toBe(renderFragment({ call: rows.map((c) => tree(c, h)) }, 3));
      }),
      { numRuns: 500 },
    );
  });

  it('leave out an absent hangup cause as an empty element and escape text', () => {
    const [c] = fc.sample(row, { numRuns: 1, seed: 1 });
    const out = callsXml(
      [{ ...c!, hangupcause: null, user: 'R&D <x>' }],
      callTags({ view: 'user', providerData: false }),
    );
    expect(out).toContain('        <hangupcause></hangupcause>\n');
    expect(out).toContain('        <user>R&amp;D &lt;x&gt;</user>\n');
    expect(out).not.toContain('<reseller>');
  });
});
