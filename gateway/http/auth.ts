/**
 * @module gateway/http/auth
 * Request authentication and body validation helpers used by route handlers.
 * Every authenticator re-reads the user from the database, so disabling a user,
 * changing a role, logging out or deleting an API key takes effect on the next
 * request (the original cached sessions: Q10).
 */
import type { DatabasePool } from 'slonik';
import type { z } from 'zod';
import { authenticateApiKey, type ApiKeyRow } from '../../services/api-keys/index.js';
import { authenticateAccessToken } from '../../services/auth/tokens.js';
import { AppError, validationError } from '../../services/errors.js';
import type { UserRow } from '../../services/users/index.js';
import { fieldErrorsFromZod, findHostileJson, hostileJsonErrors, isUuid } from '../../services/validation.js';
import type { Request } from './router.js';

/** The raw agent token: `Authorization: <token>` as the original, or `Bearer <token>`. */
export function readToken(req: Request): string | undefined {
  const header = req.headers.authorization?.trim();
  if (!header) return undefined;
  return header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : header;
}

/** The enabled agent behind the request. Throws UNAUTHENTICATED / ACCOUNT_DISABLED. */
export async function requireAgent(pool: DatabasePool, req: Request): Promise<UserRow> {
  const token = readToken(req);
  if (!token) throw new AppError('UNAUTHENTICATED');
  return authenticateAccessToken(pool, token);
}

/** The agent if a token is sent (it must then be valid), else undefined: for routes that are public or agent. */
export async function optionalAgent(pool: DatabasePool, req: Request): Promise<UserRow | undefined> {
  const token = readToken(req);
  return token ? authenticateAccessToken(pool, token) : undefined;
}

/**
 * Validate `req.body[key]` (the original's envelope, e.g. `{ "customer": {...} }`) with a zod schema.
 * A missing envelope is a 400 naming it; invalid fields are a 422 with `errors`.
 */
export function parseEnvelope<S extends z.ZodTypeAny>(req: Request, key: string, schema: S): z.infer<S> {
  const body = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('BAD_REQUEST', { userMessage: `Request body must be a JSON object with a "${key}" key` });
  }
  const inner = (body as Record<string, unknown>)[key];
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
    throw new AppError('BAD_REQUEST', { userMessage: `The "${key}" parameter is required and must be an object` });
  }
  return parseValue(inner, schema);
}

/**
 * Validate a value with a zod schema; invalid fields are a 422 with `errors`. Before the
 * schema, the value is walked once (iteratively) for what must never reach a query whatever
 * the schema lets through (`z.unknown()` metadata, custom fields…): strings or keys with
 * U+0000 (PostgreSQL refuses them and fails the whole statement), nesting deeper than
 * MAX_JSON_DEPTH and objects shaped like slonik SQL tokens (services/validation.ts).
 */
export function parseValue<S extends z.ZodTypeAny>(value: unknown, schema: S): z.infer<S> {
  const hostile = findHostileJson(value, { nul: true });
  if (hostile !== undefined) throw validationError(hostileJsonErrors(hostile));
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(fieldErrorsFromZod(result.error));
  return result.data as z.infer<S>;
}

/** A path parameter that must be a UUID: anything else is a 404 (it cannot name a record). */
export function uuidParam(req: Request, name: string): string {
  const value = req.params[name];
  if (!isUuid(value)) throw new AppError('NOT_FOUND');
  return value;
}

/**
 * The scope of the personal API key a user was authenticated with, by user object
 * (set by `apiKeyScope` for that request's user only). Session-token users are absent.
 */
const keyScopeOf = new WeakMap<object, ApiKeyRow['scope']>();

/**
 * 403 for a non-admin on an admin-only action (the original answered 401 here; 401 stays for authentication),
 * and for an admin calling through an API key whose scope is not `admin`.
 */
export function assertAdmin(user: Pick<UserRow, 'role'>): void {
  if (user.role !== 'admin') throw new AppError('FORBIDDEN', { userMessage: 'Unauthorized access' });
  const keyScope = keyScopeOf.get(user);
  if (keyScope !== undefined && keyScope !== 'admin') {
    throw new AppError('FORBIDDEN', {
      userMessage: `This API key has the ${keyScope} scope: admin-only actions need a key with the admin scope`,
    });
  }
}

