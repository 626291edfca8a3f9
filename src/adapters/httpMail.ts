import type { MailMessage, MailTransport } from '../domain/ports.ts';

/**
 * E-mail through an HTTP mail API (for Workers, which have no SMTP client): POST `MAIL_API_URL` with
 * `Authorization: Bearer MAIL_API_TOKEN` and the JSON `{ from, to, subject, text }`; any 2xx is
 * accepted, its JSON `id` (or `messageId`) is the reference. Anything else throws with the status and
 * the start of the answer.
 */
export function httpMailTransport(url: string, token: string, fetcher: typeof fetch = fetch): MailTransport {
  return {
    kind: 'http',
    async send(message: MailMessage) {
      const response = await fetcher(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`mail API answered HTTP ${response.status}: ${text.slice(0, 200)}`);
      let id = '';
      try {
        const json = JSON.parse(text) as { id?: unknown; messageId?: unknown };
        id = String(json.id ?? json.messageId ?? '');
      } catch {
        id = '';
      }
      return { messageId: id };
    },
  };
}
