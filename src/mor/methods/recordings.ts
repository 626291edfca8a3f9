import { invalid } from '../../domain/errors.ts';
import { deleteRecordings } from '../../domain/recordings/deleteRecordings.ts';
import { listRecordings, type RecordingView } from '../../domain/recordings/listRecordings.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageError, pageStatusError } from '../xml.ts';
import { ctxOf, guarded } from './devices/support.ts';
import { idOf, unixTime } from './moneySupport.ts';

const CALLERS = ['admin', 'accountant', 'reseller', 'user'] as const;

/** A Unix-time parameter as ISO, undefined when absent; `message` when it is not a timestamp. */
function time(params: Params, name: string, message: string): string | undefined {
  const value = params.value(name);
  if (value === undefined) return undefined;
  const iso = unixTime(value, 0);
  if (iso === null) throw invalid(name, message);
  return iso;
}

/** An id filter: undefined when absent, -1 (matches nothing) when not an id. */
function anyId(params: Params, name: string): number | undefined {
  const value = idOf(params, name);
  return value === undefined ? undefined : Number.isNaN(value) ? -1 : value;
}

const recordingXml = (origin: string) => (r: RecordingView) => ({
  id: r.id,
  user_id: r.userId,
  dst_user_id: r.dstUserId,
  src_device_id: r.srcDeviceId,
  dst_device_id: r.dstDeviceId,
  date: r.date,
  comment: r.comment,
  duration: r.duration,
  destination: r.destination,
  size: r.size,
  mp3_url: `${origin}/billing/recordings/${r.objectKey}`,
});

export const recordingsGet = defineMethod({
  name: 'recordings_get',
  family: 'recordings',
  summary: 'Recordings in reach in a period (default today), oldest first; or those of one call.',
  identity: 'caller',
  hash: [],
  callers: CALLERS,
  access: 'read',
  unknownCaller: pageError('Access Denied'),
  errorWrapper: pageError,
  params: [
    {
      name: 'u',
      required: true,
      description: 'caller: admin, accountant (Calls and statistics), reseller, user (own)',
    },
    { name: 'date_from', description: 'Unix time; default today 00:00:00 in the caller time zone' },
    { name: 'date_till', description: 'Unix time; default today 23:59:59' },
    { name: 'destination', description: 'called number, exact' },
    { name: 'source', description: 'calling number, exact' },
    { name: 'user', description: 'user id (a simple user: itself)' },
    { name: 'device', description: 'device id (either side of the call)' },
    { name: 'uniqueid', description: "the call's uniqueid: its recordings, other filters ignored" },
    { name: 'callback_uniqueid', description: 'same, by the callback uniqueid' },
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  run: guarded('page', async (call) => {
    const { params } = call;
    const rows = await listRecordings(ctxOf(call), {
      from: time(params, 'date_from', 'Date from is incorrect format'),
      till: time(params, 'date_till', 'Date till is incorrect format'),
      destination: params.value('destination'),
      source: params.value('source'),
      userId: anyId(params, 'user'),
      deviceId: anyId(params, 'device'),
      uniqueid: params.value('uniqueid'),
      callbackUniqueid: params.value('callback_uniqueid'),
    });
    const origin = call.url ? new URL(call.url).origin : '';
    return page({ status: { recordings: { recording: rows.map(recordingXml(origin)) } } });
  }),
});

export const recordingsDelete = defineMethod({
  name: 'recordings_delete',
  family: 'recordings',
  summary: 'Deletes one recording, or those matching user/device/period filters (rows and audio).',
  identity: 'caller',
  hash: ['recording_id', 's_user_id', 's_device_id', 'date_from', 'date_till'],
  callers: CALLERS,
  access: 'write',
  unknownCaller: pageStatusError('Access Denied'),
  errorWrapper: pageStatusError,
  params: [
    { name: 'u', required: true, description: 'caller: admin, accountant, reseller, user (own recordings)' },
    { name: 'recording_id', description: 'exactly this recording (other filters ignored)' },
    { name: 's_user_id', description: "this user's recordings" },
    { name: 's_device_id', description: "this device's recordings; needs s_user_id" },
    { name: 'date_from', description: 'Unix time, inclusive' },
    { name: 'date_till', description: 'Unix time, inclusive, after date_from' },
    {
      name: 'hash',
      required: true,
      description: 'sha1(recording_id + s_user_id + s_device_id + date_from + date_till + key), each if sent',
    },
  ],
  run: guarded('pageStatus', async (call) => {
    const { params } = call;
    // A value that is no id matches nothing.
    const id = (name: string) => anyId(params, name);
    const amount = await deleteRecordings(ctxOf(call), {
      recordingId: id('recording_id'),
      userId: id('s_user_id'),
      deviceId: id('s_device_id'),
      from: time(params, 'date_from', 'Date from is incorrect format'),
      till: time(params, 'date_till', 'Date till is incorrect format'),
    });
    return page({ status: { success: 'Recordings were successfully deleted', amount } });
  }),
});
