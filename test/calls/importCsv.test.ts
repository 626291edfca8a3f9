import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { localToIso, parseCsv } from '../../src/domain/calls/importCsv.ts';
import { callerAs, clientWith, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createDevice,
  createReseller,
  createTariff,
  createUser,
  createWholesaleRate,
  setUserTariff,
} from '../helpers/factories.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
let userId: number;
let device: { id: number; username: string };

beforeAll(async () => {
  const w = await createTariff(api.handle, { name: 'W' });
  await createWholesaleRate(api.handle, w.id, { prefix: '370', price: '0.12', increment: 60 });
  userId = (await createUser(api.handle, { balance: '5' })).id;
  await setUserTariff(api.handle, userId, w.id);
  device = await createDevice(api.handle, userId, { username: 'csv1001' });
  // As device_create does: MOR's accountcode is the device id.
  await queryRows(api.handle.db, sql`update devices set accountcode = id where id = ${device.id}`);
});

const line = (o: {
  acc?: string;
  chan?: string;
  start: string;
  answer: string;
  end: string;
  dur: number;
  bill: number;
  disp: string;
  uid: string;
}) =>
  `"${o.acc ?? ''}","1001","37060000000","mor","""John Smith"" <1001>","${o.chan ?? ''}","SIP/prov-0001","Dial","SIP/prov/37060000000,60","${o.start}","${o.answer}","${o.end}",${o.dur},${o.bill},"${o.disp}","DOCUMENTATION","${o.uid}",""`;

const stored = (uniqueid: string) =>
  queryRows<Record<string, unknown>>(
    api.handle.db,
    sql`select user_id, src_device_id, clid, src, dst, disposition, duration, billsec, rating_status, user_billsec,
      user_price::text, to_char(calldate at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as calldate,
      to_char(answer_time at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as answer_time, originator_channel
      from calls where uniqueid = ${uniqueid}`,
  );

describe('calls.importCsv', () => {
  it('imports Master.csv records in the standard column order, local times in the given zone', async () => {
    const csv = [
      'accountcode,src,dst,dcontext,clid,channel,dstchannel,lastapp,lastdata,start,answer,end,duration,billsec,disposition,amaflags,uniqueid,userfield',
      line({
        acc: String(device.username),
        start: '2026-11-03 19:00:00',
        answer: '2026-11-03 19:00:05',
        end: '2026-11-03 19:01:35',
        dur: 95,
        bill: 90,
        disp: 'ANSWERED',
        uid: 'csv-1',
      }),
      line({
        chan: `SIP/${device.username}-0000000b`,
        start: '2026-11-03 19:05:00',
        answer: '',
        end: '2026-11-03 19:05:20',
        dur: 20,
        bill: 0,
        disp: 'NO ANSWER',
        uid: 'csv-2',
      }),
      line({
        acc: 'nobody',
        start: '2026-11-03 19:06:00',
        answer: '',
        end: '2026-11-03 19:06:20',
        dur: 20,
        bill: 0,
        disp: 'BUSY',
        uid: 'csv-3',
      }),
      '"only","three","fields"',
      line({
        acc: String(device.username),
        start: 'yesterday',
        answer: '',
        end: '',
        dur: 1,
        bill: 0,
        disp: 'FAILED',
        uid: 'csv-5',
      }),
      line({
        acc: String(device.username),
        start: '2026-11-03 19:00:00',
        answer: '2026-11-03 19:00:05',
        end: '2026-11-03 19:01:35',
        dur: 95,
        bill: 90,
        disp: 'ANSWERED',
        uid: 'csv-1',
      }),
      '',
    ].join('\r\n');
    expect(await admin().calls.importCsv.mutate({ csv, timeZone: 'Tokyo' })).toEqual({
      inserted: 2,
      duplicates: 1,
      rejected: [
        { index: 2, reason: 'accountcode nobody: no such device' },
        { index: 3, reason: 'expected 18 columns, got 3' },
        { index: 4, reason: 'calldate must be an ISO 8601 date-time' },
      ],
    });
    expect(await stored('csv-1')).toEqual([
      {
        user_id: userId,
        src_device_id: device.id,
        clid: '"John Smith" <1001>',
        src: '1001',
        dst: '37060000000',
        disposition: 'ANSWERED',
        duration: 95,
        billsec: 90,
        rating_status: 'rated',
        user_billsec: 120,
        user_price: '0.240000',
        calldate: '2026-11-03 10:00:00',
        answer_time: '2026-11-03 10:00:05',
        originator_channel: '',
      },
    ]);
    expect(await stored('csv-2')).toMatchObject([
      { rating_status: 'unanswered', originator_channel: `SIP/${device.username}-0000000b` },
    ]);
    // The same file again: nothing stored, nothing charged.
    expect(await admin().calls.importCsv.mutate({ csv, timeZone: 'Tokyo' })).toMatchObject({
      inserted: 0,
      duplicates: 3,
    });
    const [u] = await queryRows<{ balance: string }>(
      api.handle.db,
      sql`select balance::text from users where id = ${userId}`,
    );
    expect(u!.balance).toBe('4.760000');
  });

  it('reads local times in the system zone by default; refuses an unknown zone; admin only', async () => {
    const csv = line({
      acc: String(device.id),
      start: '2026-11-04 12:00:00',
      answer: '',
      end: '',
      dur: 3,
      bill: 0,
      disp: 'FAILED',
      uid: 'csv-utc',
    });
    expect(await admin().calls.importCsv.mutate({ csv })).toMatchObject({ inserted: 1 });
    expect(await stored('csv-utc')).toMatchObject([{ calldate: '2026-11-04 12:00:00', src_device_id: device.id }]);
    const reseller = await createReseller(api.handle);
    const e = await trpcError(async () =>
      (await callerAs(api, 'admin')).calls.importCsv({ csv, timeZone: 'Mars/Olympus' }),
    );
    expect([e.code, e.message]).toEqual(['BAD_REQUEST', 'Unknown time zone Mars/Olympus']);
    const f = await trpcError(async () => (await callerAs(api, reseller.username)).calls.importCsv({ csv }));
    expect(f.code).toBe('FORBIDDEN');
  });

  it('parses quoted fields and converts wall-clock times across a DST change', () => {
    expect(parseCsv('a,"b,c","d ""e"""\n"x\ny",z')).toEqual([
      ['a', 'b,c', 'd "e"'],
      ['x\ny', 'z'],
    ]);
    expect(localToIso('2026-03-08 01:30:00', 'America/Los_Angeles')).toBe('2026-03-08T09:30:00.000Z');
    expect(localToIso('2026-03-08 03:30:00', 'America/Los_Angeles')).toBe('2026-03-08T10:30:00.000Z');
    expect(localToIso('2026-07-01 00:00:00', 'Asia/Tokyo')).toBe('2026-06-30T15:00:00.000Z');
  });
});
