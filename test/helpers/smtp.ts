import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the SMTP server received it: envelope, raw text, whether over TLS, who logged in. */
export interface ReceivedMail {
  at: number;
  from: string;
  to: string[];
  raw: string;
  secure: boolean;
  user: string;
}

/**
 * A real SMTP server (smtp-server) on a free local port: STARTTLS offered, AUTH required
 * (user `mailer`, password `p@ss`), every message handed to `onMail` raw. `refuse` may answer a
 * message with an SMTP error code instead (a temporary failure, say); it is then not delivered.
 */
export async function startSmtpServer(
  onMail: (mail: ReceivedMail) => void,
  refuse: () => { code: number; message: string } | null = () => null,
): Promise<{ port: number; close(): Promise<void> }> {
  const smtp = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'p@ss') callback(null, { user: 'mailer' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        raw += chunk;
      });
      stream.on('end', () => {
        const refusal = refuse();
        if (refusal) {
          const error = new Error(refusal.message) as Error & { responseCode: number };
          error.responseCode = refusal.code;
          callback(error);
          return;
        }
        onMail({
          at: Date.now(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          secure: session.secure,
          user: String(session.user ?? ''),
        });
        callback();
      });
    },
  });
  await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', () => ok()));
  return {
    port: (smtp.server.address() as AddressInfo).port,
    close: () => new Promise<void>((ok) => smtp.close(() => ok())),
  };
}
