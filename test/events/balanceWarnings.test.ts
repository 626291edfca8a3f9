import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { silentLog } from '../../src/domain/ctx.ts';
import { localDayHour, sendBalanceWarnings } from '../../src/domain/messages/balanceWarnings.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';

/**
 * Low-balance warnings follow warning_email_hour (_users-model.md "Warnings"): -1 sends once at the
 * crossing; 0–23 sends every day at or after that hour in the user's time zone, once per local day,
 * while the balance stays below the warning level.
 */
const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
const at = (iso: string) => ({ db: api.handle.db, clock: () => new Date(iso), log: silentLog });

const warnedUser = async (hour: number, zone: string, email: string) => {
  const user = await createUser(api.handle, { balance: '10' });
  await admin().users.update.mutate({
    id: user.id,
    address: { email },
    warningEmailActive: true,
    warningEmailBalance: '5',
    warningEmailHour: hour,
  });
  await api.handle.db.execute(sql`update users set time_zone = ${zone} where id = ${user.id}`);
  return user;
};
const messagesOf = (userId: number) =>
  queryRows<{ recipient: string; subject: string; body: string; reason: string }>(
    api.handle.db,
    sql`select recipient, subject, body, reason from messages where user_id = ${userId} order by id`,
  );
const lowEvents = async (userId: number) =>
  (
    await queryRows<{ n: number }>(
      api.handle.db,
      sql`select count(*)::int as n from outbox_events where user_id = ${userId} and type = 'balance.low'`,
    )
  )[0]!.n;

describe('low-balance warning hour', () => {
  it('reads the local day and hour of a Rails or IANA zone', () => {
    expect(localDayHour(new Date('2026-12-07T22:30:00Z'), 'Vilnius')).toEqual({ day: '2026-12-08', hour: 0 });
    expect(localDayHour(new Date('2026-07-01T03:00:00Z'), 'America/New_York')).toEqual({ day: '2026-06-30', hour: 23 });
    expect(localDayHour(new Date('2026-12-07T22:30:00Z'), 'no such zone')).toEqual({ day: '2026-12-07', hour: 22 });
  });

  it('hour -1: one e-mail at the crossing, none from the daily job', async () => {
    const user = await warnedUser(-1, 'Vilnius', 'once@example.test');
    await admin().users.changeBalance.mutate({ id: user.id, amount: '-7' });
    expect(await lowEvents(user.id)).toBe(1);
    expect((await messagesOf(user.id)).map((m) => [m.recipient, m.reason])).toEqual([
      ['once@example.test', 'warning_balance'],
    ]);
    await sendBalanceWarnings(at('2026-12-06T12:00:00Z'));
    expect(await messagesOf(user.id)).toHaveLength(1);
  });

  it('hour 9 in Vilnius: nothing at the crossing, one e-mail a local day from 09:00 on, while below', async () => {
    const user = await warnedUser(9, 'Vilnius', 'daily@example.test');
    await admin().users.changeBalance.mutate({ id: user.id, amount: '-7' });
    expect(await lowEvents(user.id)).toBe(1); // the event is raised at the crossing all the same
    expect(await messagesOf(user.id)).toEqual([]);

    await sendBalanceWarnings(at('2026-12-06T06:59:00Z')); // 08:59 in Vilnius (UTC+2)
    expect(await messagesOf(user.id)).toEqual([]);
    await sendBalanceWarnings(at('2026-12-06T07:00:00Z')); // 09:00
    expect(await messagesOf(user.id)).toEqual([
      {
        recipient: 'daily@example.test',
        subject: 'Low balance warning',
        body: `Hello ${(await admin().users.get.query({ id: user.id })).username},\n\nyour balance is 3.00, below your warning level of 5.00.\n`,
        reason: 'warning_balance',
      },
    ]);
    // Later the same day, and two instances at once the next day: still one a day.
    await sendBalanceWarnings(at('2026-12-06T20:00:00Z'));
    expect(await messagesOf(user.id)).toHaveLength(1);
    const next = await Promise.all([
      sendBalanceWarnings(at('2026-12-07T10:00:00Z')),
      sendBalanceWarnings(at('2026-12-07T10:00:00Z')),
    ]);
    expect(next.map((r) => r.queued).sort()).toEqual([0, 1]);
    expect(await messagesOf(user.id)).toHaveLength(2);

    // Topped up above the level: no more warnings.
    await admin().users.changeBalance.mutate({ id: user.id, amount: '5' });
    await sendBalanceWarnings(at('2026-12-08T10:00:00Z'));
    expect(await messagesOf(user.id)).toHaveLength(2);
  });

  it("hour 0 counts the user's day: 22:30 UTC is already the next day in Vilnius", async () => {
    const user = await warnedUser(0, 'Vilnius', 'midnight@example.test');
    await admin().users.changeBalance.mutate({ id: user.id, amount: '-7' });
    await sendBalanceWarnings(at('2026-12-07T10:00:00Z')); // Dec 7 local
    await sendBalanceWarnings(at('2026-12-07T21:59:00Z')); // 23:59 Dec 7 local: already sent that day
    expect(await messagesOf(user.id)).toHaveLength(1);
    await sendBalanceWarnings(at('2026-12-07T22:30:00Z')); // 00:30 Dec 8 local, still Dec 7 in UTC
    expect(await messagesOf(user.id)).toHaveLength(2);
    const [row] = await queryRows<{ day: string }>(
      api.handle.db,
      sql`select warning_email_sent_on::text as day from users where id = ${user.id}`,
    );
    expect(row!.day).toBe('2026-12-08');
  });
});
