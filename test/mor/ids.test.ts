// Ids at the edge of the XML API: every id parameter of every method (enumerated from the registry, so
// new methods are covered) answers an out-of-range, fractional or non-number value with the method's
// documented answer, never HTTP 500.
import { describe, expect, it } from 'vitest';
import { METHODS } from '../../src/mor/registry.ts';
import { useTestApp } from '../helpers/app.ts';

const api = useTestApp();

const BAD_IDS = ['2147483648', '-2147483649', String(2 ** 53), '1e300', '1.5', 'abc'];
const ID_NAME = /(^|_)ids?$/;

describe('ids at the edge of the XML API', () => {
  it('never answers 500 to an id parameter outside a Postgres integer', async () => {
    const probes = METHODS.flatMap((method) =>
      method.params.filter((p) => ID_NAME.test(p.name)).map((p) => ({ method, param: p.name })),
    );
    expect(probes.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const { method, param } of probes) {
      for (const bad of BAD_IDS) {
        const params: Record<string, string> = { u: 'admin' };
        for (const p of method.params) if (p.required && p.name !== 'hash') params[p.name] = '1';
        params[param] = bad;
        delete params.hash;
        const reply = await api.call(method.name, params, { as: 'form', hashOf: method.hash ?? [] });
        if (reply.status >= 500)
          failures.push(`${method.name} ${param}=${bad}: ${reply.status} ${reply.body.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
