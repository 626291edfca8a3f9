import * as v from 'valibot';
import { integrityDestinations } from '../../domain/integrity/destinations.ts';
import { UnratedCalls, unratedCalls } from '../../domain/integrity/unratedCalls.ts';
import { usersIntegrity } from '../../domain/integrity/users.ts';
import { strict } from '../input.ts';
import { authed, router } from '../trpc.ts';
import { integrityDevices } from './integrityDevices.ts';

/** SETTINGS → Setup → Integrity Check (admin only; advisory). */
export const integrityRouter = router({
  /** Users with weak passwords, postpaid users allowed loss calls, such Default Users. */
  users: authed.query(({ ctx }) => usersIntegrity(ctx.ctx)),
  /** Destinations in no (or a missing) destination group, with the group matching by name. */
  destinations: authed.query(({ ctx }) => integrityDestinations(ctx.ctx)),
  /** Devices with weak passwords and insecure devices, each with its user and the user's owner. */
  devices: integrityDevices,
  /** Answered calls stored at no cost (no tariff, or no rate for the number), per user, in the last `days`. */
  unratedCalls: authed
    .input(strict(v.optional(UnratedCalls, {})))
    .query(({ ctx, input }) => unratedCalls(ctx.ctx, input)),
});
