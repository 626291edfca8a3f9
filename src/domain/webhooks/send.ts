import { signedHeaders } from './signing.ts';

/** A receiver has this long to answer a delivery. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface Attempt {
  ok: boolean;
  status: number | null;
  error: string;
}

/** The body of a delivery (Standard Webhooks payload: type, timestamp, data). */
export const deliveryBody = (type: string, createdAt: string, data: unknown) =>
  JSON.stringify({ type, timestamp: createdAt, data });

/**
 * POSTs one signed delivery. Any 2xx is success; another status, a network error or a timeout is a
 * failed attempt (never thrown).
 */
export async function postDelivery(
  fetcher: typeof fetch,
  hook: { url: string; secret: string },
  message: { id: string; body: string; now: Date },
): Promise<Attempt> {
  const timestamp = Math.floor(message.now.getTime() / 1000);
  try {
    const response = await fetcher(hook.url, {
      method: 'POST',
      headers: await signedHeaders(hook.secret, message.id, timestamp, message.body),
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => {});
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? '' : `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, status: null, error: String((error as Error)?.message ?? error).slice(0, 500) };
  }
}
