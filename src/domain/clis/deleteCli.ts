import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { callerids } from '../../db/schema/clis.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { requireManager, requireRight } from '../devices/reach.ts';
import { notFound } from '../errors.ts';
import { findCli } from './findCli.ts';

export const DeleteCli = v.object({
  /** Exact CLI number; `domain` addresses a domain-only CLI. */
  number: v.optional(v.string()),
  domain: v.optional(v.string()),
});
export type DeleteCli = v.InferOutput<typeof DeleteCli>;

/** cli_delete: removes a CLI of a device within reach. */
export async function deleteCli(ctx: Ctx, input: DeleteCli): Promise<void> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 2);
  await withTransaction(ctx, async (tx) => {
    const where = input.number
      ? eq(callerids.cli, input.number)
      : input.domain
        ? eq(callerids.domain, input.domain)
        : undefined;
    const cli = where && (await findCli(tx, where));
    if (!cli) throw notFound('cli', 'CLI was not found');
    await tx.db.delete(callerids).where(eq(callerids.id, cli.id));
    await logAction(tx, { action: 'cli_deleted', targetType: 'cli', targetId: cli.id, data: cli.cli });
  });
}
