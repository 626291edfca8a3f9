import type { CallOptions, TestApi } from '../helpers/app.ts';
import { createAccountant, createReseller, createUser } from '../helpers/factories.ts';

/** Test accounts of the devices family: two resellers with a user each, admin's user, accountants. */
export interface World {
  resellerA: Awaited<ReturnType<typeof createReseller>>;
  resellerB: Awaited<ReturnType<typeof createReseller>>;
  userA: Awaited<ReturnType<typeof createUser>>;
  userB: Awaited<ReturnType<typeof createUser>>;
  adminUser: Awaited<ReturnType<typeof createUser>>;
  /** Accountant with Devices and Manage DIDs (write) and Users (write). */
  accountant: Awaited<ReturnType<typeof createUser>>;
  /** Accountant without any right. */
  accountantNone: Awaited<ReturnType<typeof createUser>>;
  /** Accountant with read-only rights. */
  accountantRead: Awaited<ReturnType<typeof createUser>>;
}

export const KEY_A = 'reseller-a-key';
export const KEY_B = 'reseller-b-key';

export async function makeWorld(api: TestApi): Promise<World> {
  const resellerA = await createReseller(api.handle, KEY_A);
  const resellerB = await createReseller(api.handle, KEY_B);
  const world: World = {
    resellerA,
    resellerB,
    userA: await createUser(api.handle, { ownerId: resellerA.id }),
    userB: await createUser(api.handle, { ownerId: resellerB.id }),
    adminUser: await createUser(api.handle),
    accountant: await createAccountant(api.handle, { devices_manage: 2, dids_manage: 2, users_manage: 2 }),
    accountantNone: await createAccountant(api.handle, {}),
    accountantRead: await createAccountant(api.handle, { devices_manage: 1, dids_manage: 1, users_manage: 1 }),
  };
  api.changed();
  return world;
}

/** The API key an account hashes with: its reseller's (or its own, for a reseller), else the admin's. */
export function keyOf(world: World, username: string): string | undefined {
  if (username === world.resellerA.username || username === world.userA.username) return KEY_A;
  if (username === world.resellerB.username || username === world.userB.username) return KEY_B;
  return undefined;
}

/** Calls `method` as `u`, hashing `hashOf` with the right key. */
export function callAs(api: TestApi, world: World) {
  return (
    method: string,
    u: string,
    params: Record<string, string>,
    hashOf: readonly string[],
    options: CallOptions = {},
  ) => api.call(method, { u, ...params }, { hashOf, key: keyOf(world, u), ...options }).then((r) => r.body);
}

export const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
/** `<page><status>TEXT</status></page>`. */
export const pageStatusXml = (text: string) => `${DECL}\n<page>\n  <status>${text}</status>\n</page>\n`;
/** `<page><status><success>TEXT</success></status></page>`. */
export const pageSuccessXml = (text: string) =>
  `${DECL}\n<page>\n  <status>\n    <success>${text}</success>\n  </status>\n</page>\n`;
