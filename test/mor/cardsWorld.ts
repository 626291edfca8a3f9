import type { CallOptions, TestApi } from '../helpers/app.ts';
import { XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createAccountant,
  createReseller,
  createResellerWithRights,
  createUser,
  setConflines,
} from '../helpers/factories.ts';

/** `<page><status><success>…` as openmor renders it. */
export const successXml = (message: string) =>
  `${XML_DECL}\n<page>\n  <status>\n    <success>${message}</success>\n  </status>\n</page>\n`;

export interface Caller {
  id: number;
  username: string;
  key: string;
  /** Calls a method as this account: `u` added, hash over `hashOf` with this account's key. */
  call(
    method: string,
    params?: Record<string, string>,
    hashOf?: readonly string[],
    options?: CallOptions,
  ): Promise<{ status: number; body: string; headers: Headers }>;
}

const callerOf = (api: TestApi, id: number, username: string, key: string): Caller => ({
  id,
  username,
  key,
  call: (method, params = {}, hashOf = [], options = {}) =>
    api.call(method, { u: username, ...params }, { hashOf, key, ...options }),
});

/** Every role, with and without the calling-card right; "API allow Payments" on. */
export async function cardCallers(api: TestApi) {
  const h = api.handle;
  const of = (row: { id: number; username: string }, key: string = TEST.apiSecretKey) =>
    callerOf(api, row.id, row.username, key);
  const world = {
    admin: callerOf(api, 0, TEST.adminUsername, TEST.apiSecretKey),
    /** Resellers with the Calling Cards flag, keys r1-key / r2-key. */
    r1: of(await createResellerWithRights(h, { calling_cards: 1 }, 'r1-key'), 'r1-key'),
    r2: of(await createResellerWithRights(h, { calling_cards: 1 }, 'r2-key'), 'r2-key'),
    /** A reseller whose group lacks Calling Cards. */
    rNo: of(await createReseller(h, 'rno-key'), 'rno-key'),
    /** Accountants: write + See Financial Data; read + financial; write without financial; nothing. */
    accW: of(await createAccountant(h, { calling_cards_manage: 2, see_financial_data: 1 })),
    accR: of(await createAccountant(h, { calling_cards_manage: 1, see_financial_data: 1 })),
    accNoFin: of(await createAccountant(h, { calling_cards_manage: 2 })),
    accNone: of(await createAccountant(h, {})),
    user: of(await createUser(h)),
  };
  await setConflines(h, 0, { allow_api_payments: '1' });
  api.changed();
  return world;
}

export type CardCallers = Awaited<ReturnType<typeof cardCallers>>;
