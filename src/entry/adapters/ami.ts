import { connect, type Socket } from 'node:net';
import type { CallControl, OriginateRequest } from '../../domain/ports.ts';

/** One AMI message: its `Key: Value` lines (keys as sent; repeated keys keep the last value). */
export type AmiMessage = Record<string, string>;

/** Splits the AMI byte stream into the banner line and messages (blocks ended by an empty line). */
export class AmiFramer {
  private buffer = '';
  banner: string | null = null;
  push(chunk: string): AmiMessage[] {
    this.buffer += chunk;
    if (this.banner === null) {
      const end = this.buffer.indexOf('\r\n');
      if (end < 0) return [];
      this.banner = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
    }
    const out: AmiMessage[] = [];
    for (let end = this.buffer.indexOf('\r\n\r\n'); end >= 0; end = this.buffer.indexOf('\r\n\r\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 4);
      const message: AmiMessage = {};
      for (const line of block.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) message[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      }
      if (Object.keys(message).length > 0) out.push(message);
    }
    return out;
  }
}

/** An AMI action as text (CR LF line ends, an empty line at the end); values lose their line breaks. */
export function amiAction(fields: Record<string, string | undefined>, variables: Record<string, string> = {}): string {
  const clean = (s: string) => s.replace(/[\r\n]/g, ' ');
  const lines = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}: ${clean(v)}`);
  for (const [k, v] of Object.entries(variables)) lines.push(`Variable: ${clean(k)}=${clean(v)}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export interface AmiConfig {
  host: string;
  port: number;
  username: string;
  secret: string;
  timeoutMs?: number;
}

/** `ami://user:secret@host:5038` → AmiConfig. */
export function parseAmiUrl(url: string): AmiConfig {
  const u = new URL(url);
  if (u.protocol !== 'ami:') throw new Error('AMI_URL must be ami://user:secret@host:port');
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 5038,
    username: decodeURIComponent(u.username),
    secret: decodeURIComponent(u.password),
  };
}

/** A short-lived AMI session: connect, read the banner, run actions one at a time, log off. */
class AmiSession {
  private framer = new AmiFramer();
  private waiting = new Map<string, (m: AmiMessage) => void>();
  private failed: ((e: Error) => void)[] = [];
  private bannerSeen: () => void = () => {};
  readonly events: AmiMessage[] = [];
  private seq = 0;
  private constructor(private socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const hadBanner = this.framer.banner !== null;
      for (const m of this.framer.push(chunk)) {
        const id = m.ActionID;
        if (m.Response !== undefined && id && this.waiting.has(id)) {
          this.waiting.get(id)!(m);
          this.waiting.delete(id);
        } else if (m.Event !== undefined) this.events.push(m);
      }
      if (!hadBanner && this.framer.banner !== null) this.bannerSeen();
    });
    const fail = (error: Error) => {
      for (const f of this.failed.splice(0)) f(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('AMI connection closed')));
  }

  static open(config: AmiConfig): Promise<AmiSession> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: config.host, port: config.port });
      socket.setTimeout(config.timeoutMs ?? 5000, () => socket.destroy(new Error('AMI timeout')));
      const session = new AmiSession(socket);
      session.failed.push(reject);
      session.bannerSeen = () => {
        if (!session.framer.banner?.startsWith('Asterisk Call Manager')) {
          socket.destroy();
          reject(new Error(`not an AMI server: ${session.framer.banner}`));
        } else resolve(session);
      };
    });
  }

  action(fields: Record<string, string | undefined>, variables?: Record<string, string>): Promise<AmiMessage> {
    const id = `openmor-${Date.now()}-${++this.seq}`;
    return new Promise((resolve, reject) => {
      this.failed.push(reject);
      this.waiting.set(id, resolve);
      this.socket.write(amiAction({ ...fields, ActionID: id }, variables));
    });
  }

  close() {
    this.socket.end();
    this.socket.destroy();
  }
}

/**
 * Call control over the Asterisk Manager Interface (TCP): Login, then an asynchronous Originate
 * (answered as soon as Asterisk queued it: "Success" does not wait for anyone to pick up), Logoff.
 * A refused login or originate, an unreachable or silent server throws.
 */
export function amiCallControl(config: AmiConfig): CallControl {
  return {
    async originate(request: OriginateRequest) {
      const session = await AmiSession.open(config);
      try {
        const login = await session.action({
          Action: 'Login',
          Username: config.username,
          Secret: config.secret,
          Events: 'off',
        });
        if (login.Response !== 'Success') throw new Error(`AMI login refused: ${login.Message ?? ''}`);
        const answer = await session.action(
          {
            Action: 'Originate',
            Channel: request.channel,
            Context: request.context,
            Exten: request.exten,
            Priority: request.priority,
            Application: request.application,
            Data: request.data,
            CallerID: request.callerId,
            Timeout: String(request.timeoutMs ?? 30_000),
            Async: 'true',
          },
          request.variables,
        );
        if (answer.Response !== 'Success') throw new Error(`AMI originate refused: ${answer.Message ?? ''}`);
        await session.action({ Action: 'Logoff' }).catch(() => undefined);
        return { actionId: answer.ActionID ?? '', ...(answer.Uniqueid ? { uniqueId: answer.Uniqueid } : {}) };
      } finally {
        session.close();
      }
    },
  };
}
