import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';
import { DomainError } from '../errors.ts';
import { addonActive, CONTROLLED_SERVER_ID } from './addons.ts';

/** callback_init's answers, by detail. */
export const CALLBACK_ERRORS = {
  addon: 'Access Denied',
  device: 'Bad device',
  source: 'No source',
  tariff: 'Bad tariff',
  lcr: 'Bad LCR',
  card: 'Bad card PIN',
  server: 'Server was not found',
  failed: 'Callback failed',
} as const;

const refuse = (detail: keyof typeof CALLBACK_ERRORS) => new DomainError('INVALID', detail, CALLBACK_ERRORS[detail]);

export interface CallbackInput {
  device?: string;
  src?: string;
  dst?: string;
  cliLegA?: string;
  cliLegB?: string;
  cardPin?: string;
  legaTariffId?: string;
  legaResellerTariffId?: string;
  legaLcrId?: string;
  serverId?: string;
  /** Answer a callback unique id linking both legs. */
  wantUniqueId?: boolean;
}

const idOf = (value: string | undefined) => (value && /^\d{1,9}$/.test(value) ? Number(value) : -1);
const given = (value: string | undefined) => value !== undefined && value !== '';

/**
 * callback_init: the switch calls `src` (leg A) for the caller's `device`; when it answers, `dst` (leg
 * B) is dialled, or without `dst` the source is asked for the number. Answers once the switch queued
 * the call (`Ok`), never waiting for anyone to answer. Checks in the page's order: Callback addon,
 * device owned by the caller (admin included), source, leg-A tariffs (retail tariffs of the caller's
 * realm), LCR (the realm's), calling card PIN (the realm's), server (openmor controls one, id 1), then
 * the switch.
 */
export async function callbackInit(ctx: Ctx, input: CallbackInput): Promise<{ uniqueId: string }> {
  const { actor } = ctx;
  if (!(await addonActive(ctx, 'callback_addon'))) throw refuse('addon');
  const [device] = await queryRows<{ id: number; callerid: string; name: string; tech: string }>(
    ctx.db,
    sql`select id, callerid, name, device_type as tech from devices
      where id = ${idOf(input.device)}::int and user_id = ${actor.id}::int`,
  );
  if (!device) throw refuse('device');
  if (!given(input.src)) throw refuse('source');
  const realm = actor.usertype === 'reseller' ? actor.id : actor.usertype === 'admin' ? 0 : actor.ownerId;
  for (const tariff of [input.legaTariffId, input.legaResellerTariffId]) {
    if (!given(tariff)) continue;
    const [ok] = await queryRows(
      ctx.db,
      sql`select 1 from tariffs where id = ${idOf(tariff)}::int and owner_id = ${realm}::int and purpose = 'user'`,
    );
    if (!ok) throw refuse('tariff');
  }
  if (given(input.legaLcrId)) {
    const [ok] = await queryRows(
      ctx.db,
      sql`select 1 from lcrs where id = ${idOf(input.legaLcrId)}::int and owner_id = ${realm}::int`,
    );
    if (!ok) throw refuse('lcr');
  }
  if (given(input.cardPin)) {
    const [ok] = await queryRows(
      ctx.db,
      sql`select 1 from cards where pin = ${input.cardPin}::text and owner_id = ${realm}::int and not hidden`,
    );
    if (!ok) throw refuse('card');
  }
  if (given(input.serverId) && idOf(input.serverId) !== CONTROLLED_SERVER_ID) throw refuse('server');
  const control = ctx.ports?.callControl;
  if (!control) throw refuse('failed');
  const now = ctx.clock().getTime();
  const uniqueId = `${now}.${crypto.getRandomValues(new Uint16Array(1))[0]}`;
  const variables: Record<string, string> = {
    MOR_CB_DEVICE_ID: String(device.id),
    MOR_CB_UNIQUEID: uniqueId,
    MOR_CB_DST: input.dst ?? '',
    MOR_CB_CLI_LEGB: input.cliLegB || device.callerid || input.src!,
  };
  if (given(input.cardPin)) variables.MOR_CB_CARD_PIN = input.cardPin!;
  if (given(input.legaTariffId)) variables.MOR_CB_LEGA_TARIFF_ID = input.legaTariffId!;
  if (given(input.legaResellerTariffId)) variables.MOR_CB_LEGA_RESELLER_TARIFF_ID = input.legaResellerTariffId!;
  if (given(input.legaLcrId)) variables.MOR_CB_LEGA_LCR_ID = input.legaLcrId!;
  try {
    await control.originate({
      channel: `Local/${input.src}@mor_callback_lega`,
      callerId: input.cliLegA || device.callerid || input.src,
      context: given(input.dst) ? 'mor_callback_legb' : 'mor_callback_ask_dst',
      exten: given(input.dst) ? input.dst : 's',
      priority: '1',
      variables,
    });
  } catch (error) {
    ctx.log.warn('callback_init: origination failed', { error: String((error as Error)?.message ?? error) });
    throw refuse('failed');
  }
  await logAction(ctx, {
    action: 'callback_init',
    targetType: 'device',
    targetId: device.id,
    data: `${input.src} -> ${input.dst ?? ''}`,
    data2: uniqueId,
  });
  return { uniqueId };
}
