/**
 * @module gateway/http/router
 * A small router on uWebSockets.js: route table with `:params`, bounded body
 * reading (JSON or urlencoded), CORS, request ids and the single error edge.
 * uWS request objects are only valid until the first `await`, so everything
 * needed is copied out synchronously.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest as UwsRequest, HttpResponse as UwsResponse, TemplatedApp } from 'uWebSockets.js';
import type { ZodTypeAny } from 'zod';
import { isDeepStrictEqual } from 'node:util';
import { AppError, validationError } from '../../services/errors.js';
import type { Logger } from '../../services/log.js';
import type { AuditRecord } from '../../services/audit/index.js';
import type { TrustedProxies } from '../../services/config/trusted-proxies.js';
import { findHostileJson, hostileJsonErrors } from '../../services/validation.js';
import { clientAddress } from './client-ip.js';
import { toErrorResponse } from './errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Request {
  method: Method;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed body: an object for JSON/urlencoded, undefined when empty. */
  body: unknown;
  /** The client address: the TCP peer, or what a trusted proxy says in X-Forwarded-For (client-ip.ts). */
  ip: string;
  requestId: string;
  /** The body as received (multipart uploads are parsed by their handler). */
  rawBody: Buffer;
}

export interface Response {
  status?: number;
  /** Serialised as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** An audit event to write before answering (gateway/routes/audit-record.ts); never sent to the client. */
  audit?: AuditRecord;
}

export type Handler = (req: Request) => Promise<Response>;

/**
 * Who may call a route, for the OpenAPI document: `public` (no token), `optional`
 * (public, but an agent token changes behaviour), `agent` (session token),
 * `admin` (session token of an admin), `api_key` (`/api/v1`, personal API key),
 * `customer` (a widget route acting for a customer: public, but the customer's token
 * is needed when the account sets `require_customer_token`; an agent of the account may call it).
 */
export type RouteAuth = 'public' | 'optional' | 'customer' | 'agent' | 'admin' | 'api_key';

/** The zod schemas a route validates with; `GET /api/openapi.json` is generated from them. */
export interface RouteSchemas {
  /** The whole JSON body, envelope included (e.g. `{ tag: {...} }`). */
  body?: ZodTypeAny;
  /** An object schema of the query string. */
  query?: ZodTypeAny;
  /** An object schema of the path parameters. */
  params?: ZodTypeAny;
}

/**
 * A route's success response, for the OpenAPI document and the response check:
 * the status (or statuses) it answers with and, for JSON, the schema of the body
 * (gateway/protocol/wire). A 204 or a redirect has no schema; a body that is not
 * JSON names its content type.
 */
export interface RouteResponse {
  status: number | number[];
  schema?: ZodTypeAny;
  contentType?: string;
  description?: string;
}

export interface Route {
  method: Method;
  /** `/api/conversations/:id` style. */
  path: string;
  handler: Handler;
  /** Public routes answer CORS preflights from any origin (docs/compatibility.md#clients-built-for-the-original). */
  cors?: boolean;
  /** Documentation for the route table. */
  summary?: string;
  /** Body limit of this route when it differs from the router's (uploads). */
  maxBodyBytes?: number;
  /**
   * Runs when the request arrives, before its body is read (uploads): a
   * Response refuses it at once (the body is not read and the connection is
   * closed); otherwise the returned function is called once when the request
   * has been answered or the client went away.
   */
  admit?: (req: { ip: string; headers: Record<string, string>; requestId: string }) => Response | (() => void);
  /** OpenAPI grouping. */
  tags?: string[];
  auth?: RouteAuth;
  schemas?: RouteSchemas;
  /** The success response (every route declares one; the OpenAPI document is built from it). */
  response?: RouteResponse;
  /** Takes an `Idempotency-Key` header (gateway/routes/idempotency.ts): a retry answers the first result. */
  idempotent?: boolean;
}

interface CompiledRoute extends Route {
  segments: string[];
}

