/**
 * @module gateway/widget-guard
 * Security policy of the public (widget-facing) REST routes, in one table, put
 * in front of their handlers without changing them:
 * - rate limits, shared by all nodes through Redis; over a limit → 429 with
 *   the error envelope and `retry-after` (seconds). Per client address (an
 *   IPv6 address by its /64): `public` (the widget routes), `upload`, `auth`
 *   (registration, login, session renewal, password reset); and per account
 *   (`account`: every visitor request acting for one account, from all
 *   addresses together). While the limiter store is down the `auth` bucket
 *   fails closed (503 + `retry-after`: a password guesser must not get
 *   unlimited tries because Redis is away); the others let requests through
 *   and log it;
 * - agents: an `Authorization` header must be a valid session (401 otherwise),
 *   and only an agent of the account the request acts for skips the visitor
 *   checks below (an agent of another account is a visitor there);
 * - the account's origin allow-list: a browser `Origin` outside a non-empty
 *   `allowed_origins` of the account the request acts for → 403 (requests
 *   without Origin or from our own host pass: services/customers/token.ts
 *   `isOriginAllowed`);
 * - the customer token, when the account sets `require_customer_token`: every
 *   route that acts for a customer (history, conversation creation, metadata,
 *   exists, an upload naming a customer, identify) needs the token of that
 *   customer, as the socket joins do; sent as `customer_token` (query, JSON
 *   body, multipart field) or the `X-Customer-Token` header. None → 401,
 *   another customer's → 403 (identify answers `customer_id: null` instead,
 *   so it tells nothing about other customers);
 * - identity verification of `GET /api/customers/identify` when the account
 *   requires it (`user_hash`, see services/customers/token.ts); a verified
 *   identify also returns the visitor's `customer_token`. (`POST /api/customers`
 *   checks `user_hash` in its own handler, where the external id is parsed.)
 * The client IP is `Request.ip`: the TCP peer, or the `X-Forwarded-For` client
 * when the peer is one of `TRUSTED_PROXIES` (gateway/http/client-ip.ts).
 */
import uWS from 'uWebSockets.js';
import { findBrowserSessionOwner, type BrowserSessionOwner } from '../services/browser-sessions/index.js';
import { findCustomerById } from '../services/customers/records.js';
import {
  getOrCreateIdentitySecret,
  getWidgetSecurity,
  isOriginAllowed,
  signCustomerToken,
  verifyCustomerToken,
  verifyUserHash,
  type WidgetSecurity,
} from '../services/customers/token.js';
import { AppError } from '../services/errors.js';
import { addressBucket, type RateLimit, type RateLimiter } from '../services/ratelimit/index.js';
import type { UserRow } from '../services/users/index.js';
import { isUuid } from '../services/validation.js';
import type { GatewayContext } from './context.js';
import { optionalAgent } from './http/auth.js';
import { toErrorResponse } from './http/errors.js';
import type { Request, Response, Route } from './http/router.js';

type AccountOf = (ctx: GatewayContext, req: Request) => Promise<string | undefined>;
type CustomerOf = (req: Request) => string | undefined;

