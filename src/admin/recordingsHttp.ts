import type { Hono } from 'hono';
import type { Ctx } from '../domain/ctx.ts';
import { DomainError } from '../domain/errors.ts';
import { addRecording } from '../domain/recordings/addRecording.ts';
import { isObjectKey } from '../domain/recordings/objectStore.ts';
import type { AdminDeps } from './trpc.ts';

const declaredLength = (value: string | undefined) =>
  value !== undefined && /^\d{1,12}$/.test(value) ? Number(value) : undefined;

const STATUS = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID: 400,
  CONFLICT: 409,
  DISABLED: 503,
  UNAUTHENTICATED: 401,
} as const;

/**
 * Recording audio over plain HTTP (a tRPC answer is one JSON document; audio is a stream):
 * - `PUT /admin/recordings?uniqueid=<call>&comment=<text>` — admin bearer token; the body (audio/mpeg)
 *   streams into the object store and the recording row is written from the call's CDR. 201 `{ id, size }`.
 * - `GET /billing/recordings/<key>` — the audio, as recordings_get's `mp3_url` names it. The key is a
 *   random UUID: the URL is a capability, as MOR's recording links are.
 */
export function mountRecordings(
  app: Hono,
  deps: Pick<AdminDeps, 'handle' | 'authCache' | 'log' | 'clock' | 'clientIp' | 'objects'>,
) {
  app.put('/admin/recordings', async (c) => {
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? '';
    const actor = token ? await deps.authCache.token(token) : null;
    if (!actor) return c.json({ error: 'Missing or invalid bearer token' }, 401);
    const body = c.req.raw.body;
    if (!body) return c.json({ error: 'No audio in the request body' }, 400);
    const ctx: Ctx = {
      db: deps.handle.db,
      actor,
      clock: deps.clock,
      log: deps.log,
      ip: deps.clientIp(c.req.raw, c.env),
      invalidateAuth: () => deps.authCache.invalidate(),
      objects: deps.objects,
    };
    try {
      const { id, size } = await addRecording(
        ctx,
        { uniqueid: c.req.query('uniqueid') ?? '', comment: c.req.query('comment') },
        body,
        c.req.header('content-type') ?? 'audio/mpeg',
        declaredLength(c.req.header('content-length')),
      );
      return c.json({ id, size }, 201);
    } catch (error) {
      if (error instanceof DomainError) return c.json({ error: error.message }, STATUS[error.code]);
      throw error;
    }
  });

  app.get('/billing/recordings/:key', async (c) => {
    const key = c.req.param('key');
    if (!deps.objects || !isObjectKey(key)) return c.text('Not Found', 404);
    const object = await deps.objects.get(key);
    if (!object) return c.text('Not Found', 404);
    return new Response(object.body, {
      headers: { 'content-type': object.contentType, 'content-length': String(object.size) },
    });
  });
}