export interface RouterOptions {
  maxBodyBytes: number;
  log: Logger;
  /** Called for GET requests no route matched (static files, SPA). Return undefined for 404. */
  fallback?: (req: Request) => Promise<Response | undefined>;
  /** Peers whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`); absent or empty = nobody. */
  trustedProxies?: TrustedProxies;
  /**
   * Check every success response against its route's `response` (status and body schema) and
   * answer 500 when it does not match (logged as an error). Tests turn it on (the test runner sets
   * `NETIA_CHECK_RESPONSES=1`, the default here), so the whole suite is the contract test of the
   * presenters; production does not pay for it.
   */
  checkResponses?: boolean;
  /**
   * Writes a response's audit event (services/audit) before the response is sent. Resolves false
   * when the account is gone (the action deleted it). A failed write is logged as an error with the
   * whole event, so it is never silently lost; the action itself has already happened, so the
   * client still gets its answer.
   */
  audit?: (record: AuditRecord) => Promise<boolean>;
}

const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Authorization, X-Customer-Token, Idempotency-Key',
  'access-control-allow-credentials': 'true',
  'access-control-max-age': '600',
  // A widget on another origin must read how long to wait after a 503 or 429.
  'access-control-expose-headers': 'Retry-After',
};

const STATUS_TEXT: Record<number, string> = {
  200: '200 OK',
  201: '201 Created',
  204: '204 No Content',
  302: '302 Found',
  304: '304 Not Modified',
  400: '400 Bad Request',
  401: '401 Unauthorized',
  403: '403 Forbidden',
  404: '404 Not Found',
  405: '405 Method Not Allowed',
  406: '406 Not Acceptable',
  409: '409 Conflict',
  413: '413 Payload Too Large',
  415: '415 Unsupported Media Type',
  422: '422 Unprocessable Entity',
  429: '429 Too Many Requests',
  500: '500 Internal Server Error',
  503: '503 Service Unavailable',
};

/**
 * Why `response` does not match what `route` declares, or undefined when it does: a 2xx status
 * the route does not declare, or a JSON body its schema rejects or that carries keys the schema
 * does not know (zod strips them, so a parse that changes the body means undeclared fields).
 */
export function responseMismatch(route: Route, response: Response): string | undefined {
  const declared = route.response;
  const status = response.status ?? 200;
  if (!declared || status < 200 || status >= 300) return undefined;
  const statuses = Array.isArray(declared.status) ? declared.status : [declared.status];
  if (!statuses.includes(status)) return `status ${status}, declared ${statuses.join(' or ')}`;
  if (!declared.schema || response.raw !== undefined || response.body === undefined) return undefined;
  const body = JSON.parse(JSON.stringify(response.body)) as unknown;
  const parsed = declared.schema.safeParse(body);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  }
  const output = JSON.parse(JSON.stringify(parsed.data)) as unknown;
  if (!isDeepStrictEqual(output, body)) return 'the body has fields its schema does not declare';
  return undefined;
}

function statusLine(status: number): string {
  return STATUS_TEXT[status] ?? String(status);
}

function matchRoute(route: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  if (route.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = route.segments[i]!;
    const part = parts[i]!;
    if (seg.startsWith(':')) {
      try {
        params[seg.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (seg !== part) return undefined;
  }
  return params;
}

function parseBody(raw: Buffer, contentType: string): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType.startsWith('multipart/form-data')) return undefined; // the route reads `rawBody`
  let body: unknown;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    body = Object.fromEntries(new URLSearchParams(text));
  } else if (contentType === '' || contentType.includes('json') || contentType.includes('text/plain')) {
    try {
      // V8's JSON.parse is iterative: any nesting within the body limit parses (or fails) without a stack overflow.
      body = JSON.parse(text) as unknown;
    } catch {
      throw new AppError('BAD_REQUEST', { userMessage: 'Malformed JSON body' });
    }
  } else {
    throw new AppError('BAD_REQUEST', { userMessage: `Unsupported content type: ${contentType.split(';')[0]}` });
  }
  // Every route, whatever it does with the body afterwards (a schema with `z.unknown()`, a
  // signature check, JSON.stringify in a log or a query): nesting deeper than MAX_JSON_DEPTH
  // (recursive code would overflow the stack: a 500) and slonik-token-shaped objects are a 422.
  const hostile = findHostileJson(body);
  if (hostile !== undefined) throw validationError(hostileJsonErrors(hostile));
  return body;
}

