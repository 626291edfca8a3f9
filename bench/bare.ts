import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The floor: the same HTTP stack as openmor (Node + @hono/node-server + Hono) answering every request
 * with the constant document user_balance_get would send, without reading the request or touching a
 * database. `user_balance_get / bare` says how much of that ceiling the real work leaves.
 */
const BODY = '<?xml version="1.0" encoding="UTF-8"?>\n<page>\n  <balance>66.0000</balance>\n</page>\n';
const port = Number(process.env.PORT ?? '8090');

const app = new Hono();
app.all('*', (c) => c.body(BODY, 200, { 'content-type': 'text/xml; charset=utf-8' }));

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) =>
  console.log(`bare listening on ${info.port}`),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
