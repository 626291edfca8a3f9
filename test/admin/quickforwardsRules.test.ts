// Quickforwards rules and dial plans through the admin API: everything quickforwards_dids_get reads
// (rules, Quickforwards dial plans, the DIDs in them, the user's rule) can be made without SQL.
import { describe, expect, it } from 'vitest';
import { callerAs, trpcError } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import { createReseller, createUser, insertDid } from '../helpers/factories.ts';

const api = useTestApp();

describe('quickforwardsRules and dialplans (tRPC)', () => {
  it('builds a Quickforwards setup the user then sees; refuses bad rules, deletes in use, other realms', async () => {
    const admin = await callerAs(api, TEST.adminUsername);
    const user = await createUser(api.handle);
    const did = await insertDid(api.handle, { did: '37060000001' });
    const other = await insertDid(api.handle, { did: '37160000002' });

    const rule = await admin.quickforwardsRules.create({ name: 'Lithuania', rule: '3706%' });
    expect(rule).toMatchObject({ name: 'Lithuania', rule: '3706%', ownerId: 0 });
    expect((await trpcError(() => admin.quickforwardsRules.create({ name: 'bad', rule: '37a' }))).code).toBe(
      'BAD_REQUEST',
    );
    const plan = await admin.dialplans.create({ name: 'QF' });
    expect(plan).toMatchObject({ dptype: 'quickforwarddids', ownerId: 0 });
    await admin.dialplans.addDid({ id: plan.id, didId: did.id });
    await admin.dialplans.addDid({ id: plan.id, didId: other.id });
    await admin.users.update({ id: user.id, quickforwardsRuleId: rule.id });

    // What quickforwards_dids_get answers the user: the DIDs of the plan its rule matches.
    const asUser = await callerAs(api, user.username);
    expect(await asUser.quickforwards.list()).toEqual([{ did: '37060000001', forwardTo: '', description: '' }]);
    await admin.quickforwardsRules.update({ id: rule.id, rule: '3716%' });
    expect((await asUser.quickforwards.list()).map((d) => d.did)).toEqual(['37160000002']);
    expect((await admin.dialplans.list()).find((p) => p.id === plan.id)?.dids).toBe(2);

    // In use: neither the rule nor the plan goes; a DID already in a plan is not free.
    expect((await trpcError(() => admin.quickforwardsRules.delete({ id: rule.id }))).code).toBe('CONFLICT');
    expect((await trpcError(() => admin.dialplans.delete({ id: plan.id }))).code).toBe('CONFLICT');
    const second = await admin.dialplans.create({ name: 'QF2' });
    expect((await trpcError(() => admin.dialplans.addDid({ id: second.id, didId: did.id }))).code).toBe('CONFLICT');

    // Another realm: a reseller sees neither the admin's rules nor its plans, and may not use its DIDs.
    const reseller = await createReseller(api.handle, 'qf-reseller-key');
    const asReseller = await callerAs(api, reseller.username);
    expect(await asReseller.quickforwardsRules.list()).toEqual([]);
    expect((await trpcError(() => asReseller.quickforwardsRules.get({ id: rule.id }))).code).toBe('NOT_FOUND');
    const own = await asReseller.dialplans.create({ name: 'mine' });
    expect(own.ownerId).toBe(reseller.id);
    expect((await trpcError(() => asReseller.dialplans.addDid({ id: plan.id, didId: did.id }))).code).toBe('NOT_FOUND');
    expect((await trpcError(() => asUser.quickforwardsRules.list())).code).toBe('FORBIDDEN');

    // Emptied, both can go.
    await admin.dialplans.removeDid({ id: plan.id, didId: did.id });
    await admin.dialplans.removeDid({ id: plan.id, didId: other.id });
    await admin.dialplans.delete({ id: plan.id });
    await admin.users.update({ id: user.id, quickforwardsRuleId: null });
    expect(await admin.quickforwardsRules.delete({ id: rule.id })).toEqual({ id: rule.id });
    expect(await admin.quickforwardsRules.list()).toEqual([]);
  });
});
