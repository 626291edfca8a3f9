import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { dids } from '../../db/schema/dids.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { requireManager, requireRight } from '../devices/reach.ts';
import { invalid } from '../errors.ts';
import { RowId } from '../ids.ts';
import { didInRealm, resolveProvider } from './didAccess.ts';
import { giveDid } from './giveDid.ts';

const Value = v.optional(v.union([v.string(), v.number()]));

export const UpdateDidDetails = v.object({
  didId: RowId,
  callLimit: Value,
  /** A reseller (handed over), a simple user (reserved for it), or -1 (made free). */
  didUserId: Value,
  /** Unix seconds. */
  activeFrom: Value,
  activeTill: Value,
  graceTime: Value,
  language: Value,
  providerId: v.optional(RowId),
  customSipHeader: v.optional(v.string()),
  comment: v.optional(v.string()),
  resellerComment: v.optional(v.string()),
});
export type UpdateDidDetails = v.InferOutput<typeof UpdateDidDetails>;

type Set = Partial<typeof dids.$inferInsert>;
const whole = (x: string | number) => /^\d{1,9}$/.test(String(x));

/** did_details_update: validates, applies did_user_id, saves and writes an action-log row. */
export async function updateDidDetails(ctx: Ctx, input: UpdateDidDetails): Promise<void> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 2, 'Access Denied');
  await withTransaction(ctx, async (tx) => {
    const did = await didInRealm(tx, input.didId);
    const set: Set = {};
    const field = (value: string | number | undefined, name: string, apply: (s: string) => void, ok = whole) => {
      if (value === undefined) return;
      if (!ok(value)) throw invalid(name, `${name} is incorrect format`);
      apply(String(value));
    };
    field(input.callLimit, 'Call limit', (s) => (set.callLimit = +s));
    field(
      input.activeFrom,
      'Active from',
      (s) => (set.activeFrom = new Date(+s * 1000)),
      (x) => /^\d{1,11}$/.test(String(x)),
    );
    field(
      input.activeTill,
      'Active till',
      (s) => (set.activeTill = new Date(+s * 1000)),
      (x) => /^\d{1,11}$/.test(String(x)),
    );
    field(input.graceTime, 'Grace time', (s) => (set.graceTime = +s));
    field(
      input.language,
      'Language',
      (s) => (set.language = s.toLowerCase()),
      (x) => /^([a-z]{2})?$/i.test(String(x)),
    );
    if (input.providerId !== undefined) set.providerId = await resolveProvider(tx, input.providerId);
    if (input.customSipHeader !== undefined) set.customSipHeader = input.customSipHeader;
    if (input.comment !== undefined) set.comment = input.comment;
    if (input.resellerComment !== undefined) set.resellerComment = input.resellerComment;
    if (input.didUserId !== undefined) Object.assign(set, await giveDid(tx, did, String(input.didUserId)));
    if (Object.keys(set).length > 0) await tx.db.update(dids).set(set).where(eq(dids.id, did.id));
    await logAction(tx, {
      action: 'did_edited',
      targetType: 'did',
      targetId: did.id,
      data: did.did,
      data2: Object.keys(set).join(','),
    });
  });
}
