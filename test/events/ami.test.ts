import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmiFramer, amiCallControl, parseAmiUrl } from '../../src/entry/adapters/ami.ts';

/**
 * A TCP server speaking AMI framing: banner, `Key: Value` blocks ended by an empty line, Login,
 * Originate (async: a Response, then later an OriginateResponse event), Logoff. Answers arrive split
 * across packets and interleaved with events, as Asterisk's do.
 */
const actions: Record<string, string>[] = [];
let refuseOriginate = false;
let server: Server;
let port = 0;

const send = (socket: Socket, fields: Record<string, string>) => {
  const text = `${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
  // Every message in two writes, a moment apart (in order), to exercise the framing.
  const cut = Math.floor(text.length / 2);
  const previous = chains.get(socket) ?? Promise.resolve();
  chains.set(
    socket,
    previous.then(async () => {
      socket.write(text.slice(0, cut));
      await new Promise((ok) => setTimeout(ok, 2));
      socket.write(text.slice(cut));
    }),
  );
};
const chains = new WeakMap<Socket, Promise<void>>();

beforeAll(async () => {
  server = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.write('Asterisk Call Manager/7.0.3\r\n');
    const framer = new AmiFramer();
    framer.banner = '(client)';
    let authed = false;
    socket.on('data', (chunk: string) => {
      for (const action of framer.push(chunk)) {
        actions.push(action);
        const id = action.ActionID ?? '';
        switch (action.Action) {
          case 'Login':
            authed = action.Username === 'openmor' && action.Secret === 's3cret';
            send(
              socket,
              authed
                ? { Response: 'Success', ActionID: id, Message: 'Authentication accepted' }
                : { Response: 'Error', ActionID: id, Message: 'Authentication failed' },
            );
            if (authed) send(socket, { Event: 'FullyBooted', Privilege: 'system,all', Status: 'Fully Booted' });
            break;
          case 'Originate':
            if (!authed || refuseOriginate) {
              send(socket, { Response: 'Error', ActionID: id, Message: 'Originate failed' });
            } else {
              send(socket, { Event: 'Newchannel', Channel: action.Channel ?? '' });
              send(socket, { Response: 'Success', ActionID: id, Message: 'Originate successfully queued' });
              send(socket, {
                Event: 'OriginateResponse',
                ActionID: id,
                Response: 'Success',
                Uniqueid: '1714558503.42',
              });
            }
            break;
          case 'Logoff':
            send(socket, { Response: 'Goodbye', ActionID: id, Message: 'Thanks for all the fish.' });
            void chains.get(socket)?.then(() => socket.end());
            break;
          default:
            send(socket, { Response: 'Error', ActionID: id, Message: 'Invalid/unknown command' });
        }
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('AMI call control over TCP', () => {
  it('logs in, originates asynchronously with variables and logs off', async () => {
    actions.splice(0);
    const control = amiCallControl(parseAmiUrl(`ami://openmor:s3cret@127.0.0.1:${port}`));
    const done = await control.originate({
      channel: 'SIP/101',
      application: 'ChanSpy',
      data: 'SIP/102-0000002a,qo',
      callerId: 'Spy <101>',
      variables: { MOR_SPY: '1' },
    });
    expect(done.actionId).toMatch(/^openmor-/);
    expect(actions.map((a) => a.Action)).toEqual(['Login', 'Originate', 'Logoff']);
    expect(actions[0]).toMatchObject({ Username: 'openmor', Secret: 's3cret', Events: 'off' });
    expect(actions[1]).toMatchObject({
      Channel: 'SIP/101',
      Application: 'ChanSpy',
      Data: 'SIP/102-0000002a,qo',
      CallerID: 'Spy <101>',
      Async: 'true',
      Variable: 'MOR_SPY=1',
      ActionID: done.actionId,
    });
  });

  it('throws on a refused login, a refused originate and an unreachable server', async () => {
    const wrong = amiCallControl(parseAmiUrl(`ami://openmor:bad@127.0.0.1:${port}`));
    await expect(wrong.originate({ channel: 'SIP/1', exten: '2', context: 'x', priority: '1' })).rejects.toThrow(
      'AMI login refused: Authentication failed',
    );
    refuseOriginate = true;
    const right = amiCallControl(parseAmiUrl(`ami://openmor:s3cret@127.0.0.1:${port}`));
    await expect(right.originate({ channel: 'SIP/1', exten: '2', context: 'x', priority: '1' })).rejects.toThrow(
      'AMI originate refused: Originate failed',
    );
    refuseOriginate = false;
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    await expect(
      amiCallControl(parseAmiUrl(`ami://a:b@127.0.0.1:${deadPort}`)).originate({ channel: 'x' }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('frames a stream cut anywhere into messages, events and responses alike', () => {
    const framer = new AmiFramer();
    const stream = 'Asterisk Call Manager/7.0.3\r\nResponse: Success\r\nActionID: 1\r\n\r\nEvent: X\r\nA: b: c\r\n\r\n';
    const out = [];
    for (const ch of stream) out.push(...framer.push(ch));
    expect(framer.banner).toBe('Asterisk Call Manager/7.0.3');
    expect(out).toEqual([
      { Response: 'Success', ActionID: '1' },
      { Event: 'X', A: 'b: c' },
    ]);
  });
});
