import { eq } from 'drizzle-orm';
import * as v from 'valibot';
import { callerids } from '../../db/schema/clis.ts';
import type { Ctx } from '../ctx.ts';
import { DIGITS } from '../devices/deviceRules.ts';
import { requireManager, requireRight } from '../devices/reach.ts';
import { invalid, notFound } from '../errors.ts';
import { findCli } from './findCli.ts';

export const GetCliInfo = v.object({ number: v.optional(v.string()), domain: v.optional(v.string()) });
export type GetCliInfo = v.InferOutput<typeof GetCliInfo>;

/** cli_info_get: the user and device a CLI (by number, else by domain) authenticates. */
export async function getCliInfo(ctx: Ctx, input: GetCliInfo): Promise<{ userId: number; deviceId: number }> {
  requireManager(ctx.actor);
  requireRight(ctx.actor, 'devices_manage', 1);
  const number = input.number?.trim() ?? '';
  if (number === '' && !input.domain) throw invalid('cli_empty', 'CLI is empty');
  const cli =
    number !== ''
      ? DIGITS.test(number)
        ? await findCli(ctx, eq(callerids.cli, number))
        : undefined
      : await findCli(ctx, eq(callerids.domain, input.domain ?? ''));
  if (!cli) throw notFound('cli', 'CLI not found');
  return { userId: cli.userId, deviceId: cli.deviceId };
}
