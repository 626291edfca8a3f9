import type { SmsGateway, SmsMessage, SmsRoute } from '../domain/ports.ts';

/** A gateway that answered, but did not accept the message. */
export class SmsRejected extends Error {
  override name = 'SmsRejected';
  constructor(
    readonly status: number,
    readonly answer: string,
  ) {
    super(`SMS gateway refused (HTTP ${status}): ${answer}`);
  }
}

/**
 * Fills a gateway URL template. Placeholders (Kannel `sendsms` style): `{username}`, `{password}`,
 * `{from}`, `{to}`, `{text}` — each URL-encoded (UTF-8), e.g.
 * `http://kannel:13013/cgi-bin/sendsms?username={username}&password={password}&from={from}&to={to}&text={text}&charset=UTF-8&coding=2`.
 * `{id}` is openmor's message id, the same on every retry (e.g. in Kannel's `dlr-url`, so delivery
 * reports and a receiver's deduplication can key on it).
 */
export function gatewayUrl(route: SmsRoute, message: SmsMessage): string {
  const values: Record<string, string> = {
    username: route.username,
    password: route.password,
    from: message.from,
    to: message.to,
    text: message.text,
    id: message.id ?? '',
  };
  return route.urlTemplate.replace(/\{(username|password|from|to|text|id)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? ''),
  );
}

/**
 * Kannel's answer: HTTP 202 (or 200) with `0: Accepted for delivery` or `3: Queued for later delivery`
 * is accepted; anything else (`Authorization failed`, `Sender missing and no global set …`, HTTP 4xx/5xx)
 * is a rejection. Kannel gives no message id; the reference is the answer's text.
 */
export function parseKannelAnswer(status: number, body: string): { accepted: boolean; code: string; text: string } {
  const text = body.trim();
  const match = /^(\d+):\s*(.*)$/s.exec(text);
  const code = match?.[1] ?? '';
  const accepted = (status === 200 || status === 202) && (code === '0' || code === '3');
  return { accepted, code, text: match?.[2] ?? text };
}

/** SMS through an HTTP gateway of the Kannel `sendsms` kind (GET of the filled template). */
export function kannelSms(fetcher: typeof fetch = fetch): SmsGateway {
  return {
    async send(route: SmsRoute, message: SmsMessage) {
      const response = await fetcher(gatewayUrl(route, message), { signal: AbortSignal.timeout(15_000) });
      const body = await response.text();
      const answer = parseKannelAnswer(response.status, body);
      if (!answer.accepted) throw new SmsRejected(response.status, body.trim().slice(0, 200));
      return { reference: `${answer.code}: ${answer.text}` };
    },
  };
}
