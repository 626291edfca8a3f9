// A log line is the same whichever way createLog builds it: flat data (the access log's) is serialised
// as it is and joined to the head, anything else is copied into the line's object and redacted. The
// reference below is the object path alone (with the log's own redaction), written out here so the
// fast path is held to it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLog, redact } from '../src/log.ts';

function reference(time: string, level: string, msg: string, data?: Record<string, unknown>): string {
  const entry: Record<string, unknown> = { time, level, msg };
  if (data) for (const key in data) entry[key] = redact(data[key], 1);
  return JSON.stringify(entry);
}

function linesOf(level: 'info' | 'warn', msg: string, data?: Record<string, unknown>) {
  const out: string[] = [];
  const log = createLog('debug', { out: (line) => out.push(line), err: (line) => out.push(line) });
  log[level](msg, data);
  return out;
}

afterEach(() => {
  vi.useRealTimers();
});

const CASES: Array<[string, Record<string, unknown> | undefined]> = [
  [
    'an access-log line',
    {
      requestId: 'e03d742e-151f-4c34-804a-ae0a1137d212',
      method: 'POST',
      path: '/billing/api/rate_get',
      morMethod: 'rate_get',
      caller: 'admin',
      status: 200,
      morError: 'Incorrect hash',
      ms: 0.1,
      ip: '127.0.0.1',
    },
  ],
  ['no data', undefined],
  ['empty data', {}],
  ['undefined, function and symbol values (left out)', { a: undefined, b: () => 1, c: Symbol('x'), d: 'kept' }],
  ['numbers JSON has no word for', { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, neg: -0, big: 1e21 }],
  ['null and booleans', { n: null, t: true, f: false }],
  [
    'strings to escape',
    { q: 'say "hi"\\', nl: 'a\nb\tc', ctl: '\u0001\u001f', uni: 'Zürich ☎ \ud83d\udcde', lone: '\ud800' },
  ],
  ['a failed query to redact', { error: 'Failed query: select $1\nparams: s3cret,7\n    at run (x.ts:1:1)' }],
  ['a nested object', { user: { id: 7, note: 'x\nparams: secret' }, list: [1, 'two'] }],
  ['a key the head holds', { msg: 'overridden', time: 'also', level: 'and this', other: 1 }],
  ['a date value', { at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }],
  ['keys to escape', { 'we"ird\nkey': 1, '': 2, '0': 3, '10': 4, b: 5 }],
];

describe('log lines', () => {
  for (const [name, data] of CASES) {
    it(`writes the same line as the object path: ${name}`, () => {
      vi.useFakeTimers({ now: new Date(Date.UTC(2026, 11, 7, 8, 16, 33, 44)) });
      const [line] = linesOf('info', 'request "quoted"', data);
      expect(line).toBe(reference('2026-12-07T08:16:33.044Z', 'info', 'request "quoted"', data));
      const [warning] = linesOf('warn', 'trouble', data);
      expect(warning).toBe(reference('2026-12-07T08:16:33.044Z', 'warn', 'trouble', data));
    });
  }

  it('data that is not a plain object is copied, as before', () => {
    vi.useFakeTimers({ now: new Date(Date.UTC(2026, 11, 7)) });
    const bare = Object.assign(Object.create(null), { a: 1 }) as Record<string, unknown>;
    class Note {
      visible = 'yes';
    }
    const note = new Note() as unknown as Record<string, unknown>;
    for (const data of [bare, note]) {
      expect(linesOf('info', 'm', data)[0]).toBe(reference('2026-12-07T00:00:00.000Z', 'info', 'm', data));
    }
  });

  it('stamps each line with the time it was written, down to the millisecond', () => {
    vi.useFakeTimers({ now: new Date(Date.UTC(2026, 11, 7, 8, 0, 0, 0)) });
    const out: string[] = [];
    const log = createLog('info', { out: (line) => out.push(line), err: (line) => out.push(line) });
    log.info('a', { n: 1 });
    log.info('b', { n: 2 });
    vi.advanceTimersByTime(1);
    log.info('c', { n: 3 });
    vi.advanceTimersByTime(59_999);
    log.info('d');
    const times = out.map((line) => (JSON.parse(line) as { time: string }).time);
    expect(times).toEqual([
      '2026-12-07T08:00:00.000Z',
      '2026-12-07T08:00:00.000Z',
      '2026-12-07T08:00:00.001Z',
      '2026-12-07T08:01:00.000Z',
    ]);
  });
});
