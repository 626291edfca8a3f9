import { beforeAll, describe, expect, it } from 'vitest';
import { USER_DETAILS_UPDATE_HASH } from '../../src/domain/users/detailsParams.ts';
import { callerAs } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import {
  createCardGroup,
  createDestinationGroup,
  createLcr,
  createLocation,
  createQuickforwardsRule,
  createResellerWithRights,
  createTariff,
  createUser,
  insertCard,
  insertDevice,
  setConflines,
} from '../helpers/factories.ts';

/**
 * Every id a create/update input points at (issue #10 §4): as reseller A, the other reseller's object
 * answers exactly like a missing id (same code and string), and nothing is saved; A's own object is
 * accepted (so the row proves the check, not a schema error).
 */
const api = useTestApp();
const MISSING = 999_999;
let A: { id: number; username: string };
let B: { id: number; username: string };
let userA: { id: number; username: string };
let userB: { id: number; username: string };
let seq = 0;

type Outcome = string;
const outcome = (p: Promise<unknown>): Promise<Outcome> =>
  p.then(
    () => 'ok',
    (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
  );
const xmlOutcome = (p: Promise<{ body: string }>) =>
  p.then((r) => (/<error>([^<]*)<\/error>/.exec(r.body)?.[1] ?? 'ok') as Outcome);

interface Row {
  name: string;
  /** Runs the call pointing at `id`. */
  run: (id: number) => Promise<Outcome>;
  /** An object of A's own realm, then one of B's. */
  mine: () => Promise<number>;
  /** What A's own object answers when not `ok` (a later rule of the call, past the reference). */
  mineAnswer?: string;
  theirs: () => Promise<number>;
}

const trpcA = () => callerAs(api, A.username);
const xmlA = (method: string, params: Record<string, string>, hashOf: readonly string[]) =>
  xmlOutcome(api.call(method, { u: A.username, ...params }, { hashOf, key: 'ref-a-key' }));
const detailsUpdate = (params: Record<string, string>) =>
  xmlA(
    'user_details_update',
    params,
    USER_DETAILS_UPDATE_HASH.filter((n) => n in params),
  );

const deviceOf = async (userId: number) => (await insertDevice(api.handle, userId)).id;
const lcrOf = async (owner: number) => (await createLcr(api.handle, owner)).id;
const tariffOf = async (owner: number) => (await createTariff(api.handle, { purpose: 'user', ownerId: owner })).id;
const ruleOf = async (owner: number) => (await createQuickforwardsRule(api.handle, owner, `37${++seq}`)).id;
const locationOf = async (owner: number) => (await createLocation(api.handle, owner)).id;
const groupOf = async (owner: number) => (await createCardGroup(api.handle, { ownerId: owner })).id;
const userOf = async (owner: number) => (await createUser(api.handle, { ownerId: owner })).id;

const ROWS: Row[] = [
  // users.update / user_details_update on A's user, and users.create for A.
  ...(
    [
      ['spyDeviceId', 'u7', () => deviceOf(userA.id), () => deviceOf(userB.id)],
      ['lcrId', 'u1', () => lcrOf(A.id), () => lcrOf(B.id)],
      ['tariffId', 'u5', () => tariffOf(A.id), () => tariffOf(B.id)],
      ['quickforwardsRuleId', 'u16', () => ruleOf(A.id), () => ruleOf(B.id)],
    ] as const
  ).flatMap(([field, param, mine, theirs]): Row[] => [
    {
      name: `users.update ${field}`,
      run: async (id) => outcome((await trpcA()).users.update({ id: userA.id, [field]: id })),
      mine,
      theirs,
    },
    {
      name: `users.create ${field}`,
      run: async (id) =>
        outcome((await trpcA()).users.create({ username: `ref_${++seq}`, password: 'Passw0rd!x', [field]: id })),
      mine,
      theirs,
    },
    {
      name: `user_details_update ${param}`,
      run: (id) => detailsUpdate({ user_id: String(userA.id), [param]: String(id) }),
      mine,
      theirs,
    },
  ]),
  {
    name: 'devices.create userId',
    run: async (id) => outcome((await trpcA()).devices.create({ userId: id })),
    mine: () => userOf(A.id),
    theirs: () => userOf(B.id),
  },
  {
    name: 'devices.update newLocationId',
    run: async (id) => outcome((await trpcA()).devices.update({ id: await deviceOf(userA.id), newLocationId: id })),
    mine: () => locationOf(A.id),
    theirs: () => locationOf(B.id),
  },
  {
    name: 'devices.updateCallflow forwardToDevice',
    run: async (id) =>
      outcome(
        (await trpcA()).devices.updateCallflow({
          id: await deviceOf(userA.id),
          state: 'busy',
          action: 'forward',
          forwardToDevice: id,
        }),
      ),
    mine: () => deviceOf(userA.id),
    theirs: () => deviceOf(userB.id),
  },
  {
    name: 'clis.add deviceId',
    run: async (id) => outcome((await trpcA()).clis.add({ deviceId: id, number: `3706${++seq}` })),
    mine: () => deviceOf(userA.id),
    theirs: () => deviceOf(userB.id),
  },
  {
    name: 'phonebooks.create userId',
    run: async (id) =>
      outcome(
        (await trpcA()).phonebooks.create({
          userId: id,
          number: `3706${++seq}`,
          name: 'n',
          speeddial: String(10 + seq),
        }),
      ),
    mine: () => userOf(A.id),
    theirs: () => userOf(B.id),
  },
  {
    name: 'cardGroups.create tariffId',
    run: async (id) => outcome((await trpcA()).cardGroups.create({ name: `g${++seq}`, tariffId: id })),
    mine: () => tariffOf(A.id),
    theirs: () => tariffOf(B.id),
  },
  {
    name: 'cardGroups.create lcrId',
    run: async (id) => outcome((await trpcA()).cardGroups.create({ name: `g${++seq}`, lcrId: id })),
    mine: () => lcrOf(A.id),
    theirs: () => lcrOf(B.id),
  },
  {
    name: 'cardGroups.create locationId',
    run: async (id) => outcome((await trpcA()).cardGroups.create({ name: `g${++seq}`, locationId: id })),
    mine: () => locationOf(A.id),
    theirs: () => locationOf(B.id),
  },
  {
    name: 'cards.createBatch cardGroupId',
    run: async (id) =>
      outcome(
        (await trpcA()).cards.createBatch({
          cardGroupId: id,
          cardsFrom: String(5_000_000_000 + ++seq * 10),
          cardsTill: String(5_000_000_000 + seq * 10),
        }),
      ),
    mine: () => groupOf(A.id),
    theirs: () => groupOf(B.id),
  },
  {
    name: 'cards.update distributorId',
    run: async (id) => {
      const group = await createCardGroup(api.handle, { ownerId: A.id });
      const card = await insertCard(api.handle, group, {
        number: String(6_000_000_000 + ++seq),
        pin: String(600_000 + seq),
      });
      return outcome((await trpcA()).cards.update({ id: card.id, distributorId: id }));
    },
    mine: () => userOf(A.id),
    theirs: () => userOf(B.id),
  },
  {
    name: 'cards.byCli cardGroupId',
    run: async (id) => outcome((await trpcA()).cards.byCli({ callerid: `3707${++seq}`, amount: '1', cardGroupId: id })),
    mine: () => groupOf(A.id),
    theirs: () => groupOf(B.id),
  },
  {
    name: 'customRates.set userId',
    run: async (id) => {
      const group = await createDestinationGroup(api.handle, `dg${++seq}`);
      return outcome(
        (await trpcA()).customRates.set({ userId: id, destinationGroupId: group.id, bands: [{ price: '1' }] }),
      );
    },
    mine: () => userOf(A.id),
    mineAnswer: 'BAD_REQUEST: Custom rates need a user on a retail tariff',
    theirs: () => userOf(B.id),
  },
];

beforeAll(async () => {
  const h = api.handle;
  const rights = { calling_cards: 1, pbx_functions: 1 };
  A = await createResellerWithRights(h, rights, 'ref-a-key');
  B = await createResellerWithRights(h, rights, 'ref-b-key');
  userA = await createUser(h, { ownerId: A.id });
  userB = await createUser(h, { ownerId: B.id });
  await setConflines(h, 0, { allow_api_payments: '1' });
  api.changed();
});

describe('every referenced id is checked against the caller realm, foreign = missing (issue #10 §4)', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const mine = await row.run(await row.mine());
    const theirs = await row.run(await row.theirs());
    const missing = await row.run(MISSING);
    expect(theirs).not.toBe('ok');
    expect(theirs).toBe(missing);
    expect(mine).toBe(row.mineAnswer ?? 'ok');
  });
});
