// Deno entry: `deno run -A src/entry/deno.ts` (PGlite in DATA_DIR, or Postgres with DATABASE_URL).
import { parseConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { createLog } from '../log.ts';
import { forwardedClientIp } from '../mor/ip.ts';
import { prepare } from '../start.ts';
import { claimEmbeddedDatabase } from './dataDirLock.ts';
import { fsObjectStore } from './fsObjectStore.ts';
import { serverPorts } from './ports.ts';
import { onceOnSignal, shutDown } from './shutdown.ts';
import { databaseTarget, explainStartFailure, withDatabaseRetry } from './startup.ts';

async function main() {
  const config = parseConfig(Deno.env.toObject());
  const log = createLog(config.logLevel);
  claimEmbeddedDatabase(config);
  const { handle, app, close } = await withDatabaseRetry(
    async () => {
      const handle = await connect(config);
      try {
        const prepared = await prepare(handle, config, log, {
          cacheAuth: true,
          // The same ports as Node: nodemailer and node:net run under Deno's Node compatibility.
          ports: serverPorts(config),
          objectStore: config.recordingsDir ? fsObjectStore(config.recordingsDir) : undefined,
          clientIp: (request, info) =>
            forwardedClientIp(request.headers.get('x-forwarded-for'), config.trustProxy) ??
            (info as Deno.ServeHandlerInfo<Deno.NetAddr> | undefined)?.remoteAddr?.hostname ??
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
  const server = Deno.serve(
    {
      port: config.port,
      hostname: config.host,
      onListen: ({ port }) =>
        log.info('openmor listening', { url: `http://${config.host}:${port}`, driver: handle.driver }),
    },
    (request, info) => app.fetch(request, info),
  );
  // Deno.serve's shutdown() stops accepting and resolves when requests in flight have finished;
  // after the drain deadline the process exits anyway (Deno closes the remaining connections).
  onceOnSignal(
    (signal, handler) => Deno.addSignalListener(signal, handler),
    (signal) =>
      shutDown(signal, log, {
        stopServer: () => server.shutdown(),
        forceClose: () => {},
        closeApp: close,
        closeDb: () => handle.close(),
      }),
    (code) => Deno.exit(code),
  );
}

main().catch((error) => Deno.exit(explainStartFailure(error)));