interface Policy {
  /** Which per-address bucket the route draws from. */
  limit: 'public' | 'auth' | 'upload';
  /** The account a visitor's request acts for (undefined: none named, let the handler answer). Routes without it are not per-account. */
  account?: AccountOf;
  /** The handler acts in the agent's own account whatever the request names (optionalAgent + resolvePublicAccount). */
  agentUsesOwnAccount?: boolean;
  /** The customer the request acts for: needs its customer token when the account requires one. */
  customer?: CustomerOf;
  /** Identity verification (and the customer token, checked against the answer) of identify. */
  identify?: boolean;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const uuidOrUndefined = (value: unknown): string | undefined => (isUuid(value) ? value : undefined);
const stringOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The non-file fields of a multipart body (uploads), parsed once per request. */
const formFields = new WeakMap<Request, Record<string, string>>();
function formField(req: Request, name: string): string | undefined {
  let fields = formFields.get(req);
  if (!fields) {
    fields = Object.create(null) as Record<string, string>;
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.toLowerCase().startsWith('multipart/form-data') && req.rawBody?.length) {
      for (const part of uWS.getParts(req.rawBody, contentType) ?? []) {
        if (part.filename === undefined && part.data.byteLength <= 1024 && !(part.name in fields))
          fields[part.name] = Buffer.from(part.data).toString('utf8');
      }
    }
    formFields.set(req, fields);
  }
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

const accountInEnvelope =
  (key: string): AccountOf =>
  (_ctx, req) =>
    Promise.resolve(uuidOrUndefined(record(record(req.body)?.[key])?.account_id));
const accountInBody: AccountOf = (_ctx, req) => Promise.resolve(uuidOrUndefined(record(req.body)?.account_id));
const accountInQuery: AccountOf = (_ctx, req) => Promise.resolve(uuidOrUndefined(req.query.get('account_id')));
const accountInForm: AccountOf = (_ctx, req) => Promise.resolve(uuidOrUndefined(formField(req, 'account_id')));
const accountOfCustomerParam: AccountOf = async (ctx, req) => {
  const id = req.params.id;
  if (!isUuid(id)) return undefined;
  return (await findCustomerById(ctx.pool, id))?.account_id;
};

/** Session replay (issue #20): a `:id` route acts for the session's account and, when it has one, its customer. */
const browserSessionOwners = new WeakMap<Request, BrowserSessionOwner>();
const accountOfBrowserSessionParam: AccountOf = async (ctx, req) => {
  const id = req.params.id;
  const owner = isUuid(id) ? await findBrowserSessionOwner(ctx.pool, id) : null;
  if (!owner) return undefined;
  browserSessionOwners.set(req, owner);
  return owner.account_id;
};
const customerOfBrowserSessionParam: CustomerOf = (req) => browserSessionOwners.get(req)?.customer_id ?? undefined;
const customerInBody: CustomerOf = (req) => stringOrUndefined(record(req.body)?.customer_id);

const customerParam: CustomerOf = (req) => stringOrUndefined(req.params.id);
const customerInQuery: CustomerOf = (req) => stringOrUndefined(req.query.get('customer_id'));
const customerInEnvelope =
  (key: string): CustomerOf =>
  (req) =>
    stringOrUndefined(record(record(req.body)?.[key])?.customer_id);
const customerInForm: CustomerOf = (req) => stringOrUndefined(formField(req, 'customer_id'));

/** The customer token a visitor sent: `X-Customer-Token`, else `customer_token` in the query, the JSON body or the multipart form. */
function customerTokenOf(req: Request): string | undefined {
  return (
    stringOrUndefined(req.headers['x-customer-token']) ??
    stringOrUndefined(req.query.get('customer_token')) ??
    stringOrUndefined(record(req.body)?.customer_token) ??
    (req.method === 'POST' ? stringOrUndefined(formField(req, 'customer_token')) : undefined)
  );
}

/** `METHOD path` → policy. Routes not listed are not touched. */
const POLICIES: ReadonlyMap<string, Policy> = new Map<string, Policy>([
  ['POST /api/customers', { limit: 'public', account: accountInEnvelope('customer'), agentUsesOwnAccount: true }],
  [
    'POST /api/conversations',
    {
      limit: 'public',
      account: accountInEnvelope('conversation'),
      agentUsesOwnAccount: true,
      customer: customerInEnvelope('conversation'),
    },
  ],
  ['GET /api/conversations/customer', { limit: 'public', account: accountInQuery, customer: customerInQuery }],
  ['GET /api/customers/identify', { limit: 'public', account: accountInQuery, identify: true }],
  ['GET /api/customers/:id/exists', { limit: 'public', account: accountOfCustomerParam, customer: customerParam }],
  ['PUT /api/customers/:id/metadata', { limit: 'public', account: accountOfCustomerParam, customer: customerParam }],
  ['GET /api/widget_settings', { limit: 'public', account: accountInQuery }],
  ['PUT /api/widget_settings/metadata', { limit: 'public', account: accountInBody }],
  ['POST /api/upload', { limit: 'upload', account: accountInForm, agentUsesOwnAccount: true, customer: customerInForm }],
  [
    'POST /api/browser_sessions',
    { limit: 'public', account: accountInEnvelope('browser_session'), customer: customerInEnvelope('browser_session') },
  ],
  [
    'POST /api/browser_sessions/:id/finish',
    { limit: 'public', account: accountOfBrowserSessionParam, customer: customerOfBrowserSessionParam },
  ],
  [
    'POST /api/browser_sessions/:id/restart',
    { limit: 'public', account: accountOfBrowserSessionParam, customer: customerOfBrowserSessionParam },
  ],
  ['POST /api/browser_sessions/:id/identify', { limit: 'public', account: accountOfBrowserSessionParam, customer: customerInBody }],
  [
    'GET /api/browser_sessions/:id/exists',
    { limit: 'public', account: accountOfBrowserSessionParam, customer: customerOfBrowserSessionParam },
  ],
  ['POST /api/registration', { limit: 'auth' }],
  ['POST /api/session', { limit: 'auth' }],
  ['POST /api/session/renew', { limit: 'auth' }],
  ['POST /api/reset_password', { limit: 'auth' }],
  ['PUT /api/reset_password', { limit: 'auth' }],
  ['POST /api/verify_email', { limit: 'auth' }],
]);

const IDENTITY_FAILED = 'Identity verification failed';
const TOKEN_REQUIRED = 'Customer token required';
const TOKEN_INVALID = 'Invalid customer token';
/** Seconds a client is told to wait when the `auth` bucket cannot be checked. */
const STORE_DOWN_RETRY_SECONDS = 30;

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
      const limited = await checkRate(ctx, limiter, policy.limit, `${policy.limit}:${addressBucket(req.ip)}`, settings[policy.limit], req);
      if (limited) return limited;
    }
    if (!policy.account) return handler(req);

    // A token must be a valid session (401 otherwise, as on agent routes): a bare header proves nothing.
    const agent: UserRow | undefined = await optionalAgent(ctx.pool, req);
    const accountId = agent && policy.agentUsesOwnAccount ? agent.account_id : await policy.account(ctx, req);
    if (agent && agent.account_id === accountId) return handler(req);
    if (!accountId) return handler(req);

    const security = await getWidgetSecurity(ctx.pool, accountId);
    if (!security) return handler(req);
    // After the lookup: made-up account ids get no bucket of their own (the per-address one already counted them).
    if (settings.enabled) {
      const limited = await checkRate(ctx, limiter, 'account', `account:${accountId}`, settings.account, req);
      if (limited) return limited;
    }
    if (!isOriginAllowed(security.allowedOrigins, req.headers.origin, req.headers.host)) {
      throw new AppError('FORBIDDEN', { userMessage: 'Origin not allowed' });
    }
    if (policy.identify) return identify(ctx, security, req, handler);
    if (security.requireCustomerToken && policy.customer) {
      const customerId = policy.customer(req);
      // Not naming a customer is the handler's to answer (422, or an upload without one).
      if (customerId !== undefined) requireCustomerToken(ctx, accountId, customerId, req);
    }
    return handler(req);
  };
}