/** One request's progress: answered or aborted, its handler started, and its `Route.admit` release. */
interface RequestState {
  aborted: boolean;
  running?: boolean;
  release: (() => void) | undefined;
}

function releaseOf(state: RequestState): void {
  const release = state.release;
  state.release = undefined;
  release?.();
}

export class Router {
  readonly #routes: CompiledRoute[] = [];
  readonly #opts: RouterOptions;

  readonly #checkResponses: boolean;

  constructor(opts: RouterOptions) {
    this.#opts = opts;
    this.#checkResponses = opts.checkResponses ?? false;
  }

  add(route: Route): this {
    this.#routes.push({ ...route, segments: route.path.split('/').filter(Boolean) });
    return this;
  }

  /** Every registered route (for the route table and the OpenAPI document). */
  routes(): readonly Route[] {
    return this.#routes;
  }

  /** Mount on a uWS app: every path not claimed by another uWS handler comes here. */
  mount(app: TemplatedApp): void {
    app.any('/*', (res, req) => this.#handle(res, req));
  }

  #handle(res: UwsResponse, req: UwsRequest): void {
    const method = req.getMethod().toUpperCase();
    const path = req.getUrl();
    const query = new URLSearchParams(req.getQuery() ?? '');
    const headers: Record<string, string> = {};
    req.forEach((k, v) => {
      // Repeated X-Forwarded-For headers form one list (RFC 7230 §3.2.2); other repeats: the last wins.
      headers[k] = k === 'x-forwarded-for' && headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
    });
    const ip = clientAddress(Buffer.from(res.getRemoteAddressAsText()).toString(), headers['x-forwarded-for'], this.#opts.trustedProxies);
    const requestId = headers['x-request-id']?.slice(0, 64) || randomUUID();
    const state: RequestState = { aborted: false, release: undefined };
    res.onAborted(() => {
      state.aborted = true;
      // Aborted while its body was still arriving: the handler will not run, so nothing else releases it.
      if (!state.running) releaseOf(state);
    });

    const parts = path.split('/').filter(Boolean);
    const candidates = this.#routes
      .map((r) => ({ route: r, params: matchRoute(r, parts) }))
      .filter((c): c is { route: CompiledRoute; params: Record<string, string> } => c.params !== undefined);
    const origin = headers.origin;
    const isCors = candidates.some((c) => c.route.cors);
    const corsHeaders: Record<string, string> =
      isCors && origin ? { 'access-control-allow-origin': origin, vary: 'Origin', ...CORS_HEADERS } : {};

    if (method === 'OPTIONS') {
      this.#send(res, state, { status: 204, headers: corsHeaders }, requestId);
      return;
    }
    const match = candidates.find((c) => c.route.method === method);
    const contentType = (headers['content-type'] ?? '').toLowerCase();
    const hasBody = method !== 'GET' && method !== 'DELETE' ? true : Number(headers['content-length'] ?? 0) > 0;

    const run = async (raw: Buffer): Promise<void> => {
      state.running = true;
      let response: Response;
      try {
        if (!match) {
          if (candidates.length > 0) throw new AppError('NOT_FOUND', { userMessage: 'Method not allowed' });
          const fallback =
            method === 'GET' && this.#opts.fallback
              ? await this.#opts.fallback({ method: 'GET', path, params: {}, query, headers, body: undefined, ip, requestId, rawBody: raw })
              : undefined;
          if (!fallback) throw new AppError('NOT_FOUND');
          response = fallback;
        } else {
          const body = parseBody(raw, contentType);
          response = await match.route.handler({
            method: method as Method,
            path,
            params: match.params,
            query,
            headers,
            body,
            ip,
            requestId,
            rawBody: raw,
          });
          const mismatch = this.#checkResponses ? responseMismatch(match.route, response) : undefined;
          if (mismatch !== undefined) {
            // Loud on purpose (tests only): the reason goes to the log and into the 500 the test sees.
            const message = `${method} ${match.route.path}: the response does not match its declared schema: ${mismatch}`;
            this.#opts.log.error('response schema mismatch', { requestId, message });
            response = { status: 500, body: { error: { status: 500, message } } };
          }
          if (response.audit) response = await this.#writeAudit(response, requestId);
        }
      } catch (err) {
        response = toErrorResponse(err, this.#opts.log, requestId);
      }
      this.#send(res, state, { ...response, headers: { ...corsHeaders, ...response.headers } }, requestId);
    };

    if (!hasBody) {
      void run(Buffer.alloc(0));
      return;
    }
    const limit = match?.route.maxBodyBytes ?? this.#opts.maxBodyBytes;
    const declared = Number(headers['content-length'] ?? 0);
    if (declared <= limit && match?.route.admit) {
      const admitted = match.route.admit({ ip, headers, requestId });
      if (typeof admitted !== 'function') {
        this.#send(res, state, { ...admitted, headers: { ...corsHeaders, ...admitted.headers, connection: 'close' } }, requestId);
        return;
      }
      state.release = admitted;
    }
    if (declared > limit) {
      this.#tooLarge(res, state, corsHeaders, requestId, limit);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let rejected = false;
    res.onData((chunk, isLast) => {
      if (rejected) return;
      size += chunk.byteLength;
      if (size > limit) {
        rejected = true;
        this.#tooLarge(res, state, corsHeaders, requestId, limit);
        return;
      }
      // uWS reuses the chunk's memory after this callback: copy it.
      chunks.push(Buffer.from(new Uint8Array(chunk).slice()));
      if (isLast) void run(Buffer.concat(chunks));
    });
  }

  async #writeAudit(response: Response, requestId: string): Promise<Response> {
    const { audit: record, ...rest } = response;
    const status = rest.status ?? 200;
    if (!record || status < 200 || status >= 300) return rest;
    try {
      if (!this.#opts.audit) throw new Error('the router has no audit writer');
      if (!(await this.#opts.audit(record))) {
        this.#opts.log.info('audit event not recorded: the account no longer exists', { requestId, action: record.action });
      }
    } catch (err) {
      const { actor, ...event } = record;
      const who = { userId: actor.userId, email: actor.email, role: actor.role, viaApiKey: actor.apiKeyDigest !== undefined };
      this.#opts.log.error('AUDIT EVENT NOT WRITTEN', { requestId, err, event: { ...event, actor: who } });
    }
    return rest;
  }

  #tooLarge(res: UwsResponse, state: RequestState, cors: Record<string, string>, requestId: string, limit: number): void {
    const body = { error: { status: 413, message: `Request body is larger than ${limit} bytes` } };
    this.#send(res, state, { status: 413, body, headers: { ...cors, connection: 'close' } }, requestId);
  }

  #send(res: UwsResponse, state: RequestState, response: Response, requestId: string): void {
    releaseOf(state);
    if (state.aborted) return;
    state.aborted = true; // never answer twice
    const status = response.status ?? 200;
    const payload = response.raw !== undefined ? response.raw : response.body === undefined ? '' : JSON.stringify(response.body);
    const contentType =
      response.contentType ?? (response.raw !== undefined ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
    res.cork(() => {
      res.writeStatus(statusLine(status));
      res.writeHeader('x-request-id', requestId);
      if (status !== 204 && payload !== '') res.writeHeader('content-type', contentType);
      // `connection: close` (a refused body) closes the socket once answered, or uWS would go on
      // reading whatever the client still sends; uWS writes that header itself.
      const close = response.headers?.connection === 'close';
      for (const [k, v] of Object.entries(response.headers ?? {})) if (!(close && k === 'connection')) res.writeHeader(k, v);
      if (status === 204) res.endWithoutBody();
      else if (close) res.end(payload, true);
      else res.end(payload);
    });
  }
}
