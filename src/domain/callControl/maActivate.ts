import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { visibleUsers } from '../auth/rights.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { DomainError, forbidden } from '../errors.ts';
import { queueMessage } from '../messages/queueMessage.ts';
import { addonActive } from './addons.ts';

export const MA_ERRORS = {
  params: 'You must supply these params: monitoring_id, users, block, email, mtype',
  monitoring: 'Such monitoring was not found. Verify master-slave database integrity.',
} as const;

export interface MaActivateInput {
  monitoringId?: string;
  users?: string;
  block?: string;
  email?: string;
  mtype?: string;
}

/** `true`/`false` as sent (also 1/0); anything else matches no monitoring. */
const bool = (value: string) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : null;

/**
 * ma_activate: the monitoring engine reports that monitoring `monitoringId` fired for `users`; its
 * actions run: each found user is blocked (`block`) and the monitoring's owner gets one e-mail listing
 * them (`email`, queued through the outbox's messages). Answers one status per user id, in the order
 * sent: ` not found`, or the actions done (` blocked`, ` email sent` / ` email not sent`).
 */
export async function maActivate(ctx: Ctx, input: MaActivateInput): Promise<{ id: string; status: string }[]> {
  const { actor } = ctx;
  const allowed =
    actor.usertype === 'admin' || (actor.usertype === 'accountant' && (actor.rights.monitorings ?? 0) >= 1);
  if (!allowed || !(await addonActive(ctx, 'monitorings_addon'))) throw forbidden('ma_activate', 'Access Denied');
  const { monitoringId, users: list, block, email, mtype } = input;
  if ([monitoringId, list, block, email, mtype].some((v) => v === undefined || v === '')) {
    throw new DomainError('INVALID', 'params', MA_ERRORS.params);
  }
  const id = /^\d{1,9}$/.test(monitoringId!) ? Number(monitoringId) : -1;
  const [monitoring] = await queryRows<{ id: number; ownerId: number; name: string }>(
    ctx.db,
    sql`select id, owner_id as "ownerId", name from monitorings
      where id = ${id}::int and block = ${bool(block!)}::boolean and email = ${bool(email!)}::boolean
        and mtype::text = ${mtype!}::text`,
  );
  if (!monitoring) throw new DomainError('NOT_FOUND', 'monitoring', MA_ERRORS.monitoring);
  const blocks = bool(block!) === true;
  const mails = bool(email!) === true;
  const ids = list!.split(',').map((s) => s.trim());
  return withTransaction(ctx, async (tx) => {
    const wanted = ids.filter((s) => /^\d{1,9}$/.test(s)).map(Number);
    const found = await queryRows<{ id: number; username: string }>(
      tx.db,
      sql`select users.id, users.username from users
        where users.id = any (${`{${wanted.join(',')}}`}::int[]) and users.id <> 0 and ${visibleUsers(actor)}`,
    );
    const byId = new Map(found.map((u) => [String(u.id), u]));
    if (blocks && found.length > 0) {
      await queryRows(
        tx.db,
        sql`update users set blocked = true, updated_at = now() where id = any (${`{${found.map((u) => u.id).join(',')}}`}::int[])`,
      );
      tx.invalidateAuth();
    }
    let mailed = false;
    if (mails && found.length > 0) {
      const [owner] = await queryRows<{ email: string }>(
        tx.db,
        sql`select coalesce(a.email, '') as email from users u left join addresses a on a.id = u.address_id
          where u.id = ${monitoring.ownerId}::int`,
      );
      if (owner?.email && ctx.ports?.mail) {
        await queueMessage(tx, {
          kind: 'email',
          ownerId: monitoring.ownerId,
          senderId: actor.id,
          userId: null,
          recipient: owner.email,
          subject: `Monitoring ${monitoring.name || monitoring.id} activated`,
          body: `Monitoring ${monitoring.name || monitoring.id} was activated for these users:\n${found
            .map((u) => `${u.id} ${u.username}`)
            .join('\n')}\n${blocks ? 'They were blocked.\n' : ''}`,
          reason: 'monitoring_activation',
        });
        mailed = true;
      }
    }
    const out: { id: string; status: string }[] = [];
    for (const raw of ids) {
      const user = byId.get(String(Number(raw)));
      if (!user || !/^\d{1,9}$/.test(raw)) {
        out.push({ id: raw, status: ' not found' });
        continue;
      }
      let status = '';
      if (blocks) status += ' blocked';
      if (mails) status += mailed ? ' email sent' : ' email not sent';
      out.push({ id: raw, status });
      await logAction(tx, {
        action: 'monitoring_activate',
        targetType: 'user',
        targetId: user.id,
        data: String(monitoring.id),
        data2: status.trim(),
      });
    }
    return out;
  });
}
