import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { type HttpBindings, serve } from '@hono/node-server';
import { parseConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { createLog } from '../log.ts';
import { forwardedClientIp } from '../mor/ip.ts';
import { prepare } from '../start.ts';
import { claimEmbeddedDatabase } from './dataDirLock.ts';
import { fsObjectStore } from './fsObjectStore.ts';
import { bufferedStdio } from './logSink.ts';
import { nodeRawBody } from './nodeBody.ts';
import { serverPorts } from './ports.ts';
import { onceOnSignal, shutDown } from './shutdown.ts';
import { databaseTarget, explainStartFailure, withDatabaseRetry } from './startup.ts';

async function main() {
  const config = parseConfig(process.env, availableParallelism());
  const sink = bufferedStdio();
  process.on('exit', sink.flush);
  const log = createLog(config.logLevel, sink);
  claimEmbeddedDatabase(config);
  const { handle, app, close } = await withDatabaseRetry(
    async () => {
      const handle = await connect(config);
      try {
        const prepared = await prepare(handle, config, log, {
          cacheAuth: true,
          rawBody: nodeRawBody,
          ports: serverPorts(config),
          objectStore: config.recordingsDir ? fsObjectStore(config.recordingsDir) : undefined,
          clientIp: (request, env) =>
            forwardedClientIp(request.headers.get('x-forwarded-for'), config.trustProxy) ??
            (env as HttpBindings | undefined)?.incoming?.socket?.remoteAddress ??
            'unknown',
        });
        return { handle, ...prepared };
      } catch (error) {
        await handle.close().catch(() => {});
        throw error;
      }
    },
    { attempts: config.connectAttempts, log, target: databaseTarget(config.databaseUrl) },
  );
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) =>
    log.info('openmor listening', { url: `http://${config.host}:${info.port}`, driver: handle.driver }),
  );
  const http = server as Server;
  onceOnSignal(
    (signal, handler) => process.on(signal, handler),
    (signal) =>
      shutDown(signal, log, {
        stopServer: () =>
          new Promise<void>((ok, fail) => {
            http.close((error) => (error ? fail(error) : ok()));
            // Keep-alive connections with no request in flight are closed now (Node closes them in
            // close() since v19; this also covers connections that go idle while draining).
            http.closeIdleConnections();
            const idle = setInterval(() => http.closeIdleConnections(), 100);
            http.once('close', () => clearInterval(idle));
          }),
        forceClose: () => http.closeAllConnections(),
        closeApp: close,
        closeDb: () => handle.close(),
      }),
    (code) => process.exit(code),
  );
}

main().catch((error) => process.exit(explainStartFailure(error)));
