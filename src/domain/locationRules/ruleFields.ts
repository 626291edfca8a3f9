import { eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { queryRows } from '../../db/rows.ts';
import { devices, locationGroups } from '../../db/schema/devices.ts';
import { dids } from '../../db/schema/dids.ts';
import { lcrs } from '../../db/schema/lcrs.ts';
import { tariffs } from '../../db/schema/rating.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { duplicateRule, type LocationRuleRow } from './locationAccess.ts';

const Text = v.optional(v.pipe(v.string(), v.maxLength(255)));
/** Rule fields as sent (text, like the XML parameters); absent = default (create) or unchanged (update). */
export const LocationRuleFields = v.object({
  name: Text,
  enabled: Text,
  lrType: Text,
  cut: Text,
  add: Text,
  minlen: Text,
  maxlen: Text,
  srcCut: Text,
  srcAdd: Text,
  srcMinlen: Text,
  srcMaxlen: Text,
  tariffId: Text,
  lcrId: Text,
  didId: Text,
  deviceId: Text,
  changeCalleridName: Text,
  locationGroupId: Text,
  dstLocationgroupId: Text,
});
export type LocationRuleFields = v.InferOutput<typeof LocationRuleFields>;

export const LR_TYPES = ['dst', 'src', 'combined'] as const;
const INT = /^\d{1,9}$/;
const BIT = /^[01]$/;

/** The columns of a new rule before the sent fields apply. */
export const RULE_DEFAULTS: Required<
  Pick<
    LocationRuleRow,
    | 'name'
    | 'enabled'
    | 'lrType'
    | 'cut'
    | 'add'
    | 'minlen'
    | 'maxlen'
    | 'srcCut'
    | 'srcAdd'
    | 'srcMinlen'
    | 'srcMaxlen'
    | 'tariffId'
    | 'lcrId'
    | 'didId'
    | 'deviceId'
    | 'changeCalleridName'
    | 'locationgroupId'
    | 'dstLocationgroupId'
  >
> = {
  name: '',
  enabled: 1,
  lrType: 'dst',
  cut: '',
  add: '',
  minlen: 1,
  maxlen: 99,
  srcCut: '',
  srcAdd: '',
  srcMinlen: 1,
  srcMaxlen: 99,
  tariffId: null,
  lcrId: null,
  didId: null,
  deviceId: null,
  changeCalleridName: 0,
  locationgroupId: 0,
  dstLocationgroupId: null,
};
export type RuleValues = typeof RULE_DEFAULTS;

/**
 * Applies the sent fields to `current` (defaults on create, the stored rule on update) and checks the
 * result for a location of `ownerId`; first failure wins, in this order: name, cut/add, tariff, LCR,
 * DID, device, location group, lengths and flags (`otherwise`), uniqueness within the location. An id
 * of `-1` unassigns (update). Answers the complete values to store.
 */
export async function checkRule(
  ctx: Ctx,
  f: LocationRuleFields,
  current: RuleValues,
  target: { locationId: number; ownerId: number; exceptId?: number },
  otherwise: string,
): Promise<RuleValues> {
  const out: RuleValues = { ...current };
  const text = (value: string | undefined, set: (s: string) => void) => {
    if (value !== undefined) set(value);
  };
  text(f.name, (s) => {
    out.name = s.trim();
  });
  text(f.cut, (s) => {
    out.cut = s;
  });
  text(f.add, (s) => {
    out.add = s;
  });
  text(f.srcCut, (s) => {
    out.srcCut = s;
  });
  text(f.srcAdd, (s) => {
    out.srcAdd = s;
  });
  if (out.name === '') throw invalid('name', 'Rule must have name');
  if (out.cut === '' && out.add === '' && out.srcCut === '' && out.srcAdd === '')
    throw invalid('cut_add', 'Cut and Add cannot be empty');

  const ref = (value: string | undefined): number | null | undefined | 'bad' => {
    if (value === undefined) return undefined;
    if (value === '' || value === '-1') return null;
    return INT.test(value) && Number(value) > 0 ? Number(value) : 'bad';
  };
  const owner = target.ownerId;
  const tariff = ref(f.tariffId);
  if (tariff !== undefined) {
    const [row] =
      typeof tariff === 'number'
        ? await ctx.db
            .select({ ownerId: tariffs.ownerId, purpose: tariffs.purpose })
            .from(tariffs)
            .where(eq(tariffs.id, tariff))
            // Held until the rule is written: a concurrent tariff delete waits, then sees the rule.
            .for('key share')
        : [];
    if (tariff === 'bad' || (tariff !== null && (!row || row.ownerId !== owner || row.purpose === 'provider')))
      throw invalid('tariff', 'Tariff was not found');
    out.tariffId = tariff;
  }
  const lcr = ref(f.lcrId);
  if (lcr !== undefined) {
    const [row] =
      typeof lcr === 'number'
        ? // Held until the rule is written: a concurrent lcr_delete waits, then sees the rule.
          await ctx.db.select({ ownerId: lcrs.ownerId }).from(lcrs).where(eq(lcrs.id, lcr)).for('key share')
        : [];
    if (lcr === 'bad' || (lcr !== null && !row)) throw invalid('lcr', 'LCR was not found');
    if (row && row.ownerId !== owner) throw invalid('lcr', 'Cannot assign lcr');
    out.lcrId = lcr;
  }
  const did = ref(f.didId);
  if (did !== undefined) {
    const [row] =
      typeof did === 'number'
        ? await ctx.db.select({ resellerId: dids.resellerId }).from(dids).where(eq(dids.id, did))
        : [];
    if (did === 'bad' || (did !== null && !row)) throw invalid('did', 'DID was not found');
    if (row && owner !== 0 && row.resellerId !== owner) throw invalid('did', 'Cannot assign did');
    out.didId = did;
  }
  const device = ref(f.deviceId);
  if (device !== undefined) {
    const [row] =
      typeof device === 'number'
        ? await queryRows<{ owner_id: number | null; user_id: number }>(
            ctx.db,
            sql`select u.owner_id, d.user_id from ${devices} d left join users u on u.id = d.user_id where d.id = ${device}::int`,
          )
        : [];
    if (device === 'bad' || (device !== null && !row)) throw invalid('device', 'Device not found');
    if (row && (row.owner_id === null || (row.owner_id !== owner && row.user_id !== owner)))
      throw invalid('device', 'Cannot assign device');
    out.deviceId = device;
  }
  const group = f.locationGroupId === '0' ? null : ref(f.locationGroupId);
  if (group !== undefined) {
    const [row] =
      typeof group === 'number'
        ? await ctx.db
            .select({ ownerId: locationGroups.ownerId })
            .from(locationGroups)
            .where(eq(locationGroups.id, group))
            // Held until the rule is written: a concurrent group delete waits, then sees the rule.
            .for('key share')
        : [];
    // A group of the location's owner; another owner's is answered like a missing one.
    if (group === 'bad' || (group !== null && (!row || row.ownerId !== owner)))
      throw invalid('location_group', 'Location Group was not found');
    out.locationgroupId = group ?? 0;
  }

  const fail = () => invalid('rule', otherwise);
  const int = (value: string | undefined, set: (n: number) => void) => {
    if (value === undefined) return;
    if (!INT.test(value)) throw fail();
    set(Number(value));
  };
  const bit = (value: string | undefined, set: (n: number) => void) => {
    if (value === undefined) return;
    if (!BIT.test(value)) throw fail();
    set(Number(value));
  };
  if (f.lrType !== undefined) {
    if (!(LR_TYPES as readonly string[]).includes(f.lrType)) throw fail();
    out.lrType = f.lrType;
  }
  int(f.minlen, (n) => {
    out.minlen = n;
  });
  int(f.maxlen, (n) => {
    out.maxlen = n;
  });
  int(f.srcMinlen, (n) => {
    out.srcMinlen = n;
  });
  int(f.srcMaxlen, (n) => {
    out.srcMaxlen = n;
  });
  bit(f.enabled, (n) => {
    out.enabled = n;
  });
  bit(f.changeCalleridName, (n) => {
    out.changeCalleridName = n;
  });
  if (f.dstLocationgroupId !== undefined) {
    if (f.dstLocationgroupId === '') out.dstLocationgroupId = null;
    else if (INT.test(f.dstLocationgroupId)) out.dstLocationgroupId = Number(f.dstLocationgroupId);
    else throw fail();
  }
  if (out.minlen > out.maxlen || out.srcMinlen > out.srcMaxlen) throw fail();
  if (await duplicateRule(ctx, target.locationId, out, target.exceptId)) throw invalid('unique', 'Rule must be unique');
  return out;
}
