import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { devices } from '../../src/db/schema/devices.ts';
import { clientWith } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createUser } from '../helpers/factories.ts';
import { AT_ONCE, oneWins, ROUNDS, race } from './race.ts';

const api = useTestApp();
const admin = () => clientWith(api, TEST.adminToken);
let userId: number;

beforeAll(async () => {
  userId = (await createUser(api.handle)).id;
});

const devicesWith = async (column: 'extension' | 'username' | 'pin', value: string) =>
  (await api.handle.db.select({ n: count() }).from(devices).where(eq(devices[column], value)))[0]!.n;

// Extensions and usernames share one namespace across two columns, PINs have no unique index: the
// "taken" checks hold only under lockDeviceIdentities. Without it, on Postgres, 8 creates at once of
// one extension answered internal errors (8 of 40), updates to one extension 15 of 40, and 8 creates
// of one PIN made 4 devices with it per round.
describe('devices under concurrency', () => {
  it('creates one device per extension; the others answer "Extension is already used"', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const extension = `race${round}x`;
      const outcomes = await race(AT_ONCE, () => admin().devices.create.mutate({ userId, extension }));
      expect(outcomes.sort()).toEqual(
        oneWins(AT_ONCE, 'BAD_REQUEST: Device was not created: Extension is already used').sort(),
      );
      expect(await devicesWith('extension', extension)).toBe(1);
    }
  });

  it('gives an extension to one of several devices updated at once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < AT_ONCE; i++) ids.push((await admin().devices.create.mutate({ userId })).id);
    for (let round = 0; round < ROUNDS; round++) {
      const extension = `moved${round}x`;
      const outcomes = await race(AT_ONCE, (i) => admin().devices.update.mutate({ id: ids[i]!, extension }));
      expect(outcomes.sort()).toEqual(
        oneWins(AT_ONCE, 'BAD_REQUEST: Device was not updated: Extension is already used').sort(),
      );
      expect(await devicesWith('extension', extension)).toBe(1);
    }
  });

  it('gives a PIN to one device of several created at once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const pin = `4${round}4${round}4`;
      const outcomes = await race(AT_ONCE, () => admin().devices.create.mutate({ userId, pin }));
      expect(outcomes.sort()).toEqual(oneWins(AT_ONCE, 'BAD_REQUEST: Pin is already used').sort());
      expect(await devicesWith('pin', pin)).toBe(1);
    }
  });
});
