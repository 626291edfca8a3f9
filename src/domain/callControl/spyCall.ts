import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { DomainError, forbidden } from '../errors.ts';
import { addonActive, CONTROLLED_SERVER_ID } from './addons.ts';

/** spy_call's refusals, by detail (exact strings of the public client). */
export const SPY_ERRORS = {
  role: 'You are not authorized to use this functionality',
  disabled: 'Chanspy is disabled',
  call: 'Active call was not found',
  device: 'No Spy Device assigned. Select it under User edit preferences.',
  virtual: 'Unable to spy virtual device',
  server: 'Spy Device is registered on different Server than this Call. Spying on this Call is not possible.',
  switch: 'Cannot connect to Asterisk Server',
} as const;

const refuse = (detail: keyof typeof SPY_ERRORS) =>
  new DomainError(detail === 'role' ? 'FORBIDDEN' : 'INVALID', detail, SPY_ERRORS[detail]);

export interface SpyStarted {
  spyDevice: string;
  channel: string;
}

/**
 * spy_call: the switch calls the caller's spy device and, once answered, lets it listen (ChanSpy,
 * listen-only) to the active call `activeCallId`. Answers as soon as the switch queued the call.
 * Checks in order: role (admin, reseller), Monitorings addon, the call in the caller's reach (the
 * admin: every call; a reseller: its own and its users'), the caller's spy device, a spy-able leg (not
 * a virtual device, not recorded), one server for both, and the switch's answer.
 */
export async function spyCall(ctx: Ctx, activeCallId: string | undefined): Promise<SpyStarted> {
  const { actor } = ctx;
  if (actor.usertype !== 'admin' && actor.usertype !== 'reseller') throw forbidden('spy_call', SPY_ERRORS.role);
  if (!(await addonActive(ctx, 'monitorings_addon'))) throw refuse('disabled');
  const id = activeCallId && /^\d{1,9}$/.test(activeCallId) ? Number(activeCallId) : -1;
  const [call] = await queryRows<{
    channel: string;
    serverId: number;
    virtual: boolean;
    recorded: boolean;
  }>(
    ctx.db,
    sql`select a.channel, a.server_id as "serverId", coalesce(d.device_type = 'Virtual', false) as virtual,
        coalesce(d.record = 1, false) as recorded
      from active_calls a left join devices d on d.id = a.src_device_id
      where a.id = ${id}::int
        ${actor.usertype === 'admin' ? sql`` : sql`and (a.user_id = ${actor.id}::int or a.reseller_id = ${actor.id}::int)`}`,
  );
  if (!call) throw refuse('call');
  const [spy] = await queryRows<{ name: string; tech: string; extension: string }>(
    ctx.db,
    sql`select d.name, d.device_type as tech, d.extension from users u join devices d on d.id = u.spy_device_id
      where u.id = ${actor.id}::int`,
  );
  if (!spy) throw refuse('device');
  if (call.virtual || call.recorded || !call.channel) throw refuse('virtual');
  if (call.serverId !== CONTROLLED_SERVER_ID) throw refuse('server');
  const control = ctx.ports?.callControl;
  if (!control) throw refuse('switch');
  try {
    await control.originate({
      channel: `${spy.tech}/${spy.name}`,
      callerId: `Spy <${spy.extension || spy.name}>`,
      application: 'ChanSpy',
      data: `${call.channel},qE`,
    });
  } catch (error) {
    ctx.log.warn('spy_call: origination failed', { error: String((error as Error)?.message ?? error) });
    throw refuse('switch');
  }
  await logAction(ctx, { action: 'spy_call', targetType: 'active_call', targetId: id, data: call.channel });
  return { spyDevice: spy.name, channel: call.channel };
}