/** 401 without a token, 403 with one not issued for this customer of this account. */
function requireCustomerToken(ctx: GatewayContext, accountId: string, customerId: string, req: Request): void {
  const token = customerTokenOf(req);
  if (token === undefined) throw new AppError('UNAUTHENTICATED', { userMessage: TOKEN_REQUIRED });
  if (!verifyCustomerToken(ctx.config.secretKeyBase, accountId, customerId, token))
    throw new AppError('FORBIDDEN', { userMessage: TOKEN_INVALID });
}

/**
 * Identify for a visitor. When the account requires identity verification,
 * `user_hash` must be the HMAC of `external_id` (403 "Identity verification
 * failed" otherwise); a verified identify returns the customer's token.
 * Otherwise, an account requiring the customer token answers only a visitor
 * holding the token of the customer found (no token → 401; any other →
 * `customer_id: null`, the same as an unknown external id).
 * Blank parameters are left to the handler's 422.
 */
async function identify(ctx: GatewayContext, security: WidgetSecurity, req: Request, handler: Route['handler']): Promise<Response> {
  const externalId = req.query.get('external_id');
  if (isBlank(externalId)) return handler(req);
  let isVerified = false;
  if (security.requireIdentityVerification) {
    const secret = await getOrCreateIdentitySecret(ctx.pool, security.accountId);
    if (!verifyUserHash(secret, externalId!, req.query.get('user_hash'))) throw new AppError('FORBIDDEN', { userMessage: IDENTITY_FAILED });
    isVerified = true;
  }
  const token = customerTokenOf(req);
  const needsToken = security.requireCustomerToken && !isVerified;
  if (needsToken && token === undefined) throw new AppError('UNAUTHENTICATED', { userMessage: TOKEN_REQUIRED });
  const response = await handler(req);
  const data = record(record(response.body)?.data);
  const customerId = data?.customer_id;
  if (!data || !isUuid(customerId)) return response;
  if (isVerified) {
    data.customer_token = signCustomerToken(ctx.config.secretKeyBase, security.accountId, customerId);
  } else if (needsToken && !verifyCustomerToken(ctx.config.secretKeyBase, security.accountId, customerId, token)) {
    data.customer_id = null;
  }
  return response;
}

/**
 * A 429 response when over the limit, else undefined. A failing limiter store
 * refuses `auth` requests (503: fail closed) and lets the others through (logged).
 */
async function checkRate(
  ctx: GatewayContext,
  limiter: RateLimiter,
  bucket: Policy['limit'] | 'account',
  subject: string,
  limit: RateLimit,
  req: Request,
): Promise<Response | undefined> {
  try {
    const decision = await limiter.consume(subject, limit);
    if (decision.allowed) return undefined;
    return errorResponse(ctx, req, new AppError('RATE_LIMITED'), Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  } catch (err) {
    if (bucket === 'auth') {
      ctx.log.error('rate limiter unavailable; sign-in request refused', { requestId: req.requestId, err });
      const unavailable = new AppError('UNAVAILABLE', {
        userMessage: 'Signing in is temporarily unavailable. Please try again in a minute.',
      });
      return errorResponse(ctx, req, unavailable, STORE_DOWN_RETRY_SECONDS);
    }
    ctx.log.warn('rate limiter unavailable; request allowed', { requestId: req.requestId, bucket, err });
    return undefined;
  }
}

function errorResponse(ctx: GatewayContext, req: Request, error: AppError, retryAfterSeconds: number): Response {
  const { status, body } = toErrorResponse(error, ctx.log, req.requestId);
  return { status, body, headers: { 'retry-after': String(retryAfterSeconds) } };
}
