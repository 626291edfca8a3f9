import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Log } from '../../src/domain/ctx.ts';
import { freshDatabase } from '../helpers/db.ts';

const capture = () => {
  const lines: { level: string; msg: string; data?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, data?: Record<string, unknown>) => lines.push({ level, msg, data });
  const log: Log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
};

describe('GET /ready (readiness) and /health (liveness)', () => {
  it('answers 200 ready while the database answers', async () => {
    const handle = await freshDatabase();
    const { app, close } = await createApp({ handle, log: capture().log });
    try {
      const res = await app.request('/ready');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready' });
    } finally {
      await close();
      await handle.close();
    }
  });

  it('answers 503 with a fixed reason when the database is gone, /health still 200', async () => {
    const handle = await freshDatabase();
    const { log, lines } = capture();
    const { app, close } = await createApp({ handle, log });
    await close();
    await handle.close();
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ status: 'unavailable', reason: 'database error' });
    expect(body).not.toMatch(/postgres|memory:|password|127\.0\.0\.1/);
    expect(lines.some((l) => l.level === 'warn' && l.msg === 'not ready')).toBe(true);
    expect((await app.request('/health')).status).toBe(200);
  });

  it('answers 503 when the database does not answer within the deadline', async () => {
    const handle = await freshDatabase();
    const { app, close } = await createApp({ handle, log: capture().log, readyTimeoutMs: 150 });
    try {
      // Hold every connection in an open transaction past the deadline (PGlite has one, the test pool 4).
      let release = () => {};
      const released = new Promise<void>((ok) => {
        release = ok;
      });
      const busy = Array.from({ length: handle.driver === 'pglite' ? 1 : 4 }, () =>
        handle.db.transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await released;
        }),
      );
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      const res = await app.request('/ready');
      const took = Date.now() - started;
      release();
      await Promise.all(busy);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable', reason: 'database did not answer in time' });
      expect(took).toBeLessThan(900);
      expect((await app.request('/ready')).status).toBe(200);
    } finally {
      await close();
      await handle.close();
    }
  });
});
