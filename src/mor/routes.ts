import type { Context, Hono } from 'hono';
import { catalogue, catalogueXml } from './catalogue.ts';
import { type PipelineDeps, runPipeline } from './pipeline.ts';
import { renderXml } from './xml.ts';

const XML_TYPE = 'text/xml; charset=utf-8';

/** Client address of a request; supplied by the entry (each runtime exposes it differently). */
export type ClientIp = (request: Request, env: unknown) => string;

/** Mounts the XML API on `app` under `prefix` (`/billing/api` and `/api`), trailing slash tolerated. */
export function mountMor(app: Hono, prefix: string, deps: PipelineDeps, clientIp: ClientIp) {
  // Beyond MOR: the method catalogue (XML, or JSON with ?format=json / Accept: application/json).
  const showCatalogue = (c: Context) => {
    const wantsJson = c.req.query('format') === 'json' || (c.req.header('accept') ?? '').includes('application/json');
    if (wantsJson) return c.json({ methods: catalogue() });
    return c.body(renderXml(catalogueXml()), 200, { 'content-type': XML_TYPE });
  };
  app.get(prefix, showCatalogue);
  app.get(`${prefix}/`, showCatalogue);

  app.all(`${prefix}/*`, async (c) => {
    const rawPath = new URL(c.req.url).pathname;
    const { reply, html, status, gzip } = await runPipeline(deps, {
      request: c.req.raw,
      path: rawPath.slice(prefix.length + 1),
      clientIp: clientIp(c.req.raw, c.env),
    });
    switch (reply.kind) {
      case 'text':
        return c.body(reply.body, status as 200, { 'content-type': 'text/plain; charset=utf-8' });
      case 'redirect':
        return c.body(null, 302, { location: reply.location, ...reply.headers });
      default: {
        const body = renderXml(reply.root, { declaration: reply.declaration, html });
        const headers: Record<string, string> = { 'content-type': XML_TYPE, ...reply.headers };
        if (gzip && /\bgzip\b/i.test(c.req.header('accept-encoding') ?? '')) {
          headers['content-encoding'] = 'gzip';
          headers.vary = 'Accept-Encoding';
          const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'));
          return c.body(stream, status as 200, headers);
        }
        return c.body(body, status as 200, headers);
      }
    }
  });
}
