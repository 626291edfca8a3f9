// The admin API's input convention, checked over the whole router (so new procedures are covered):
// every input object is strict, the router's own entity id is `id`, a validation failure lists every issue.
import { describe, expect, it } from 'vitest';
import { trpcCatalogue } from '../../src/admin/catalogue.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';

const api = useTestApp();

type Json = {
  type?: string;
  properties?: Record<string, Json>;
  additionalProperties?: unknown;
  items?: Json;
  anyOf?: Json[];
};

/** Paths of object schemas (top level and nested) that accept unknown keys. */
function loose(schema: Json, at: string): string[] {
  // A record (`additionalProperties` is a schema: any key, typed values) is a dictionary, not an object.
  const record = typeof schema.additionalProperties === 'object';
  const here = schema.type === 'object' && schema.additionalProperties !== false && !record ? [at] : [];
  const nested = [
    ...Object.entries(schema.properties ?? {}).map(([k, s]) => loose(s, `${at}.${k}`)),
    ...(schema.items ? [loose(schema.items, `${at}[]`)] : []),
    ...(schema.anyOf ?? []).map((s) => loose(s, at)),
  ];
  return [...here, ...nested.flat()];
}

/** The entity key a router would wrongly use for its own id: `users` → `userId`, `cardGroups` → `cardGroupId`. */
const ownKey = (router: string) => `${router.replace(/ies$/, 'y').replace(/s$/, '')}Id`;

describe('admin API input convention', () => {
  it('every input object (nested ones too) refuses unknown keys', () => {
    const offenders = trpcCatalogue().flatMap((p) => (p.input ? loose(p.input as Json, p.path) : []));
    expect(offenders).toEqual([]);
  });

  it("names the router's own entity id `id`, never `<entity>Id`", () => {
    const catalogue = trpcCatalogue();
    const offenders = catalogue.filter((p) => {
      const key = ownKey(p.path.split('.')[0] as string);
      return Object.keys((p.input as Json | null)?.properties ?? {}).includes(key);
    });
    expect(offenders.map((p) => p.path)).toEqual([]);
    const users = catalogue.find((p) => p.path === 'users.get')?.input as Json;
    expect(Object.keys(users.properties ?? {})).toEqual(['id']);
  });

  it('answers BAD_REQUEST with every issue (path and message) at once, unknown keys included', async () => {
    const response = await api.app.app.request('http://openmor.test/trpc/tariffs.create', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', purpose: 'nonsense', tariffId: 3 }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as {
      error: { data: { code: string; issues: { path: string; message: string }[] } };
    };
    expect(error.data.code).toBe('BAD_REQUEST');
    expect(error.data.issues.map((i) => i.path).sort()).toEqual(['name', 'purpose', 'tariffId']);
    for (const issue of error.data.issues) expect(issue.message).not.toBe('');

    // The renamed key reaches the domain under its own name: users.get {id} finds the admin.
    const get = await api.app.app.request(
      `http://openmor.test/trpc/users.get?input=${encodeURIComponent(JSON.stringify({ id: 0 }))}`,
      { headers: { authorization: `Bearer ${TEST.adminToken}` } },
    );
    expect(get.status).toBe(200);
    expect(((await get.json()) as { result: { data: { username: string } } }).result.data.username).toBe(
      TEST.adminUsername,
    );
  });
});