/** The enabled agent behind the request, who must be an admin (401 / 403). */
export async function requireAdmin(pool: DatabasePool, req: Request): Promise<UserRow> {
  const user = await requireAgent(pool, req);
  assertAdmin(user);
  return user;
}

/**
 * The user of the personal API key in `Authorization: Bearer <key>` (`/api/v1`), if the key's
 * scope allows the request (docs/compatibility.md#accounts-users-invitations-and-api-keys):
 * - `read`: GET requests only; anything else is a 403 naming the scope;
 * - `write`: any method, but `assertAdmin` (admin-only routes) answers 403 naming the scope;
 * - `admin`: whatever the user's role allows, as every key did before scopes.
 * Throws UNAUTHENTICATED / ACCOUNT_DISABLED / FORBIDDEN.
 */
export async function requireApiKeyUser(pool: DatabasePool, req: Request): Promise<UserRow> {
  const key = readToken(req);
  if (!key) throw new AppError('UNAUTHENTICATED');
  const { user, scope } = await authenticateApiKey(pool, key);
  if (scope === 'read' && req.method !== 'GET') {
    throw new AppError('FORBIDDEN', {
      userMessage: `This API key has the read scope: it can only make GET requests (${req.method} needs a key with the write or admin scope)`,
    });
  }
  // The user object is fresh for this request (read from the database above), so the mark cannot leak to another request.
  keyScopeOf.set(user, scope);
  return user;
}

/**
 * How a family of agent routes is mounted: under `/api` with session tokens, or
 * under `/api/v1` with personal API keys (docs/compatibility.md#accounts-users-invitations-and-api-keys). The handlers are
 * the same; only the prefix and the authenticator differ.
 */
export interface AuthScope {
  kind: 'agent' | 'api_key';
  prefix: '/api' | '/api/v1';
  authenticate(req: Request): Promise<UserRow>;
}

export function agentScope(pool: DatabasePool): AuthScope {
  return { kind: 'agent', prefix: '/api', authenticate: (req) => requireAgent(pool, req) };
}

/** `/api/v1`: personal API keys, whose scope (read, write, admin) is enforced here and in `assertAdmin`. */
export function apiKeyScope(pool: DatabasePool): AuthScope {
  return { kind: 'api_key', prefix: '/api/v1', authenticate: (req) => requireApiKeyUser(pool, req) };
}

/**
 * The query string as a plain object for zod: `k=v` → string, a repeated key or
 * `k[]=v` → array of strings.
 */
export function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  // No prototype: a `__proto__` parameter is then a plain key, never the object's prototype.
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [rawKey, value] of query) {
    const isArray = rawKey.endsWith('[]');
    const key = isArray ? rawKey.slice(0, -2) : rawKey;
    const existing = out[key];
    if (existing === undefined) out[key] = isArray ? [value] : value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** Validate the query string with a zod object schema; invalid parameters are a 422 with `errors`. */
export function parseQuery<S extends z.ZodTypeAny>(req: Request, schema: S): z.infer<S> {
  return parseValue(queryObject(req.query), schema);
}

/** Validate a body without envelope (e.g. `{ "email": … }`): not a JSON object → 400, invalid fields → 422. */
export function parseBody<S extends z.ZodTypeAny>(req: Request, schema: S): z.infer<S> {
  const body = req.body ?? {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('BAD_REQUEST', { userMessage: 'Request body must be a JSON object' });
  }
  return parseValue(body, schema);
}

/** A path parameter that must be a positive 32-bit integer (user ids): anything else is a 404. */
export function intParam(req: Request, name: string): number {
  const value = req.params[name] ?? '';
  if (!/^[1-9][0-9]{0,9}$/.test(value)) throw new AppError('NOT_FOUND');
  const n = Number(value);
  if (n > 2_147_483_647) throw new AppError('NOT_FOUND');
  return n;
}
