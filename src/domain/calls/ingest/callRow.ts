import { CALL_DISPOSITIONS, type CallDisposition } from '../../../db/partitioned/calls.ts';
import { digitsOf } from '../../rating/values.ts';

/** One finished call as a switch reports it (calls.ingest; importCsv and activeCalls.end map to it). */
export interface CallInput {
  /** The switch's call id: a CDR with a uniqueid already stored is a duplicate. */
  uniqueid: string;
  /** Call start (ISO 8601; without an offset: UTC). */
  calldate: string;
  answerTime?: string | null;
  endTime?: string | null;
  /** Seconds, first INVITE → hangup. */
  duration: number;
  /** Seconds, answer → hangup (≤ duration). */
  billsec: number;
  disposition: string;
  src?: string;
  clid?: string;
  dst: string;
  /** The originator: `deviceId`, else `accountcode` (device username), else `channel` (`SIP/<username>-…`). */
  deviceId?: number | null;
  accountcode?: string | null;
  channel?: string | null;
  dstDeviceId?: number | null;
  didId?: number | null;
  hangupcause?: number | null;
  providerId?: number | null;
}

/** A call that passed the row checks; the originator is still a reference to resolve. */
export interface CheckedCall {
  index: number;
  uniqueid: string;
  calldate: Date;
  answerTime: Date | null;
  endTime: Date;
  duration: number;
  billsec: number;
  disposition: CallDisposition;
  src: string;
  clid: string;
  dst: string;
  digits: string;
  origin: { by: 'id'; id: number } | { by: 'username'; username: string; field: 'accountcode' | 'channel' };
  channel: string;
  dstDeviceId: number | null;
  didId: number | null;
  hangupcause: number | null;
  providerId: number | null;
}

const MAX_SECONDS = 86_400 * 7;
const MAX_TEXT = 255;
/** Oldest call date accepted (a backfill); the newest is one day ahead of the server clock. */
const OLDEST = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** `SIP/1001-0000000a`, `IAX2/dev-1234`, `PJSIP/1001-00000001`: technology / username - sequence. */
const CHANNEL = /^[A-Za-z0-9_]+\/(.+)-[^-/]*$/;

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

function timeOf(value: unknown): Date | null | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !ISO.test(value.trim())) return null;
  let s = value.trim().replace(' ', 'T');
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(s)) s += 'Z';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

const optionalId = (v: unknown): number | null | false =>
  v === undefined || v === null ? null : isInt(v, 0, 2_147_483_647) ? v : false;

const text = (v: unknown): string | false =>
  v === undefined || v === null ? '' : typeof v === 'string' && v.length <= MAX_TEXT ? v : false;

/**
 * Checks one reported call; answers the call or the reason it is refused (one short sentence naming
 * the field, as `rejected[].reason`). Missing answer/end times are derived: end = calldate + duration,
 * answer = end − billsec for answered calls.
 */
export function checkCall(raw: unknown, index: number, now: Date): CheckedCall | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not an object';
  const c = raw as Record<string, unknown>;
  if (typeof c.uniqueid !== 'string' || c.uniqueid.trim() === '' || c.uniqueid.length > 150)
    return 'uniqueid is required (1-150 characters)';
  const calldate = timeOf(c.calldate);
  if (!calldate) return 'calldate must be an ISO 8601 date-time';
  if (calldate.getTime() < OLDEST || calldate.getTime() > now.getTime() + DAY_MS)
    return 'calldate is out of range (from 2000-01-01 to one day ahead)';
  const answerTime = timeOf(c.answerTime);
  if (answerTime === null) return 'answerTime must be an ISO 8601 date-time';
  const endTime = timeOf(c.endTime);
  if (endTime === null) return 'endTime must be an ISO 8601 date-time';
  if (!isInt(c.duration, 0, MAX_SECONDS)) return 'duration must be a whole number of seconds (0-604800)';
  if (!isInt(c.billsec, 0, MAX_SECONDS)) return 'billsec must be a whole number of seconds (0-604800)';
  if (c.billsec > c.duration) return 'billsec is greater than duration';
  const disposition = typeof c.disposition === 'string' ? c.disposition.trim().toUpperCase() : '';
  if (!(CALL_DISPOSITIONS as readonly string[]).includes(disposition))
    return 'disposition must be ANSWERED, NO ANSWER, BUSY or FAILED';
  if (typeof c.dst !== 'string' || c.dst.length > MAX_TEXT) return 'dst is required';
  const src = text(c.src);
  if (src === false) return 'src must be text';
  const clid = text(c.clid);
  if (clid === false) return 'clid must be text';
  const channel = text(c.channel);
  if (channel === false) return 'channel must be text';
  const dstDeviceId = optionalId(c.dstDeviceId);
  if (dstDeviceId === false) return 'dstDeviceId must be a device id';
  const didId = optionalId(c.didId);
  if (didId === false) return 'didId must be a DID id';
  const providerId = optionalId(c.providerId);
  if (providerId === false) return 'providerId must be a provider id';
  const hangupcause = optionalId(c.hangupcause);
  if (hangupcause === false) return 'hangupcause must be a Q.850 cause number';

  let origin: CheckedCall['origin'];
  const deviceId = optionalId(c.deviceId);
  if (deviceId === false) return 'deviceId must be a device id';
  const accountcode = text(c.accountcode);
  if (accountcode === false) return 'accountcode must be text';
  if (deviceId !== null) origin = { by: 'id', id: deviceId };
  else if (accountcode.trim() !== '') origin = { by: 'username', username: accountcode.trim(), field: 'accountcode' };
  else {
    const match = CHANNEL.exec(channel.trim());
    if (!match) return 'originator missing: deviceId, accountcode or channel SIP/<device username>-…';
    origin = { by: 'username', username: match[1]!, field: 'channel' };
  }

  const answered = disposition === 'ANSWERED';
  const end = endTime ?? new Date(calldate.getTime() + c.duration * 1000);
  return {
    index,
    uniqueid: c.uniqueid,
    calldate,
    answerTime: answerTime ?? (answered ? new Date(end.getTime() - c.billsec * 1000) : null),
    endTime: end,
    duration: c.duration,
    billsec: c.billsec,
    disposition: disposition as CallDisposition,
    src,
    clid,
    dst: c.dst,
    digits: digitsOf(c.dst).slice(0, 40),
    origin,
    channel,
    dstDeviceId,
    didId,
    hangupcause,
    providerId,
  };
}
