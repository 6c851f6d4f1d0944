/**
 * @module gateway/http/auth
 * Request authentication and body validation helpers used by route handlers.
 */
import type { DatabasePool } from 'slonik';
import type { z } from 'zod';
import { authenticateAccessToken } from '../../services/auth/tokens.js';
import { AppError, validationError } from '../../services/errors.js';
import type { UserRow } from '../../services/users/index.js';
import { fieldErrorsFromZod, isUuid } from '../../services/validation.js';
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

export function parseValue<S extends z.ZodTypeAny>(value: unknown, schema: S): z.infer<S> {
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
