import { type JsonSchema, toJsonSchema } from '@valibot/to-json-schema';
import type { GenericSchema } from 'valibot';
import { OPENMOR_VERSION } from '../version.ts';
import { appRouter } from './router.ts';

/** One tRPC procedure: how it is called over HTTP and the JSON schema of its input. */
export interface ProcedureEntry {
  path: string;
  type: 'query' | 'mutation';
  /** GET /trpc/<path>?input=<JSON> for queries, POST /trpc/<path> with a JSON body for mutations. */
  http: { method: 'GET' | 'POST'; url: string };
  /** JSON Schema (draft 2020-12) of the input, from the same valibot schema the server validates with; null: no input. */
  input: JsonSchema | null;
  /** Whether the input must be sent (false: it may be left out entirely). */
  inputRequired: boolean;
  /** No procedure declares an output schema: the answer's shape is given by the `AppRouter` type only. */
  output: null;
}

interface RouterDef {
  procedures: Record<string, { _def: { type: 'query' | 'mutation' | 'subscription'; inputs: GenericSchema[] } }>;
}

/**
 * The JSON Schema of a valibot schema. Checks JSON Schema cannot say (trim, custom checks, transforms)
 * are left out: the server still applies them, the schema describes the shape.
 */
const jsonSchemaOf = (schema: GenericSchema): JsonSchema => {
  const { $schema: _, ...rest } = toJsonSchema(schema, {
    target: 'draft-2020-12',
    typeMode: 'input',
    errorMode: 'ignore',
  });
  return rest;
};

/** Every procedure of the admin API, sorted by path (enumerated from the router, so none is missed). */
export function trpcCatalogue(): ProcedureEntry[] {
  const { procedures } = appRouter._def as unknown as RouterDef;
  return Object.entries(procedures)
    .filter(([, p]) => p._def.type !== 'subscription')
    .map(([path, p]) => {
      const type = p._def.type as 'query' | 'mutation';
      const schema = p._def.inputs[0];
      return {
        path,
        type,
        http: { method: type === 'query' ? 'GET' : 'POST', url: `/trpc/${path}` } as const,
        input: schema ? jsonSchemaOf(schema) : null,
        inputRequired: schema !== undefined && !['optional', 'nullish', 'undefinedable'].includes(schema.type),
        output: null,
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        message: { type: 'string' },
        code: { type: 'integer', description: 'JSON-RPC error number' },
        data: {
          type: 'object',
          properties: {
            code: { type: 'string', description: 'BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, …' },
            httpStatus: { type: 'integer' },
            path: { type: 'string' },
            detail: { description: 'Extra facts of a domain error (for example the offending rows)' },
            issues: {
              type: 'array',
              description: 'Validation errors: every issue of the input at once',
              items: {
                type: 'object',
                properties: { path: { type: 'string' }, message: { type: 'string' } },
                required: ['path', 'message'],
              },
            },
          },
          required: ['code', 'httpStatus'],
        },
      },
      required: ['message', 'code', 'data'],
    },
  },
  required: ['error'],
};

/**
 * OpenAPI 3.1 description of the JSON surface of the admin API (tRPC over HTTP without a transformer):
 * a query is `GET /trpc/<path>?input=<URL-encoded JSON>`, a mutation `POST /trpc/<path>` with the input
 * as the JSON body; a success answers `{"result":{"data":…}}`.
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const p of trpcCatalogue()) {
    const responses = {
      '200': {
        description: 'Success. The data has no published schema: its shape is the `AppRouter` TypeScript type.',
        content: {
          'application/json': {
            schema: { type: 'object', properties: { result: { type: 'object', properties: { data: {} } } } },
          },
        },
      },
      default: {
        description: 'An error (400 validation, 401 token, 403 rights, 404 missing, 409 conflict, …)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/TrpcError' } } },
      },
    };
    const operation: Record<string, unknown> = {
      operationId: p.path,
      tags: [p.path.split('.')[0]],
      responses,
    };
    if (p.type === 'query') {
      if (p.input)
        operation.parameters = [
          {
            name: 'input',
            in: 'query',
            required: p.inputRequired,
            description: 'The input as JSON (URL-encoded)',
            content: { 'application/json': { schema: p.input } },
          },
        ];
      paths[`/trpc/${p.path}`] = { get: operation };
    } else {
      if (p.input)
        operation.requestBody = {
          required: p.inputRequired,
          content: { 'application/json': { schema: p.input } },
        };
      paths[`/trpc/${p.path}`] = { post: operation };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'openmor admin API',
      version: OPENMOR_VERSION,
      description:
        'The typed admin API (tRPC) as plain JSON over HTTP. Authenticate with `Authorization: Bearer <token>`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { TrpcError: ERROR_SCHEMA },
    },
    paths,
  };
}
