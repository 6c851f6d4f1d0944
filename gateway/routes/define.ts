/**
 * @module gateway/routes/define
 * Route builders that tie a route to the zod schemas it validates with, so the
 * OpenAPI document (`GET /api/openapi.json`) is generated from exactly what the
 * handler enforces. Order of checks, for every route: authentication (401),
 * admin role (403), then body and query (400 for a missing envelope or a body
 * that is not an object, 422 with `errors` per field).
 */
import { z } from 'zod';
import type { UserRow } from '../../services/users/index.js';
import { assertAdmin, parseBody, parseEnvelope, parseQuery, type AuthScope } from '../http/auth.js';
import type { Method, Request, Response, Route, RouteResponse } from '../http/router.js';
import { auditPlan, runAudited, type AuditSpec } from './audit-record.js';

/** How a route reads its body, and the schema of the whole body for the document. */
export interface BodySpec<T> {
  schema: z.ZodTypeAny;
  parse(req: Request): T;
}

/** The original's envelope: `{ "<key>": { …fields } }`. */
export function envelope<S extends z.ZodTypeAny>(key: string, inner: S): BodySpec<z.infer<S>> {
  return {
    schema: z.object({ [key]: inner }),
    parse: (req) => parseEnvelope(req, key, inner),
  };
}

/** A body without envelope; an empty body counts as `{}`. */
export function jsonBody<S extends z.ZodTypeAny>(schema: S): BodySpec<z.infer<S>> {
  return { schema, parse: (req) => parseBody(req, schema) };
}

/** `{ "data": <schema> }`: the original's success envelope. */
export function data<S extends z.ZodTypeAny>(schema: S): z.ZodObject<{ data: S }> {
  return z.object({ data: schema });
}

/** `{ "data": [<schema>, …] }`. */
export function dataList<S extends z.ZodTypeAny>(schema: S): z.ZodObject<{ data: z.ZodArray<S> }> {
  return z.object({ data: z.array(schema) });
}

/** A JSON success response (`status` 200 unless given; several when the route answers with more than one). */
export function ok(schema: z.ZodTypeAny, status: number | number[] = 200, description?: string): RouteResponse {
  return { status, schema, ...(description ? { description } : {}) };
}

/** A 201 JSON success response. */
export function created(schema: z.ZodTypeAny, description?: string): RouteResponse {
  return ok(schema, 201, description);
}

/** 204 No Content: no body, said explicitly. */
export const NO_CONTENT: RouteResponse = { status: 204, description: 'No content' };

/** A redirect (no JSON body). */
export function redirect(description: string, status = 302): RouteResponse {
  return { status, description };
}

/** A body that is not JSON (HTML, a file, plain text), with its content type. */
export function rawBody(contentType: string, description: string, status: number | number[] = 200): RouteResponse {
  return { status, contentType, description };
}

interface BaseSpec<B, Q> {
  method: Method;
  /** Relative to the scope prefix for agent routes (`/tags/:id`), absolute for public ones. */
  path: string;
  summary: string;
  tags: string[];
  body?: BodySpec<B>;
  query?: z.ZodType<Q, z.ZodTypeDef, unknown>;
  /** Path parameters, for the document (handlers still check them: malformed ids are 404). */
  params?: z.ZodTypeAny;
  cors?: boolean;
  /** Takes an `Idempotency-Key` header (documented in the OpenAPI document). */
  idempotent?: boolean;
  /** The success response: its status and body schema (the OpenAPI document publishes it; in tests the router checks every body against it). */
  response: RouteResponse;
}

export interface AgentInput<B, Q> {
  req: Request;
  user: UserRow;
  body: B;
  query: Q;
}

export interface PublicInput<B, Q> {
  req: Request;
  body: B;
  query: Q;
}

function schemasOf<B, Q>(spec: BaseSpec<B, Q>): Route['schemas'] {
  return {
    ...(spec.body ? { body: spec.body.schema } : {}),
    ...(spec.query ? { query: spec.query } : {}),
    ...(spec.params ? { params: spec.params } : {}),
  };
}

/** An agent route under the scope's prefix, authenticated by the scope (session token or API key). */
export function agentRoute<B = undefined, Q = undefined>(
  scope: AuthScope,
  spec: BaseSpec<B, Q> & {
    admin?: boolean;
    /** Audit log (audit-record.ts): admin mutations and DELETEs are audited by default; `true`/`{…}` opts in, `false` out. */
    audit?: boolean | AuditSpec<AgentInput<B, Q>>;
    handler(input: AgentInput<B, Q>): Promise<Response>;
  },
): Route {
  const audit = auditPlan(spec.method, spec.path, spec.admin, spec.audit);
  return {
    method: spec.method,
    path: scope.prefix + spec.path,
    summary: spec.summary,
    tags: spec.tags,
    auth: scope.kind === 'api_key' ? 'api_key' : spec.admin ? 'admin' : 'agent',
    schemas: schemasOf(spec),
    response: spec.response,
    ...(spec.idempotent ? { idempotent: true } : {}),
    ...(spec.cors ? { cors: true } : {}),
    handler: async (req) => {
      const user = await scope.authenticate(req);
      if (spec.admin) assertAdmin(user);
      const body = (spec.body ? spec.body.parse(req) : undefined) as B;
      const query = (spec.query ? parseQuery(req, spec.query) : undefined) as Q;
      const input = { req, user, body, query };
      return audit ? runAudited(scope.kind, audit, input, () => spec.handler(input)) : spec.handler(input);
    },
  };
}

/** A route anyone may call (widgets, password reset); it answers CORS preflights from any origin. */
export function publicRoute<B = undefined, Q = undefined>(
  spec: BaseSpec<B, Q> & {
    /** Who may call it (Route.auth): anyone (default), anyone or an agent whose token changes the answer, or a customer whose token the account may require. */
    auth?: 'public' | 'optional' | 'customer';
    handler(input: PublicInput<B, Q>): Promise<Response>;
  },
): Route {
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tags: spec.tags,
    auth: spec.auth ?? 'public',
    cors: spec.cors ?? true,
    schemas: schemasOf(spec),
    response: spec.response,
    ...(spec.idempotent ? { idempotent: true } : {}),
    handler: async (req) => {
      const body = (spec.body ? spec.body.parse(req) : undefined) as B;
      const query = (spec.query ? parseQuery(req, spec.query) : undefined) as Q;
      return spec.handler({ req, body, query });
    },
  };
}

/** Path parameter schemas for the document. */
export const ZUuidParams = z.object({ id: z.string().uuid() });
export const ZUserIdParams = z.object({ id: z.number().int().positive() });

/** `true`/`false` (also `1`/`0`) in a query string. */
export const ZQueryBool = z
  .enum(['true', 'false', '1', '0'], { errorMap: () => ({ message: 'must be true or false' }) })
  .transform((v) => v === 'true' || v === '1');

/** A single query value; a repeated key is an error rather than a silently dropped value. */
export function queryString(max = 255): z.ZodString {
  return z.string().max(max);
}
