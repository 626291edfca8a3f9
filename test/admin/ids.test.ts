// Ids at the edge: every tRPC procedure (enumerated from the router, so new ones are covered) refuses an
// id outside a Postgres integer, a fraction or a non-number with a validation error (BAD_REQUEST),
// never a 500 with the SQL logged. A review once found 73 of 234 such probes answering HTTP 500.
import { describe, expect, it } from 'vitest';
import { appRouter } from '../../src/admin/router.ts';
import { callerAs } from '../helpers/admin.ts';
import { useTestApp } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';

const api = useTestApp();

const BAD_IDS: unknown[] = [2147483648, -2147483649, 2 ** 53, 1e300, 1.5, 'abc'];
/** Names of id-like fields: `id`, `ids`, `…Id`, `…Ids`. */
const ID_NAME = /^(id|ids)$|Id$|Ids$/;

// Valibot schemas, as far as this test walks them.
interface Schema {
  type: string;
  entries?: Record<string, Schema>;
  wrapped?: Schema;
  item?: Schema;
  options?: Schema[];
  pipe?: unknown[];
  default?: unknown;
}

const unwrap = (s: Schema): Schema => (s.wrapped ? unwrap(s.wrapped) : s);
/**
 * How a field holds numbers: 'number' (an id or a list of ids), 'union' (a number or a string, values
 * taken as the XML API sends them, checked by the domain), or null (not numeric).
 */
function numeric(s: Schema): 'number' | 'union' | null {
  const base = unwrap(s);
  if (base.type === 'number') return 'number';
  if (base.type === 'array' && base.item) return numeric(base.item);
  return (base.options ?? []).some((o) => numeric(o) !== null) ? 'union' : null;
}
const isList = (s: Schema) => unwrap(s).type === 'array';

/** A plausible value for a schema (so a probe gets past the other fields to the id). */
function sample(s: Schema): unknown {
  const base = unwrap(s);
  switch (base.type) {
    case 'object':
    case 'strict_object':
    case 'loose_object': {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(base.entries ?? {})) {
        if (entry.type === 'optional' || entry.type === 'nullish' || entry.type === 'exact_optional') continue;
        out[key] = sample(entry);
      }
      return out;
    }
    case 'string':
      return '1';
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return base.item ? [sample(base.item)] : [];
    case 'picklist':
      return (base as unknown as { options: unknown[] }).options[0];
    case 'literal':
      return (base as unknown as { literal: unknown }).literal;
    case 'union':
    case 'variant':
      return base.options?.[0] ? sample(base.options[0]) : undefined;
    default:
      return undefined;
  }
}

interface Probe {
  path: string;
  field: string;
  kind: 'number' | 'union';
  build: (bad: unknown) => unknown;
}

/** Every id-like numeric field of every procedure's input (top level and nested objects). */
function probes(): Probe[] {
  const out: Probe[] = [];
  const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { inputs: Schema[] } }> })
    .procedures;
  for (const [path, procedure] of Object.entries(procedures)) {
    for (const input of procedure._def.inputs) {
      const walk = (schema: Schema, at: string[], build: (value: unknown) => unknown) => {
        const base = unwrap(schema);
        for (const [key, entry] of Object.entries(base.entries ?? {})) {
          const here = [...at, key];
          const withKey = (value: unknown) => {
            const whole = sample(base) as Record<string, unknown>;
            whole[key] = value;
            return build(whole);
          };
          const kind = ID_NAME.test(key) ? numeric(entry) : null;
          if (kind) {
            out.push({ path, field: here.join('.'), kind, build: (bad) => withKey(isList(entry) ? [bad] : bad) });
          } else if (['object', 'strict_object', 'loose_object'].includes(unwrap(entry).type)) {
            walk(entry, here, withKey);
          }
        }
      };
      walk(input, [], (v) => v);
    }
  }
  return out;
}

describe('ids at the edge of the admin API', () => {
  it('finds the id fields of the router (the probe list is not empty)', () => {
    const found = probes();
    expect(found.length).toBeGreaterThan(100);
    expect(found.map((p) => `${p.path}:${p.field}`)).toContain('users.get:id');
  });

  // Number fields: BAD_REQUEST from the schema. Fields taking a number or a string (values as the XML API
  // sends them): the domain's own answer (BAD_REQUEST or NOT_FOUND). Never a 500.
  it('answers every out-of-range, fractional or non-number id with a validation error, never a 500', async () => {
    const caller = (await callerAs(api, TEST.adminUsername)) as unknown as Record<string, unknown>;
    const failures: string[] = [];
    for (const probe of probes()) {
      const fn = probe.path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], caller);
      for (const bad of BAD_IDS) {
        const outcome = await (fn as (input: unknown) => Promise<unknown>)(probe.build(bad)).then(
          () => 'OK',
          (error: { code?: string }) => error.code ?? String(error),
        );
        const fine = probe.kind === 'number' ? ['BAD_REQUEST'] : ['BAD_REQUEST', 'NOT_FOUND'];
        if (!fine.includes(outcome)) failures.push(`${probe.path} ${probe.field}=${String(bad)}: ${outcome}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
