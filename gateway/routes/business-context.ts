/**
 * @module gateway/routes/business-context
 * The account's business context (docs/compatibility.md#widget-settings-and-business-context), with the original's bare
 * shapes: the object itself on success (no `data` envelope, `POST` answers 200),
 * `{"error": "Business context not found"}` (404), `{"errors": {field: [msg]}}`
 * (422) and `{"error": "business_context parameter is required"}` (400). Fixes
 * Q11: `PUT` creates a missing context and invalid input is a 422, never a 500.
 * Issue #13: creating and editing it is admin-only (403 in the usual envelope;
 * it steers the AI replies of the whole account); every agent may read it.
 *
 * These bare error bodies are the one exception to the `{error: {status, …}}`
 * envelope of the error edge (gateway/http/errors.ts); `legacyErrors` below maps
 * AppErrors to them, using the edge's status table, and rethrows everything else.
 */
import { AppError, isAppError } from '../../services/errors.js';
import {
  createBusinessContext,
  getBusinessContextRow,
  presentBusinessContext,
  upsertBusinessContext,
  ZBusinessContextInput,
} from '../../services/business-context/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, parseValue, type AuthScope } from '../http/auth.js';
import { HTTP_STATUS } from '../http/errors.js';
import type { Request, Response, Route } from '../http/router.js';
import { agentRoute, type BodySpec, ok } from './define.js';
import { businessContextSchema } from '../protocol/wire/index.js';
import { z } from 'zod';

const TAGS = ['Business context'];
const KEY = 'business_context';

/** `{ business_context: {...} }`, with the original's 400 message when the key is missing. */
const businessContextBody: BodySpec<z.infer<typeof ZBusinessContextInput>> = {
  schema: z.object({ [KEY]: ZBusinessContextInput }),
  parse(req: Request) {
    const body = req.body as Record<string, unknown> | undefined;
    const inner = body && typeof body === 'object' && !Array.isArray(body) ? body[KEY] : undefined;
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
      throw new AppError('BAD_REQUEST', { userMessage: `${KEY} parameter is required` });
    }
    return parseValue(inner, ZBusinessContextInput);
  },
};

/** Run a handler and answer its client errors in the original's bare shapes. */
async function legacyErrors(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (!isAppError(err)) throw err;
    const status = HTTP_STATUS[err.code];
    if (err.fieldErrors && status === 422) return { status, body: { errors: err.fieldErrors } };
    if (err.code === 'NOT_FOUND' || err.code === 'BAD_REQUEST') return { status, body: { error: err.userMessage } };
    throw err;
  }
}

export function businessContextRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  const withLegacyErrors = (route: Route): Route => ({ ...route, handler: (req) => legacyErrors(() => route.handler(req)) });
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/business_context',
      summary: "Your account's business context (bare object; 404 {error} when there is none)",
      tags: TAGS,
      response: ok(businessContextSchema),
      handler: async ({ user }) => {
        const row = await getBusinessContextRow(pool, user.account_id);
        if (!row) throw new AppError('NOT_FOUND', { userMessage: 'Business context not found' });
        return { body: presentBusinessContext(row) };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/business_context',
      summary: 'Create the business context (admin only; 200, bare object; a second one is 422)',
      tags: TAGS,
      response: ok(businessContextSchema),
      admin: true,
      body: businessContextBody,
      handler: async ({ user, body }) => ({ body: presentBusinessContext(await createBusinessContext(pool, user.account_id, body)) }),
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/business_context',
      summary: 'Update the business context, creating it when missing (admin only; bare object)',
      tags: TAGS,
      response: ok(businessContextSchema),
      admin: true,
      body: businessContextBody,
      handler: async ({ user, body }) => ({ body: presentBusinessContext(await upsertBusinessContext(pool, user.account_id, body)) }),
    }),
  ].map(withLegacyErrors);
}
