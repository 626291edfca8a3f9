import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import { logAction } from '../actions/logAction.ts';
import { type Ctx, withTransaction } from '../ctx.ts';
import { campaignInReach, requireAutodialer } from './access.ts';

/** Numbers inserted per statement: bounded parameters and memory whatever the file's size. */
const CHUNK = 5000;

/** Lines of a text stream, decoded as UTF-8, without their line ends. */
export async function* linesOf(stream: ReadableStream<Uint8Array>): AsyncIterable<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
    const lines = rest.split(/\r?\n|\r/);
    rest = lines.pop() ?? '';
    yield* lines;
  }
  if (rest !== '') yield rest;
}

/**
 * autodialer_upload_numbers: reads a CSV as a stream, one number per line (first column, whitespace
 * trimmed, a leading `+` dropped), inserting chunks of numbers as they come, in one transaction.
 * Lines that are not digits and numbers already in the campaign are skipped. Answers imported and
 * total (non-empty lines). Campaign out of reach → `Campaign was not found`, then the addon check.
 */
export async function uploadNumbers(
  ctx: Ctx,
  input: { id?: number; lines: AsyncIterable<string> },
): Promise<{ imported: number; total: number }> {
  return withTransaction(ctx, async (tx) => {
    const campaign = await campaignInReach(tx, input.id, true);
    await requireAutodialer(tx);
    let total = 0;
    let imported = 0;
    let chunk: string[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      const rows = await queryRows<{ id: number }>(
        tx.db,
        sql`insert into campaign_numbers (campaign_id, number)
            select ${campaign.id}::int, n from unnest(${`{${chunk.join(',')}}`}::text[]) as n
            on conflict (campaign_id, number) do nothing returning id`,
      );
      imported += rows.length;
      chunk = [];
    };
    for await (const line of input.lines) {
      const first = (line.split(/[,;]/)[0] ?? '')
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim();
      if (first === '') continue;
      total++;
      const number = first.replace(/^\+/, '');
      if (!/^\d{1,30}$/.test(number)) continue;
      chunk.push(number);
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
    await logAction(tx, {
      action: 'campaign_numbers_uploaded',
      targetType: 'campaign',
      targetId: campaign.id,
      data: `${imported}/${total}`,
    });
    return { imported, total };
  });
}
