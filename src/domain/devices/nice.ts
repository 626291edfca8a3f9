import { sql } from 'drizzle-orm';

export interface DeviceNaming {
  deviceType: string;
  name: string;
  username: string;
  extension: string;
}

/**
 * Nice device (_devices-model §1.3): `TYPE/name`, the extension when the name is empty; with the
 * Hide-username rule always `TYPE/extension`.
 */
export function niceDevice(d: DeviceNaming, hide = false): string {
  return `${d.deviceType}/${hide ? d.extension : d.name || d.extension || d.username}`;
}

/**
 * Nice user as SQL over a users alias `u` joined to its address `a`: first and last name, trimmed,
 * else the username.
 */
export const niceUserSql = (u: string, a: string) =>
  sql.raw(
    `coalesce(nullif(trim(coalesce(${a}.first_name, '') || ' ' || coalesce(${a}.last_name, '')), ''), ${u}.username)`,
  );

/** `"name" <number>` as MOR stores a CallerID; empty when both parts are. */
export function formatCallerid(name: string, number: string): string {
  return name === '' && number === '' ? '' : `"${name}" <${number}>`;
}

/** The two parts of a stored CallerID (a bare value counts as the number). */
export function parseCallerid(value: string): { name: string; number: string } {
  const m = /^"(.*)"\s*<(.*)>$/.exec(value);
  return m ? { name: m[1] ?? '', number: m[2] ?? '' } : { name: '', number: value };
}
