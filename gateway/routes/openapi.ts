/**
 * @module gateway/routes/openapi
 * `GET /api/openapi.json`: an OpenAPI 3.1 document generated at the first
 * request from the router's own route table, so it lists exactly the routes the
 * gateway serves. Request bodies, query and path parameters come from the zod
 * schemas the routes validate with (`Route.schemas`, via zod-to-json-schema);
 * routes without schemas are listed with their path parameters only. Success
 * responses come from `Route.response`: the wire schemas of gateway/protocol/wire
 * become named components (`#/components/schemas/Message` …), referenced wherever
 * a response uses them.
 */
import { ignoreOverride, zodToJsonSchema } from 'zod-to-json-schema';
import { ZodType, type ZodTypeAny, type ZodTypeDef } from 'zod';
import * as wire from '../protocol/wire/index.js';
import type { GatewayContext } from '../context.js';
import type { Route, RouteAuth } from '../http/router.js';
import { publicRoute, rawBody } from './define.js';

type JsonObject = Record<string, unknown>;

/** The exported `*Schema`s of gateway/protocol/wire, by name. */
const WIRE_SCHEMAS: ReadonlyArray<[string, ZodTypeAny]> = Object.entries(wire).flatMap(([name, value]): Array<[string, ZodTypeAny]> =>
  name.endsWith('Schema') && value instanceof ZodType ? [[name, value]] : [],
);

/** `messageSchema` → `Message`: every wire schema is a named component (an alias such as `shoutEventSchema` takes the shortest name). */
const COMPONENTS: ReadonlyMap<ZodTypeDef, string> = (() => {
  const names = new Map<ZodTypeDef, string>();
  for (const [name, schema] of WIRE_SCHEMAS) {
    const component = name[0]!.toUpperCase() + name.slice(1, -'Schema'.length);
    const def = schema._def as ZodTypeDef;
    const taken = names.get(def);
    if (taken === undefined || component.length < taken.length) names.set(def, component);
  }
  return names;
})();

/**
 * JSON Schema (2019-09 dialect, which OpenAPI 3.1's 2020-12 dialect reads the same for these schemas) of a zod schema,
 * inlined; with `refs`, wire schemas inside it (not the root itself) become `$ref`s to their components.
 */
function jsonSchema(schema: ZodTypeAny, refs = false): JsonObject {
  const out = zodToJsonSchema(schema as ZodType<unknown>, {
    target: 'jsonSchema2019-09',
    $refStrategy: 'none',
    effectStrategy: 'input',
    ...(refs
      ? {
          override: (def: ZodTypeDef, r: { currentPath: string[] }) => {
            const name = COMPONENTS.get(def);
            return name !== undefined && r.currentPath.length > 1 ? { $ref: `#/components/schemas/${name}` } : ignoreOverride;
          },
        }
      : {}),
  }) as JsonObject;
  delete out.$schema;
  return out;
}

/** The schema of a response body: a component's `$ref` when it is one, else inlined with `$ref`s inside. */
function responseSchema(schema: ZodTypeAny): JsonObject {
  const name = COMPONENTS.get(schema._def as ZodTypeDef);
  return name !== undefined ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, true);
}

/** Every wire component, each with `$ref`s to the others. */
function componentSchemas(): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const [, schema] of WIRE_SCHEMAS) out[COMPONENTS.get(schema._def as ZodTypeDef)!] ??= jsonSchema(schema, true);
  return out;
}

const REDIRECT_HEADERS = { Location: { description: 'Where to go', schema: { type: 'string' } } };

/** The declared success responses of a route (`Route.response`), by status. */
function successResponses(route: Route): JsonObject {
  const declared = route.response;
  if (!declared) return {};
  const out: JsonObject = {};
  for (const status of Array.isArray(declared.status) ? declared.status : [declared.status]) {
    if (status === 204) out['204'] = { description: declared.description ?? 'No content' };
    else if (status >= 300 && status < 400) out[String(status)] = { description: 'Redirect', headers: REDIRECT_HEADERS };
    else if (declared.schema)
      out[String(status)] = {
        description: declared.description ?? 'Success',
        content: { 'application/json': { schema: responseSchema(declared.schema) } },
      };
    else
      out[String(status)] = {
        description: declared.description ?? 'Success',
        content: { [declared.contentType ?? 'application/octet-stream']: { schema: { type: 'string' } } },
      };
  }
  return out;
}

/** `/api/users/:id/role` → `/api/users/{id}/role`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

const ERROR = { $ref: '#/components/schemas/Error' };

/** The security requirements of who may call a route: what its definition declares (`Route.auth`; tests/gateway/openapi-auth.test.ts checks it against what the router enforces). */
function security(auth: RouteAuth | undefined): JsonObject[] | undefined {
  switch (auth) {
    case 'agent':
    case 'admin':
      return [{ sessionToken: [] }];
    case 'api_key':
      return [{ personalApiKey: [] }];
    case 'optional':
      return [{}, { sessionToken: [] }];
    case 'customer':
      return [{}, { customerToken: [] }, { sessionToken: [] }];
    case 'public':
      return [];
    default:
      return undefined;
  }
}

