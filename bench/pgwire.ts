import net from 'node:net';

/**
 * A TCP proxy in front of Postgres that counts the frontend (client → server) protocol messages it
 * forwards. It proves how many statements and round trips a request costs without touching the
 * server's configuration (pg_stat_statements needs shared_preload_libraries and a restart).
 *
 * Counted message types: Q (simple query), P (Parse), B (Bind), E (Execute), D (Describe), S (Sync),
 * H (Flush). A client waits for the server after each S, H or Q, so `roundTrips = S + H + Q` for
 * requests that run one after another.
 */
export interface WireCounts {
  query: number;
  parse: number;
  bind: number;
  execute: number;
  describe: number;
  sync: number;
  flush: number;
  /** Every S, H and Q: points where the client stops and waits for the server. */
  roundTrips: number;
  /** Statements executed: simple queries + extended-protocol Executes. */
  statements: number;
  /** Statement texts seen in Parse and Query messages (first 120 characters, whitespace collapsed). */
  texts: string[];
}

const zero = (): WireCounts => ({
  query: 0,
  parse: 0,
  bind: 0,
  execute: 0,
  describe: 0,
  sync: 0,
  flush: 0,
  roundTrips: 0,
  statements: 0,
  texts: [],
});

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export interface WireProxy {
  port: number;
  /** Counts since start (or since the last `reset`). */
  counts(): WireCounts;
  reset(): void;
  close(): Promise<void>;
}

export async function startWireProxy(target: { host: string; port: number }): Promise<WireProxy> {
  let counts = zero();
  const sockets = new Set<net.Socket>();

  const onMessage = (type: string, body: Buffer) => {
    switch (type) {
      case 'Q':
        counts.query++;
        counts.statements++;
        counts.roundTrips++;
        counts.texts.push(cstring(body, 0));
        break;
      case 'P': {
        counts.parse++;
        const nameEnd = body.indexOf(0);
        counts.texts.push(cstring(body, nameEnd + 1));
        break;
      }
      case 'B':
        counts.bind++;
        break;
      case 'E':
        counts.execute++;
        counts.statements++;
        break;
      case 'D':
        counts.describe++;
        break;
      case 'S':
        counts.sync++;
        counts.roundTrips++;
        break;
      case 'H':
        counts.flush++;
        counts.roundTrips++;
        break;
    }
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    let pending: Buffer = Buffer.alloc(0);
    let startup = true;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (startup) {
          if (pending.length < 8) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(length);
          // SSL/GSS negotiation is followed by another untyped startup packet.
          startup = code === SSL_REQUEST || code === GSSENC_REQUEST;
          continue;
        }
        if (pending.length < 5) break;
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) break;
        onMessage(String.fromCharCode(pending[0] as number), pending.subarray(5, 1 + length));
        pending = pending.subarray(1 + length);
      }
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    counts: () => ({ ...counts, texts: [...counts.texts] }),
    reset: () => {
      counts = zero();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Per-request averages of `after - before` over `n` requests. */
export function perRequest(before: WireCounts, after: WireCounts, n: number) {
  const d = (k: keyof Omit<WireCounts, 'texts'>) => round2((after[k] - before[k]) / n);
  return {
    statements: d('statements'),
    roundTrips: d('roundTrips'),
    parse: d('parse'),
    bind: d('bind'),
    describe: d('describe'),
    flush: d('flush'),
    sync: d('sync'),
    simpleQueries: d('query'),
    texts: [...new Set(after.texts.slice(before.texts.length))],
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function cstring(buf: Buffer, start: number): string {
  const end = buf.indexOf(0, start);
  return buf
    .toString('utf8', start, end === -1 ? buf.length : end)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}
