import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';

/**
 * Runs the unchanged Node entry (src/entry/node.ts) in BENCH_WORKERS (default 2) processes sharing one
 * port through node:cluster. Node 20 has no SO_REUSEPORT (`reusePort` needs Node ≥ 22.12/23.1: a second
 * listen answers EADDRINUSE), so the primary accepts connections and hands them out round-robin.
 * Each worker has its own pool (DB_POOL_MAX connections), auth cache and LISTEN connection.
 */
const workers = Number(process.env.BENCH_WORKERS ?? '2');
const entry = fileURLToPath(new URL('../src/entry/node.ts', import.meta.url));

cluster.setupPrimary({ exec: entry, execArgv: ['--import', 'tsx'] });
let listening = 0;
cluster.on('listening', () => {
  listening++;
  if (listening === workers) console.log(`cluster ready: ${workers} workers`);
});
cluster.on('exit', (worker, code, signal) => {
  if (!stopping) {
    console.error(`cluster: worker ${worker.process.pid} died (${signal ?? code}); stopping`);
    stop(1);
  }
});
for (let i = 0; i < workers; i++) cluster.fork();

let stopping = false;
function stop(code: number) {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  const deadline = setTimeout(() => process.exit(code), 5000);
  deadline.unref();
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(code);
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(0));
