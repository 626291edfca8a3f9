import { type HttpBindings, serve } from '@hono/node-server';
import { parseConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { createLog } from '../log.ts';
import { forwardedClientIp } from '../mor/ip.ts';
import { prepare } from '../start.ts';
import { claimEmbeddedDatabase } from './dataDirLock.ts';

const config = parseConfig(process.env);
const log = createLog(config.logLevel);
claimEmbeddedDatabase(config);
const handle = await connect(config);
const { app, close } = await prepare(handle, config, log, {
  cacheAuth: true,
  clientIp: (request, env) =>
    forwardedClientIp(request.headers.get('x-forwarded-for'), config.trustProxy) ??
    (env as HttpBindings | undefined)?.incoming?.socket?.remoteAddress ??
    'unknown',
});
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) =>
  log.info('openmor listening', { url: `http://${config.host}:${info.port}`, driver: handle.driver }),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    void close()
      .then(() => handle.close())
      .finally(() => process.exit(0));
  });
}
