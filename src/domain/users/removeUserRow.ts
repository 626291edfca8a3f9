import { eq } from 'drizzle-orm';
import { numberPoolUsers } from '../../db/schema/pools.ts';
import { adminTokens, conflines } from '../../db/schema/settings.ts';
import { addresses, sessions, taxes, users } from '../../db/schema/users.ts';
import { logAction } from '../actions/logAction.ts';
import type { Ctx } from '../ctx.ts';

/**
 * The end every user deletion shares (tRPC users.delete and XML user_delete, each after its own
 * refusal rules): sessions, tokens and own settings and number pool list assignments go, accounts it was responsible accountant for are
 * unassigned, the row, its address and its taxes are deleted, and the action log records it.
 */
export async function removeUserRow(
  tx: Ctx,
  user: { id: number; username: string; addressId: number | null; taxId: number | null },
  data2?: string,
): Promise<void> {
  await tx.db.delete(sessions).where(eq(sessions.userId, user.id));
  await tx.db.delete(adminTokens).where(eq(adminTokens.userId, user.id));
  await tx.db.delete(conflines).where(eq(conflines.ownerId, user.id));
  await tx.db.delete(numberPoolUsers).where(eq(numberPoolUsers.userId, user.id));
  await tx.db.update(users).set({ responsibleAccountantId: null }).where(eq(users.responsibleAccountantId, user.id));
  await tx.db.delete(users).where(eq(users.id, user.id));
  if (user.addressId) await tx.db.delete(addresses).where(eq(addresses.id, user.addressId));
  if (user.taxId) await tx.db.delete(taxes).where(eq(taxes.id, user.taxId));
  await logAction(tx, { action: 'user_deleted', targetType: 'user', targetId: user.id, data: user.username, data2 });
}
