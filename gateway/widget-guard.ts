/**
 * @module gateway/widget-guard
 * Security policy of the public (widget-facing) REST routes, in one table, put
 * in front of their handlers without changing them:
 * - per client IP rate limits (`public`: the widget routes; `auth`:
 *   registration and login), shared by all nodes through Redis; over the
 *   limit → 429 with the error envelope and `retry-after` (seconds);
 * - the account's origin allow-list: a browser `Origin` outside a non-empty
 *   `allowed_origins` of the account the request acts for → 403 (requests
 *   with an agent token, without Origin, or from our own host pass:
 *   services/customers/token.ts `isOriginAllowed`);
 * - identity verification of `GET /api/customers/identify` when the account
 *   requires it (`user_hash`, see services/customers/token.ts); a verified
 *   identify also returns the visitor's `customer_token`. (`POST /api/customers`
 *   checks `user_hash` in its own handler, where the external id is parsed.)
 * The client IP is `Request.ip`: the TCP peer, or the `X-Forwarded-For` client
 * when the peer is one of `TRUSTED_PROXIES` (gateway/http/client-ip.ts).
 */
import { findCustomerById } from '../services/customers/records.js';
import {
  getOrCreateIdentitySecret,
  getWidgetSecurity,
  isOriginAllowed,
  signCustomerToken,
  verifyUserHash,
  type WidgetSecurity,
} from '../services/customers/token.js';
import { AppError } from '../services/errors.js';
import type { RateLimiter } from '../services/ratelimit/index.js';
import { isUuid } from '../services/validation.js';
import type { GatewayContext } from './context.js';
import { readToken } from './http/auth.js';
import { toErrorResponse } from './http/errors.js';
import type { Request, Response, Route } from './http/router.js';

type AccountOf = (ctx: GatewayContext, req: Request) => Promise<string | undefined>;

interface Policy {
  /** Which per-IP bucket the route draws from. */
  limit: 'public' | 'auth';
  /** The account the request acts for, to apply its allow-list (undefined: none named, let the handler answer). */
  account?: AccountOf;
  /** Identity verification of identify. */
  verifiesIdentity?: boolean;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const uuidOrUndefined = (value: unknown): string | undefined => (isUuid(value) ? value : undefined);

const accountInEnvelope =
  (key: string): AccountOf =>
  (_ctx, req) =>
    Promise.resolve(uuidOrUndefined(record(record(req.body)?.[key])?.account_id));
const accountInBody: AccountOf = (_ctx, req) => Promise.resolve(uuidOrUndefined(record(req.body)?.account_id));
const accountInQuery: AccountOf = (_ctx, req) => Promise.resolve(uuidOrUndefined(req.query.get('account_id')));
const accountOfCustomerParam: AccountOf = async (ctx, req) => {
  const id = req.params.id;
  if (!isUuid(id)) return undefined;
  return (await findCustomerById(ctx.pool, id))?.account_id;
};

/** `METHOD path` → policy. Routes not listed are not touched. */
const POLICIES: ReadonlyMap<string, Policy> = new Map<string, Policy>([
  ['POST /api/customers', { limit: 'public', account: accountInEnvelope('customer') }],
  ['POST /api/conversations', { limit: 'public', account: accountInEnvelope('conversation') }],
  ['GET /api/customers/identify', { limit: 'public', account: accountInQuery, verifiesIdentity: true }],
  ['GET /api/customers/:id/exists', { limit: 'public', account: accountOfCustomerParam }],
  ['PUT /api/customers/:id/metadata', { limit: 'public', account: accountOfCustomerParam }],
  ['GET /api/widget_settings', { limit: 'public', account: accountInQuery }],
  ['PUT /api/widget_settings/metadata', { limit: 'public', account: accountInBody }],
  ['POST /api/registration', { limit: 'auth' }],
  ['POST /api/session', { limit: 'auth' }],
  ['POST /api/session/renew', { limit: 'auth' }],
]);

const IDENTITY_FAILED = 'Identity verification failed';

/** Strings widgets send for "no value". */
function isBlank(value: string | null): boolean {
  return value === null || value === '' || value === 'null' || value === 'undefined';
}

/** The route with its policy's checks in front of its handler; a route without a policy is returned as it is. */
export function guardPublicRoute(ctx: GatewayContext, route: Route, limiter: RateLimiter): Route {
  const policy = POLICIES.get(`${route.method} ${route.path}`);
  return policy ? { ...route, handler: guarded(ctx, policy, route.handler, limiter) } : route;
}

function guarded(ctx: GatewayContext, policy: Policy, handler: Route['handler'], limiter: RateLimiter): Route['handler'] {
  const settings = ctx.config.rateLimits;
  return async (req) => {
    if (settings.enabled) {
      const limited = await checkRate(ctx, limiter, policy, req);
      if (limited) return limited;
    }
    const isAgent = readToken(req) !== undefined;
    let security: WidgetSecurity | null = null;
    if (policy.account && !isAgent) {
      const accountId = await policy.account(ctx, req);
      security = accountId ? await getWidgetSecurity(ctx.pool, accountId) : null;
      if (security && !isOriginAllowed(security.allowedOrigins, req.headers.origin, req.headers.host)) {
        throw new AppError('FORBIDDEN', { userMessage: 'Origin not allowed' });
      }
    }
    const verified = policy.verifiesIdentity && security ? await verifyIdentify(ctx, security, req) : false;
    const response = await handler(req);
    if (verified && security) addCustomerToken(ctx, security.accountId, response);
    return response;
  };
}

/** A 429 response when over the limit, else undefined. A failing limiter store lets the request through (logged). */
async function checkRate(ctx: GatewayContext, limiter: RateLimiter, policy: Policy, req: Request): Promise<Response | undefined> {
  try {
    const decision = await limiter.consume(`${policy.limit}:${req.ip}`, ctx.config.rateLimits[policy.limit]);
    if (decision.allowed) return undefined;
    const { status, body } = toErrorResponse(new AppError('RATE_LIMITED'), ctx.log, req.requestId);
    return { status, body, headers: { 'retry-after': String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) } };
  } catch (err) {
    ctx.log.warn('rate limiter unavailable; request allowed', { requestId: req.requestId, err });
    return undefined;
  }
}

/**
 * When the account requires identity verification, `user_hash` must be the
 * HMAC of `external_id` (403 "Identity verification failed" otherwise).
 * Returns whether the identity was verified. Blank parameters are left to the
 * handler's 422.
 */
async function verifyIdentify(ctx: GatewayContext, security: WidgetSecurity, req: Request): Promise<boolean> {
  if (!security.requireIdentityVerification) return false;
  const externalId = req.query.get('external_id');
  if (isBlank(externalId)) return false;
  const secret = await getOrCreateIdentitySecret(ctx.pool, security.accountId);
  if (!verifyUserHash(secret, externalId!, req.query.get('user_hash'))) throw new AppError('FORBIDDEN', { userMessage: IDENTITY_FAILED });
  return true;
}

function addCustomerToken(ctx: GatewayContext, accountId: string, response: Response): void {
  const data = record(record(response.body)?.data);
  const customerId = data?.customer_id;
  if (data && isUuid(customerId)) data.customer_token = signCustomerToken(ctx.config.secretKeyBase, accountId, customerId);
}
