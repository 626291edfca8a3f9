import { integrityDevices as devicesIntegrity } from '../../domain/integrity/devices.ts';
import { authed } from '../trpc.ts';

/** Integrity Check, device rows: weak passwords and insecure devices, each with its user and owner. */
export const integrityDevices = authed.query(({ ctx }) => devicesIntegrity(ctx.ctx));
