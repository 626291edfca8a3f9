import { describe, expect, it } from 'vitest';
import { bufferedStdio } from '../src/entry/logSink.ts';
import { createLog } from '../src/log.ts';

/** A stream that records each write (one element per system call the real stream would make). */
const recorder = () => {
  const writes: string[] = [];
  return { writes, stream: { write: (text: string) => writes.push(text) } };
};

describe('buffered stdio log sink (Node)', () => {
  it('collects info lines until the loop turn ends, then writes them in one call, in order', () => {
    const out = recorder();
    const err = recorder();
    const turns: Array<() => void> = [];
    const sink = bufferedStdio(out.stream, err.stream, (flush) => turns.push(flush));
    const log = createLog('info', sink);
    log.info('request', { n: 1 });
    log.info('request', { n: 2 });
    log.debug('hidden');
    expect(out.writes).toEqual([]);
    expect(turns).toHaveLength(1);
    turns[0]!();
    expect(out.writes).toHaveLength(1);
    const lines = out.writes[0]!.trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.msg, l.n, l.level])).toEqual([
      ['request', 1, 'info'],
      ['request', 2, 'info'],
    ]);
    // The next line schedules a new flush.
    log.info('request', { n: 3 });
    expect(turns).toHaveLength(2);
  });

  it('writes a warning or an error at once, after the info lines waiting before it', () => {
    const out = recorder();
    const err = recorder();
    const sink = bufferedStdio(out.stream, err.stream, () => {});
    const log = createLog('info', sink);
    log.info('first');
    log.error('failed', { error: 'boom' });
    expect(out.writes.map((w) => JSON.parse(w).msg)).toEqual(['first']);
    expect(err.writes.map((w) => JSON.parse(w))).toMatchObject([{ level: 'error', msg: 'failed', error: 'boom' }]);
    sink.flush();
    expect(out.writes).toHaveLength(1);
  });

  it('writes every 64 KB even when the loop never turns', () => {
    const out = recorder();
    const sink = bufferedStdio(out.stream, recorder().stream, () => {});
    const log = createLog('info', sink);
    for (let i = 0; i < 2_000; i++) log.info('request', { path: '/billing/api/rate_get', i });
    expect(out.writes.length).toBeGreaterThanOrEqual(2);
    for (const w of out.writes) expect(w.length).toBeGreaterThanOrEqual(65_536);
    sink.flush();
    const all = out.writes.join('').trimEnd().split('\n');
    expect(all).toHaveLength(2_000);
    expect(JSON.parse(all[1_999]!).i).toBe(1_999);
  });

  it('still redacts query parameters in any value', () => {
    const err = recorder();
    const sink = bufferedStdio(recorder().stream, err.stream, () => {});
    createLog('info', sink).error('x', { error: 'Failed query: select $1\nparams: secret\n    at f (a.ts:1:1)' });
    expect(err.writes[0]).not.toContain('secret');
    expect(JSON.parse(err.writes[0]!).error).toContain('params: [redacted]');
  });
});
