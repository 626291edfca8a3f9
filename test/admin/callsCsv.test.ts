import { beforeAll, describe, expect, it } from 'vitest';
import { callerAs } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { type CallsWorld, callsWorld, insertCalls } from '../helpers/calls.ts';
import { TEST } from '../helpers/db.ts';
import { nameUser } from '../helpers/factories.ts';

const api = useTestApp();
let w: CallsWorld;
const tokens: Record<string, string> = {};

const csv = async (token: string | null, query = '') => {
  const response = await api.app.app.request(`http://openmor.test/admin/calls.csv${query}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
};
const MAY1 = '?from=2024-05-01T00:00:00Z&till=1714607999';

beforeAll(async () => {
  w = await callsWorld(api);
  await nameUser(api.handle, w.user.id, 'Smith, "John"', '');
  await insertCalls(api.handle, [
    {
      userId: w.user.id,
      calldate: '2024-05-01T10:15:03Z',
      uniqueid: 'a',
      dst: '370',
      userPrice: '0.1',
      providerPrice: '0.05',
    },
    {
      userId: w.u1.id,
      resellerId: w.r1.id,
      calldate: '2024-05-01T11:00:00Z',
      uniqueid: 'b',
      userPrice: '0.2',
      resellerPrice: '0.1',
    },
    { userId: w.u2.id, resellerId: w.r2.id, calldate: '2024-05-01T12:00:00Z', uniqueid: 'c' },
  ]);
  for (const who of [w.r1, w.accFull, w.accBlind, w.accNone]) {
    tokens[who.username] = (await (await callerAs(api, who.username)).tokens.issue({})).token;
  }
});

describe('GET /admin/calls.csv', () => {
  it('streams the admin every call of the period as CSV, quoting where needed', async () => {
    const res = await csv(TEST.adminToken, MAY1);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/csv; charset=utf-8');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'calldate,timezone,src,clid,dst,prefix,destination,duration,billsec,disposition,hangupcause,user_id,user,' +
        'device,user_rate,user_price,reseller,reseller_rate,reseller_price,provider,provider_rate,provider_price,did,' +
        'did_price,did_inc_price,did_prov_price,profit,server_id,uniqueid',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      `2024-05-01 10:15:03,GMT +0000,,,370,,,0,0,ANSWERED,,${w.user.id},"Smith, ""John""",,0.0000,0.1000,,` +
        '0.0000,0.0000,,0.0000,0.0500,,0.0000,0.0000,0.0000,0.0500,1,a',
    );
    expect((await csv(TEST.adminToken, `${MAY1}&orderBy=time&desc=1`)).body.split('\r\n')[1]).toMatch(/,c$/);
  });

  it('keeps each token in its realm with its money columns; refuses bad input clearly', async () => {
    const r1 = (await csv(tokens[w.r1.username]!, MAY1)).body.trimEnd().split('\r\n');
    expect(r1.map((l) => l.split(',').at(-1))).toEqual(['uniqueid', 'b']);
    expect(r1[0]).not.toContain('provider_price');
    const blind = (await csv(tokens[w.accBlind.username]!, MAY1)).body;
    expect(blind.split('\r\n')[0]).not.toMatch(/price|rate|profit/);
    expect(blind).toContain(',a\r\n');
    expect(blind).not.toContain(',b\r\n');
    expect(await csv(tokens[w.accNone.username]!, MAY1)).toMatchObject({
      status: 403,
      body: '{"error":"Access Denied"}',
    });
    expect(await csv(tokens[w.r1.username]!, `${MAY1}&userId=${w.u2.id}`)).toMatchObject({
      status: 404,
      body: '{"error":"User was not found"}',
    });
    expect(await csv(null, MAY1)).toMatchObject({ status: 401 });
    expect(await csv('wrong', MAY1)).toMatchObject({ status: 401 });
    expect(await csv(TEST.adminToken, '?from=yesterday')).toMatchObject({
      status: 400,
      body: '{"error":"Invalid from"}',
    });
    expect(await csv(TEST.adminToken, '?orderBy=drop')).toMatchObject({
      status: 400,
      body: '{"error":"Invalid orderBy"}',
    });
    expect(await csv(TEST.adminToken, '?userId=-1')).toMatchObject({ status: 400, body: '{"error":"Invalid userId"}' });
  });
});
