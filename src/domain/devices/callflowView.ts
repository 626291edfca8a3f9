import { eq, inArray, sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { callflows, devices } from '../../db/schema/devices.ts';
import type { Account } from '../auth/types.ts';
import type { Ctx } from '../ctx.ts';
import { forbidden } from '../errors.ts';
import type { Device } from './findDevice.ts';
import { niceDevice, niceUserSql } from './nice.ts';
import { hidesUsernames, NO_FUNCTIONALITY, requireRight } from './reach.ts';

/** Call-flow states in the order MOR lists them, with their display names. */
export const CALLFLOW_STATES = {
  before_call: 'Before call',
  call: 'Call',
  answered: 'Answered',
  no_answer: 'No answer',
  busy: 'Busy',
  failed: 'Failed',
} as const;
export type CallflowState = keyof typeof CALLFLOW_STATES;
const ACTION_NAMES: Record<string, string> = {
  empty: '',
  forward: 'Forward',
  voicemail: 'Voicemail',
  fax_detect: 'Fax detect',
};

export interface CallflowEntry {
  state: string;
  priority: number;
  action: string;
  data: string;
  data2: string;
  data3: number;
  data4: string;
  data5: string;
}
export interface CallflowView {
  user: string;
  device: string;
  callflows: CallflowEntry[];
}

/**
 * Who may read (level 1) or change (level 2) call flows: admin; accountants with Devices; resellers
 * whose permission group has PBX functions; simple users (for their own devices, by reach).
 */
export function requireCallflowAccess(actor: Account, level: 1 | 2) {
  if (actor.usertype === 'accountant') requireRight(actor, 'devices_manage', level);
  else if (actor.usertype === 'reseller' && (actor.rights.pbx_functions ?? 0) < 1)
    throw forbidden('pbx', NO_FUNCTIONALITY);
  else if (!['admin', 'accountant', 'reseller', 'user'].includes(actor.usertype))
    throw forbidden('role', NO_FUNCTIONALITY);
}

/** The call flow of `device` as device_callflow_get shows it (`only` = one state). */
export async function callflowView(ctx: Ctx, device: Device, only?: CallflowState): Promise<CallflowView> {
  const hide = await hidesUsernames(ctx);
  const rows = await ctx.db.select().from(callflows).where(eq(callflows.deviceId, device.id));
  const refs = rows
    .filter((r) => (r.action === 'forward' && r.data2 === 'local') || r.action === 'fax_detect')
    .map((r) => Number(r.data))
    .filter(Number.isSafeInteger);
  const targets = refs.length ? await ctx.db.select().from(devices).where(inArray(devices.id, refs)) : [];
  const named = new Map(targets.map((t) => [String(t.id), niceDevice(t, hide)]));
  const [owner] = await queryRows<{ nice: string }>(
    ctx.db,
    sql`select ${niceUserSql('u', 'a')} as nice from users u left join addresses a on a.id = u.address_id
        where u.id = ${device.userId}`,
  );
  const self = niceDevice(device, hide);
  const states = (Object.keys(CALLFLOW_STATES) as CallflowState[]).filter((s) => !only || s === only);
  return {
    user: owner?.nice ?? '',
    device: self,
    callflows: states.map((state) => {
      const base = { state: CALLFLOW_STATES[state], priority: 1, data2: '', data3: 1, data4: '', data5: '' };
      if (state === 'call') return { ...base, action: 'Dial', data: `${self}|${device.timeout}` };
      if (state === 'answered') return { ...base, action: 'Hangup', data: '' };
      const row = rows.find((r) => r.cfType === state);
      if (!row) return { ...base, action: '', data: '' };
      const data =
        row.action === 'voicemail' || row.action === 'empty'
          ? ''
          : row.action === 'forward' && row.data2 !== 'local'
            ? row.data
            : (named.get(row.data) ?? row.data);
      const { priority, data2, data3, data4, data5 } = row;
      return { ...base, priority, action: ACTION_NAMES[row.action] ?? row.action, data, data2, data3, data4, data5 };
    }),
  };
}
