/**
 * @module gateway/routes/audit-record
 * Which agent routes are audited and the event each records (issue #18 item 5,
 * services/audit). `agentRoute` (define.ts) asks `auditPlan` once per route and
 * runs audited handlers through `runAudited`, which attaches the event to the
 * handler's 2xx response; the router (gateway/http/router.ts) writes it before
 * answering. So a new admin route or a new DELETE is audited without its author
 * doing anything; any other route opts in with `audit: true` or
 * `audit: { target, action, before, redact }`, and `audit: false` opts out.
 *
 * Audited by default: every `admin: true` route that is not a GET, and every
 * DELETE. An admin GET is audited only when it says so (completing an OAuth
 * install, revealing a secret).
 *
 * What changed: with a `before` loader (settings routes, and the deletes and
 * team actions whose target can be loaded) the target as it was and the
 * response's `data` as it is (null after a delete); otherwise the request body.
 * Secrets are redacted (services/audit `redact`, plus the route's `redact` names).
 *
 * The target: the path's first parameter, else the response's `data.id`; the
 * account's own settings (`/accounts/me/…`) name the account (target
 * `account`, its id; `me` is not part of the action: `account.security.update`).
 */
import { apiKeyDigest, redact, type AuditRecord } from '../../services/audit/index.js';
import type { UserRow } from '../../services/users/index.js';
import { readToken } from '../http/auth.js';
import type { Method, Request, Response } from '../http/router.js';

/** A route's `audit` declaration. */
export interface AuditSpec<I> {
  /** The action name; default from the method and the path (`PUT /users/:id/role` → `user.role.update`). */
  action?: string;
  /** The target type; default: the path's first segment, singular (`/personal_api_keys/:id` → `personal_api_key`). */
  target?: string;
  /** Loads the target as it is before the action (settings routes): recorded as `before`, and the response's `data` as `after`. */
  before?: (input: I) => Promise<unknown>;
  /** More field names to redact (besides passwords, tokens, secrets and keys), e.g. an API key's `value`. */
  redact?: readonly string[];
}

export interface AuditPlan<I> {
  action: string;
  targetType: string;
  before?: (input: I) => Promise<unknown>;
  redact: readonly string[];
  /** `/accounts/me/…`: the target is the caller's account. */
  ownAccount?: true;
}

const VERBS: Record<Method, string> = { GET: 'read', POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

function singular(word: string): string {
  if (word.endsWith('settings') || word.endsWith('ss')) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('xes')) return word.slice(0, -2);
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

/** The audit plan of a route, or undefined when it is not audited (see the module comment). */
export function auditPlan<I>(
  method: Method,
  path: string,
  admin: boolean | undefined,
  audit: boolean | AuditSpec<I> | undefined,
): AuditPlan<I> | undefined {
  if (audit === false) return undefined;
  if (audit === undefined && !((admin && method !== 'GET') || method === 'DELETE')) return undefined;
  const spec: AuditSpec<I> = typeof audit === 'object' ? audit : {};
  const segments = path.split('/').filter(Boolean);
  const ownAccount = segments[0] === 'accounts' && segments[1] === 'me';
  const literals = segments.filter((s, i) => !s.startsWith(':') && !(ownAccount && i === 1));
  const targetType = spec.target ?? singular(literals[0] ?? 'account');
  const rest = literals.slice(1);
  // `POST /users/:id/disable` is the action `user.disable`; `POST /personal_api_keys` is `personal_api_key.create`.
  const last = segments[segments.length - 1] ?? '';
  const isAction = method === 'POST' && !last.startsWith(':') && (ownAccount || segments.some((s) => s.startsWith(':')));
  const action = spec.action ?? [targetType, ...rest, ...(isAction ? [] : [VERBS[method]])].join('.');
  return {
    action,
    targetType,
    ...(spec.before ? { before: spec.before } : {}),
    redact: spec.redact ?? [],
    ...(ownAccount ? { ownAccount: true as const } : {}),
  };
}

function unwrapData(body: unknown): unknown {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'data' in body) return body.data;
  return body ?? null;
}

function idOf(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/**
 * Run an audited handler: load `before` when the route declares it, run the handler, and attach the
 * event to a 2xx response (a replayed idempotent answer records nothing: the first one did).
 */
export async function runAudited<I extends { req: Request; user: UserRow }>(
  scopeKind: 'agent' | 'api_key',
  plan: AuditPlan<I>,
  input: I,
  handler: () => Promise<Response>,
): Promise<Response> {
  const before = plan.before ? await plan.before(input) : undefined;
  const response = await handler();
  const status = response.status ?? 200;
  if (status < 200 || status >= 300 || response.headers?.['idempotent-replayed'] === 'true') return response;
  const { req, user } = input;
  const after = plan.before ? unwrapData(response.body) : (req.body ?? null);
  const token = scopeKind === 'api_key' ? readToken(req) : undefined;
  const audit: AuditRecord = {
    accountId: user.account_id,
    actor: { userId: user.id, email: user.email, role: user.role, ...(token ? { apiKeyDigest: apiKeyDigest(token) } : {}) },
    action: plan.action,
    targetType: plan.targetType,
    targetId: plan.ownAccount ? user.account_id : (Object.values(req.params)[0] ?? idOf(unwrapData(response.body))),
    method: req.method,
    path: req.path,
    before: before === undefined ? null : redact(before, plan.redact),
    after: redact(after, plan.redact),
    ip: req.ip,
    requestId: req.requestId,
  };
  return { ...response, audit };
}
