// The admin API describes itself: GET /admin/catalogue.json (every procedure, input JSON Schema) and
// GET /openapi.json (OpenAPI 3.1 of tRPC over HTTP), both generated from the router and its valibot schemas.
import { describe, expect, it } from 'vitest';
import { appRouter } from '../../src/admin/router.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';

const api = useTestApp();
const get = (path: string, headers: Record<string, string> = {}) =>
  api.app.app.request(`http://openmor.test${path}`, { headers });

interface Entry {
  path: string;
  type: string;
  http: { method: string; url: string };
  input: { type?: string; properties?: Record<string, unknown>; required?: string[] } | null;
  output: null;
}

describe('admin API catalogue and OpenAPI document', () => {
  it('lists every procedure of the router with its input schema, without a token', async () => {
    const response = await get('/admin/catalogue.json');
    expect(response.status).toBe(200);
    const { procedures } = (await response.json()) as { procedures: Entry[] };
    const all = Object.keys((appRouter._def as unknown as { procedures: object }).procedures).sort();
    expect(procedures.map((p) => p.path).sort()).toEqual(all);
    const tariffsGet = procedures.find((p) => p.path === 'tariffs.get');
    expect(tariffsGet).toMatchObject({
      type: 'query',
      http: { method: 'GET', url: '/trpc/tariffs.get' },
      output: null,
    });
    expect(tariffsGet?.input).toMatchObject({
      type: 'object',
      properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } },
      required: ['id'],
    });
    expect(procedures.find((p) => p.path === 'tariffs.create')?.http.method).toBe('POST');
  });

  it('serves an OpenAPI 3.1 document whose paths call the API as described', async () => {
    const doc = (await (await get('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths)).toHaveLength(
      Object.keys((appRouter._def as unknown as { procedures: object }).procedures).length,
    );
    const query = doc.paths['/trpc/users.get']?.get;
    expect(query?.parameters?.[0]).toMatchObject({ name: 'input', in: 'query' });
    expect(doc.paths['/trpc/tariffs.create']?.post?.requestBody).toMatchObject({ required: true });

    // A mutation and a query exactly as the document describes them: POST a JSON body, GET with ?input=<JSON>.
    const auth = { authorization: `Bearer ${TEST.adminToken}` };
    const created = await api.app.app.request('http://openmor.test/trpc/tariffs.create', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Catalogue', purpose: 'user' }),
    });
    expect(created.status).toBe(200);
    const { id } = ((await created.json()) as { result: { data: { id: number } } }).result.data;
    const response = await get(`/trpc/tariffs.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, auth);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: { data: { name: string } } }).result.data.name).toBe('Catalogue');
  });
});
