import type { Usertype } from '../../db/schema/users.ts';

export type { Usertype };

import type { ApiSettings } from '../settings/catalogue.ts';

/** An account as the API pipeline needs it: identity, scope and permissions, no secrets. */
export interface Account {
  id: number;
  username: string;
  usertype: Usertype;
  ownerId: number;
  blocked: boolean;
  /** API permission group levels when "API restricted" is on; null = unrestricted. */
  apiLevels: Record<string, number> | null;
  /** Accountant / reseller permission group rights (right → 0 none, 1 read, 2 write). */
  rights: Record<string, number>;
  /** Reseller permission group flags or accountant rights group id. */
  accGroupId: number | null;
}

/** Whose API settings and secret key apply to a request (docs/pipeline.md §6, "Which secret key"). */
export interface KeyOwner {
  id: number;
  allowApi: boolean;
  apiSecretKey: string;
  disableHashChecking: boolean;
  /** Hash-checked methods need the HMAC signature (timestamp, nonce) instead of MOR's hash. */
  requireApiSignature: boolean;
}

/** Everything the pipeline checks before running a method, loaded in one round trip. */
export interface AuthInfo {
  settings: ApiSettings;
  /** IPv4 addresses / CIDR networks of Whitelisted IPs rows with "Allow API access". */
  apiWhitelist: string[];
  account: Account | null;
  /** The key owner for `account` (admin when there is no account). */
  keyOwner: KeyOwner;
  /** Always the admin's key scope (conflines_update hashes with it for every caller). */
  adminKey: KeyOwner;
}
