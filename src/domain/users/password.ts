import { hashPassword } from '../crypto.ts';

/** Passwords shorter than this are weak (the same threshold devices use, _devices-model §8). */
export const WEAK_PASSWORD_BELOW = 8;

/**
 * Integrity Check "Users with weak password" rule (_finance-model §12, a decision): a password is weak
 * when it is empty, equal to the username (ignoring case), or shorter than 8 characters. Evaluated
 * when the password is set, because only a hash is kept afterwards.
 */
export function isWeakPassword(username: string, password: string): boolean {
  return (
    password.length < WEAK_PASSWORD_BELOW || password.toLowerCase() === username.toLowerCase() || password.trim() === ''
  );
}

/** The users columns that store a new password: its PBKDF2 hash and the weak flag. */
export async function passwordColumns(username: string, password: string) {
  return { password: await hashPassword(password), passwordWeak: isWeakPassword(username, password) };
}
