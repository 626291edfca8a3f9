/**
 * Writes docs/admin-api.md — every tRPC procedure with the JSON Schema of its input — from the router
 * (the same data `GET /admin/catalogue.json` and `GET /openapi.json` serve). test/docs/adminApi.test.ts
 * fails when it is out of date.
 */
import { writeFileSync } from 'node:fs';
import { trpcCatalogue } from '../src/admin/catalogue.ts';

type Json = Record<string, unknown>;

/** A field's JSON Schema in a few words: `integer 0…2147483647`, `string ≤255`, `"a" \| "b"`, `array of …`. */
function describe(schema: Json): string {
  if (schema.enum) return (schema.enum as unknown[]).map((e) => JSON.stringify(e)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.anyOf) return (schema.anyOf as Json[]).map(describe).join(' | ');
  const bounds = (lo: unknown, hi: unknown, unit = '') =>
    lo !== undefined && hi !== undefined
      ? ` ${lo}…${hi}${unit}`
      : lo !== undefined
        ? ` ≥${lo}${unit}`
        : hi !== undefined
          ? ` ≤${hi}${unit}`
          : '';
  switch (schema.type) {
    case 'integer':
    case 'number':
      return `${schema.type}${bounds(schema.minimum, schema.maximum)}`;
    case 'string':
      return `string${bounds(schema.minLength, schema.maxLength, ' chars')}${schema.format ? ` (${schema.format})` : ''}${schema.pattern ? ` matching \`${schema.pattern}\`` : ''}`;
    case 'array':
      return `array${bounds(schema.minItems, schema.maxItems, ' items')} of ${schema.items ? describe(schema.items as Json) : 'anything'}`;
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const required = new Set((schema.required ?? []) as string[]);
      const fields = Object.entries(props).map(([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${describe(v)}`);
      return `{ ${fields.join(', ')} }`;
    }
    case undefined:
      return 'any';
    default:
      return String(schema.type);
  }
}

/** The input as a table of its fields (an object) or one line (anything else). */
function inputTable(schema: Json, required: boolean): string[] {
  const head = `Input${required ? '' : ' (may be left out)'}`;
  if (schema.type !== 'object' || !schema.properties) return [`${head}: ${describe(schema).replaceAll('|', '\\|')}`];
  const names = new Set((schema.required ?? []) as string[]);
  const out = [
    `${head}${schema.additionalProperties === false ? ', unknown keys refused' : ''}:`,
    '',
    '| field | required | type | default |',
    '|---|---|---|---|',
  ];
  for (const [key, field] of Object.entries(schema.properties as Record<string, Json>)) {
    const dflt = 'default' in field ? `\`${JSON.stringify(field.default)}\`` : '';
    out.push(`| \`${key}\` | ${names.has(key) ? 'yes' : 'no'} | ${describe(field).replaceAll('|', '\\|')} | ${dflt} |`);
  }
  return out;
}

export function renderAdminApiDoc(): string {
  const entries = trpcCatalogue();
  const routers = [...new Set(entries.map((p) => p.path.split('.')[0]))];
  const out = [
    '# Admin API (tRPC) procedures',
    '',
    'Generated from the router (`src/admin/router.ts`) by `npm run docs:admin-api`; a running server serves the',
    'same list at `GET /admin/catalogue.json` and as an OpenAPI 3.1 document at `GET /openapi.json` (both',
    'public: they describe the interface, never data).',
    '',
    'Calling over HTTP (no transformer, plain JSON), with `Authorization: Bearer <token>`:',
    '',
    '- a **query**: `GET /trpc/<procedure>?input=<URL-encoded JSON>`;',
    '- a **mutation**: `POST /trpc/<procedure>` with the input as the JSON body;',
    '- success: `{"result":{"data":…}}`; failure: `{"error":{"message","code","data":{"code","httpStatus",…}}}`,',
    '  a validation failure (`BAD_REQUEST`) lists every issue in `data.issues` as `{ path, message }`.',
    '',
    'Inputs are JSON Schema (draft 2020-12) converted from the valibot schemas the server validates with;',
    'checks JSON Schema cannot express (trimming, cross-field checks, transforms) still apply on the server.',
    '**Outputs have no schema**: no procedure declares one; the answer’s shape is the `AppRouter` TypeScript',
    'type (`import type { AppRouter } from "openmor"`).',
    '',
    `${entries.length} procedures.`,
    '',
  ];
  for (const router of routers) {
    out.push(`## ${router}`, '');
    for (const p of entries.filter((e) => e.path.startsWith(`${router}.`))) {
      out.push(`### ${p.path}`, '', `${p.type} — \`${p.http.method} ${p.http.url}\``, '');
      if (!p.input) out.push('Input: none.', '');
      else out.push(...inputTable(p.input as Json, p.inputRequired), '');
    }
  }
  return out.join('\n');
}

if (process.argv[1]?.endsWith('gen-admin-api-doc.ts')) {
  writeFileSync('docs/admin-api.md', renderAdminApiDoc());
  console.log('docs/admin-api.md written');
}
