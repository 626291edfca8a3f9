import * as v from 'valibot';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { systemZone } from '../settings/systemZone.ts';
import { ianaZone, TIME_ZONES } from '../settings/timeZones.ts';
import { zoneOffsetMs } from '../settings/wallClock.ts';
import { checkCall } from './ingest/callRow.ts';
import { type IngestResult, ingestChecked, MAX_BATCH, requireIngestRight } from './ingestCalls.ts';

export const ImportCsv = v.object({
  /** Asterisk cdr_csv Master.csv text (standard column order; extra trailing columns are ignored). */
  csv: v.pipe(v.string(), v.maxLength(20_000_000)),
  /**
   * The zone of the file's local times (cdr_csv writes the server's local time): a MOR (Rails) or IANA
   * zone name. Default: the system time zone.
   */
  timeZone: v.optional(v.pipe(v.string(), v.maxLength(64))),
});
export type ImportCsv = v.InferOutput<typeof ImportCsv>;

/** Asterisk's cdr_csv columns, in the order Master.csv writes them. */
export const CDR_CSV_COLUMNS = [
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'channel',
  'dstchannel',
  'lastapp',
  'lastdata',
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'disposition',
  'amaflags',
  'uniqueid',
  'userfield',
] as const;
const col = Object.fromEntries(CDR_CSV_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof CDR_CSV_COLUMNS)[number],
  number
>;

/**
 * calls.importCsv: a backfill from Asterisk's Master.csv, through the very path of calls.ingest (same
 * checks, rating, charging, exactly-once per uniqueid). The originator is `accountcode` (a device
 * username, or MOR's numeric accountcode = device id), else `channel`. A first line naming the columns
 * is skipped; `rejected[].index` counts data records from 0. At most 10,000 records per request.
 */
export async function importCsv(ctx: Ctx, input: ImportCsv): Promise<IngestResult> {
  requireIngestRight(ctx);
  const zone = input.timeZone === undefined ? await systemZone(ctx.db) : knownZone(input.timeZone);
  const records = parseCsv(input.csv).filter((r) => !(r.length === 1 && r[0] === ''));
  if (records[0]?.[0] === 'accountcode' && records[0]?.[col.uniqueid] === 'uniqueid') records.shift();
  if (records.length > MAX_BATCH) throw invalid('csv_size', `at most ${MAX_BATCH} records per request`);
  const now = ctx.clock();
  return ingestChecked(ctx, records, (r, index) => {
    if (r.length < CDR_CSV_COLUMNS.length - 1) return `expected ${CDR_CSV_COLUMNS.length} columns, got ${r.length}`;
    const at = (s: string | undefined) => {
      if (s === undefined || s.trim() === '') return undefined;
      return localToIso(s.trim(), zone) ?? s;
    };
    const seconds = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s.trim()) ? Number(s) : s);
    return checkCall(
      {
        uniqueid: r[col.uniqueid],
        calldate: at(r[col.start]),
        answerTime: at(r[col.answer]),
        endTime: at(r[col.end]),
        duration: seconds(r[col.duration]),
        billsec: seconds(r[col.billsec]),
        disposition: r[col.disposition],
        src: r[col.src],
        clid: r[col.clid],
        dst: r[col.dst],
        accountcode: r[col.accountcode],
        channel: r[col.channel],
      },
      index,
      now,
    );
  });
}

function knownZone(name: string): string {
  const zone = ianaZone(name);
  if (zone === 'Etc/UTC' && !(name in TIME_ZONES) && name !== 'UTC' && name !== 'Etc/UTC')
    throw invalid('time_zone', `Unknown time zone ${name}`);
  return zone;
}

/** `YYYY-MM-DD HH:MM:SS` on the wall clock of `zone` → ISO 8601 UTC; null when it is not that form. */
export function localToIso(local: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  // The offset at the guess, then at the corrected instant (right across a DST change).
  let utc = wall - zoneOffsetMs(wall, zone);
  utc = wall - zoneOffsetMs(utc, zone);
  return new Date(utc).toISOString();
}

/** RFC 4180 records: fields separated by commas, quoted with `"` (`""` inside quotes), CRLF or LF lines. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
