import { createTransport } from 'nodemailer';
import type { MailMessage, MailTransport } from '../../domain/ports.ts';

/**
 * E-mail over SMTP (nodemailer), configured by one URL: `smtp://user:pass@host:587` (STARTTLS when the
 * server offers it; `?requireTLS=true` insists on it), `smtps://user:pass@host:465` (TLS from the first
 * byte). Query parameters are nodemailer's options (`tls.rejectUnauthorized=false` for a test server).
 * Subjects and bodies are UTF-8 (RFC 2047 words, quoted-printable or base64 as nodemailer chooses).
 */
export function smtpTransport(url: string): MailTransport & { close(): void } {
  const transport = createTransport(url);
  return {
    kind: 'smtp',
    async send(message: MailMessage) {
      const info = await transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
      return { messageId: String(info.messageId ?? '') };
    },
    close: () => transport.close(),
  };
}