function responses(route: Route): JsonObject {
  const out: JsonObject = successResponses(route);
  const auth = route.auth;
  if (auth === 'customer')
    out['401'] = {
      description: 'The account requires the customer token and none was sent, or an agent token is invalid',
      content: { 'application/json': { schema: ERROR } },
    };
  else if (auth && auth !== 'public')
    out['401'] = { description: 'Not authenticated, or the user is disabled', content: { 'application/json': { schema: ERROR } } };
  if (auth === 'admin')
    out['403'] = { description: 'Not an admin ("Unauthorized access")', content: { 'application/json': { schema: ERROR } } };
  if (route.path.includes(':'))
    out['404'] = {
      description: 'Not found (unknown, malformed or another account’s id)',
      content: { 'application/json': { schema: ERROR } },
    };
  if (route.schemas?.body || route.schemas?.query) {
    out['400'] = { description: 'Malformed JSON or missing envelope', content: { 'application/json': { schema: ERROR } } };
    out['422'] = { description: 'Invalid fields, with `errors` per field', content: { 'application/json': { schema: ERROR } } };
  }
  return out;
}

function parameters(route: Route): JsonObject[] {
  const params: JsonObject[] = [];
  const pathSchema = route.schemas?.params ? jsonSchema(route.schemas.params) : undefined;
  const pathProps = (pathSchema?.properties ?? {}) as Record<string, JsonObject>;
  for (const name of pathParamNames(route.path)) {
    params.push({ name, in: 'path', required: true, schema: pathProps[name] ?? { type: 'string' } });
  }
  if (route.idempotent) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the same key with the same body within 24 h answers the first result (header `Idempotent-Replayed: true`) ' +
        'and creates nothing; with another body, 422. 1–255 visible ASCII characters; at least 16 for anonymous callers.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  if (route.schemas?.query) {
    const query = jsonSchema(route.schemas.query);
    const required = new Set((query.required ?? []) as string[]);
    for (const [name, schema] of Object.entries((query.properties ?? {}) as Record<string, JsonObject>)) {
      const isArray = schema.type === 'array';
      params.push({ name, in: 'query', required: required.has(name), schema, ...(isArray ? { style: 'form', explode: true } : {}) });
    }
  }
  return params;
}

/** The OpenAPI 3.1 document of a route table. */
export function buildOpenApiDocument(routes: readonly Route[]): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    const method = route.method.toLowerCase();
    const operation: JsonObject = {
      operationId: `${method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: route.summary ?? `${route.method} ${route.path}`,
      tags: route.tags ?? [route.path.split('/')[2] ?? 'api'],
      parameters: parameters(route),
      responses: responses(route),
    };
    const sec = security(route.auth);
    if (sec) operation.security = sec;
    if (route.auth === 'admin') operation['x-admin-only'] = true;
    if (route.schemas?.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.schemas.body) } } };
    }
    (paths[path] ??= {})[method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Netia API',
      version: '1',
      description:
        'REST API of Netia, wire-compatible with the original Netia (Papercups fork). Success bodies are `{"data": …}` ' +
        '(business context: bare objects); errors are `{"error": {"status", "message", "errors"?}}`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        sessionToken: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'The session token from POST /api/session, raw (as the original) or as `Bearer <token>`',
        },
        personalApiKey: { type: 'http', scheme: 'bearer', description: 'A personal API key (POST /api/personal_api_keys), for /api/v1' },
        customerToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Customer-Token',
          description:
            'The token of the customer a widget route acts for, needed when the account sets `require_customer_token` ' +
            '(also accepted as `customer_token` in the query, the JSON body or the multipart form)',
        },
      },
      schemas: {
        ...componentSchemas(),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['status', 'message'],
              properties: {
                status: { type: 'integer' },
                message: { type: 'string' },
                errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
  };
}

/** `routes` is read at the first request, when the router holds every route (this one included). */
export function openApiRoutes(_ctx: GatewayContext, routes: () => readonly Route[]): Route[] {
  let document: string | undefined;
  return [
    publicRoute({
      method: 'GET',
      path: '/api/openapi.json',
      summary: 'This OpenAPI 3.1 document',
      tags: ['Meta'],
      response: rawBody('application/json', 'This OpenAPI 3.1 document'),
      handler: () => {
        document ??= JSON.stringify(buildOpenApiDocument(routes()));
        return Promise.resolve({ raw: document, contentType: 'application/json; charset=utf-8' });
      },
    }),
  ];
}
