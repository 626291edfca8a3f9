import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Db } from '../../db/types.ts';
import type { Job, JobCtx } from '../jobs/job.ts';
import { ianaZone } from '../settings/timeZones.ts';
import { wallParts } from '../settings/wallClock.ts';
import { queueMessage } from './queueMessage.ts';

/** `at` on the user's wall clock: the local day (YYYY-MM-DD) and hour (0–23). */
export function localDayHour(at: Date, userZone: string): { day: string; hour: number } {
  const p = wallParts(at, ianaZone(userZone));
  const two = (n: number) => String(n).padStart(2, '0');
  return { day: `${p.year}-${two(p.month)}-${two(p.day)}`, hour: p.hour };
}

interface Candidate {
  id: number;
  ownerId: number;
  username: string;
  email: string;
  zone: string;
  hour: number;
  sentOn: string | null;
  /** Rounded to 2 decimals in SQL, as the ledger trigger renders them. */
  balance: string;
  threshold: string;
}

/** The realm's `warning_balance_email` template (or the default text), as the ledger trigger renders it. */
async function render(db: Db, c: Candidate): Promise<{ subject: string; body: string }> {
  const [t] = await queryRows<{ subject: string; body: string }>(
    db,
    sql`select subject, body from emails where owner_id = ${c.ownerId}::int and name = 'warning_balance_email' limit 1`,
  );
  const { balance, threshold } = c;
  const fill = (text: string) =>
    text
      .replaceAll('<%= username %>', c.username)
      .replaceAll('<%= balance %>', balance)
      .replaceAll('<%= warning_balance %>', threshold);
  return t
    ? { subject: fill(t.subject), body: fill(t.body) }
    : {
        subject: 'Low balance warning',
        body: `Hello ${c.username},\n\nyour balance is ${balance}, below your warning level of ${threshold}.\n`,
      };
}

/**
 * Daily low-balance warnings (warning_email_hour 0–23, "every day at"): a user whose warning is
 * active, whose balance is below the warning level and who has an e-mail address gets one warning per
 * local day, at or after that hour in their time zone. The day is claimed on the user's row
 * (`warning_email_sent_on`) in the e-mail's own transaction, so two instances never send it twice.
 * Hour -1 ("only once when the balance drops lower") is the ledger trigger's, at the crossing.
 */
export async function sendBalanceWarnings(ctx: JobCtx): Promise<{ queued: number }> {
  const now = ctx.clock();
  const candidates = await queryRows<Candidate>(
    ctx.db,
    sql`select u.id::int, u.owner_id::int as "ownerId", u.username, a.email, u.time_zone as zone,
        u.warning_email_hour::int as hour, u.warning_email_sent_on::text as "sentOn", round(u.balance, 2)::text as balance,
        round(u.warning_email_balance, 2)::text as threshold
      from users u join addresses a on a.id = u.address_id
      where u.warning_email_active and u.warning_email_hour >= 0 and u.balance < u.warning_email_balance
        and a.email <> ''
      order by u.id`,
  );
  let queued = 0;
  for (const c of candidates) {
    const local = localDayHour(now, c.zone);
    if (local.hour < c.hour || (c.sentOn !== null && c.sentOn >= local.day)) continue;
    const message = await render(ctx.db, c);
    const sent = await ctx.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const claimed = await queryRows<{ id: number }>(
        db,
        sql`update users set warning_email_sent_on = ${local.day}::date
          where id = ${c.id}::int and (warning_email_sent_on is null or warning_email_sent_on < ${local.day}::date)
          returning id::int`,
      );
      if (claimed.length === 0) return false;
      await queueMessage(
        { db },
        {
          kind: 'email',
          ownerId: c.ownerId,
          senderId: null,
          userId: c.id,
          recipient: c.email,
          ...message,
          reason: 'warning_balance',
        },
      );
      return true;
    });
    if (sent) queued++;
  }
  return { queued };
}

/** Every tick: the daily low-balance warnings that are due (see sendBalanceWarnings). */
export const balanceWarningsJob: Job = {
  name: 'balanceWarnings',
  everyTick: true,
  periodOf: (now) => now.toISOString().slice(0, 16),
  run: (ctx) => sendBalanceWarnings(ctx),
};
